r"""A graph's lecture notes, from the forward pass to the numbers, in any of the notes' formats.

:func:`notes` writes the complete notes: the network's equations, the local
partial on every edge, one derivation per parameter, the backprop factoring
(the notebook *Back Propagation*'s "Back Propagation and Efficiency": every
adjoint computed once and shared) and the numbers at ``graph.values`` next to
PyTorch's.  Each section is built once, as blocks (:mod:`symprop.latex.blocks`:
``forward_blocks``, ``gradient_blocks``...), and written as LaTeX, Markdown,
HTML or a notebook by :mod:`symprop.latex.formats`.  The ``*_section``
functions give a section's LaTeX, to compose lessons of several graphs
(``examples/seed_lesson.py``).

>>> from symprop import mlp
>>> tex = notes(mlp([1, 2, 1]), params=["b2_1"], title="Example 1")
>>> tex.startswith(r"\documentclass")
True
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

import numpy as np
import sympy

from ..ir import numeric
from ..errors import SympropError
from ..derive.simplify import is_small
from ..derive.sizes import tree_size
from . import blocks
from .blocks import Math, Mono
from .code_section import code_blocks
from .lesson import functions_blocks, update_blocks
from .remarks import remarks_blocks
from .walkthrough import numbers_blocks, numbers_section, small_number  # noqa: F401
from .fitting import column_runs, columns_for, fits_line, fitted
from .derivation import CSS_COLORS, DEFAULT_STEPS, LINE_NODES, Line, derivation_lines, escape
from .differentials import Differentials
from .figure import figure_blocks
from .operations_figure import operations_figure_blocks
from .families import distinct_units, edge_families, parameter_families
from .printer import local_form, partial_fraction, printer, symbol_latex
from .to_latex import latex_body, latex_spans
from .to_tikz import PREAMBLE as TIKZ_PREAMBLE

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{xcolor}
\usepackage{graphicx}
\usepackage{booktabs}
""" + TIKZ_PREAMBLE + r"""\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em}
\renewcommand{\arraystretch}{1.35}
""" + "".join(f"\\definecolor{{{name}}}{{HTML}}{{{hex}}}\n" for name, hex in CSS_COLORS.items())


def document(body: str, title: str = "Back-propagation notes") -> str:
    """A complete article around ``body`` (LaTeX), titled ``title`` (plain text)."""
    return (PREAMBLE + "\\title{%s}\n\\date{}\n\\begin{document}\n\\maketitle\n\n%s\n"
            "\\end{document}\n") % (escape(_printable(title)), body.strip())


def _printable(words: str) -> str:
    """``words`` without control characters (a NUL or an escape is no part of a title)."""
    return "".join(c if c.isprintable() else " " for c in str(words))


def math_list(graph, symbols) -> str:
    """``$a$, $b$ and $c$`` for a sentence."""
    return latex_spans(_math_list(graph, symbols))


def _math_list(graph, symbols) -> tuple:
    return blocks.listed(Math(symbol_latex(graph, s)) for s in symbols)


def _with_math(text: str) -> tuple:
    """Pieces of running text, math between dollar signs (symprop's own words only)."""
    return tuple(Math(part) if i % 2 else part for i, part in enumerate(text.split("$")) if part)


def _leaves_sentence(graph) -> tuple:
    """What the graph computes from, as a sentence: its data (inputs) and its parameters,
    or, with no data, its variables (as the lesson's chain-rule cases have one, x)."""
    inputs, params = graph.input_symbols, graph.param_symbols
    if not inputs:
        verb = "The variable is " if len(params) == 1 else "The variables are "
        return (verb, *_math_list(graph, params), ".")
    return ("The input is " if len(inputs) == 1 else "The inputs (the data) are ",
            *_math_list(graph, inputs),
            ", and the parameter is " if len(params) == 1 else ", and the parameters are ",
            *_math_list(graph, params), ".")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _the_gradients(n: int) -> str:
    return "the gradient" if n == 1 else f"the {n} gradients"


def _params(graph, params):
    if params is None:
        return list(graph.param_symbols)
    if isinstance(params, (str,)) or not isinstance(params, Iterable):
        params = [params]
    return [graph.parameter(p) for p in params]


