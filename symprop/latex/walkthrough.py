r"""The notes' numbers: one pass forward and back at the spec's point, as the lesson's cells
print them, and one sentence on PyTorch autograd's agreement.

Forward, each node's value, with the products a sum adds up first (the lesson's
``w1x1 = -6``, ``w2x2 = 7.5``); backward, from the loss, each node's adjoint
dL/dv, after the local partials it multiplies where the graph is small enough to list
them all (``dL/dyhat = -1.6065``, ``dyhat/dz = 0.2350``, ``dL/dz = -0.3775``).

>>> from symprop.front.seeds import logistic_regression
>>> from symprop.latex.to_markdown import markdown_block
>>> forward, backward = [b for b in numbers_blocks(logistic_regression()) if hasattr(b, "rows")]
>>> all(n in markdown_block(forward) for n in ("-6.0000", "7.5000", "0.6225", "0.4741"))
True
>>> all(n in markdown_block(backward) for n in ("-1.6065", "0.2350", "-0.3775", "-0.5663"))
True
"""
from __future__ import annotations

import numpy as np
import sympy

from ..derive.derivation import adjoint_values
from ..ir import numeric
from . import blocks
from .blocks import Math, Mono
from .differentials import Differentials
from .printer import PARTIAL, printer, symbol_latex

MOST_LISTED_EDGES = 16   # beyond this many edges the backward table lists the adjoints alone


def _listed(value, spec: str) -> str:
    """A number, or the first four entries of an array, formatted by ``spec``."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return _formatted(float(array), spec)
    shown = [_formatted(v, spec) for v in array.ravel()[:4]] + \
        ([r"\dots"] if array.size > 4 else [])
    return "(%s)" % ", ".join(shown)


def _formatted(value: float, spec: str) -> str:
    text = format(value, spec)
    return text[1:] if text.startswith("-") and float(text) == 0 else text   # never -0.0000


def _number(value) -> Math:
    return Math(_listed(value, ".4f"))


def _given(value) -> str:
    return _listed(value, "g")


def small_number(value) -> Math:
    r"""An error size in math: ``1.1 \cdot 10^{-16}``."""
    if value == 0:
        return Math("0")
    mantissa, exponent = f"{float(value):.1e}".split("e")
    return Math(f"{mantissa} \\cdot 10^{{{int(exponent)}}}")


def _products(expr) -> list:
    """The products of symbols a sum adds (``w_1 x_1`` in ``w_1 x_1 + w_2 x_2 + b``)."""
    if not isinstance(expr, sympy.Add):
        return []
    return [t for t in expr.args if isinstance(t, sympy.Mul)
            and sum(1 for f in t.args if not f.is_number) >= 2]


def _forward_rows(graph, point, p) -> list:
    rows, listed = [], len(graph.edges) <= MOST_LISTED_EDGES
    for node in graph.node_symbols:
        for term in _products(graph.expr(node)) if listed else ():
            rows.append((Math(p.doprint(term)), _number(numeric.evaluate_expr(term, point))))
        rows.append((Math(symbol_latex(graph, node)), _number(point[node])))
    return rows


def _backward_rows(graph, point) -> list:
    adjoints = graph.adjoints()
    values = adjoint_values(adjoints, point)
    loss = graph.loss_symbol
    listed = len(graph.edges) <= MOST_LISTED_EDGES
    d = Differentials(graph)   # df/dx where the lesson writes d, as the derivations above
    rows = []
    for node in adjoints.order:
        if node == loss:
            continue
        if listed:
            for edge in graph.out_edges(node):
                if edge.child != loss and not edge.partial.is_number:
                    rows.append((_slashed(graph, edge.child, node, d.local(edge.child)),
                                 _number(numeric.evaluate_expr(edge.partial, point))))
        rows.append((_slashed(graph, loss, node, d.adjoint(node)), _number(values[node])))
    return rows


def _slashed(graph, top, bottom, d: str = PARTIAL) -> Math:
    r"""``\partial top / \partial bottom`` (or ``d``'s): a fraction in a table's row sets too small."""
    return Math(rf"{d} {symbol_latex(graph, top)} / {d} {symbol_latex(graph, bottom)}")


def _folded(name: str, rows: list, most: int = 12):
    """A two-column table of ``rows``; beyond ``most`` rows, folded into two or three pairs
    of columns side by side (read down the first pair, then the next)."""
    pairs = min(3, -(-len(rows) // most))
    if pairs == 1:
        return blocks.table((name, "value"), rows, "lr")
    height = -(-len(rows) // pairs)
    rows = rows + [("", "")] * (pairs * height - len(rows))
    columns = [rows[i * height:(i + 1) * height] for i in range(pairs)]
    return blocks.table((name, "value") * pairs,
                        [sum(row, ()) for row in zip(*columns)], "lr" * pairs)


def numbers_blocks(graph, values=None, heading: str = "Numbers") -> list:
    """One pass forward and back at ``values`` (default ``graph.values``), and whether
    PyTorch autograd gives the same gradients (``graph.check()``)."""
    values = dict(values if values is not None else graph.values)
    title = blocks.heading(heading)
    if not values:
        return [title, blocks.paragraph("No point was given: set ", Mono("graph.values"),
                                        " (or pass ", Mono("values="), ") for a table of numbers.")]
    point = numeric.forward(graph, values)
    forward = _folded("forward", _forward_rows(graph, point, printer(graph)))
    backward = _folded("backward", _backward_rows(graph, point))
    given = [Math(f"{symbol_latex(graph, k)} = {_given(v)}") for k, v in values.items()]
    return [title, blocks.paragraph("At ", *_comma_list(given), ", the forward pass computes "
                                    "each node from the ones before it:"),
            forward,
            blocks.paragraph("and the backward pass each node's gradient from the loss back, "
                             "multiplying the local partials on the way:"),
            backward, _agreement(graph, values)]


def _agreement(graph, values):
    """A sentence: PyTorch autograd's gradients at the point, against these."""
    try:
        report = graph.check(values)
    except ImportError:
        return blocks.paragraph("(PyTorch is not installed, so these gradients were not "
                                "compared with its autograd.)")
    method = "PyTorch autograd" if report.method == "torch autograd" else report.method
    largest = max((r.abs_error for r in report.rows if r.quantity == "gradient"),
                  default=0.0)
    verdict = "gives the same gradients" if report.ok else "DISAGREES with these gradients"
    return blocks.paragraph(f"{method}, run on the same point, {verdict}: the largest "
                            "difference is ", small_number(largest), ".")


def numbers_section(graph, values=None, heading: str = "Numbers") -> str:
    """:func:`numbers_blocks` in LaTeX."""
    from .to_latex import latex_body

    return latex_body(numbers_blocks(graph, values, heading)) + "\n"


def _comma_list(items) -> tuple:
    out = []
    for i, item in enumerate(items):
        out += [", "] if i else []
        out.append(item)
    return tuple(out)


__all__ = ["numbers_blocks", "numbers_section", "small_number"]
