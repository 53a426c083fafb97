r"""The lesson's computation graph as a figure inside the notes, typeset by the notes' TeX.

The same picture as :func:`symprop.latex.operations.draw_operations` (the lesson's
rows of ``×`` and ``+`` vertices, each with its value and its gradient, each edge the
number its local partial takes), laid out by graphviz's ``dot`` and drawn as the
notes' other figure is (:mod:`symprop.latex.figure`): TikZ in the PDF, SVG in the
page, every label in the math font.

>>> from symprop.front.seeds import logistic_regression
>>> layout = operations_layout(logistic_regression())
>>> print([n.tex for n in layout.nodes if n.kind == "node"][0])
\begin{array}{c} \times \\ w_{1} x_{1} = -6 \\ \color{red}{\partial \mathcal{L} / \partial v = -0.3775} \end{array}
>>> sorted(e.label for e in layout.edges if e.label)[:3]
['-1.6065', '0.235', '1']
"""
from __future__ import annotations

import shutil

import numpy as np
import sympy

from ..errors import SympropError
from .figure import LABEL_PT, NODE_PT, box, place, rows
from .operations import PLUS, TIMES, function_latex, shown_operations, _number
from .printer import latex as expr_latex

OPERATION_TEX = {TIMES: r"\times", PLUS: "+"}
# The notes draw the computation graph where it is a lesson's size (logistic regression
# has 11 vertices); a network's operations are its figure's edges already.
MAX_FIGURE_OPERATIONS = 16


def _number_tex(value) -> str:
    return _number(value).replace("−", "-")


def _vertex_tex(graph, shown) -> str:
    v, loss = shown.vertex, graph.loss_symbol.name
    name = graph.latex_name(v.name) if v.name in graph.namespace() else expr_latex(v.expr, graph)
    lines = []
    if v.operation and v.name != loss:
        lines.append(OPERATION_TEX.get(v.operation) or function_latex(graph, v.name))
    lines.append(name if shown.value is None else f"{name} = {_number_tex(shown.value)}")
    if shown.gradient is not None:
        lines.append(r"\color{red}{\partial %s / \partial v = %s}"
                     % (graph.latex_name(loss), _number_tex(shown.gradient)))
    return rows(*lines)


def operations_layout(graph, values=None):
    """The :class:`~symprop.latex.figure.Layout` of the computation graph at ``values``
    (default ``graph.values``), top to bottom; None without dot or for a graph whose
    operations make no picture (a matrix graph, more than :data:`MAX_FIGURE_OPERATIONS`)."""
    values = graph.values if values is None else values
    if shutil.which("dot") is None or any(np.ndim(v) for v in values.values()):
        return None          # a batch of examples has no one value to write in a vertex
    try:
        shown, edges = shown_operations(graph, values)
    except SympropError:
        return None
    if len(shown) > MAX_FIGURE_OPERATIONS:
        return None
    from .picture import DATA_EDGE, STYLE, digraph

    dot = digraph("operations", "TB", ranksep="0.3", nodesep="0.3",
                  node_size={"width": "0.3", "height": "0.3", "margin": "0.06,0.03"})
    vertices, labels = {}, {}
    for s in shown:
        tex = _vertex_tex(graph, s)
        vertices[s.vertex.name] = (tex, s.kind, False)
        dot.node(s.vertex.name, label=box(tex, NODE_PT), **STYLE[s.kind])
    for operand, name, partial in edges:
        if partial is None:
            dot.edge(operand, name, color=DATA_EDGE, style="dashed")
            continue
        tex = expr_latex(partial, graph) if isinstance(partial, sympy.Basic) \
            and not partial.is_number else _number_tex(partial)
        labels[operand, name] = tex
        dot.edge(operand, name, label=box(tex, LABEL_PT))
    return place(dot, vertices, labels)


def operations_figure_blocks(graph, values=None) -> list:
    """The computation graph as a figure block with the lesson's caption; none where
    :func:`operations_layout` gives no layout."""
    from . import blocks

    layout = operations_layout(graph, values)
    if layout is None:
        return []
    loss = graph.latex_name(graph.loss_symbol)
    return [blocks.figure(layout, "The computation graph, row by row: each operation's value "
                          "and, in red, its gradient ", blocks.Math(rf"\partial {loss} / "
                                                                    r"\partial v"),
                          "; each edge the number its local partial takes. A sum passes the "
                          "gradient through (1), a product takes the other value.")]


__all__ = ["operations_figure_blocks", "operations_layout"]
