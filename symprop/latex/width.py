r"""How wide a piece of LaTeX math sets, roughly, in em: to break or restate a line before
it runs off the page, rather than after pdflatex reports it overfull.

An estimate from the source alone, no TeX run: a letter is about half an em, a
binary operator with its spaces about 1.3, a fraction as wide as its wider part, a
subscript or superscript 0.7 of its own width.  It errs wide, so a line it passes fits.

>>> width("a + b") < width(r"\frac{\partial \mathcal{L}}{\partial w_{1\to 2}^{[1]}} + a_{1}^{[1]}")
True
>>> width(r"\frac{x_{1}}{y}") == width("x_{1}") + 0.3      # as wide as its wider part
True
"""
from __future__ import annotations

import re

# The text width of the notes' article (11pt, 2 cm margins on A4: 17 cm) in em of 11 pt.
LINE_EM = 43.0

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}_^]|\s+|.", re.S)
_OPERATORS = {"+": 1.3, "-": 1.3, "=": 1.5, "<": 1.5, ">": 1.5, ",": 0.45, "(": 0.4, ")": 0.4,
              "[": 0.3, "]": 0.3, "|": 0.3, "/": 0.5, ".": 0.3, "'": 0.3}
_COMMANDS = {r"\cdot": 0.8, r"\odot": 1.3, r"\circ": 1.0, r"\to": 1.3, r"\quad": 1.0,
             r"\qquad": 2.0, r"\,": 0.17, r"\;": 0.28, r"\ ": 0.33, r"\left": 0.0,
             r"\right": 0.0, r"\dots": 1.2, r"\ldots": 1.2, r"\cdots": 1.2, r"\top": 0.8,
             r"\partial": 0.6, r"\mathcal": 0.0, r"\hat": 0.0, r"\mathrm": 0.0,
             r"\mathbf": 0.0, r"\operatorname": 0.0, r"\displaystyle": 0.0, r"\sum": 1.4,
             r"\times": 1.3, r"\pm": 1.3, r"\in": 1.3, r"\mathbb": 0.0, r"\bar": 0.0}
_DROPPED_ARGUMENT = {r"\color", r"\textcolor"}   # \color{red}{...}: the colour name sets nothing
_TEXT = {r"\text", r"\textrm", r"\mathrm", r"\operatorname"}


def width(tex: str) -> float:
    """The estimated width of ``tex`` (math mode) in em."""
    tokens = [t for t in _TOKEN.findall(tex)]
    value, _ = _group(tokens, 0, closing=False)
    return value


def fits(tex: str, room: float = LINE_EM) -> bool:
    """Whether ``tex`` fits in ``room`` em (a line of the notes by default)."""
    return width(tex) <= room


def _group(tokens, i, closing=True):
    """Width of tokens from ``i`` up to the matching ``}`` (or the end); returns (width, next i)."""
    total = 0.0
    while i < len(tokens):
        token = tokens[i]
        if token == "}" and closing:
            return total, i + 1
        item, i = _item(tokens, i)
        total += item
    return total, i


def _argument(tokens, i):
    """Width of one argument: a braced group or a single token."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens):
        return 0.0, i
    if tokens[i] == "{":
        return _group(tokens, i + 1)
    return _item(tokens, i)


def _item(tokens, i):
    token = tokens[i]
    if token.isspace() or token == "}":
        return 0.0, i + 1
    if token == "{":
        return _group(tokens, i + 1)
    if token in ("_", "^"):
        inner, j = _argument(tokens, i + 1)
        return 0.7 * inner, j
    if token == r"\frac" or token == r"\dfrac":
        top, j = _argument(tokens, i + 1)
        bottom, j = _argument(tokens, j)
        return max(top, bottom) + 0.3, j
    if token in _DROPPED_ARGUMENT:
        _, j = _argument(tokens, i + 1)
        return 0.0, j
    if token in _TEXT:
        inner, j = _argument(tokens, i + 1)
        return inner, j
    if token.startswith("\\"):
        return _COMMANDS.get(token, 0.65), i + 1
    return _OPERATORS.get(token, 0.55), i + 1
