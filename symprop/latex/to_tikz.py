r"""A figure's :class:`~symprop.latex.figure.Layout` drawn in TikZ, inside the notes' ``.tex``.

The picture is part of the document, so it needs no file beside it (pdflatex runs
shut in, :mod:`symprop.latex.tex`), and its labels are set by TeX in the notes'
own math font, as vector graphics, at the body's size (edge labels at
``\footnotesize``).  graphviz's coordinates are points already; a figure wider than
the text, or taller than half the page, is scaled down as a whole, labels with it
(the layout is compact enough that this stays a few percent).

TikZ comes with TeX Live's ``texlive-pictures``.  The preamble loads it only where
it is installed, and without it the figure says so in one line: the notes compile
all the same.

>>> from symprop.latex.figure import FigureEdge, FigureNode, Layout
>>> layout = Layout(60.0, 20.0, (FigureNode(10, 10, 20, 20, "x", "input", False),
...                              FigureNode(50, 10, 20, 20, "y", "loss", False)),
...                 (FigureEdge(((20, 10), (30, 10), (35, 10), (38, 10)), (40, 10),
...                             r"\frac{\partial y}{\partial x}", (30, 18), False, False),))
>>> print(tikz_picture(layout).splitlines()[4])
\node[symprop input, minimum width=20.0pt, minimum height=20.0pt] at (10.0, 10.0) {$x$};
"""
from __future__ import annotations

from .picture import DATA_EDGE, HIGHLIGHT, STYLE

TEXT_WIDTH_PT, MAX_HEIGHT_PT = 480.0, 330.0   # the article's 17 cm, and half its page
_HEX = {"figurepath": HIGHLIGHT, "figureedge": "#555555", "figuredata": DATA_EDGE,
        "figurenode": STYLE["node"]["fillcolor"], "figureloss": STYLE["loss"]["fillcolor"]}
PREAMBLE = (r"""\IfFileExists{tikz.sty}{\usepackage{tikz}\usetikzlibrary{shapes.geometric,arrows.meta}
\tikzset{symprop/.style={inner sep=0pt, outer sep=0pt, draw=black, line width=0.5pt},
  symprop input/.style={symprop, ellipse}, symprop parameter/.style={symprop, rounded corners=3pt},
  symprop node/.style={symprop, ellipse, fill=figurenode},
  symprop loss/.style={symprop, ellipse, fill=figureloss, double, double distance=1.2pt},
  symprop hot/.style={draw=figurepath, text=figurepath, line width=1.1pt},
  symprop edge/.style={-{Stealth[length=4pt]}, draw=figureedge, line width=0.5pt},
  symprop label/.style={inner sep=0.5pt, font=\footnotesize}}}{}
\newcommand{\symnotikz}[1]{\fbox{\small The figure needs TikZ (TeX Live's texlive-pictures).}}
\makeatletter
\@ifpackageloaded{tikz}{\let\symfigure\@firstofone}{\let\symfigure\symnotikz}
\makeatother
""" + "".join(f"\\definecolor{{{name}}}{{HTML}}{{{hex.lstrip('#').upper()}}}\n"
              for name, hex in _HEX.items()))


def _number(value: float) -> str:
    return f"{value:.1f}"


def _at(point) -> str:
    return f"({_number(point[0])}, {_number(point[1])})"


def _path(edge) -> str:
    """The edge's Bézier pieces as TikZ ``.. controls .. and ..`` segments, then its tip."""
    points = list(edge.points)
    out = [_at(points[0])]
    for i in range(1, len(points) - 2, 3):
        out.append(f".. controls {_at(points[i])} and {_at(points[i + 1])} .. "
                   f"{_at(points[i + 2])}")
    if edge.tip is not None:
        out.append(f"-- {_at(edge.tip)}")
    return " ".join(out)


def _edge(edge) -> list:
    style = ["symprop edge"] + (["dashed", "draw=figuredata"] if edge.dashed else []) + (
        ["draw=figurepath", "line width=1.1pt"] if edge.hot else [])
    lines = [f"\\draw[{', '.join(style)}] {_path(edge)};"]
    if edge.label is not None and edge.label_at is not None:
        color = ", text=figurepath" if edge.hot else ""
        lines.append(f"\\node[symprop label{color}] at {_at(edge.label_at)} "
                     f"{{$\\displaystyle {edge.label}$}};")
    return lines


def _node(node) -> str:
    style = f"symprop {node.kind}" + (", symprop hot" if node.hot else "")
    return (f"\\node[{style}, minimum width={_number(node.width)}pt, "
            f"minimum height={_number(node.height)}pt] at {_at((node.x, node.y))} "
            f"{{${node.tex}$}};")


def scale(layout) -> float:
    """How much the figure shrinks to fit the text's width and half the page (1: not at all)."""
    return min(1.0, TEXT_WIDTH_PT / max(layout.width, 1.0), MAX_HEIGHT_PT / max(layout.height, 1.0))


def tikz_picture(layout, factor: float | None = None) -> str:
    """The ``tikzpicture`` of ``layout``, scaled by ``factor`` (default :func:`scale`)."""
    factor = scale(layout) if factor is None else factor
    lines = [f"\\begin{{tikzpicture}}[x={factor:.3f}pt, y={factor:.3f}pt, "
             f"every node/.append style={{scale={factor:.3f}}}]",
             f"\\useasboundingbox (0, 0) rectangle {_at((layout.width, layout.height))};"]
    for edge in layout.edges:
        lines += _edge(edge)
    lines += [_node(n) for n in layout.nodes]
    return "\n".join(lines + ["\\end{tikzpicture}"])


def tikz_figure(layout, caption: str, factor: float | None = None) -> str:
    """The figure centred with its caption (LaTeX running text) below; ``\\symfigure`` (the
    preamble's) sets it, or the line saying TikZ is missing where the preamble found none."""
    return ("\\begin{figure}[!htb]\n\\centering\n\\symfigure{%\n" + tikz_picture(layout, factor)
            + "}\\\\[0.3em]\n{\\small " + caption + "}\n\\end{figure}")


__all__ = ["PREAMBLE", "scale", "tikz_figure", "tikz_picture"]