# ----------------------------------------------------------------- sections
# Each section is built once as blocks (symprop.latex.blocks); ``*_section`` gives
# its LaTeX, ``*_blocks`` the blocks every format's renderer writes.
def forward_blocks(graph, heading: str = "Forward pass", level: int = 1) -> list:
    """The graph's definitions, node by node, in the order they are computed."""
    p = printer(graph)
    lines = [Line(symbol_latex(graph, n), p.doprint(graph.expr(n))) for n in graph.node_symbols]
    legend = getattr(graph, "legend", ())
    explained = [blocks.paragraph("The notation:"),
                 blocks.table(("symbol", "meaning"),
                              [(Math(tex), _with_math(meaning)) for tex, meaning in legend],
                              "ll")] if legend else []
    return [blocks.heading(_printable(heading), level=level), *explained,
            blocks.paragraph(*_leaves_sentence(graph),
                             " Each node is computed from the ones before it:"),
            blocks.display(lines), *_as_one_function(graph, p)]


def _as_one_function(graph, p) -> list:
    """A function of one variable written out whole, as the lesson states f(x) = (e^x + x)^2
    before differentiating it; only where it fits a line (counted on the shared DAG)."""
    loss = graph.loss_symbol
    if not Differentials(graph).one_variable(loss):
        return []
    whole = graph.composed(loss)
    variable = next(iter(whole.free_symbols), None)
    if variable is None or tree_size(whole) > LINE_NODES:
        return []
    line = Line(f"{symbol_latex(graph, loss)}({symbol_latex(graph, variable)})", p.doprint(whole))
    return [blocks.paragraph("As one function of ", Math(symbol_latex(graph, variable)), ":"),
            blocks.display([line])] if fits_line(line) else []


def forward_section(graph, heading: str = "Forward pass", command: str = "section*") -> str:
    """:func:`forward_blocks` in LaTeX; ``command``: the heading's LaTeX command
    (``subsection*``, ``paragraph*``)."""
    return latex_body(forward_blocks(graph, heading, blocks.level_of(command))) + "\n"


def partials_blocks(graph, heading: str = "Local partial derivatives") -> list:
    """The label of every edge (the lesson's figure): d child / d parent in node values.

    Edges out of inputs are left out: nothing is learned about the data.
    """
    differentials = Differentials(graph)
    edges = [e for e in graph.edges if graph.kind(e.parent) != "input"]
    lines = []
    for family in edge_families(graph, edges):
        e, names, condition = family.first, family.names, distinct_units(family)
        rhs = printer(graph, names).doprint(e.partial)
        lines.append(Line(partial_fraction(graph, e.child, e.parent, names=names,
                                           d=differentials.local(e.child)),
                          rhs + (rf" \quad ({condition})" if condition else "")))
    lettered = len(lines) < len(edges)
    return [blocks.heading(_printable(heading)),
            blocks.paragraph("Every edge of the graph carries the partial derivative of the node "
                             "it enters with respect to the node it leaves, written in node "
                             "values" + ("; a line written with unit letters (j, k, i) stands "
                                         "for every edge of its kind:" if lettered else ":")),
            blocks.display(lines, columns_for(lines))]


def partials_section(graph, heading: str = "Local partial derivatives") -> str:
    """:func:`partials_blocks` in LaTeX."""
    return latex_body(partials_blocks(graph, heading)) + "\n"


