r"""A graph's figure as a LaTeX document of its own: ``symprop graph -o graph.tex`` or ``.pdf``.

The notes' figure (:mod:`symprop.latex.figure`) or the lesson's computation graph
(:mod:`symprop.latex.operations_figure`), drawn in TikZ (:mod:`symprop.latex.to_tikz`)
on a page the picture's size: every label typeset by TeX in the math font, as vector
graphics, at the size the notes set it, ready for ``\includegraphics`` in a lecturer's
own notes.  The PDF is compiled shut in, as the notes are (:mod:`symprop.latex.tex`).

>>> from symprop import mlp
>>> tex = standalone_figure(mlp([1, 2, 1]), wrt="w1_1_1")
>>> tex.splitlines()[0], r"\begin{tikzpicture}" in tex
('\\documentclass{article}', True)
"""
from __future__ import annotations

from ..errors import SympropError
from .figure import MAX_FIGURE_VERTICES, figure_layout
from .operations_figure import MAX_FIGURE_OPERATIONS, operations_layout
from .to_tikz import PREAMBLE as TIKZ_PREAMBLE, tikz_picture

MARGIN_PT = 6.0
SUFFIXES = (".tex", ".pdf")


def figure_layout_for(graph, wrt=None, operations: bool = False, values=None):
    """The layout ``symprop graph`` typesets, or None where the graph makes no TeX figure
    (no graphviz to lay it out, a batch of values, or more vertices than a figure holds)."""
    if operations:
        return operations_layout(graph, values)
    return figure_layout(graph, wrt)


def standalone_figure(graph, wrt=None, operations: bool = False, values=None) -> str:
    """A complete LaTeX document whose one page is the figure of ``graph`` (``wrt``'s paths
    in red; ``operations=True``: the computation graph at ``values``), unscaled."""
    layout = figure_layout_for(graph, wrt, operations, values)
    if layout is None:
        raise no_figure(operations)
    return standalone_document(layout)


def no_figure(operations: bool) -> SympropError:
    """Why a graph has no TeX figure: too large for one, or no dot to lay it out."""
    what = (f"the computation graph (at most {MAX_FIGURE_OPERATIONS} operations, at one "
            "example's values)" if operations else
            f"the graph (at most {MAX_FIGURE_VERTICES} vertices drawn)")
    return SympropError(f"{what} makes no TeX figure here, or graphviz's dot is missing "
                        "to lay it out; save it as .svg, .png or .dot instead")


def standalone_document(layout) -> str:
    """``layout`` in TikZ on a page its size, plus a margin."""
    width, height = layout.width + 2 * MARGIN_PT, layout.height + 2 * MARGIN_PT
    return ("\\documentclass{article}\n"
            f"\\usepackage[paperwidth={width:.1f}pt, paperheight={height:.1f}pt, "
            f"margin={MARGIN_PT:.0f}pt]{{geometry}}\n"
            "\\usepackage{amsmath}\n\\usepackage{amssymb}\n\\usepackage{xcolor}\n"
            + TIKZ_PREAMBLE + "\\pagestyle{empty}\n\\begin{document}\n\\noindent\\symfigure{%\n"
            + tikz_picture(layout, 1.0) + "}\n\\end{document}\n")


def write_figure(layout, path):
    """Write ``layout``'s document to ``path`` (``.tex``), or compile it there (``.pdf``)."""
    from .output_files import write_atomically
    from .tex import compile_pdf

    tex = standalone_document(layout)
    if path.suffix.lower() == ".tex":
        return write_atomically(path, tex)
    return compile_pdf(tex, path)


__all__ = ["figure_layout_for", "no_figure", "standalone_document", "standalone_figure",
           "write_figure"]
