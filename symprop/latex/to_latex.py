r"""Blocks (:mod:`symprop.latex.blocks`) written as the body of a LaTeX article.

Headings are unnumbered (``\section*``), displays ``align*`` blocks (they may
break across pages), tables ``booktabs`` tabulars and code typewriter lines (:func:`code_line`).

>>> from symprop.latex.blocks import Math, heading, paragraph
>>> print(latex_body([heading("With respect to ", Math("w")), paragraph("50% of ", Math("x"))]))
\section*{With respect to $w$}
<BLANKLINE>
50\% of $x$
"""
from __future__ import annotations

import unicodedata

from .blocks import Code, Display, Figure, Heading, Math, Mono, Paragraph, Table
from .derivation import escape, render
from .to_tikz import tikz_figure

COMMANDS = {1: "section*", 2: "subsection*", 3: "subsubsection*", 4: "paragraph*"}


def latex_spans(text) -> str:
    """Running text in LaTeX: words escaped, math between ``$``, names in ``\\texttt``."""
    out = []
    for span in text:
        if isinstance(span, Math):
            out.append(f"${span.tex}$")
        elif isinstance(span, Mono):
            out.append(r"\texttt{%s}" % escape(span.text))
        else:
            out.append(escape(span))
    return "".join(out)


def code_line(line: str) -> str:
    r"""One line of a program in typewriter type, every character set as itself: TeX's
    specials escaped, spaces kept, and a letter TeX's fonts lack (a Python name may be ``θ``)
    set in math where it is Greek, else written as its code point.

    >>> code_line("θ = x  # 50%")
    '\\ensuremath{\\theta}\\ =\\ x\\ \\ \\#\\ 50\\%\\strut'
    """
    out = []
    for c in line:
        if c == " ":
            out.append("\\ ")
        elif c.isascii():
            out.append(escape(c))
        else:
            out.append(_unicode_letter(c))
    return "".join(out) + "\\strut" if line else "\\strut"


def _unicode_letter(c: str) -> str:
    name = unicodedata.name(c, "")
    if name.startswith("GREEK ") and " LETTER " in name:
        letter = name.split(" LETTER ")[1].lower()
        letter = {"lamda": "lambda"}.get(letter, letter)
        command = letter.capitalize() if "CAPITAL" in name else letter
        if command.isalpha():
            return "\\ensuremath{\\%s}" % command
    return "[U+%04X]" % ord(c)


def latex_block(block) -> str:
    """One block in LaTeX."""
    if isinstance(block, Heading):
        return f"\\{COMMANDS[block.level]}{{{latex_spans(block.spans)}}}"
    if isinstance(block, Paragraph):
        return latex_spans(block.spans)
    if isinstance(block, Display):
        return render(block.lines, "align*", block.columns)
    if isinstance(block, Table):
        rows = [" & ".join(latex_spans(c) for c in row) + r" \\" for row in block.rows]
        return (f"\\begin{{tabular}}{{{block.align}}}\n\\toprule\n"
                + " & ".join(latex_spans(c) for c in block.header) + " \\\\\n\\midrule\n"
                + "\n".join(rows) + "\n\\bottomrule\n\\end{tabular}")
    if isinstance(block, Code):
        lines = block.source.rstrip("\n").split("\n")
        return ("{\\small\\ttfamily\\setlength{\\parskip}{0pt}\\raggedright\\par\\medskip\n"
                + "\\\\\n".join(code_line(line) for line in lines) + "\\par\\medskip}")
    if isinstance(block, Figure):
        return tikz_figure(block.layout, latex_spans(block.caption))
    raise TypeError(f"not a block: {type(block).__name__}")


def latex_body(blocks) -> str:
    """The blocks in LaTeX, a blank line between them, except around a display: it
    continues its paragraph (a blank line before ``align*`` would set an empty line)."""
    out, previous = [], None
    for block in blocks:
        if previous is not None:
            joined = isinstance(block, Display) or (isinstance(previous, Display)
                                                    and isinstance(block, Paragraph))
            out.append("\n" if joined else "\n\n")
        if isinstance(block, Table) and isinstance(previous, Table):
            out.append("\\medskip\n")
        out.append(latex_block(block))
        previous = block
    return "".join(out)
