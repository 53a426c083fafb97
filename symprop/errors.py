"""The one error users get from symprop: a clear sentence naming what was wrong.

>>> raise SympropError("w9 is not a parameter; parameters: w1, w2, b")
Traceback (most recent call last):
...
symprop.errors.SympropError: w9 is not a parameter; parameters: w1, w2, b
"""


class SympropError(ValueError):
    """Bad input to symprop: the message names what was wrong and where."""


def printable(text: str) -> str:
    r"""``text`` with every unprintable character escaped, for messages that quote user input.

    A TOML key or a claim may hold terminal escape sequences or bidirectional
    overrides; echoed raw, they would recolour or reorder the user's terminal.

    >>> printable("\x1b[31mred\u202e")
    '\\x1b[31mred\\u202e'
    """
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def name_list(names, limit: int = 12) -> str:
    """Names joined by commas, the first ``limit`` of them, with how many more there are.

    >>> name_list(["x1", "x2", "x3"], limit=2)
    'x1, x2 and 1 more'
    """
    names = list(names)
    shown = ", ".join(map(str, names[:limit]))
    return shown if len(names) <= limit else f"{shown} and {len(names) - limit} more"
