"""Identifiers and their LaTeX, in the notation of the seeds (DESIGN.md, "Notation").

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

import sympy

from .errors import SympropError

_LAYER_NODE = re.compile(r"^([abz])(\d+)_(\d+)$")
_LAYER_WEIGHT = re.compile(r"^w(\d+)_(\d+)_(\d+)$")
_RESERVED = {"np"}


def check_identifier(name: str, what: str = "name") -> str:
    """Return ``name`` if it can be a Python variable in generated code, else raise.

    >>> check_identifier("w1")
    'w1'
    """
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise SympropError(f"{what} {name!r} is not a valid identifier "
                           "(letters, digits and _, not starting with a digit)")
    if name in _RESERVED or name.startswith("_"):
        raise SympropError(f"{what} {name!r} is reserved for generated code; choose another")
    return name


def layer_latex(letter: str, layer: int, index: int) -> str:
    """``letter_{index}^{[layer]}``, e.g. ``a_{1}^{[2]}``."""
    return f"{letter}_{{{index}}}^{{[{layer}]}}"


def weight_latex(layer: int, source: int, target: int, short: int | None = None) -> str:
    r"""``w_{j\to k}^{[l]}``, or the seed's short form ``w_{i}^{[l]}`` when ``short`` is given."""
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
