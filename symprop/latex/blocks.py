r"""A document as blocks: headings, prose, display equations, tables and code, in no format.

The notes' section builders (:mod:`symprop.latex.document`,
:mod:`symprop.latex.matrix_notes`) say *what* a section holds with these
blocks; one small renderer per format says how it is written: LaTeX
(:mod:`.to_latex`), Markdown (:mod:`.to_markdown`), a standalone HTML page
(:mod:`.to_html`) and a Jupyter notebook (:mod:`.to_notebook`).  So the
``.tex``, ``.md``, ``.html`` and ``.ipynb`` notes carry the same content, built once.

Running text is a tuple of *spans*: plain words (a ``str``, escaped by each
renderer), :class:`Math` (inline TeX) and :class:`Mono` (a name in typewriter
type).  :func:`spans` builds one from its pieces.

>>> p = paragraph("Inputs: ", Math("x_{1}"), " and ", Math("y"), ".")
>>> [type(s).__name__ for s in p.spans]
['str', 'Math', 'str', 'Math', 'str']
>>> plain_text(p.spans)
'Inputs: x_{1} and y.'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from ..errors import SympropError


@dataclass(frozen=True)
class Math:
    """Inline mathematics, as TeX (``$...$`` in LaTeX and Markdown)."""

    tex: str


@dataclass(frozen=True)
class Mono:
    """A name in typewriter type: an attribute, a keyword (``graph.values``)."""

    text: str


Span = Union[str, Math, Mono]


def spans(*pieces) -> tuple:
    """Running text from its pieces: strings, :class:`Math`, :class:`Mono`, or tuples of them.

    Empty strings are dropped and nested tuples flattened.

    >>> spans("a", ("b", Math("c")), "")
    ('a', 'b', Math(tex='c'))
    """
    out = []
    for piece in pieces:
        if isinstance(piece, tuple):
            out.extend(spans(*piece))
        elif isinstance(piece, (str, Math, Mono)):
            if piece != "":
                out.append(piece)
        else:
            raise SympropError(f"a span is a str, Math or Mono, not {type(piece).__name__}")
    return tuple(out)


def plain_text(text) -> str:
    """The spans as plain characters (TeX left as written): for a page's ``<title>``."""
    return "".join(s if isinstance(s, str) else (s.tex if isinstance(s, Math) else s.text)
                   for s in spans(text))


@dataclass(frozen=True)
class Heading:
    """A section heading; ``level`` 1 is a section, 2 a subsection, 3 and 4 below."""

    spans: tuple
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    spans: tuple


@dataclass(frozen=True)
class Display:
    """Displayed equations, one :class:`~symprop.latex.derivation.Line` a row, aligned at ``=``;
    ``columns`` equations side by side in each row where they are short (a table of partials)."""

    lines: tuple
    columns: int = 1


@dataclass(frozen=True)
class Table:
    """A table: ``header`` and each row a tuple of cells (each cell running text);
    ``align`` one letter a column, ``l`` or ``r``."""

    header: tuple
    rows: tuple
    align: str


@dataclass(frozen=True)
class Code:
    """A program, shown (``.tex``, ``.md``, ``.html``) or run (a notebook's code cell)."""

    source: str
    language: str = "python"


@dataclass(frozen=True)
class Figure:
    """A graph's picture, laid out (:class:`symprop.latex.figure.Layout`), with its caption
    (running text).  TikZ draws it in LaTeX, SVG in HTML; Markdown and notebooks leave it out."""

    layout: object
    caption: tuple


Block = Union[Heading, Paragraph, Display, Table, Code, Figure]


def heading(*pieces, level: int = 1) -> Heading:
    """A :class:`Heading` from pieces of running text."""
    return Heading(spans(*pieces), level)


def paragraph(*pieces) -> Paragraph:
    """A :class:`Paragraph` from pieces of running text."""
    return Paragraph(spans(*pieces))


def figure(layout, *caption) -> Figure:
    """A :class:`Figure` of ``layout``, captioned by pieces of running text."""
    return Figure(layout, spans(*caption))


def display(lines, columns: int = 1) -> Display:
    """A :class:`Display` of ``lines``, ``columns`` a row."""
    return Display(tuple(lines), columns)


def table(header, rows, align: str) -> Table:
    """A :class:`Table`; each cell is a piece of running text (or a tuple of pieces)."""
    def cell(c):
        return spans(c) if not isinstance(c, tuple) else spans(*c)

    header = tuple(cell(c) for c in header)
    rows = tuple(tuple(cell(c) for c in row) for row in rows)
    if len(align) != len(header) or any(len(r) != len(header) for r in rows):
        raise SympropError("a table's header, rows and alignment must have as many columns")
    return Table(header, rows, align)


def listed(items) -> tuple:
    """Spans reading ``a, b and c`` (``none`` when empty) for a sentence.

    >>> plain_text(listed([Math("a"), Math("b"), Math("c")]))
    'a, b and c'
    """
    items = list(items)
    if not items:
        return ("none",)
    if len(items) == 1:
        return (items[0],)
    out = []
    for i, item in enumerate(items):
        if i:
            out.append(" and " if i == len(items) - 1 else ", ")
        out.append(item)
    return tuple(out)


HEADING_COMMANDS = {"section*": 1, "subsection*": 2, "subsubsection*": 3, "paragraph*": 4}


def level_of(command: str) -> int:
    """The heading level of a LaTeX sectioning command (``subsection*`` is 2)."""
    try:
        return HEADING_COMMANDS[command.strip("\\")]
    except KeyError:
        raise SympropError(f"unknown heading command {command!r}; choose from "
                         f"{', '.join(HEADING_COMMANDS)}") from None
