r"""Blocks (:mod:`symprop.latex.blocks`) written as a Beamer presentation: the notes as slides.

The same blocks as the article (:mod:`.to_latex`), laid out for a lecture:

* a title frame, then one frame per section and subsection, titled by its heading,
  and more frames, titled "(continued)", where its content does not fit one;
* each derivation revealed line by line: every line of a derivation (with the rows a
  long sum is broken into) appears on its own overlay, ``\uncover<k->`` on each cell
  of the ``aligned`` block (``\pause`` does not work inside one), so the lecturer
  builds it up step by step; a frame's running text appears with the line it leads to;
* nothing runs off a slide: lines are broken again for the frame's width (about 27 em
  at 11 pt, against the article's 43), displays and tables split across frames by
  an estimate of their height, and a display or table still too wide is scaled to the
  frame by TeX itself (``\symfit``, measured in a box, never by guesswork);
* the notes' colours (the CSS names, defined as in the article's preamble) and the
  default theme, plain and readable in a lecture hall, serif mathematics as in the notes.

Text is screened as the article screens it: the title by the article's own
``escape`` of its printable characters, headings and paragraphs by :func:`.to_latex.latex_spans`.

>>> from symprop.latex.blocks import display, heading, paragraph
>>> from symprop.latex.derivation import Line
>>> tex = beamer_document([heading("Gradients"), paragraph("So:"),
...                        display([Line("L", "a"), Line("", "b")])], "Slides")
>>> tex.startswith(r"\documentclass[11pt]{beamer}")
True
>>> print(tex[tex.index(r"\begin{aligned}"):tex.index(r"\end{aligned}")].strip())
\begin{aligned}
\uncover<1->{L} &\uncover<1->{{}= a} \\
&\uncover<2->{{}= b}
"""
from __future__ import annotations

from .blocks import plain_text
from .derivation import CSS_COLORS, escape, text
from .slides_layout import _Frame, slide_frames
from .to_latex import code_line, latex_spans
from .to_tikz import PREAMBLE as TIKZ_PREAMBLE, tikz_figure

FIGURE_PT = (300.0, 165.0)   # a frame's text width, and its height less the title and caption

PREAMBLE = r"""\documentclass[11pt]{beamer}
\usefonttheme[onlymath]{serif}
\setbeamertemplate{navigation symbols}{}
\setbeamertemplate{footline}{\hfill\usebeamerfont{page number in head/foot}%
  \usebeamercolor[fg]{page number in head/foot}\insertframenumber\kern1em\vskip4pt}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{graphicx}
\usepackage{booktabs}
\usepackage{tabularx}
""" + TIKZ_PREAMBLE + r"""\setlength{\parskip}{0.5em}
\renewcommand{\arraystretch}{1.35}
\newsavebox{\symfitbox}
% #1 as it sets, or scaled down to the line's width where it is wider (measured by TeX).
\newcommand{\symfit}[1]{\sbox{\symfitbox}{#1}%
  \ifdim\wd\symfitbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\symfitbox}}%
  \else\usebox{\symfitbox}\fi}
""" + "".join(f"\\definecolor{{{name}}}{{HTML}}{{{hex}}}\n" for name, hex in CSS_COLORS.items())


def beamer_document(body, title: str = "Back-propagation notes") -> str:
    """The presentation of ``body`` (blocks), titled ``title`` (plain text)."""
    from .document import _printable   # the article's own screening of a title

    frames = "\n\n".join(_frame_tex(frame) for frame in slide_frames(body))
    return (PREAMBLE + "\\title{%s}\n\\date{}\n" % escape(_printable(title))
            + "\\begin{document}\n\n\\begin{frame}[plain]\n\\titlepage\n\\end{frame}\n\n"
            + frames + "\n\n\\end{document}\n")


def _frame_tex(frame: _Frame) -> str:
    out = []
    for heading in frame.opens:
        command = "section" if heading.level == 1 else "subsection"
        out.append("\\%s[{%s}]{%s}" % (command, _bookmark(heading.spans),
                                      latex_spans(heading.spans)))
    title = latex_spans(frame.title) + (" (continued)" if frame.continued else "")
    out.append("\\begin{frame}\n\\frametitle{%s}" % title)
    step = 0          # the overlay the last shown thing appeared on
    text_waiting = False
    for piece in frame.pieces:
        if piece.kind in ("text", "table", "subheading", "code", "figure"):
            if not text_waiting:
                step += 1
            text_waiting = True
            out.append(_uncover(step, _piece_tex(piece)))
        else:
            if text_waiting:    # the text leading to it appears with its first line
                step -= 1
            body, step = _display_tex(piece, step)
            text_waiting = False
            out.append(body)
    out.append("\\end{frame}")
    return "\n".join(out)


