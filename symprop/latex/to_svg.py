r"""A figure's :class:`~symprop.latex.figure.Layout` drawn as inline SVG, for the ``.html`` notes.

The shapes and curves are SVG; each label is a ``<foreignObject>`` holding the same
``<span class="math">`` the page's KaTeX script typesets everywhere else, so the
figure's labels are in the math font of the equations around them.  The page needs
no file besides itself, and the SVG scales with the page's width.

>>> from symprop.latex.figure import FigureEdge, FigureNode, Layout
>>> layout = Layout(60.0, 20.0, (FigureNode(10, 10, 20, 20, "x", "input", False),), ())
>>> print(svg_figure(layout, "A caption.").splitlines()[1][:60])
<svg xmlns="http://www.w3.org/2000/svg" viewBox="-4 -4 68 28
"""
from __future__ import annotations

import html

from .picture import DATA_EDGE, HIGHLIGHT, STYLE

EDGE = "#555555"
MARGIN = 4.0
_FILL = {kind: style.get("fillcolor", "#ffffff") for kind, style in STYLE.items()}
STYLE_SHEET = (".figure{margin:1rem 0;text-align:center}.figure svg{max-width:100%;height:auto}"
               ".figure .label{display:flex;align-items:center;justify-content:center;"
               "width:100%;height:100%;font-size:7.6px}.figure .vertex{font-size:9.1px}"
               ".figure figcaption{font-size:.9rem}")
PX_PER_PT = 1.5   # the layout is in points, shown a little larger than print, as the page is


def _marker(name: str, color: str) -> str:
    return (f'<marker id="{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" '
            f'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
            f'fill="{color}"/></marker>')


def _label(x: float, y: float, w: float, h: float, tex: str, color: str, kind="label") -> str:
    """A label box centred on ``(x, y)`` in SVG coordinates, its TeX left for KaTeX."""
    return (f'<foreignObject x="{x - w / 2:.1f}" y="{y - h / 2:.1f}" width="{w:.1f}" '
            f'height="{h:.1f}"><div xmlns="http://www.w3.org/1999/xhtml" class="{kind}" '
            f'style="color:{color}"><span class="math">{html.escape(tex, quote=False)}'
            f'</span></div></foreignObject>')


def svg_picture(layout) -> str:
    """The ``<svg>`` of ``layout``: y turned downwards, edges under the vertices."""
    def flip(point):
        return f"{point[0]:.1f},{layout.height - point[1]:.1f}"

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-MARGIN:.0f} {-MARGIN:.0f} '
           f'{layout.width + 2 * MARGIN:.0f} {layout.height + 2 * MARGIN:.0f}" '
           f'width="{(layout.width + 2 * MARGIN) * PX_PER_PT:.0f}" role="img">',
           "<defs>" + _marker("tip", EDGE) + _marker("tip-hot", HIGHLIGHT)
           + _marker("tip-data", DATA_EDGE) + "</defs>"]
    for edge in layout.edges:
        points = [flip(p) for p in edge.points]
        d = f"M{points[0]} C" + " ".join(points[1:]) + (f" L{flip(edge.tip)}" if edge.tip else "")
        color, tip = ((HIGHLIGHT, "tip-hot") if edge.hot else
                      (DATA_EDGE, "tip-data") if edge.dashed else (EDGE, "tip"))
        dash = ' stroke-dasharray="4 3"' if edge.dashed else ""
        out.append(f'<path d="{d}" fill="none" stroke="{color}" stroke-width='
                   f'"{1.6 if edge.hot else 0.8}"{dash} marker-end="url(#{tip})"/>')
        if edge.label is not None and edge.label_at is not None:
            x, y = edge.label_at
            out.append(_label(x, layout.height - y, 60, 32, r"\displaystyle " + edge.label,
                              HIGHLIGHT if edge.hot else "#111"))
    for node in layout.nodes:
        x, y = node.x, layout.height - node.y
        color, width = (HIGHLIGHT, 1.6) if node.hot else ("#111", 0.8)
        paint = f'fill="{_FILL[node.kind]}" stroke="{color}" stroke-width="{width}"'
        if node.kind == "parameter":
            out.append(f'<rect x="{x - node.width / 2:.1f}" y="{y - node.height / 2:.1f}" '
                       f'width="{node.width:.1f}" height="{node.height:.1f}" rx="3" {paint}/>')
        else:
            out.append(f'<ellipse cx="{x:.1f}" cy="{y:.1f}" rx="{node.width / 2:.1f}" '
                       f'ry="{node.height / 2:.1f}" {paint}/>')
        out.append(_label(x, y, node.width + 20, node.height, node.tex, color, "label vertex"))
    return "\n".join(out + ["</svg>"])


def svg_figure(layout, caption: str) -> str:
    """The figure with its caption (HTML running text) below it."""
    return (f'<figure class="figure">\n{svg_picture(layout)}\n'
            f"<figcaption>{caption}</figcaption>\n</figure>")


__all__ = ["STYLE_SHEET", "svg_figure", "svg_picture"]
