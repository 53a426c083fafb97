"""Where a function of the registry is not differentiable, or changes form: one table.

The verifier compares a claim with the gradient at random points; near a point
where a derivative jumps (ReLU at 0) both sides are right on one side and the
comparison proves nothing, so such points are redrawn; where a value changes
form (``|u|`` is ``u`` on one side and ``-u`` on the other) points are drawn on
both sides.  Every such function is listed here, by its sympy class, with the
place it happens: where its first argument is 0.

>>> import sympy
>>> from symprop.registry.functions import relu
>>> u = sympy.Symbol("u")
>>> sorted(arguments(relu(u) + sympy.Abs(u - 1) + sympy.sign(u + 1)), key=str)
[u, u - 1]
>>> sorted(arguments(sympy.sign(u + 1), FORM_CHANGES), key=str)
[u + 1]
"""
from __future__ import annotations

import sympy

from .functions import leaky_relu, relu

# The derivative jumps where the first argument is 0.
KINKS = (relu, leaky_relu, sympy.Heaviside, sympy.Abs)
# ... and of these, f(u) is 0 exactly on a side of u = 0: a kink at f(u) = 0 is one at u = 0.
ZERO_BELOW = (relu, leaky_relu)
# The value's formula changes where the first argument is 0.
FORM_CHANGES = KINKS + (sympy.sign,)


def arguments(expr, table=None) -> list:
    """The first arguments, in ``expr``, of the functions of ``table`` (by default the kinks)."""
    table = KINKS if table is None else table
    return [f.args[0] for f in expr.atoms(*table)] if table else []   # atoms() alone is all
