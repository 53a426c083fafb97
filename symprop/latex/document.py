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

from .. import numeric
from ..errors import SympropError
from ..simplify import is_small
from .derivation import DEFAULT_STEPS, Line, derivation_lines, escape, render
from .printer import partial_fraction, printer, symbol_latex
from .tex import write_document

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
            "\\end{document}\n") % (escape(title), body.strip())


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
        rules = ", ".join(a.rule for a in adjoints.applied.get(node, ()))
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


def _number(value) -> str:
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return f"${float(array):.4f}$"
    shown = [f"{v:.4f}" for v in array.ravel()[:4]] + ([r"\dots"] if array.size > 4 else [])
    return "$(%s)$" % ", ".join(shown)


def _given(value) -> str:
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return f"{float(array):g}"
    shown = [f"{v:g}" for v in array.ravel()[:4]] + ([r"\dots"] if array.size > 4 else [])
    return "(%s)" % ", ".join(shown)


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


# ----------------------------------------------------------------- matrix form (seed 001)
def _is_matrix(graph) -> bool:
    from ..matrix.graph import MatrixGraph

    return isinstance(graph, MatrixGraph)


def _shape_latex(graph, symbol) -> str:
    rows, cols = graph.shape(symbol)
    return rf"{graph.latex_name(symbol)} \in \mathbb{{R}}^{{{rows} \times {sympy.latex(cols)}}}"


def matrix_forward_section(graph, heading: str = "Forward pass") -> str:
    """A matrix graph's definitions, layer by layer, ``m`` examples as columns."""
    from ..matrix.latex import matrix_latex

    lines = [Line(graph.latex_name(n), matrix_latex(graph.expr(n), graph))
             for n in graph.node_symbols]
    sizes = ", ".join(f"${_shape_latex(graph, s)}$"
                      for s in graph.input_symbols + graph.param_symbols)
    return (f"\\section*{{{escape(heading)}}}\n"
            f"A batch of ${sympy.latex(graph.batch)}$ examples, one per column. Inputs and "
            f"parameters: {sizes}. $\\mathbf{1}$ is a matrix of ones, shaped as its product "
            "needs (a row of ones repeats a bias over the batch, a column of ones sums over "
            "it), and $\\odot$ is the entry-by-entry (Hadamard) product.\n"
            f"Each layer is computed from the ones before it:\n{render(lines, 'align*')}\n")


def matrix_gradient_section(graph, params=None, heading: str = "Gradients", **options) -> str:
    """One ``MatrixDerivation.latex()`` per parameter, with its layer-level paths and rules."""
    from ..matrix.latex import matrix_latex

    parts = [f"\\section*{{{escape(heading)}}}\n"
             "Each gradient is written first over the adjoint of the layer its parameter "
             "feeds, then in node values."]
    for wrt in _params(graph, params):
        d = graph.derive(wrt)
        name = graph.latex_name(wrt)
        parts.append(f"\\subsection*{{With respect to ${name}$}}")
        if d.path_count <= MAX_LISTED_MATRIX_PATHS:
            routes = "; ".join("$" + r" \to ".join(graph.latex_name(n) for n in p.nodes) + "$"
                               for p in d.paths)
            parts.append(f"Layer-level path{'s' if d.path_count > 1 else ''}: {routes}.")
        for step in d.steps:
            parts.append(f"The rule for {escape(step.rule)} gives "
                         f"${_adjoint_fraction(graph, step.node)} = "
                         f"{matrix_latex(step.after, graph)}$.")
        equalities = d.latex(**options).split(" = ")
        lines = [Line(equalities[0], rhs) for rhs in equalities[1:]]
        parts.append(render(lines, "align*") + "\n")
    return "\n".join(parts)


MAX_LISTED_MATRIX_PATHS = 6


def _adjoint_fraction(graph, node) -> str:
    return (rf"\frac{{\partial {graph.latex_name(graph.loss_symbol)}}}"
            rf"{{\partial {graph.latex_name(node)}}}")


def _vjp_rule(graph, node) -> str:
    """The textbook rule that sends each consumer's adjoint back to ``node``, by name."""
    from ..matrix import ops
    from ..matrix.derivation import activation_name

    names = []
    for child in graph.consumers(node):
        definition = graph.expr(child)
        activation = activation_name(definition)
        if isinstance(definition, ops.Loss):
            named = f"derivative of the {definition.name} loss"
        elif activation == "softmax":
            named = "softmax Jacobian"
        elif activation is not None:
            named = f"derivative of {activation}, entry by entry"
        elif graph.kind(node) == "parameter" and graph.shape(node)[1] == 1:
            named = "bias: sum over the batch"
        else:
            named = _operation_using(definition, node)
        if named not in names:
            names.append(named)
    return ", ".join(names)


OPERATION_NAMES = {"MatMul": "matrix product", "HadamardProduct": "Hadamard product",
                   "HadamardPower": "Hadamard power", "Transpose": "transpose", "MatAdd": "sum"}


def _operation_using(definition, node) -> str:
    """The names of the operations in ``definition`` that take ``node`` as an operand."""
    found = []
    for sub in sympy.preorder_traversal(definition):
        name = OPERATION_NAMES.get(type(sub).__name__)
        if name and node in sub.args and name not in found:
            found.append(name)
    return ", ".join(found) or "chain rule"


