"""Whether two expressions agree, as the verdicts decide it for both forms.

A bounded symbolic check first (scalar form), then at random rational points with
50 significant digits.  Two expressions are equal only when several points agree
to 40 digits, and different only with a point where the difference is confirmed
at 100 digits; undecided otherwise.

>>> from symprop import mlp
>>> from symprop.verify.points import Points
>>> g = mlp([1, 2, 1]); a, y = g.symbol("a2_1"), g.symbol("y")
>>> sample = Points(g, [a - y])
>>> compare(g, a - y, -(y - a), sample).equal, compare(g, a - y, y - a, sample).equal
(True, False)
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from .claim_bounds import expanded_size, short as _short, small, tangles
from ..registry.functions import sigmoid, softplus
from .points import DIGITS, MIN_POINTS, Points

CONFIRM_DIGITS = 100   # a difference or a near-tie is re-evaluated with this many
EQUAL = sympy.Float("1e-40")       # relative: agreement at DIGITS, far above their rounding
DIFFERENT = sympy.Float("1e-45")   # relative, at CONFIRM_DIGITS: far above their rounding
SYMBOLIC_SIZE = 250    # the symbolic check only looks at differences this small
EXP_FORMS = [sigmoid, sympy.tanh, sympy.sinh, sympy.cosh]   # rewritten as exp for that check


@dataclass
class Comparison:
    """Whether two expressions agree: ``equal`` True, False or None (undecided)."""

    equal: bool | None
    method: str
    max_error: float | None = None
    point: int | None = None          # index of the counterexample point
    values: tuple | None = None       # (left, right, left - right) there


def compare(graph, left, right, points: Points) -> Comparison:
    """Symbolic first (bounded), then numeric at high precision; see the module docstring."""
    symbolic = _symbolic_difference(graph, left, right) if points.symbolic else None
    if symbolic == 0 or left == right:
        return Comparison(True, "symbolic", 0.0)
    lefts, rights = points.evaluate(left), points.evaluate(right)
    agreeing, largest, ambiguous = 0, sympy.Float(0), False
    for i, (a, b) in enumerate(zip(lefts, rights)):
        if a is None or b is None:   # undefined or complex here: this point proves nothing
            continue
        error = points.error(a, b)
        if error == sympy.oo:        # matrices of other shapes: no precision makes them equal
            return Comparison(False, "numeric: the shapes differ", None, i, None)
        exact = symbolic.xreplace(points.points[i]) if symbolic is not None else None
        if exact is not None and exact.is_Number and exact != 0:   # exact, at a rational point
            return Comparison(False, f"symbolic: the difference is {_short(symbolic)}, "
                              f"not 0", None, i, (a, b, exact))
        tolerance = getattr(points, "tolerance", None)   # float points: one tolerance, final
        if tolerance is not None and error > tolerance:
            return Comparison(False, f"numeric: differs at random point {i + 1} (float64, "
                              f"relative {tolerance:.0e})", None, i, (a, b, a - b))
        if tolerance is None and error > EQUAL:
            verdict, values = _confirm(points, left, right, i, error)
            if verdict is False:
                return Comparison(False, f"numeric: differs at random point {i + 1} ({DIGITS} "
                                  f"digits, confirmed at {CONFIRM_DIGITS})", None, i, values)
            ambiguous = ambiguous or verdict is None
            if not verdict:
                continue
        agreeing += 1
        largest = max(largest, error)
    if agreeing >= MIN_POINTS and not ambiguous:
        return Comparison(True, f"numeric at {agreeing} random points"
                                f"{getattr(points, 'arithmetic', '')}, largest error "
                                f"{float(largest):.1e}", float(largest))
    return Comparison(None, f"undecided: {agreeing} random points agree, "
                            f"{'one is ambiguous' if ambiguous else 'too few'}")


def _confirm(points, left, right, i, error):
    """Re-evaluate point ``i`` with CONFIRM_DIGITS: a tie must resolve, a difference persist.

    True (equal after all), False (the same difference again: a counterexample)
    or None (neither: no verdict from this point).
    """
    a = points.evaluate(left, CONFIRM_DIGITS, at=i)
    b = points.evaluate(right, CONFIRM_DIGITS, at=i)
    if a is None or b is None:
        return None, None
    again = points.error(a, b)
    if again <= EQUAL ** 2:
        return True, None
    if again > DIFFERENT and abs(again - error) <= again / 1000:
        return False, (a, b, a - b)
    return None, None


def _symbolic_difference(graph, left, right):
    """The difference in inputs and parameters, when bounded work makes it 0 or a rational function.

    A rational function of the leaves (no exp, sigmoid, ...) is exactly
    computable at a rational point, so it proves inequality where it is not 0.
    None when bounded work does not get there: the numeric comparison decides then.
    """
    if tangles(left) or tangles(right):    # composing them would simplify what _apply left alone
        return None
    difference = graph.composed(left) - graph.composed(right)
    if not small(difference, SYMBOLIC_SIZE):
        return None
    if any(not p.exp.is_Number for p in difference.atoms(sympy.Pow)):
        return None    # u^{x_1}: sympy's automatic simplification of these can take minutes
    difference = difference.rewrite(softplus, sympy.log).rewrite(EXP_FORMS, sympy.exp)
    # Bound the expansion before expanding: (x_1 + ... + b)^{1000} is small unexpanded.
    size = SYMBOLIC_SIZE
    if not small(difference, size) or expanded_size(difference, size) > size:
        return None
    expanded = sympy.expand(difference)
    if not small(expanded, SYMBOLIC_SIZE):
        return None
    if expanded != 0:
        together = sympy.together(expanded)
        if expanded_size(together, 4 * SYMBOLIC_SIZE) > 4 * SYMBOLIC_SIZE:
            return None
        expanded = sympy.cancel(together)
    leaves = sorted(expanded.free_symbols, key=lambda s: s.name)
    if expanded == 0 or expanded.is_rational_function(*leaves):
        return expanded
    return None