def gradient_blocks(graph, params=None, heading: str = "Gradients", intro="",
                    **options) -> list:
    """One derivation per parameter (``options`` as for ``Derivation.latex``);
    ``intro``: running text (a string or spans) under the heading."""
    options.setdefault("steps", DEFAULT_STEPS)
    out = [blocks.heading(_printable(heading))]
    if intro:
        out.append(blocks.paragraph(intro))
    derived: set = set()   # nodes whose simplification the notes have shown: stated after
    said = False           # the sentence on summing over paths, said once; a count after
    for family in parameter_families(graph, _params(graph, params)):
        wrt, many = family.first, len(family.members) > 1
        d = graph.derive(wrt)
        shown = family.names if family.generic else None
        name = Math(symbol_latex(graph, wrt, family.names))
        count = f" ({d.path_count} paths)" if d.path_count > 1 and said else ""
        out.append(blocks.heading("With respect to each " if many else "With respect to ",
                                  name, count, level=2))
        if many:
            out.append(_family_sentence(graph, family, name))
        if d.path_count > 1 and not said:
            out.append(blocks.paragraph(f"{d.path_count} paths lead from ", name,
                                        " to the loss; the chain rule sums over them."))
            said = True
        lines = derivation_lines(d, derived=frozenset(derived), names=shown, **options)
        out += [blocks.display(run, columns) for run, columns in column_runs(lines)]
        if many and not family.generic:
            result = Line(partial_fraction(graph, graph.loss_symbol, wrt, names=family.names,
                                           d=Differentials(graph).adjoint(wrt)),
                          printer(graph, family.names).doprint(d.result))
            out += [blocks.paragraph("So, for ", *_with_math(family.ranges(graph.units.sizes)),
                                     ":"),
                    blocks.display(fitted([result]))]
        derived.update(step.node for step in d.steps)
    return out


def _family_sentence(graph, family, name):
    """What one derivation of a family stands for, and which member it works through."""
    n, ranges = len(family.members), _with_math(family.ranges(graph.units.sizes))
    if family.generic:
        return blocks.paragraph(f"One derivation stands for all {n}, for ", *ranges,
                                ": each is this one with its own unit indices.")
    first = Math(symbol_latex(graph, family.first))
    return blocks.paragraph(f"All {n} are derived alike; here is ", first,
                            ", then the result for every one, ", *ranges, ".")


def gradient_section(graph, params=None, heading: str = "Gradients", intro: str = "",
                     **options) -> str:
    """:func:`gradient_blocks` in LaTeX (``intro`` is LaTeX here, as it always was)."""
    parts = gradient_blocks(graph, params, heading, **options)
    text = latex_body(parts[:1]) + "\n" + intro
    return text + "\n" + latex_body(parts[1:]) + "\n"


def backprop_blocks(graph, heading: str = "Back propagation and efficiency") -> list:
    """Every adjoint written once, with the adjoints of the nodes after it (shared)."""
    adjoints = graph.adjoints()
    loss, differentials = graph.loss_symbol, Differentials(graph)
    adjoint = lambda node: partial_fraction(graph, loss, node,  # noqa: E731
                                            d=differentials.adjoint(node))
    names = {s.name: adjoint(node)
             for node, s in adjoints.symbol.items() if getattr(s, "is_Symbol", False)}
    p = printer(graph, names)
    lines = []
    for node in adjoints.order:
        if node == loss:
            continue
        local, full = adjoints.local[node], adjoints.adjoint[node]
        rhs = local_form(p, local, set(names))
        rules = ", ".join(a.rule for a in adjoints.steps.get(node, ()))
        line = Line(adjoint(node), rhs, rules)
        if full != local and is_small(full):   # written out too, where that fits the page
            written_out = replace(line, rhs=rhs + " = " + p.doprint(full))
            line = written_out if fits_line(written_out) else line
        lines.append(line)
    products = path_factor_count(graph)
    edges = sum(1 for e in graph.edges if graph.kind(e.parent) != "input")
    return [blocks.heading(_printable(heading)),
            blocks.paragraph("The derivations above share many factors. Back propagation "
                             "computes each node's gradient ",
                             Math(rf"\partial {symbol_latex(graph, loss)} / \partial v"),
                             " (its adjoint) once, from the loss backwards, each from the "
                             "adjoints of the nodes that use it:"),
            *(blocks.display(run, columns) for run, columns in column_runs(fitted(lines))),
            blocks.paragraph(f"That is {_count(len(lines), 'adjoint')} and one multiplication "
                             f"per edge ({edges} in all). Written path by path, "
                             f"{_the_gradients(len(graph.param_symbols))} would multiply "
                             f"{_count(products, 'local partial')}.")]


def backprop_section(graph, heading: str = "Back propagation and efficiency") -> str:
    """:func:`backprop_blocks` in LaTeX."""
    return latex_body(backprop_blocks(graph, heading)) + "\n"


