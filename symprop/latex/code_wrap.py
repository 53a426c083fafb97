r"""Programs rewrapped for a narrow frame, so that Python still reads every line.

A slide holds about 62 typewriter characters a line (``\\footnotesize``, against the
article's 88); a longer line is broken where Python allows it (after a comma or an
operator inside brackets, with the continuation indented), a comment wrapped as a comment.

>>> print(slide_code("# a comment that is rather long for the frame", most=24))
# a comment that is
# rather long for the
# frame
"""
from __future__ import annotations

import textwrap

CODE_CHARS = 62             # typewriter characters a line holds (\footnotesize)


def slide_code(source: str, most: int = CODE_CHARS) -> str:
    """``source`` with each line longer than ``most`` characters broken for the frame, as
    Python still reads it: a comment wrapped as comments, other lines at a space outside
    every string, ended by a backslash and indented 4 more (never inside a string).

    >>> print(slide_code("total = alpha + beta + gamma", most=20))
    total = alpha + \\
        beta + gamma
    """
    out = []
    for line in source.split("\n"):
        indent = line[:len(line) - len(line.lstrip())]
        if len(line) <= most:
            out.append(line)
        elif line.lstrip().startswith("#"):
            out += textwrap.wrap(line.lstrip()[1:].strip(), most - len(indent) - 2,
                                 initial_indent=indent + "# ", subsequent_indent=indent + "# ",
                                 break_long_words=False) or [line]
        else:
            out += _code_broken(line, indent, most)
    return "\n".join(out)


def _code_breaks(line: str) -> list:
    """Where ``line`` may break: each space outside a string literal and before a comment."""
    spots, quote, i = [], None, 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c == "#":
            break
        elif c == " " and line[:i].strip():
            spots.append(i)
        i += 1
    return spots


def _code_broken(line: str, indent: str, most: int) -> list:
    rows, start, prefix = [], 0, ""
    spots = _code_breaks(line)
    while len(prefix) + len(line) - start > most:
        fitting = [s for s in spots if s > start and len(prefix) + s - start + 2 <= most]
        if not fitting:
            break
        cut = fitting[-1]
        rows.append(prefix + line[start:cut] + " \\")
        start, prefix = cut + 1, indent + "    "
    rows.append(prefix + line[start:])
    return rows
