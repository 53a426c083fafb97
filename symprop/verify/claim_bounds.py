r"""Bounds on the work a claim can cause, computed before the work is done.

A claim is a small formula, but a small formula can stand for a large amount of
work: ``(x_1 + x_2 + y + w_1 + w_2 + b)^{1000}`` is six symbols whose expansion
has billions of terms, and ``e^{e^{e^{e^{e^{x_1}}}}}`` is one symbol whose value
needs a million digits.  Two estimates keep the verifier's steps bounded:

- :func:`expanded_size` bounds the size of ``sympy.expand(expr)`` without
  expanding, so the symbolic check is skipped (the numeric check decides)
  when expansion would be large;
- :func:`magnitude` evaluates an expression bottom-up with 15 digits and
  refuses (:class:`ClaimTooLarge`) as soon as any part of it exceeds
  ``10^300``, before that part is fed to a function that would need its
  digits (``exp``, ``sin``, a power).

>>> import sympy
>>> a, b = sympy.symbols("a b")
>>> expanded_size((a + b)**1000, limit=250) > 250
True
>>> expanded_size((a + b)**2, limit=250) <= 250
True
>>> import math
>>> float(magnitude(sympy.exp(sympy.exp(sympy.Integer(2))), {})) == math.exp(math.exp(2))
True
>>> magnitude(sympy.exp(sympy.exp(sympy.exp(a))), {a: sympy.Float(3)})
Traceback (most recent call last):
...
symprop.verify.claim_bounds.ClaimTooLarge: the claim is too large to evaluate: exp(exp(exp(a))) exceeds 10^300 ...
"""
from __future__ import annotations

import functools
import math
import operator
from itertools import islice

import sympy

from ..errors import SympropError

MAX_MAGNITUDE = sympy.Float("1e300")   # no part of a claim is evaluated beyond this
DIGITS = 15                            # enough to know a magnitude
MAX_EXPONENT = 1000                    # a numeric exponent beyond this is refused, not computed
MAX_NUMBER_BITS = 1000                 # nor an exact number beyond about 10^300


class ClaimTooLarge(SympropError):
    """A claim whose value, or whose expansion, is beyond what symprop evaluates."""


# ------------------------------------------------------------------ expansion
def expanded_size(expr, limit: int) -> int:
    """An upper bound on the size of ``sympy.expand(expr)``, capped at ``limit + 1``.

    Computed in one pass over the tree: a product's expansion has at most the
    product of its factors' term counts, a power ``u^n`` at most ``terms(u)^n``
    terms, each term no larger than twice its parts.

    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> u = (x + y)**3 * (x - 1)
    >>> expanded_size(u, limit=1000) >= len(list(sympy.preorder_traversal(sympy.expand(u))))
    True
    """
    return min(_expansion(expr, limit + 1)[1], limit + 1)


def _expansion(expr, cap):
    """``(terms, size)`` bounds of ``expand(expr)``, each at most ``cap``."""
    if not expr.args:
        return 1, 1
    parts = [_expansion(a, cap) for a in expr.args]
    sizes = min(cap, sum(s for _, s in parts) + 1)
    if isinstance(expr, sympy.Add):
        return min(cap, sum(t for t, _ in parts)), sizes
    if isinstance(expr, sympy.Mul):
        terms = 1
        for t, _ in parts:
            terms = min(cap, terms * t)
        return terms, min(cap, terms * sizes)
    if isinstance(expr, sympy.Pow):
        (base_terms, base_size), (exponent_terms, _) = parts
        exponent = expr.exp
        if exponent.is_Integer:
            n = abs(int(exponent)) if abs(exponent) < cap else cap
            terms = 1 if base_terms == 1 else _capped_power(base_terms, n, cap)
            return terms, min(cap, terms * (2 * base_size + 2))
        # u^(a + b) -> u^a u^b: one copy of the base per term of the exponent
        return 1, min(cap, exponent_terms * (sizes + 1))
    if isinstance(expr, sympy.exp):       # exp(a + b) -> exp(a) exp(b)
        return 1, min(cap, parts[0][0] * (sizes + 1))
    if isinstance(expr, sympy.log):       # log(u v) -> log(u) + log(v)
        return min(cap, sizes), min(cap, 2 * sizes + 2)
    return 1, sizes                       # other functions: their arguments, expanded


def _capped_power(base: int, n: int, cap: int) -> int:
    value = 1
    for _ in range(n):
        value *= base
        if value >= cap:
            return cap
    return value


# ------------------------------------------------------------------ numbers
def number_too_large(x) -> bool:
    """Whether ``x`` is an exact number beyond about 10^300 (numerator or denominator).

    >>> number_too_large(sympy.Integer(99999)**61), number_too_large(sympy.Rational(1, 10**20))
    (True, False)
    """
    return isinstance(x, sympy.Rational) and _bits(x) > MAX_NUMBER_BITS


def power_too_large(base, exponent, what: str = "the exponent") -> bool:
    """Whether ``base^exponent`` has a numeric exponent beyond 1000 or an exact value beyond 10^300.

    The exponent is evaluated by :func:`magnitude`, so ``e^{e^{e^{e^{e}}}}`` is
    refused before any of its digits are computed.

    >>> power_too_large(sympy.Integer(10), sympy.Integer(400))
    True
    >>> power_too_large(sympy.E, sympy.Integer(5))
    False
    """
    if exponent.free_symbols or not exponent.is_number:
        return False
    value = magnitude(exponent, {}, what)
    value = abs(value) if value is not None and value.is_Number else sympy.oo
    if not value.is_finite or value > MAX_EXPONENT:
        return True
    return isinstance(base, sympy.Rational) and _bits(base) * float(value) > MAX_NUMBER_BITS


