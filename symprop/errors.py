"""The one error users get from symprop: a clear sentence naming what was wrong.

>>> raise SympropError("w9 is not a parameter; parameters: w1, w2, b")
Traceback (most recent call last):
...
symprop.errors.SympropError: w9 is not a parameter; parameters: w1, w2, b
"""


class SympropError(ValueError):
    """Bad input to symprop: the message names what was wrong and where."""
