"""Where a function of the registry is not differentiable, or changes form, read from its entry.

The verifier compares a claim with the gradient at random points; near a point
where a derivative jumps (ReLU at 0) both sides are right on one side and the
comparison proves nothing, so such points are redrawn; where a value changes
form (``|u|`` is ``u`` on one side and ``-u`` on the other) points are drawn on
both sides.  Each entry says so of itself (``Entry.kink``, ``zero_below``,
``form_change``: the place is where its first argument is 0); the tables here
are read from the registry when asked, so a function registered later counts.

>>> import sympy
>>> from symprop.registry.functions import relu
>>> u = sympy.Symbol("u")
>>> sorted(arguments(relu(u) + sympy.Abs(u - 1) + sympy.sign(u + 1)), key=str)
[u, u - 1]
>>> sorted(arguments(sympy.sign(u + 1), form_changes()), key=str)
[u + 1]
>>> sympy.Abs in kinks() and sympy.Abs not in zero_below()
True
"""
from __future__ import annotations

from .table import REGISTRY


def _classes(field: str) -> tuple[type, ...]:
    return tuple(dict.fromkeys(e.sympy_class for e in REGISTRY.values() if getattr(e, field)))


def kinks() -> tuple[type, ...]:
    """The sympy classes whose derivative jumps where the first argument is 0."""
    return _classes("kink")


def zero_below() -> tuple[type, ...]:
    """The kinks whose value is 0 exactly on one side: a kink at ``f(u) = 0`` is one at ``u = 0``."""
    return _classes("zero_below")


def form_changes() -> tuple[type, ...]:
    """The sympy classes whose formula changes where the first argument is 0 (kinks included)."""
    return _classes("form_change")


def arguments(expr, table=None) -> list:
    """The first arguments, in ``expr``, of the functions of ``table`` (by default the kinks)."""
    table = kinks() if table is None else table
    return [f.args[0] for f in expr.atoms(*table)] if table else []   # atoms() alone is all
