r"""Whole LaTeX documents: a graph's lecture notes, from the forward pass to the numbers.

:func:`notes` writes the complete article: the network's equations, the local
partial on every edge, one derivation per parameter, the backprop factoring
(the seed's "Back Propagation and Efficiency": every adjoint computed once and
shared) and the numbers at ``graph.values`` next to PyTorch's.  The section
builders are public too, to compose lessons of several graphs
(``examples/seed_lesson.py``).

>>> from symprop import mlp
>>> tex = notes(mlp([1, 2, 1]), params=["b2_1"], title="Example 1")
>>> tex.startswith(r"\documentclass")
True
"""
from __future__ import annotations

from typing import Iterable

import numpy as np
import sympy

from ..ir import numeric
from ..errors import SympropError
from ..derive.simplify import is_small
from .derivation import DEFAULT_STEPS, Line, derivation_lines, escape, render
from .printer import partial_fraction, printer, symbol_latex
from .tex import check_document_path, write_document

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{xcolor}
\usepackage{graphicx}
\usepackage{booktabs}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6em}
"""


def document(body: str, title: str = "Back-propagation notes") -> str:
    """A complete article around ``body`` (LaTeX), titled ``title`` (plain text)."""
    return (PREAMBLE + "\\title{%s}\n\\date{}\n\\begin{document}\n\\maketitle\n\n%s\n"
            "\\end{document}\n") % (escape(_printable(title)), body.strip())


def _printable(words: str) -> str:
    """``words`` without control characters (a NUL or an escape is no part of a title)."""
    return "".join(c if c.isprintable() else " " for c in str(words))


def math_list(graph, symbols) -> str:
    """``$a$, $b$ and $c$`` for a sentence."""
    items = [f"${symbol_latex(graph, s)}$" for s in symbols]
    if len(items) <= 1:
        return "".join(items) or "none"
    return ", ".join(items[:-1]) + " and " + items[-1]


def _params(graph, params):
    if params is None:
        return list(graph.param_symbols)
    if isinstance(params, (str,)) or not isinstance(params, Iterable):
        params = [params]
    return [graph.parameter(p) for p in params]


# ----------------------------------------------------------------- sections
def forward_section(graph, heading: str = "Forward pass", command: str = "section*") -> str:
    """The graph's definitions, node by node, in the order they are computed.

    ``command``: the heading's LaTeX command (``subsection*``, ``paragraph*``).
    """
    p = printer(graph)
    lines = [Line(symbol_latex(graph, n), p.doprint(graph.expr(n))) for n in graph.node_symbols]
    return (f"\\{command}{{{escape(heading)}}}\n"
            f"Inputs: {math_list(graph, graph.input_symbols)}. "
            f"Parameters: {math_list(graph, graph.param_symbols)}.\n"
            f"Each node is computed from the ones before it:\n{render(lines, 'align*')}\n")


def partials_section(graph, heading: str = "Local partial derivatives") -> str:
    """The label of every edge (the seed's figure): d child / d parent in node values.

    Edges out of inputs are left out: nothing is learned about the data.
    """
    p = printer(graph)
    lines = [Line(partial_fraction(graph, e.child, e.parent), p.doprint(e.partial))
             for e in graph.edges if graph.kind(e.parent) != "input"]
    return (f"\\section*{{{escape(heading)}}}\n"
            "Every edge of the graph carries the partial derivative of the node it enters "
            "with respect to the node it leaves, written in node values:\n"
            f"{render(lines, 'align*')}\n")


def gradient_section(graph, params=None, heading: str = "Gradients", intro: str = "",
                     **options) -> str:
    """One derivation per parameter (``options`` as for ``Derivation.latex``)."""
    options.setdefault("steps", DEFAULT_STEPS)
    parts = [f"\\section*{{{escape(heading)}}}\n{intro}"]
    for wrt in _params(graph, params):
        d = graph.derive(wrt)
        parts.append(f"\\subsection*{{With respect to ${symbol_latex(graph, wrt)}$}}\n")
        if d.path_count > 1:
            parts.append(f"{d.path_count} paths lead from ${symbol_latex(graph, wrt)}$ to the "
                         "loss; the chain rule sums over them.\n")
        parts.append(render(derivation_lines(d, **options), "align*") + "\n")
    return "\n".join(parts)


def backprop_section(graph, heading: str = "Back propagation and efficiency") -> str:
    """Every adjoint written once, with the adjoints of the nodes after it (shared)."""
    adjoints = graph.adjoints()
    loss = graph.loss_symbol
    names = {s.name: partial_fraction(graph, loss, node)
             for node, s in adjoints.symbol.items() if getattr(s, "is_Symbol", False)}
    p = printer(graph, names)
    lines = []
    for node in adjoints.order:
        if node == loss:
            continue
        local, full = adjoints.local[node], adjoints.adjoint[node]
        rhs = _local_form(p, local, set(names))
        if full != local and is_small(full):
            rhs += " = " + p.doprint(full)
        rules = ", ".join(a.rule for a in adjoints.steps.get(node, ()))
        lines.append(Line(partial_fraction(graph, loss, node), rhs, rules))
    products = path_factor_count(graph)
    edges = sum(1 for e in graph.edges if graph.kind(e.parent) != "input")
    return (f"\\section*{{{escape(heading)}}}\n"
            "The derivations above share many factors. Back propagation computes each "
            "node's gradient $\\partial \\mathcal{L} / \\partial v$ (its adjoint) once, from "
            "the loss backwards, each from the adjoints of the nodes that use it:\n"
            f"{render(lines, 'align*')}\n"
            f"That is {len(lines)} adjoints and one multiplication per edge ({edges} in all). "
            f"Written path by path, the {len(graph.param_symbols)} gradients would multiply "
            f"{products} local partials.\n")


def _local_form(p, local, adjoint_names) -> str:
    """An adjoint's local form, each term's local partial first and the shared adjoint
    last, as the seed's backward pass writes ``dL_dz = dyhat_dz * dL_dyhat``."""
    out = ""
    for i, term in enumerate(sympy.Add.make_args(local)):
        factors = sympy.Mul.make_args(term)
        shared = [f for f in factors if f.is_Symbol and f.name in adjoint_names]
        rest = sympy.Mul(*(f for f in factors if f not in shared))
        negative = rest.could_extract_minus_sign()
        rest = -rest if negative else rest
        parts = ([] if rest == 1 else [p.factor(rest) if rest.is_Add else p.doprint(rest)])
        parts += [p.doprint(f) for f in shared]
        out += (" - " if negative else " + ") if i else ("-" if negative else "")
        out += " ".join(parts) or "1"
    return out


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


def _listed(value, spec: str) -> str:
    """A number, or the first four entries of an array, formatted by ``spec``."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return format(float(array), spec)
    shown = [format(v, spec) for v in array.ravel()[:4]] + ([r"\dots"] if array.size > 4 else [])
    return "(%s)" % ", ".join(shown)


def _number(value) -> str:
    return f"${_listed(value, '.4f')}$"


def _given(value) -> str:
    return _listed(value, "g")


def _small(value) -> str:
    r"""An error size in math: ``$1.1 \cdot 10^{-16}$``."""
    if value == 0:
        return "$0$"
    mantissa, exponent = f"{float(value):.1e}".split("e")
    return f"${mantissa} \\cdot 10^{{{int(exponent)}}}$"


def numbers_section(graph, values=None, heading: str = "Numbers") -> str:
    """The forward values and gradients at ``values`` (default ``graph.values``), with
    PyTorch autograd's gradients beside symprop's (``graph.check()``)."""
    values = dict(values if values is not None else graph.values)
    if not values:
        return (f"\\section*{{{escape(heading)}}}\nNo point was given: set "
                "\\texttt{graph.values} (or pass \\texttt{values=}) for a table of numbers.\n")
    point = numeric.forward(graph, values)
    rows = [f"${symbol_latex(graph, n)}$ & {_number(point[n])} \\\\" for n in graph.node_symbols]
    forward = ("\\begin{tabular}{lr}\n\\toprule\nnode & value \\\\\n\\midrule\n"
               + "\n".join(rows) + "\n\\bottomrule\n\\end{tabular}")
    reference, method = _reference(graph, values)
    loss = graph.loss_symbol
    grad_rows = []
    for w in graph.param_symbols:
        ours = graph.derive(w).evaluate(**values)
        theirs = reference.get(w.name)
        error = "--" if theirs is None else _small(np.max(np.abs(np.asarray(ours) - theirs)))
        slash = rf"\partial {symbol_latex(graph, loss)} / \partial {symbol_latex(graph, w)}"
        grad_rows.append(f"${slash}$ & {_number(ours)} & "
                         f"{'--' if theirs is None else _number(theirs)} & {error} \\\\")
    gradients = ("\\begin{tabular}{lrrr}\n\\toprule\ngradient & symprop & "
                 f"{escape(method)} & difference \\\\\n\\midrule\n"
                 + "\n".join(grad_rows) + "\n\\bottomrule\n\\end{tabular}")
    given = ", ".join(f"${symbol_latex(graph, k)} = {_given(v)}$" for k, v in values.items())
    return (f"\\section*{{{escape(heading)}}}\nAt {given}:\n\n"
            f"{forward}\n\n\\medskip\n{gradients}\n")


def _reference(graph, values) -> tuple[dict, str]:
    """``({param name: value}, method)`` from ``graph.check()``; empty when unavailable."""
    try:
        report = graph.check(values)
    except ImportError:
        return {}, "PyTorch (not available)"
    by_name = {}
    for row in report.rows:
        if row.quantity == "gradient":
            by_name.setdefault(row.parameter, []).append(row.reference)
    flat = {k: (v[0] if len(v) == 1 else np.asarray(v)) for k, v in by_name.items()}
    label = "PyTorch autograd" if report.method == "torch autograd" else report.method
    return flat, label


# ----------------------------------------------------------------- the whole notes
def notes(graph, path=None, params=None, title: str = "Back-propagation notes", values=None,
          numbers: bool = True, **options) -> str:
    """The complete notes of ``graph`` as LaTeX; written to ``path`` (``.tex`` or ``.pdf``).

    ``params``: the parameters to derive (default: all).  ``values``: the point
    for the table of numbers (default ``graph.values``).  Other ``options`` go
    to every derivation (``colors=True``, ``update=True``, ``steps=...``).
    A :class:`~symprop.ir.matrix_graph.MatrixGraph` gets seed 001's notes instead:
    the layers as matrix equations, one derivation per parameter, the shared
    adjoints with their rules, and the check against PyTorch autograd
    (``numbers=False`` leaves it out).
    A ``.pdf`` path runs pdflatex (shut in: see :mod:`symprop.latex.tex`) and writes
    the PDF and its ``.tex`` only when it succeeds; without pdflatex installed a
    :class:`~symprop.errors.SympropError` says so before any work.
    Returns the LaTeX source.
    """
    if not hasattr(graph, "adjoints") or not hasattr(graph, "node_symbols"):
        raise SympropError(f"notes() needs a symprop Graph, got {type(graph).__name__}")
    if path is not None:
        check_document_path(path)  # a bad path is refused before the derivations, not after
    tex = document(graph.form.notes_body(graph, params, values, numbers, **options), title)
    if path is not None:
        write_document(tex, path)
    return tex


def scalar_notes_body(graph, params=None, values=None, numbers: bool = True, **options) -> str:
    """The sections of a scalar graph's notes: forward, partials, gradients, backprop, numbers."""
    body = [forward_section(graph), partials_section(graph),
            gradient_section(graph, params, **options), backprop_section(graph)]
    if numbers and (values is not None or graph.values):
        body.append(numbers_section(graph, values))
    return "\n".join(body)
