r"""Blocks (:mod:`symprop.latex.blocks`) written as one standalone HTML page that works offline.

The page carries KaTeX itself (from the npm package, vendored in
``symprop/latex/katex/`` with its licence): ``katex.min.js`` inline, and
``katex.min.css`` with every woff2 font inlined as a ``data:`` URI, so it needs
no network and no other file.  Each equation sits, HTML-escaped, in an element
of class ``math`` that a few lines of script hand to ``katex.render``; one
that KaTeX cannot read shows as KaTeX's red ``katex-error`` (``throwOnError``
is off in the page, on in the tests).  KaTeX's ``trust`` stays off: an
equation cannot make a link or run anything.

>>> from symprop.latex.blocks import Math, heading, paragraph
>>> print(html_body([heading("With respect to ", Math("w")), paragraph("a < b")]))
<h2>With respect to <span class="math">w</span></h2>
<p>a &lt; b</p>
"""
from __future__ import annotations

import base64
import functools
import html
import re
from importlib import resources

from .blocks import Code, Display, Figure, Heading, Math, Mono, Paragraph, Table
from .derivation import render
from .to_svg import STYLE_SHEET as FIGURE_STYLE, svg_figure

FONT = re.compile(r"src:url\(fonts/([A-Za-z0-9_-]+)\.woff2\) format\(\"woff2\"\)[^;}]*")
STYLE = """body{max-width:52rem;margin:2rem auto;padding:0 1rem;font:17px/1.5 Georgia,serif;
color:#111;background:#fff}h1{font-size:1.8rem}h2{font-size:1.4rem;margin-top:2rem}
h3{font-size:1.15rem}.display{overflow-x:auto;overflow-y:hidden;margin:.6rem 0}
table{border-collapse:collapse;margin:.8rem 0}th,td{padding:.2rem .8rem}
thead th{border-bottom:1px solid #444}table{border-top:2px solid #111;border-bottom:2px solid #111}
td.r,th.r{text-align:right}td.l,th.l{text-align:left}
pre{background:#f6f6f6;padding:.6rem;overflow-x:auto;font-size:.85rem}""" + FIGURE_STYLE
RENDER = """document.querySelectorAll(".math").forEach(function (element) {
  katex.render(element.textContent, element, {
    displayMode: element.classList.contains("display"), throwOnError: false, trust: false,
    macros: {"\\\\arraystretch": "1.3"}});  // rows of a derivation a little apart, as TeX sets them
});"""


def _asset(name: str) -> bytes:
    return resources.files("symprop.latex").joinpath("katex", name).read_bytes()


@functools.lru_cache(maxsize=1)
def katex_assets() -> tuple[str, str]:
    """``(css, js)``: KaTeX's style sheet with its fonts inlined, and its script."""
    def inline(match):
        data = base64.b64encode(_asset(f"fonts/{match[1]}.woff2")).decode("ascii")
        return f'src:url(data:font/woff2;base64,{data}) format("woff2")'

    css = FONT.sub(inline, _asset("katex.min.css").decode("utf-8"))
    js = _asset("katex.min.js").decode("utf-8")
    return css, js


def _math(tex: str, display: bool = False) -> str:
    tag = "div" if display else "span"
    kind = "math display" if display else "math"
    return f'<{tag} class="{kind}">{html.escape(tex, quote=False)}</{tag}>'


def html_spans(text) -> str:
    """Running text in HTML: words escaped, math left for KaTeX, names in ``<code>``."""
    out = []
    for span in text:
        if isinstance(span, Math):
            out.append(_math(span.tex))
        elif isinstance(span, Mono):
            out.append(f"<code>{html.escape(span.text)}</code>")
        else:
            out.append(html.escape(span))
    return "".join(out)


def html_block(block) -> str:
    """One block in HTML (headings one level below the page's title)."""
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return f"<h{level}>{html_spans(block.spans)}</h{level}>"
    if isinstance(block, Paragraph):
        return f"<p>{html_spans(block.spans)}</p>"
    if isinstance(block, Display):
        return _math(render(block.lines, "aligned", block.columns), display=True)
    if isinstance(block, Table):
        def row(cells, tag):
            return "<tr>" + "".join(f'<{tag} class="{a}">{html_spans(c)}</{tag}>'
                                    for c, a in zip(cells, block.align)) + "</tr>"
        body = "\n".join(row(r, "td") for r in block.rows)
        return (f"<table>\n<thead>{row(block.header, 'th')}</thead>\n<tbody>\n{body}\n"
                "</tbody>\n</table>")
    if isinstance(block, Code):
        return f"<pre><code>{html.escape(block.source.rstrip())}</code></pre>"
    if isinstance(block, Figure):
        return svg_figure(block.layout, html_spans(block.caption))
    raise TypeError(f"not a block: {type(block).__name__}")


def html_body(blocks) -> str:
    """The blocks in HTML, one a line."""
    return "\n".join(html_block(b) for b in blocks)


def html_page(blocks, title: str) -> str:
    """A whole page: KaTeX inlined, the title, the blocks, and the script that typesets them."""
    css, js = katex_assets()
    name = html.escape(title)
    # "</" inside an inline script or style would end it early: KaTeX's own files hold none
    # that matter, but a stray "</script" is cut apart all the same.
    js = js.replace("</script", "<\\/script")
    css = css.replace("</style", "<\\/style")
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{name}</title>\n<style>{css}</style>\n<style>{STYLE}</style>\n</head>\n"
            f"<body>\n<h1>{name}</h1>\n{html_body(blocks)}\n"
            f"<script>{js}</script>\n<script>{RENDER}</script>\n</body>\n</html>\n")