def matrix_backprop_section(graph, heading: str = "Back propagation") -> str:
    """Every adjoint once, loss end first, over the adjoints of the layers after it."""
    from ..matrix.latex import matrix_latex

    adjoints = graph.adjoints()
    lines = []
    for node in adjoints.order[1:]:  # the loss's own adjoint is 1
        rules = [s.rule for s in adjoints.steps.get(node, ())] or [_vjp_rule(graph, node)]
        local = matrix_latex(adjoints.local[node], graph)
        full = matrix_latex(adjoints.adjoint[node], graph)
        # The value in node values too, where it fits on the line.
        rhs = local if full == local or len(full) > MAX_INLINE_LATEX else f"{local} = {full}"
        lines.append(Line(_adjoint_fraction(graph, node), rhs, ", ".join(rules)))
    # Edges out of inputs carry no product: nothing is learned about the data.
    edges = sum(1 for e in graph.edges if e.partial is not None
                and graph.kind(e.parent) != "input")
    return (f"\\section*{{{escape(heading)}}}\n"
            "The derivations share their adjoints. Back propagation computes each layer's "
            "$\\partial \\mathcal{L} / \\partial V$ once, from the loss backwards, each from "
            "the adjoints of the layers that use it, by one vector-Jacobian product per edge:\n"
            f"{render(lines, 'align*')}\n"
            f"That is {len(lines)} adjoints and {edges} vector-Jacobian products.\n")


MAX_INLINE_LATEX = 110


def matrix_check_section(graph, values=None, heading: str = "Check against autograd") -> str:
    """``graph.check()`` in a table: each gradient's largest error against PyTorch autograd."""
    try:
        report = graph.check(values=values or None)
    except ImportError:
        return (f"\\section*{{{escape(heading)}}}\nPyTorch is not installed, so the "
                "gradients were not compared with autograd.\n")
    worst: dict = {}
    for row in report.rows:
        key = (row.quantity, row.parameter)
        shape = "scalar" if not row.shape else "$%s$" % r" \times ".join(map(str, row.shape))
        error, rel, _ = worst.get(key, (0.0, 0.0, shape))
        worst[key] = (max(error, row.abs_error), max(rel, row.rel_error), shape)
    rows = []
    for (quantity, parameter), (error, rel, shape) in worst.items():
        what = (f"${graph.latex_name(parameter)}$" if quantity == "loss" else
                f"${_adjoint_fraction(graph, parameter)}$")
        rows.append(f"{what} & {shape} & {_small(error)} & {_small(rel)} \\\\")
    table = ("\\begin{tabular}{lrrr}\n\\toprule\nquantity & shape & max abs error & "
             "max rel error \\\\\n\\midrule\n" + "\n".join(rows) +
             "\n\\bottomrule\n\\end{tabular}")
    verdict = "they agree" if report.ok else "they DISAGREE"
    points = len({row.point for row in report.rows})
    return (f"\\section*{{{escape(heading)}}}\n"
            f"The compiled gradients were compared with {escape(report.method)} at {points} "
            f"point(s), entry by entry: {verdict} (largest absolute error "
            f"{_small(report.max_abs_error)}).\n\n{table}\n")


def matrix_notes_body(graph, params=None, values=None, numbers: bool = True, **options) -> str:
    """The sections of a matrix graph's notes: forward, gradients, backward, check."""
    body = [matrix_forward_section(graph), matrix_gradient_section(graph, params, **options),
            matrix_backprop_section(graph)]
    if numbers:
        body.append(matrix_check_section(graph, values))
    return "\n".join(body)


# ----------------------------------------------------------------- the whole notes
def notes(graph, path=None, params=None, title: str = "Back-propagation notes", values=None,
          numbers: bool = True, **options) -> str:
    """The complete notes of ``graph`` as LaTeX; written to ``path`` (``.tex`` or ``.pdf``).

    ``params``: the parameters to derive (default: all).  ``values``: the point
    for the table of numbers (default ``graph.values``).  Other ``options`` go
    to every derivation (``colors=True``, ``update=True``, ``steps=...``).
    A :class:`~symprop.matrix.graph.MatrixGraph` gets seed 001's notes instead:
    the layers as matrix equations, one derivation per parameter, the shared
    adjoints with their rules, and the check against PyTorch autograd
    (``numbers=False`` leaves it out).
    A ``.pdf`` path runs pdflatex; without one installed the ``.tex`` is
    written and a :class:`~symprop.errors.SympropError` says so.
    Returns the LaTeX source.
    """
    if not hasattr(graph, "adjoints") or not hasattr(graph, "node_symbols"):
        raise SympropError(f"notes() needs a symprop Graph, got {type(graph).__name__}")
    if _is_matrix(graph):
        values = values if values is not None else getattr(graph, "values", None)
        tex = document(matrix_notes_body(graph, params, values, numbers, **options), title)
        if path is not None:
            write_document(tex, path)
        return tex
    body = [forward_section(graph), partials_section(graph),
            gradient_section(graph, params, **options), backprop_section(graph)]
    if numbers and (values is not None or graph.values):
        body.append(numbers_section(graph, values))
    tex = document("\n".join(body), title)
    if path is not None:
        write_document(tex, path)
    return tex