def path_factor_count(graph) -> int:
    """How many local partials the path-by-path products of every gradient multiply.

    Counted by dynamic programming (paths and their lengths), never by listing paths.
    """
    loss = graph.loss_symbol
    paths, factors = {loss: 1}, {loss: 0}
    for node in reversed(graph.symbols):
        if node != loss:
            out = graph.out_edges(node)
            paths[node] = sum(paths.get(e.child, 0) for e in out)
            factors[node] = sum(factors.get(e.child, 0) + paths.get(e.child, 0) for e in out)
    return sum(factors[w] for w in graph.param_symbols)


# ----------------------------------------------------------------- the whole notes
def notes(graph, path=None, params=None, title: str = "Back-propagation notes", values=None,
          numbers: bool = True, format: str | None = None, claims=(), notation=None,
          **options) -> str:
    """The complete notes of ``graph``; written to ``path`` when one is given.

    The format follows ``path``'s suffix (``.tex``, ``.pdf``, ``.md``, ``.html``,
    ``.ipynb``: see :mod:`symprop.latex.formats`) or ``format`` (``"latex"``,
    ``"markdown"``, ``"html"``, ``"notebook"``, or ``"slides"``: Beamer, ``.tex`` or ``.pdf``;
    default LaTeX).
    ``params``: the parameters to derive (default: all).  ``values``: the point
    for the table of numbers (default ``graph.values``).  ``numbers=False``
    leaves the numbers out.  ``claims``: ``(wrt, LaTeX claim, source)`` a source wrote,
    verified and remarked on in a section of their own (a spec's ``[notes] claims``).
    Other ``options`` go to every derivation
    (``colors=True``, ``update=True``, ``steps=...``).
    ``notation``: ``"seed"`` (the default, symprop's own names), ``"nielsen"`` or
    ``"deeplearning.ai"``: a network built by ``mlp()`` written as that textbook writes it,
    its legend saying what the adjoint shorthand means (:mod:`symprop.latex.notations`);
    claims are read in the graph's own names.
    A graph in matrix form gets the post *Backprop
    Implementation*'s notes instead: the layers as matrix equations, one derivation
    per parameter, the shared adjoints with their rules, and the check against
    PyTorch autograd.
    A ``.pdf`` path runs pdflatex (shut in: see :mod:`symprop.latex.tex`) and writes
    the PDF and its ``.tex`` only when it succeeds; without pdflatex installed a
    :class:`~symprop.errors.SympropError` says so before any work.
    Returns the document's text (for a notebook, its JSON).
    """
    from . import formats

    if not hasattr(graph, "adjoints") or not hasattr(graph, "node_symbols"):
        raise SympropError(f"notes() needs a symprop Graph, got {type(graph).__name__}")
    chosen = formats.choose(path, format)  # a bad path is refused before the derivations
    from .notations import renamed

    shown = renamed(graph, notation)        # a notation refused before the derivations too
    body = notes_blocks(shown, params, values, numbers, **options)
    if numbers and chosen.name != "notebook":   # a notebook runs the code in cells of its own
        body += code_blocks(graph, values)
    body += remarks_blocks(graph, claims)
    return chosen.write(shown, body, _printable(title), path, values)


def notes_blocks(graph, params=None, values=None, numbers: bool = True, notation=None,
                 **options) -> list:
    """The notes of ``graph`` as blocks (:mod:`symprop.latex.blocks`), either form, in
    ``notation`` (:mod:`symprop.latex.notations`; None: the graph's own names)."""
    from .notations import renamed

    graph = renamed(graph, notation)
    return list(graph.form.notes_body(graph, params, values, numbers, **options))


def scalar_notes_body(graph, params=None, values=None, numbers: bool = True, **options) -> list:
    """The blocks of a scalar graph's notes: forward, the functions, partials, gradients,
    backprop, numbers and the update."""
    body = [*forward_blocks(graph), *functions_blocks(graph), *partials_blocks(graph),
            *figure_blocks(graph, _params(graph, params)[0]),
            *gradient_blocks(graph, params, **options), *backprop_blocks(graph)]
    if numbers and (values is not None or graph.values):
        body += [*numbers_blocks(graph, values), *operations_figure_blocks(graph, values)]
    return body + update_blocks(graph, _params(graph, params))
