r"""A graph's picture inside the notes: laid out by graphviz, typeset by the notes' own TeX.

The notes' figure is the lesson's network "with each edge labelled by the partial
derivative between the two connected nodes": every vertex named in the notes'
notation (``a_{1}^{[2]}``) and every edge that carries a gradient labelled
``\frac{\partial z_{1}^{[2]}}{\partial a_{1}^{[1]}}``, the factor a path multiplies
in (on a matrix graph ``\frac{\partial Z_{2}}{\partial W_{2}}``, as *Backprop
Implementation* writes its chain), one parameter's paths in red.

graphviz's ``dot`` only places things: each label is given to it as an empty box
of the size its TeX will set (estimated by :mod:`symprop.latex.width`), and its
JSON output gives the boxes' centres and the edges' Bézier curves.  The
:class:`Layout` is in no format: TikZ draws it in the ``.tex``/``.pdf`` notes
(:mod:`symprop.latex.to_tikz`), with the labels in the math font as vector
graphics, and SVG in the ``.html`` page (labels typeset by KaTeX).  Without dot,
or for a graph too large to read as a picture, the notes have no figure.

>>> from symprop import mlp
>>> layout = figure_layout(mlp([1, 2, 1]), wrt="w1_1_2")
>>> len(layout.nodes), sum(1 for e in layout.edges if e.label is not None)
(16, 13)
>>> [e.label for e in layout.edges if e.hot][0]
'\\frac{\\partial z_{2}^{[1]}}{\\partial w_{2}^{[1]}}'
"""
from __future__ import annotations

import json
import shutil
from dataclasses import dataclass

from ..errors import SympropError
from . import picture
from .printer import partial_fraction, symbol_latex
from .width import width

# A figure is drawn only where it can be read: beyond these, a page of boxes and arrows
# teaches nothing the equations do not (a [2,3,3,2] network has 48 vertices).
MAX_WHOLE_VERTICES = 24     # beyond, the parameters are left out (but the one highlighted)
MAX_FIGURE_VERTICES = 24
NODE_PT, LABEL_PT = 11.0, 9.0   # the notes' body size and \footnotesize, of an 11 pt article
POINTS_PER_INCH = 72.0
ROWS_OPEN, ROWS_CLOSE = r"\begin{array}{c} ", r" \end{array}"


@dataclass(frozen=True)
class FigureNode:
    """A vertex: its centre and size in points, its name as TeX, its kind and colours."""

    x: float
    y: float
    width: float
    height: float
    tex: str
    kind: str          # input, parameter, node or loss (picture.STYLE)
    hot: bool


@dataclass(frozen=True)
class FigureEdge:
    """An edge: its Bézier points (start, then control, control, end for each piece), the
    arrow's tip, its label (TeX, or None where no gradient flows) and where it sits."""

    points: tuple
    tip: tuple | None
    label: str | None
    label_at: tuple | None
    dashed: bool
    hot: bool


@dataclass(frozen=True)
class Layout:
    """A laid-out picture, ``width`` by ``height`` points, y pointing up."""

    width: float
    height: float
    nodes: tuple
    edges: tuple


def figure_layout(graph, wrt=None) -> Layout | None:
    """The layout of ``graph``'s figure, ``wrt``'s paths highlighted; None without graphviz's
    ``dot`` (or its Python package), or for a graph of more than
    :data:`MAX_FIGURE_VERTICES` vertices."""
    wrt = graph.parameter(wrt) if wrt is not None else None
    shown = _shown(graph, wrt)
    if len(shown) > MAX_FIGURE_VERTICES or shutil.which("dot") is None:
        return None
    try:
        import graphviz  # noqa: F401
    except ImportError:
        return None
    names = {s.name: symbol_latex(graph, s) for s in graph.symbols}
    slashed = len(shown) < len(graph.symbols)   # a larger figure: labels one line high
    labels = {(e.parent.name, e.child.name): edge_label(graph, e, slashed)
              for e in graph.edges if graph.kind(e.parent) != "input"
              and e.parent in shown and e.child in shown}
    dot = picture.graph_digraph(
        graph, wrt, "LR", shown=shown, ranksep="0.25", nodesep="0.1",
        node_size={"width": "0.3", "height": "0.3", "margin": "0.04,0.02"},
        node_label=lambda s: box(names[s.name], NODE_PT),
        edge_label=lambda e: box(labels[e.parent.name, e.child.name], LABEL_PT))
    lit = picture.on_paths(graph, wrt) if wrt else set()
    vertices = {s.name: (names[s.name], graph.kind(s), s in lit) for s in shown}
    return place(dot, vertices, labels)


def edge_label(graph, edge, slashed: bool = False) -> str:
    r"""``\frac{\partial child}{\partial parent}``, as the lesson's figure labels an edge, or
    written on one line (``\partial z / \partial a``) where a figure has many edges."""
    if not slashed:
        # A notation's shorthand (dW) is the whole gradient: it names the edge only where
        # that edge is the parent's one way to the loss (not W's own decay term beside Z).
        alone = len(graph.out_edges(edge.parent)) == 1
        return partial_fraction(graph, edge.child, edge.parent, shorthand=alone)
    return (rf"\partial {symbol_latex(graph, edge.child)} / "
            rf"\partial {symbol_latex(graph, edge.parent)}")


