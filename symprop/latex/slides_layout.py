r"""The slides' layout: lines broken again for a frame, and blocks packed into frames.

A frame is about 27 em wide at 11 pt (the article's line is 43) and 212 pt tall;
:func:`slide_lines` breaks a derivation's lines for that width, and
:func:`slide_frames` packs the notes' blocks into frames by an estimate of their height
(it errs tall), splitting displays, tables and code across frames titled "(continued)".
:mod:`.to_beamer` writes the frames as TeX.

>>> from symprop.latex.blocks import heading, paragraph
>>> [len(f.pieces) for f in slide_frames([heading("A"), paragraph("x"), heading("B")])]
[1, 0]
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from .code_wrap import slide_code
from .blocks import Code, Display, Figure, Heading, Math, Paragraph, Table, plain_text
from .derivation import Line
from .fitting import RELATION_EM, top_level_terms
from .width import width

# The frame's text width (128 mm x 96 mm, 1 cm margins: 10.8 cm) in em of 11 pt, less
# a little, as the article's LINE_EM is its 17 cm less a little.
SLIDE_EM = 27.0
NOTE_GAP_EM = 2.0            # \qquad before a line's note
COLUMN_GAP_EM = 3.0          # \qquad between equations side by side
CONTINUED_EM = RELATION_EM + 2.0   # "&\quad + " before a continued sum's row
# Heights in pt, measured on the frame (beamer 11 pt, serif mathematics): below a one-line
# frame title about 237 pt are free; a row of an aligned block 16.6 pt (19.3 with
# scripts), one with fractions of scripted symbols 38.6 pt; a line of text 13.6 pt.  The budget keeps a margin for the estimate.
FRAME_PT = 212.0
LONG_TITLE_PT = 20.0         # a frame title of two lines
TITLE_CHARS = 34             # characters of a frame title's line (\Large)
ROW_PT = 17.0
SCRIPT_PT = 2.5              # a row with subscripts or superscripts
FRACTION_PT = 19.5           # each level of fractions in a row adds this much
DISPLAY_PT = 16.0            # the space above and below a display
TEXT_LINE_PT = 13.6
TEXT_CHARS = 58              # characters of running text a line holds
PARAGRAPH_PT = 6.0           # the skip between paragraphs
TABLE_ROW_PT = 19.0          # a row of a tabular at \arraystretch 1.35
TABLE_PT = 14.0              # its rules and the space around it
CELL_PAD_EM = 1.1            # the space around a table's cell
CODE_LINE_PT = 11.0


# ----------------------------------------------------------------- lines for the frame
@dataclass(frozen=True)
class Row:
    """One row of a frame's display: cells side by side (each a :class:`Line`), or one line
    (``lhs`` shown or not) with ``note_row`` set for a note set on a row of its own."""

    cells: tuple
    note_row: bool = False


def _line_em(line: Line) -> float:
    """The em a line takes: its left side, the relation, its right side and its note."""
    lead = width(line.lhs) + RELATION_EM if line.op in ("=", ":=") else CONTINUED_EM
    return lead + width(line.rhs) + (_note_em(line) if line.note else 0.0)


def _note_em(line: Line) -> float:
    return width(r"\text{(%s)}" % line.note) + NOTE_GAP_EM


def slide_lines(lines, room: float = SLIDE_EM) -> list:
    """``lines`` broken again for a frame ``room`` em wide: a sum after the term that fills
    a row (its continuations ``+``/``-``), a note too long for its line on a row of its
    own (a :class:`Line` with only a note, ``op`` "note").  A product that no break can
    fit stays whole; TeX scales its display to the frame."""
    out = []
    for line in lines:
        if line.op == "note" or _line_em(line) <= room:
            out.append(line)
            continue
        note = line.note
        bare = replace(line, note="")
        out.extend(_broken(bare, room) if _line_em(bare) > room else [bare])
        if note:
            out.append(Line("", "", note, "note"))
    return out


def _broken(line: Line, room: float) -> list:
    terms = top_level_terms(line.rhs)
    if len(terms) < 2:
        return [line]
    limit = room - (_line_em(replace(line, rhs="")))
    rows, current = [], terms[0]
    for term in terms[1:]:
        if width(current + " " + term) <= limit:
            current = f"{current} {term}"
        else:
            rows.append(current)
            current, limit = term, room - CONTINUED_EM
    rows.append(current)
    first = replace(line, rhs=rows[0])
    rest = [Line("", row[2:] if row.startswith(("+ ", "- ")) else row, "",
                 "-" if row.startswith("- ") else "+") for row in rows[1:]]
    return [first, *rest]


def slide_columns(lines, most: int) -> int:
    """How many of ``lines`` a frame's row holds side by side (at most ``most``)."""
    lines = list(lines)
    if most < 2 or len(lines) < 2 or any(l.op != "=" or not l.lhs for l in lines):
        return 1
    widest = max(_line_em(line) for line in lines)
    return max(1, min(most, len(lines), int((SLIDE_EM + COLUMN_GAP_EM)
                                            // (widest + COLUMN_GAP_EM))))


def _row_pt(row: Row) -> float:
    tex = " ".join(c.lhs + " " + c.rhs for c in row.cells)
    scripts = SCRIPT_PT if "^" in tex or "_" in tex else 0.0
    return ROW_PT + scripts + FRACTION_PT * min(3, _depth(tex))


def _depth(tex: str) -> int:
    r"""How deeply fractions (and sums with limits) nest in ``tex``: 0 without any, 1 for
    ``\frac{a}{b}``, 2 for ``\frac{\frac{a}{b}}{c}``."""
    tokens = re.findall(r"\\[dt]?frac|\\sum|\\[A-Za-z]+|\\.|[{}]|[^\\{}]+", tex)

    def group(i):   # the depth of tokens from i to the group's end, and where it ends
        deepest = 0
        while i < len(tokens):
            token = tokens[i]
            if token == "}":
                return deepest, i + 1
            if token == "{":
                inner, i = group(i + 1)
                deepest = max(deepest, inner)
                continue
            if token in (r"\frac", r"\dfrac", r"\tfrac"):
                parts, i = 0, i + 1
                for _ in range(2):
                    while i < len(tokens) and tokens[i] != "{" and tokens[i].isspace():
                        i += 1
                    if i < len(tokens) and tokens[i] == "{":
                        inner, i = group(i + 1)
                        parts = max(parts, inner)
                deepest = max(deepest, 1 + parts)
                continue
            if token == r"\sum":
                deepest = max(deepest, 1)
            i += 1
        return deepest, i

    return group(0)[0]


# ----------------------------------------------------------------- pieces of frames
@dataclass
class _Piece:
    kind: str                 # "text", "display", "table", "code", "subheading", "figure"
    block: object = None
    rows: list = field(default_factory=list)   # a display's rows, a table's rows
    reveal: bool = False      # a display revealed line by line
    height: float = 0.0
    layout: tuple | None = None   # a table's column of prose: (column, em)


@dataclass
class _Frame:
    title: tuple
    continued: bool = False
    pieces: list = field(default_factory=list)
    opens: list = field(default_factory=list)   # headings whose \section this frame opens


def _display_rows(block: Display) -> list:
    lines = slide_lines(block.lines)
    columns = slide_columns(lines, block.columns) if block.columns > 1 else 1
    if columns > 1:
        return [Row(tuple(lines[i:i + columns])) for i in range(0, len(lines), columns)]
    out, previous = [], None
    for line in lines:       # a left side that repeats the one above is not written again
        shown = replace(line, lhs="") if line.lhs == previous else line
        previous = line.lhs or previous
        out.append(Row((shown,), note_row=line.op == "note"))
    return out


def _steps(rows: list) -> list:
    """The rows grouped into steps: a line with its continuations and its note."""
    steps: list = []
    for row in rows:
        line = row.cells[0]
        continues = len(row.cells) == 1 and (row.note_row or line.op in ("+", "-"))
        if steps and continues:
            steps[-1].append(row)
        else:
            steps.append([row])
    return steps


def _text_pt(spans) -> float:
    chars = len(plain_text(spans))
    return PARAGRAPH_PT + TEXT_LINE_PT * max(1, math.ceil(chars / TEXT_CHARS))


def _title_pt(spans) -> float:
    return LONG_TITLE_PT if len(plain_text(spans)) > TITLE_CHARS else 0.0


def slide_frames(body) -> list:
    """The frames of ``body``: a frame per section and subsection, more where one is full."""
    frames: list = []
    title: tuple = ()            # the heading of the content to come
    opened: list = []            # headings not yet opened as \section by a frame
    current: _Frame | None = None

    def new_frame(title, continued=False):
        nonlocal current
        current = _Frame(title, continued)
        frames.append(current)
        return current

    def room_left():
        used = sum(p.height for p in current.pieces)
        return FRAME_PT - _title_pt(current.title) - used

    def place(piece, lead=0.0):
        """``piece`` on the current frame, or on a new one where it (and ``lead`` pt of
        what it leads to) does not fit."""
        if current.pieces and piece.height + lead > room_left():
            new_frame(current.title, continued=True)
        current.pieces.append(piece)

    for i, block in enumerate(body):
        if isinstance(block, Heading) and block.level <= 2:
            opened.append(block)
            title, current = block.spans, None
            continue
        if current is None:
            new_frame(title).opens, opened = opened, []
        if isinstance(block, Heading):
            place(_Piece("subheading", block, height=_text_pt(block.spans)),
                  _first_part_pt(body[i + 1] if i + 1 < len(body) else None))
        elif isinstance(block, Paragraph):
            place(_Piece("text", block, height=_text_pt(block.spans)),
                  _first_part_pt(body[i + 1] if i + 1 < len(body) else None))
        elif isinstance(block, Display):
            _place_display(block, current, room_left, new_frame)
        elif isinstance(block, Table):
            _place_table(block, current, room_left, new_frame)
        elif isinstance(block, Code):
            _place_code(block, current, room_left, new_frame)
        elif isinstance(block, Figure):          # a frame of its own, scaled to fit it
            place(_Piece("figure", block, height=FRAME_PT))
        else:
            raise TypeError(f"not a block: {type(block).__name__}")
    if opened:                   # headings with nothing under them, at the very end
        new_frame(title).opens = opened
    return frames


def _first_part_pt(block) -> float:
    """The height of the first thing of ``block`` a paragraph leading to it keeps with it."""
    if isinstance(block, Display):
        steps = _steps(_display_rows(block))
        return DISPLAY_PT + sum(_row_pt(r) for r in steps[0]) if steps else 0.0
    if isinstance(block, Table):
        return TABLE_PT + 2 * TABLE_ROW_PT
    if isinstance(block, Code):
        return 2 * TEXT_LINE_PT + 3 * CODE_LINE_PT
    return 0.0


def _place_display(block, frame, room_left, new_frame):
    rows = _display_rows(block)
    # A derivation (a line goes on from the one above: "= ...") is revealed line by line,
    # and so is a display that goes on with a revealed one (its results, side by side);
    # definitions, a table of partials, the adjoints one a line appear whole.
    reveal = any(i and len(r.cells) == 1 and not r.cells[0].lhs and r.cells[0].op == "="
                 for i, r in enumerate(rows)) or bool(
        frame.pieces and frame.pieces[-1].kind == "display" and frame.pieces[-1].reveal)
    whole = FRAME_PT - _title_pt(frame.title) - DISPLAY_PT   # the most a frame holds
    units = []
    for step in _steps(rows):    # a step taller than a frame goes on row by row
        fits = sum(_row_pt(r) for r in step) <= whole
        units += [step] if fits else [[row] for row in step]
    piece, lhs = None, ""
    for unit in units:
        if piece is None or sum(_row_pt(r) for r in unit) > room_left():
            if piece is not None or (frame.pieces and DISPLAY_PT + _row_pt(unit[0]) > room_left()):
                frame = new_frame(frame.title, continued=True)
                first = unit[0].cells[0]
                if len(unit[0].cells) == 1 and not first.lhs and first.op in ("=", ":="):
                    unit = [Row((replace(first, lhs=lhs),))] + unit[1:]   # what it equals
            piece = _Piece("display", block, [], reveal, DISPLAY_PT)
            frame.pieces.append(piece)
        piece.rows.extend(unit)
        piece.height += sum(_row_pt(r) for r in unit)
        for row in unit:
            if len(row.cells) == 1 and row.cells[0].lhs:
                lhs = row.cells[0].lhs


def _unfolded(block: Table):
    """A table folded into pairs of columns side by side (the numbers), as one pair."""
    header, k = block.header, len(block.header)
    if k < 4 or k % 2 or header != header[:2] * (k // 2) or block.align != block.align[:2] * (k // 2):
        return block
    rows = [row[j:j + 2] for j in range(0, k, 2) for row in block.rows]
    rows = [r for r in rows if any(plain_text(c) for c in r)]
    return Table(header[:2], tuple(rows), block.align[:2])


def _cell_em(cell) -> float:
    return sum(width(s.tex) if isinstance(s, Math) else 0.55 * len(plain_text((s,)))
               for s in cell)


def _table_layout(table):
    """``(column, em)``: the column of prose (left-aligned, the widest) set as a paragraph
    ``em`` wide where the table is too wide for the frame, or None."""
    columns = range(len(table.header))
    ems = [max(_cell_em(row[j]) for row in table.rows + (table.header,)) for j in columns]
    total = sum(ems) + CELL_PAD_EM * len(ems)
    widest = max(columns, key=lambda j: ems[j])
    if total <= SLIDE_EM or table.align[widest] != "l":
        return None
    room = SLIDE_EM - (total - ems[widest])
    return (widest, room) if room >= 8.0 else None


def _table_row_pt(row, layout) -> float:
    if layout is None:
        return TABLE_ROW_PT
    column, room = layout
    return TABLE_ROW_PT + TEXT_LINE_PT * (max(1, math.ceil(_cell_em(row[column]) / room)) - 1)


def _place_table(block, frame, room_left, new_frame):
    table = _unfolded(block)
    pairs = 1
    if table is not block:
        pair_em = max(_cell_em(r[0]) + _cell_em(r[1]) for r in table.rows + (table.header,))
        pairs = 2 if 2 * (pair_em + 2 * CELL_PAD_EM) + COLUMN_GAP_EM <= SLIDE_EM else 1
    layout = _table_layout(table) if pairs == 1 else None
    rows = [(row, _table_row_pt(row, layout)) for row in table.rows]
    while rows:
        free = room_left() - TABLE_PT - TABLE_ROW_PT      # less its header
        if pairs > 1:
            capacity = max(0, int(free // TABLE_ROW_PT)) * pairs
        else:
            capacity, used = 0, 0.0
            while capacity < len(rows) and used + rows[capacity][1] <= free:
                used += rows[capacity][1]
                capacity += 1
        if capacity < min(len(rows), 2 * pairs) and frame.pieces:
            frame = new_frame(frame.title, continued=True)
            continue
        capacity = max(capacity, pairs)
        if 0 < len(rows) - capacity < 3 * pairs:    # no row or two left alone on a frame
            capacity = max(pairs, len(rows) - 3 * pairs)
        chunk, rows = [r for r, _ in rows[:capacity]], rows[capacity:]
        if pairs > 1 and len(chunk) > 1:
            shown = _folded(table, chunk, pairs)
            height = TABLE_PT + TABLE_ROW_PT * (1 + len(shown.rows))
        else:
            shown = Table(table.header, tuple(chunk), table.align)
            height = TABLE_PT + TABLE_ROW_PT + sum(_table_row_pt(r, layout) for r in chunk)
        frame.pieces.append(_Piece("table", shown, height=height, layout=layout))
        if rows:
            frame = new_frame(frame.title, continued=True)


def _folded(table, rows, pairs):
    height = -(-len(rows) // pairs)
    padded = rows + [((), ())] * (pairs * height - len(rows))
    columns = [padded[i * height:(i + 1) * height] for i in range(pairs)]
    return Table(table.header * pairs, tuple(sum((tuple(r) for r in row), ())
                                             for row in zip(*columns)),
                 "@{\\hspace{2em}}".join([table.align] * pairs))


def _place_code(block, frame, room_left, new_frame):
    lines = slide_code(block.source.rstrip("\n")).split("\n")
    while lines:
        capacity = max(1, int((room_left() - 2 * TEXT_LINE_PT) // CODE_LINE_PT))
        if capacity < min(3, len(lines)) and frame.pieces:
            frame = new_frame(frame.title, continued=True)
            continue
        chunk, lines = lines[:capacity], lines[capacity:]
        frame.pieces.append(_Piece("code", Code("\n".join(chunk), block.language),
                                   height=2 * TEXT_LINE_PT + CODE_LINE_PT * len(chunk)))
        if lines:
            frame = new_frame(frame.title, continued=True)


# ----------------------------------------------------------------- frames in LaTeX