def _bookmark(spans) -> str:
    """A heading for the PDF's outline: its words, its mathematics as written (escaped)."""
    return escape(" ".join(plain_text(spans).split()))


def _uncover(step: int, tex: str) -> str:
    return tex if step <= 1 else "\\uncover<%d->{%s}" % (step, tex)


def _piece_tex(piece) -> str:
    block = piece.block
    if piece.kind == "subheading":
        return "\\textbf{%s}\\par" % latex_spans(block.spans)
    if piece.kind == "text":
        return latex_spans(block.spans) + "\\par"
    if piece.kind == "figure":
        layout = block.layout
        return tikz_figure(layout, latex_spans(block.caption),
                           min(1.0, FIGURE_PT[0] / layout.width, FIGURE_PT[1] / layout.height))
    if piece.kind == "table":
        rows = [" & ".join(latex_spans(c) for c in row) + r" \\" for row in block.rows]
        inner = ("\\toprule\n" + " & ".join(latex_spans(c) for c in block.header)
                 + " \\\\\n\\midrule\n" + "\n".join(rows) + "\n\\bottomrule\n")
        if piece.layout is not None:     # its prose wraps in a column of its own width
            align = "".join(r">{\raggedright\arraybackslash}X" if j == piece.layout[0] else a
                            for j, a in enumerate(block.align))
            return ("\\begin{center}\n\\begin{tabularx}{\\linewidth}{%s}\n" % align + inner
                    + "\\end{tabularx}\n\\end{center}")
        return ("\\begin{center}\n\\symfit{\\begin{tabular}{%s}\n" % block.align + inner
                + "\\end{tabular}}\n\\end{center}")
    lines = "\\\\\n".join(_code_line(line) for line in block.source.split("\n"))
    return ("{\\footnotesize\\renewcommand{\\arraystretch}{1}\\symfit{\\begin{tabular}{@{}l@{}}\n" + lines
            + "\n\\end{tabular}}\\par}")


def _code_line(line: str) -> str:
    """A line of a program in typewriter type, every character as it is (spaces kept; a
    Greek name set in math, as the article sets it: :func:`.to_latex.code_line`)."""
    return "\\texttt{%s}" % code_line(line) if line else "\\strut"


_RELATION = {"=": "{}= ", "+": r"{}\quad + ", "-": r"{}\quad - ", ":=": "{}:= "}


def _display_tex(piece, step: int):
    """The display's ``aligned`` block, each step on its own overlay from ``step + 1``
    (a display not revealed all on the next one)."""
    rows, previous, first = [], None, True
    if not piece.reveal:
        step += 1

    def next_step(new):
        nonlocal step, first
        if piece.reveal and (new or first):
            step += 1
        first = False
        return step

    for row in piece.rows:
        if len(row.cells) == 1:
            line = row.cells[0]
            shown = next_step(not (row.note_row or line.op in ("+", "-")))
            if row.note_row:
                rows.append("&" + _shown(shown, r"\qquad " + text(f"({line.note})")))
                continue
            lhs = "" if line.lhs == previous else line.lhs
            previous = line.lhs or previous
            note = r" \qquad %s" % text(f"({line.note})") if line.note else ""
            rhs = _RELATION[line.op] + line.rhs + note
            rows.append((_shown(shown, lhs) + " " if lhs else "") + "&" + _shown(shown, rhs))
        else:
            cells = []
            for line in row.cells:
                shown = next_step(True)
                note = r" \qquad %s" % text(f"({line.note})") if line.note else ""
                cells.append(_shown(shown, line.lhs) + " &"
                             + _shown(shown, _RELATION[line.op] + line.rhs + note))
            rows.append(r" & \qquad ".join(cells))
            previous = None
    body = "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
    return "\\[\\symfit{$\\displaystyle %s$}\\]" % body, step


def _shown(step: int, tex: str) -> str:
    return "\\uncover<%d->{%s}" % (step, tex) if tex else ""