def _bits(number) -> float:
    return max(math.log2(abs(number.p) or 1), math.log2(number.q))


# ------------------------------------------------------------------ sympy's own simplification
def tangled(expr) -> bool:
    """Whether sympy may take exponential time simplifying a function of ``expr``.

    Building ``tanh(u)`` asks whether u is real, and for a u holding a function
    or a power of a sum sympy answers by expanding u into real and imaginary
    parts: ``(a + b)^{10}`` becomes 2^10 terms, then more at each level.

    >>> x, y = sympy.symbols("x y")
    >>> tangled(x * y + 1), tangled((x + y) ** 10), tangled(sympy.exp(x) + 1)
    (False, True, True)
    """
    return isinstance(expr, sympy.Function) or (
        isinstance(expr, sympy.Pow) and not expr.base.is_Atom and expr.exp not in (-1, 1)) or any(
        _tangled(a) for a in expr.args)


@functools.lru_cache(maxsize=65536)
def _tangled(expr) -> bool:              # each part of a claim once, however often it is asked
    return tangled(expr)


def build(function, args, risky=tangled):
    """``function(*args)``, left unsimplified where sympy's simplification could take minutes.

    >>> x, y = sympy.symbols("x y")
    >>> build(sympy.tanh, [(x + y) ** 10]).args[0] == (x + y) ** 10
    True
    """
    if not any(risky(a) for a in args):
        return function(*args)
    with sympy.evaluate(False):
        return function(*args)


@functools.lru_cache(maxsize=65536)
def tangles(expr) -> bool:
    """Whether ``expr`` holds a function (or a non-integer power) of something :func:`tangled`."""
    return ((isinstance(expr, sympy.Function) and any(_tangled(a) for a in expr.args)) or (
        isinstance(expr, sympy.Pow) and not expr.exp.is_Integer and _tangled(expr.base))
        or any(tangles(a) for a in expr.args))


# ------------------------------------------------------------------ magnitude
def magnitude(expr, values: dict, what: str = "the claim", digits: int = DIGITS):
    """``expr`` at ``values`` with ``digits`` digits (None where it is not a number), bounded.

    Every part is evaluated from its parts' values, so nothing sees a number
    beyond ``10^300``: :class:`ClaimTooLarge` is raised first; and each function
    is evaluated at a number, never at a formula (``sigma`` of a formula rewrites
    and evaluates all of it again, at every level of nesting).  Parts that stay
    symbolic (a symbol without a value) give None.
    """
    memo: dict = {}

    def value_of(e):
        if e in memo:
            return memo[e]
        if e in values:
            found = values[e]
        elif not e.args:
            found = e.evalf(digits) if getattr(e, "is_number", False) else None
        else:
            arguments = [value_of(a) for a in e.args]
            found = None
            if all(a is not None for a in arguments):
                found = _arithmetic(e, arguments) or _numeric(e.func(*arguments), digits)
            if found is not None and _too_large(found):
                raise ClaimTooLarge(f"{what} is too large to evaluate: {short(e)} exceeds "
                                    f"10^300 at a sample point (symprop compares numbers up to "
                                    "10^300)")
        memo[e] = found
        return found

    return value_of(expr)


def _arithmetic(e, arguments):
    """A sum, product or integer power of Floats by Float arithmetic: no Add or Mul is built."""
    if isinstance(e, (sympy.Add, sympy.Mul)) and all(isinstance(a, sympy.Float)
                                                     for a in arguments):
        return functools.reduce(operator.add if e.is_Add else operator.mul, arguments)
    if isinstance(e, sympy.Pow) and isinstance(arguments[0], sympy.Float) \
            and arguments[1].is_Integer and arguments[0] != 0:
        return arguments[0] ** arguments[1]
    return None


def _numeric(e, digits):
    """``e`` as a number, or None when it does not evaluate to one (booleans, symbols)."""
    if isinstance(e, sympy.logic.boolalg.Boolean):
        return e if e in (sympy.true, sympy.false) else None
    if not isinstance(e, sympy.Expr) or not e.is_number:
        return None
    return e.evalf(digits)


def _too_large(value) -> bool:
    if isinstance(value, sympy.Float):    # the usual case: no has(), no as_real_imag()
        return abs(value) > MAX_MAGNITUDE
    if not isinstance(value, sympy.Expr) or value.has(sympy.zoo, sympy.nan):
        return False
    if value.has(sympy.oo, -sympy.oo):
        return True
    real, imaginary = value.as_real_imag()
    return any(part.is_Number and abs(part) > MAX_MAGNITUDE for part in (real, imaginary))


def short(expr, limit: int = 60) -> str:
    """``expr`` as text, cut to ``limit`` characters."""
    text = str(expr)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def small(expr, limit: int) -> bool:
    """At most ``limit`` tree nodes, counted without walking further (a DAG's tree can be huge).

    >>> x = sympy.Symbol("x")
    >>> small(x + 1, 3), small(x + 1, 2)
    (True, False)
    """
    return sum(1 for _ in islice(sympy.preorder_traversal(expr), limit + 1)) <= limit


__all__ = ["ClaimTooLarge", "MAX_EXPONENT", "MAX_MAGNITUDE", "MAX_NUMBER_BITS", "expanded_size",
           "magnitude", "number_too_large", "power_too_large", "short", "small", "tangled",
           "tangles", "build"]
