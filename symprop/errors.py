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


def checked_text(text, what: str, limit: int, error=SympropError, kind: str = "a string",
                 too_long: str = "") -> str:
    """``text`` if it is a non-empty string of at most ``limit`` characters, else ``error``
    naming ``what`` it was to be (``"an expression"``, ``"a claim"``) and the ``kind`` of
    value it must be; ``too_long``: the message for a text over the limit (default: its
    length and the limit).

    >>> checked_text("", "an expression", 10)
    Traceback (most recent call last):
    ...
    symprop.errors.SympropError: the expression is empty
    """
    if not isinstance(text, str):
        raise error(f"{what} must be {kind}, got {type(text).__name__}")
    noun = what.split(" ", 1)[1]
    if len(text) > limit:
        raise error(too_long or f"{noun} is {len(text)} characters long; the limit is {limit}")
    if not text.strip():
        raise error(f"the {noun} is empty")
    return text