def _shown(graph, wrt) -> list:
    """The vertices drawn: all of a small graph's; a larger one's without the parameters
    (``wrt`` apart), which a network's picture shows as its edges' weights, not as vertices."""
    if len(graph.symbols) <= MAX_WHOLE_VERTICES:
        return list(graph.symbols)
    return [s for s in graph.symbols if graph.kind(s) != "parameter" or s == wrt]


def figure_blocks(graph, wrt=None) -> list:
    """The notes' figure of ``graph`` as a block (none without dot, or for a large graph),
    the paths of ``wrt`` (default: the first parameter) highlighted.

    >>> from symprop import mlp
    >>> [type(b).__name__ for b in figure_blocks(mlp([1, 2, 1]))]
    ['Figure']
    """
    from . import blocks
    from .blocks import Math

    if not graph.param_symbols:
        return []
    wrt = graph.parameter(wrt) if wrt is not None else graph.param_symbols[0]
    layout = figure_layout(graph, wrt)
    if layout is None:
        return []
    left_out = len(layout.nodes) < len(graph.symbols)
    return [blocks.figure(layout, "The graph, each edge labelled by the partial derivative "
                          "between the two nodes it joins; a path's factors multiply, and the "
                          "paths from ", Math(symbol_latex(graph, wrt)), " to the loss are "
                          "drawn in red.",
                          " The other parameters, each entering its node as the equations "
                          "above say, are left out." if left_out else "")]


def _size(tex: str | None, size: float) -> tuple:
    """The box ``tex`` sets in, in points: its estimated width, and its height, a fraction
    two rows of text and a centred ``array`` one row a line."""
    if tex is None:
        return 0.0, 0.0
    lines = tex.removeprefix(ROWS_OPEN).removesuffix(ROWS_CLOSE).split(r"\\")
    tall = sum(3.1 if r"\frac" in line else 1.6 for line in lines)
    return max(max(width(line) for line in lines), 0.6) * size + 4, tall * size


def rows(*lines) -> str:
    r"""``lines`` of math centred one above the other, as one piece of TeX (TikZ and KaTeX
    read it alike): ``\begin{array}{c} a \\ b \end{array}``."""
    return ROWS_OPEN + r" \\ ".join(lines) + ROWS_CLOSE


def box(tex: str | None, size: float) -> str:
    """An empty HTML-like label of the size ``tex`` sets in: dot makes room for it."""
    w, h = _size(tex, size)
    if not w:
        return ""
    return (f'<<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0"><TR><TD FIXEDSIZE="TRUE" '
            f'WIDTH="{w:.0f}" HEIGHT="{h:.0f}"></TD></TR></TABLE>>')


def _point(text: str) -> tuple:
    x, y = text.split(",")
    return round(float(x), 1), round(float(y), 1)


def place(dot, vertices: dict, labels: dict) -> Layout | None:
    """The :class:`Layout` dot gives the graphviz ``dot`` (labels its empty boxes, :func:`box`):
    ``vertices`` maps a vertex's DOT name to ``(TeX, kind, hot)``, ``labels`` an edge
    ``(tail, head)`` to its label's TeX; an edge without one is dashed (out of the data), an
    edge between two hot vertices is hot.  None where dot fails."""
    try:
        placed = json.loads(picture.render_dot(dot.source, "json0"))
        return _placed(placed, vertices, labels)
    except (SympropError, ValueError, KeyError, IndexError, TypeError):
        return None      # dot failed, or gave a layout without a vertex's or an edge's place


def _placed(placed, vertices, labels) -> Layout:
    _, _, w, h = (float(v) for v in placed["bb"].split(","))
    by_id, nodes = {}, []
    for obj in placed.get("objects", []):
        if "pos" not in obj:
            continue                       # a rank's subgraph, not a vertex
        by_id[obj["_gvid"]] = obj["name"]
        tex, kind, hot = vertices[obj["name"]]
        x, y = _point(obj["pos"])
        nodes.append(FigureNode(x, y, float(obj["width"]) * POINTS_PER_INCH,
                                float(obj["height"]) * POINTS_PER_INCH, tex, kind, hot))
    if len(nodes) != len(vertices):
        raise KeyError("a vertex without its place")
    edges = []
    for obj in placed.get("edges", []):
        tail, head = by_id[obj["tail"]], by_id[obj["head"]]
        spline = obj["pos"].split()
        tip = _point(spline.pop(0)[2:]) if spline[0].startswith("e,") else None
        label = labels.get((tail, head))
        edges.append(FigureEdge(tuple(_point(p) for p in spline), tip, label,
                                _point(obj["lp"]) if label and "lp" in obj else None,
                                (tail, head) not in labels,
                                vertices[tail][2] and vertices[head][2]))
    return Layout(round(w, 1), round(h, 1), tuple(nodes), tuple(edges))


__all__ = ["FigureEdge", "FigureNode", "Layout", "box", "figure_blocks", "figure_layout", "place",
           "rows"]
