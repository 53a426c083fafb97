"""Identifiers and their LaTeX, in the notation of the seeds (docs/notation.md).

Layer names are superscripts in square brackets, never powers:

>>> default_latex("a2_1")
'a_{1}^{[2]}'
>>> default_latex("w2_1_3")
'w_{1\\\\to 3}^{[2]}'
>>> default_latex("yhat")
'\\\\hat{y}'
"""
from __future__ import annotations

import keyword
import re
import unicodedata

import sympy

from ..errors import SympropError

_LAYER_NODE = re.compile(r"^([abz])(\d+)_(\d+)$")
_LAYER_WEIGHT = re.compile(r"^w(\d+)_(\d+)_(\d+)$")
_RESERVED = {"np"}
MAX_IDENTIFIER = 100   # characters: a textbook name is a few; generated code repeats it often


def check_identifier(name: str, what: str = "name") -> str:
    """``name`` as Python reads it (NFKC-normalised) if it can be a variable in generated code.

    Python normalises identifiers by NFKC, so ``ﬁ`` and ``fi``, or ``ｎｐ`` and
    ``np``, are one variable in generated source: symprop declares the normal
    form, so that two such names collide at once, with a clear error.

    >>> check_identifier("w1"), check_identifier("ﬁ"), check_identifier("θ")
    ('w1', 'fi', 'θ')
    """
    if not isinstance(name, str) or len(name) > MAX_IDENTIFIER or not name.isidentifier() \
            or keyword.iskeyword(name):
        shown = name if not isinstance(name, str) or len(name) <= 40 else name[:37] + "..."
        raise SympropError(f"{what} {shown!r} is not a valid identifier "
                           f"(letters, digits and _, not starting with a digit, at most "
                           f"{MAX_IDENTIFIER} characters)")
    normal = unicodedata.normalize("NFKC", name)
    if normal in _RESERVED or normal.startswith("_"):
        raise SympropError(f"{what} {name!r} is reserved for generated code; choose another")
    return normal


def normal_name(name):
    """The NFKC form of a name, as declared (other values unchanged).

    >>> normal_name("ｗ")
    'w'
    """
    return unicodedata.normalize("NFKC", name) if isinstance(name, str) else name


def layer_latex(letter: str, layer: int, index: int) -> str:
    """``letter_{index}^{[layer]}``, e.g. ``a_{1}^{[2]}``."""
    return f"{letter}_{{{index}}}^{{[{layer}]}}"


def weight_latex(layer: int, source: int, target: int, short: int | None = None) -> str:
    r"""``w_{j\to k}^{[l]}``, or the lesson's short form ``w_{i}^{[l]}`` when ``short`` is given."""
    if short is not None:
        return layer_latex("w", layer, short)
    return f"w_{{{source}\\to {target}}}^{{[{layer}]}}"


def default_latex(name: str) -> str:
    """The LaTeX a name gets unless the user says otherwise.

    Layer identifiers (``z2_1``, ``w1_2_1``) get the layer notation; ``L``
    becomes ``\\mathcal{L}``; anything else is printed as sympy prints its symbol
    (``x1`` as ``x_{1}``, ``yhat`` as ``\\hat{y}``).
    """
    if m := _LAYER_NODE.match(name):
        return layer_latex(m[1], int(m[2]), int(m[3]))
    if m := _LAYER_WEIGHT.match(name):
        return weight_latex(int(m[1]), int(m[2]), int(m[3]))
    if name == "L":
        return r"\mathcal{L}"
    return sympy.latex(sympy.Symbol(name))


def normalize_latex(text: str) -> str:
    r"""A canonical spelling of a LaTeX name, to match what users type.

    >>> normalize_latex(r"w_{1 \rightarrow 2}^{[1]}") == normalize_latex(r"w_{1\to2}^{[1]}")
    True
    """
    text = text.replace(r"\rightarrow", r"\to").replace(r"\mathcal", "").replace(r"\hat", "hat")
    return re.sub(r"[\s{}]", "", text)
