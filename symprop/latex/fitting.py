r"""Lines of a derivation that fit the page: a sum too wide is broken after a term, as a
person breaks it by hand (``&\quad + ...``), never mid-product.

A result too wide even so is restated through its shared adjoints by the derivation
writer (:meth:`symprop.latex.derivation._Writer.restated`); this module only measures
and breaks.

>>> from symprop.latex.derivation import Line
>>> wide = Line("L", " + ".join([r"\frac{\partial a_{%d}}{\partial b}" % i for i in range(30)]))
>>> [line.op for line in fitted([wide])][:2]
['=', '+']
>>> all(fits_line(line) for line in fitted([wide]))
True
"""
from __future__ import annotations

import re
from dataclasses import replace

from .width import LINE_EM, width

RELATION_EM = 2.0           # "&= " and the alignment's own space
NOTE_GAP_EM = 2.0           # \qquad before a note
_SIZED = re.compile(r"\\(left|right)(?:\\[{}|]|[()\[\]|.])")
_TERM_BREAK = re.compile(r" ([+-]) ")


def room(line) -> float:
    """The em left for ``line``'s right side beside its left side and its note."""
    note = width(r"\text{(%s)}" % line.note) + NOTE_GAP_EM if line.note else 0.0
    return LINE_EM - width(line.lhs) - RELATION_EM - note


def fits_line(line) -> bool:
    """Whether ``line`` (a derivation ``Line``) sets within the page's width."""
    return width(line.rhs) <= room(line)


def top_level_terms(tex: str) -> list[str]:
    r"""``tex`` cut before each ``+``/``-`` outside every bracket and brace, signs kept.

    >>> top_level_terms(r"a b - \left(c + d\right) + \frac{e - f}{g}")
    ['a b', '- \\left(c + d\\right)', '+ \\frac{e - f}{g}']
    """
    terms, depth, start, i = [], 0, 0, 0
    while i < len(tex):
        sized = _SIZED.match(tex, i)
        if sized:                                    # \left( ... \right): its delimiter too
            depth += 1 if sized.group(1) == "left" else -1
            i = sized.end()
            continue
        if tex[i] in "{(":
            depth += 1
        elif tex[i] in "})":
            depth -= 1
        elif depth == 0 and (found := _TERM_BREAK.match(tex, i)) and i > start:
            terms.append(tex[start:i].strip())
            start = i + 1
            i = found.end() - 1
        i += 1
    terms.append(tex[start:].strip())
    return [t for t in terms if t]


COLUMN_GAP_EM = 3.0          # \qquad and the alignment's space between equations in a row


def columns_for(lines, most: int = 3) -> int:
    r"""How many of ``lines`` (each ``lhs = rhs``, a note with it) a row holds side by side, at most
    ``most``: a table of short equations (the edges' partials) takes a third of the space.

    >>> from symprop.latex.derivation import Line
    >>> columns_for([Line(r"\frac{\partial z}{\partial w}", "x")] * 6)
    3
    >>> columns_for([Line("z", " + ".join(["w_{%d} a_{%d}" % (i, i) for i in range(9)]))])
    1
    """
    lines = list(lines)
    if len(lines) < 2 or any(line.op != "=" or not line.lhs for line in lines):
        return 1
    widest = max(LINE_EM - room(line) + width(line.rhs) for line in lines)   # note included
    fit = int((LINE_EM + COLUMN_GAP_EM) // (widest + COLUMN_GAP_EM))
    return max(1, min(most, fit, len(lines)))


def column_runs(lines) -> list:
    """``lines`` cut into runs, each ``(lines, columns)``: short equations side by side
    (:func:`columns_for`), and a line with its continuations in a run of one column."""
    units = []
    for line in lines:        # a line and its continuations (no or the same left side) together
        if units and (not line.lhs or line.lhs == units[-1][-1].lhs):
            units[-1].append(line)
        else:
            units.append([line])
    runs: list = []
    half = (LINE_EM - COLUMN_GAP_EM) / 2
    for unit in units:
        alone = (len(unit) > 1 or unit[0].op != "="
                 or LINE_EM - room(unit[0]) + width(unit[0].rhs) > half)
        if runs and runs[-1][1] == (not alone):
            runs[-1][0].extend(unit)
        else:
            runs.append((list(unit), not alone))
    return [(run, columns_for(run, most=2) if short else 1) for run, short in runs]


def fitted(lines) -> list:
    """``lines`` with each sum too wide for the page broken after the term that fills a line."""
    out = []
    for line in lines:
        if fits_line(line) or line.op == ":=":
            out.append(line)
            continue
        out.extend(_broken(line))
    return out


def _broken(line) -> list:
    terms = top_level_terms(line.rhs)
    if len(terms) < 2:
        return [line]  # one product: the writer restates it, or it stays as it is
    # Continuation lines lose the left side (render drops it) and the note stays on the first.
    rows, current = [], terms[0]
    limit = room(line)
    for term in terms[1:]:
        if width(current + " " + term) <= limit:
            current = f"{current} {term}"
        else:
            rows.append(current)
            current, limit = term, LINE_EM - RELATION_EM - 2.0
    rows.append(current)
    first = replace(line, rhs=rows[0])
    rest = [replace(line, lhs="", rhs=_unsigned(row), note="", op=_sign(row)) for row in rows[1:]]
    return [first, *rest]


def _sign(row: str) -> str:
    return "-" if row.startswith("- ") else "+"


def _unsigned(row: str) -> str:
    return row[2:] if row.startswith(("+ ", "- ")) else row
