r"""Blocks (:mod:`symprop.latex.blocks`) written as Markdown with TeX math.

Inline math is ``$...$`` and displays are ``$$`` blocks holding an ``aligned``
environment: Jupyter, Quarto, Obsidian and GitHub all render both (KaTeX or
MathJax).  Words are escaped so that no character of a name (``*``, ``_``,
``<``, ``$``) starts emphasis, HTML or math; tables are pipe tables; code is a
fenced block.

>>> from symprop.latex.blocks import Math, heading, paragraph
>>> print(markdown_body([heading("With respect to ", Math("w")), paragraph("a_b * ", Math("x"))]))
## With respect to $w$
<BLANKLINE>
a\_b \* $x$
"""
from __future__ import annotations

import re

from .blocks import Code, Display, Figure, Heading, Math, Mono, Paragraph, Table
from .derivation import render

# The characters Markdown reads as syntax anywhere in a line (emphasis, code, links, HTML,
# math, tables, entities), and those that start a block at the start of one.
SPECIAL = re.compile(r"([\\`*_{}\[\]<>$|~&])")
BLOCK_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])")


def escape_markdown(words: str) -> str:
    r"""Plain words with every character Markdown could read as syntax escaped.

    >>> escape_markdown("<b>x</b> $5")
    '\\<b\\>x\\</b\\> \\$5'
    """
    words = re.sub(r"\s+", " ", str(words))  # a newline in a name must not start a block
    return SPECIAL.sub(r"\\\1", words)


def _not_a_block(line: str) -> str:
    """A paragraph whose words start like a list, a quote or a heading, kept a paragraph."""
    return BLOCK_START.sub(lambda m: m[1] + "\\" + m[2] if m[2][0] in "#>+=-"
                           else m[1] + m[2][:-1] + "\\" + m[2][-1], line)


def _no_tags(tex: str) -> str:
    r"""TeX with a space after every ``<``: to a Markdown reader that reads HTML before
    math, ``a<b`` opens a tag; ``a< b`` is the same TeX and opens none.

    >>> _no_tags("a<b")
    'a< b'
    """
    return re.sub(r"<(?=\S)", "< ", tex)


def inline_math(tex: str) -> str:
    """``$tex$``, on one line (a line break inside would end it for some readers)."""
    return "$" + " ".join(_no_tags(tex).split()) + "$"


def markdown_spans(text, in_table: bool = False) -> str:
    """Running text in Markdown; in a table cell ``|`` inside math is escaped too."""
    out = []
    for span in text:
        if isinstance(span, Math):
            math = inline_math(span.tex)
            out.append(math.replace("|", r"\|") if in_table else math)
        elif isinstance(span, Mono):
            words = re.sub(r"\s+", " ", span.text.replace("`", "'")).strip()
            out.append(f"`{words}`")
        else:
            out.append(escape_markdown(span))
    return "".join(out)


def display_math(lines, columns: int = 1) -> str:
    """A ``$$`` block: the lines aligned at their ``=``, ``columns`` a row."""
    return "$$\n" + _no_tags(render(lines, "aligned", columns)) + "\n$$"


def markdown_block(block) -> str:
    """One block in Markdown (headings one level below the page's title)."""
    if isinstance(block, Heading):
        return "#" * (block.level + 1) + " " + markdown_spans(block.spans)
    if isinstance(block, Paragraph):
        return _not_a_block(markdown_spans(block.spans))
    if isinstance(block, Display):
        return display_math(block.lines, block.columns)
    if isinstance(block, Table):
        rule = ["---:" if a == "r" else ":---" for a in block.align]
        rows = [block.header, *block.rows]
        text = ["| " + " | ".join(markdown_spans(c, in_table=True) for c in row) + " |"
                for row in rows]
        return "\n".join([text[0], "| " + " | ".join(rule) + " |", *text[1:]])
    if isinstance(block, Code):
        fence = "```"
        while fence in block.source:
            fence += "`"
        return f"{fence}{block.language}\n{block.source.rstrip()}\n{fence}"
    raise TypeError(f"not a block: {type(block).__name__}")


def markdown_body(blocks) -> str:
    """The blocks in Markdown, a blank line between them; a figure is left out (Markdown
    has no picture that needs no file: the ``.html`` and ``.pdf`` notes carry it)."""
    return "\n\n".join(markdown_block(b) for b in blocks if not isinstance(b, Figure))


def markdown_document(blocks, title: str) -> str:
    """A whole Markdown file: the title as its one top heading, then the blocks."""
    return f"# {escape_markdown(title)}\n\n{markdown_body(blocks)}\n"
