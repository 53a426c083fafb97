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
