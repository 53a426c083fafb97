r"""The lesson's computation graph: one vertex per operation, with its value and gradient.

The notebook *Back Propagation* draws logistic regression as rows of operations:
``w1`` and ``x1`` meet in a product node ``×`` (``w1x1``), the products and ``b``
in a sum node ``+`` (``z``), then the sigmoid ``g`` and the log loss ``ℒ``.  Each
edge carries the local partial of the operation it enters: "a sum node passes the
gradient through" (1), "a product node takes the other value" (``x1``).  With a
point, every vertex shows its value and its gradient ∂ℒ/∂v, computed as the
notes compute them.

A node whose expression is a sum of products of leaves (a layer's ``z``) is drawn
as its products and its sum; any other node is one vertex, labelled with the
function it applies (``σ``) or with its name.

>>> from symprop.front.seeds import logistic_regression
>>> g = logistic_regression()
>>> [(v.name, v.operation) for v in operations(g) if v.operation][:4]
[('w1x1', '×'), ('w2x2', '×'), ('z', '+'), ('yhat', 'σ')]
>>> picture = draw_operations(g, g.values)
>>> "−6" in picture.source and "−0.3775" in picture.source
True
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..derive.derivation import adjoint_values
from ..errors import SympropError
from ..ir import numeric
from ..registry.functions import entry_for
from .labels import label, latex_to_html

TIMES, PLUS = "×", "+"
MOST_VERTICES = 60    # beyond this the picture is no lesson: draw() draws the nodes instead


@dataclass(frozen=True)
class Vertex:
    """One vertex: its name, the operation (``×``, ``+``, a function's symbol; '' for a leaf),
    the expression it computes, and its operands as ``(vertex name, local partial)``."""

    name: str
    operation: str
    expr: sympy.Expr
    operands: tuple = ()


def _is_product(term) -> bool:
    return isinstance(term, sympy.Mul) and sum(1 for f in term.args if not f.is_number) >= 2


def _product_name(graph, term) -> str:
    return "".join(str(f) for f in term.args if not f.is_number)


def function_latex(graph, node) -> str:
    """The TeX a node's vertex is labelled with: the one function it applies (``\\sigma``), or
    its name."""
    applied = [f for f in graph.expr(node).atoms(sympy.Function) if entry_for(f) is not None]
    entries = {entry_for(f).name: entry_for(f) for f in applied}
    if len(entries) == 1 and next(iter(entries.values())).latex:
        return next(iter(entries.values())).latex
    return graph.latex_name(node)


def operations(graph) -> list[Vertex]:
    """The vertices in order: the leaves, then each node's operations (products before sums)."""
    if graph.form.drawn_by_operation:
        raise SympropError("the operations picture draws a scalar graph; a matrix graph's "
                           "picture (draw) already has one vertex per operation")
    leaves = [Vertex(s.name, "", s) for s in (*graph.input_symbols, *graph.param_symbols)]
    out, loss = list(leaves), graph.loss_symbol
    for node in graph.node_symbols:
        expr = graph.expr(node)
        leaf_only = all(s in set(graph.input_symbols) | set(graph.param_symbols)
                        for s in expr.free_symbols)
        terms = expr.args if isinstance(expr, sympy.Add) else ()
        if node != loss and terms and leaf_only and any(_is_product(t) for t in terms):
            operands = []
            for term in terms:
                if _is_product(term):
                    name = _product_name(graph, term)
                    factors = [f for f in term.args if not f.is_number]
                    out.append(Vertex(name, TIMES, term, tuple(
                        (str(f), sympy.diff(term, f)) for f in factors)))
                    operands.append((name, sympy.Integer(1)))
                else:
                    operands += [(str(s), sympy.diff(term, s)) for s in term.free_symbols]
            out.append(Vertex(node.name, PLUS, expr, tuple(operands)))
        else:
            edges = [(str(e.parent), e.partial) for e in graph.in_edges(node)]
            symbol = latex_to_html(function_latex(graph, node) if node != loss else
                                   graph.latex_name(node))
            out.append(Vertex(node.name, symbol, expr, tuple(edges)))
    if len(out) > MOST_VERTICES:
        raise SympropError(f"the operations picture would have {len(out)} vertices (at most "
                           f"{MOST_VERTICES}); draw the graph's nodes instead (draw)")
    return out


def _numbers(graph, vertices, values) -> dict:
    """``{vertex name: (value, dL/dvertex)}`` at ``values``: a product's gradient is its sum's."""
    point = numeric.forward(graph, values)
    adjoint = adjoint_values(graph.adjoints(), point)
    adjoint.update({leaf: graph.derive(leaf).evaluate(**values) for leaf in graph.param_symbols})
    out = {}
    for v in vertices:
        symbol = graph.symbol(v.name) if v.name in graph.namespace() else None
        value = numeric.evaluate_expr(v.expr, point)
        out[v.name] = (value, adjoint.get(symbol) if symbol is not None else None)
    for v in vertices:                     # a product's gradient: the sum passes it through
        for name, partial in v.operands:
            if out.get(name, (0, 0))[1] is None and v.operation == PLUS:
                out[name] = (out[name][0], out[v.name][1])
    return out


def _number(value) -> str:
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    text = "0" if text in ("-0", "") else text
    return text.replace("-", "−")


@dataclass(frozen=True)
class Shown:
    """What the picture shows of one vertex: its kind (``picture.STYLE``), its operation, and
    with a point its value and its gradient (None where none is shown)."""

    vertex: Vertex
    kind: str
    value: float | None = None
    gradient: float | None = None


def shown_operations(graph, values=None) -> tuple[list, list]:
    """``(vertices as Shown, edges)``: each edge ``(operand, vertex name, partial)``, the
    partial the number it takes at ``values`` (default ``graph.values``) or, without a point,
    its expression; None on an edge out of the data (no gradient flows back along it)."""
    vertices = operations(graph)
    values = dict(values if values is not None else graph.values)
    numbers = _numbers(graph, vertices, values) if values else {}
    point = numeric.forward(graph, values) if values else {}
    loss = graph.loss_symbol.name
    shown, edges = [], []
    for v in vertices:
        kind = ("input" if not v.operation and graph.kind(v.name) == "input" else
                "parameter" if not v.operation else "loss" if v.name == loss else "node")
        value, gradient = numbers.get(v.name, (None, None))
        if kind in ("input", "loss"):     # no gradient is shown for the data or the loss itself
            gradient = None
        shown.append(Shown(v, kind, value, gradient))
        for operand, partial in v.operands:
            data = operand in graph.namespace() and graph.kind(operand) == "input"
            edges.append((operand, v.name, None if data else
                          numeric.evaluate_expr(partial, point) if point else partial))
    return shown, edges


def draw_operations(graph, values=None, rankdir: str = "TB"):
    """The computation graph of operations (a :class:`~symprop.latex.picture.Picture`), the
    lesson's rows top to bottom; with ``values`` (default ``graph.values``) each vertex shows
    its value and its gradient, and each edge the number its local partial takes."""
    from .picture import DATA_EDGE, STYLE, Picture, digraph

    shown, edges = shown_operations(graph, values)
    dot = digraph("operations", rankdir, ranksep="0.6", nodesep="0.4")
    loss = graph.loss_symbol.name
    loss_name = latex_to_html(graph.latex_name(loss))
    for s in shown:
        v = s.vertex
        name = latex_to_html(graph.latex_name(v.name)) if v.name in graph.namespace() \
            else label(v.expr, graph)
        lines = [f"<B>{v.operation}</B>"] if v.operation and v.name != loss else []
        lines.append(name if s.value is None else f"{name} = {_number(s.value)}")
        if s.gradient is not None:
            lines.append(f'<FONT COLOR="#d62728">∂{loss_name}/∂v = {_number(s.gradient)}</FONT>')
        dot.node(v.name, label="<" + "<BR/>".join(lines) + ">", **STYLE[s.kind])
    for operand, name, partial in edges:
        if partial is None:
            dot.edge(operand, name, color=DATA_EDGE, style="dashed")
        else:
            shown_partial = label(partial, graph) if isinstance(partial, sympy.Basic) \
                and not partial.is_number else _number(partial)
            dot.edge(operand, name, label=f"<{shown_partial}>")
    return Picture(dot)
