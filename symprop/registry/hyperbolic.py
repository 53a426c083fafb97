"""Twins of sympy's ``tanh``, ``sinh`` and ``cosh`` whose assumptions are cheap.

sympy's own classes answer "is this real?" by splitting the argument into real
and imaginary parts (``as_real_imag``, then ``im % pi``).  For an argument that
is itself such a function the question recurses at every level and the parts
expand: ten nested ``sympy.tanh`` take 13 s just to construct.  The twins are
subclasses with the same names, values, printing and rewrites, but they ask the
argument only for its own assumptions (real when the argument is extended-real,
else unknown), so a chain of ``n`` of them costs ``n`` queries.  Their
derivatives are written with the twins themselves, so a derivative of a twin
never brings sympy's slow class back.

>>> import sympy
>>> x = sympy.Symbol("x")
>>> deep = x
>>> for _ in range(40):
...     deep = tanh(deep)
>>> deep.is_real is None
True
>>> sympy.diff(tanh(x), x)
1 - tanh(x)**2
>>> type(sympy.diff(sinh(x), x)) is cosh
True
>>> sympy.expand(tanh(x) - sympy.tanh(x)), tanh(x) == sympy.tanh(x)
(0, True)
"""
from __future__ import annotations

import sympy
from sympy.core.function import ArgumentIndexError


def _if_real(arg, answer):
    """``answer()`` when ``arg`` is known extended-real, else None (unknown)."""
    return answer() if arg.is_extended_real else None


class _CheapAssumptions:
    """Assumptions read from the argument's own assumptions only, never its parts.

    A twin is the same function as sympy's class, so it equals sympy's with the
    same argument (and hashes alike: sympy hashes by class name and arguments),
    and ``tanh(x) - sympy.tanh(x)`` is 0 wherever the two meet (a user's
    expression, a claim).
    """

    def __eq__(self, other):
        if type(other) in type(self).__bases__:   # the sympy class this twins
            return self.args == other.args
        return super().__eq__(other)

    __hash__ = sympy.Basic.__hash__

    def _eval_is_extended_real(self):
        return True if self.args[0].is_extended_real else None

    def _eval_is_real(self):
        return True if self.args[0].is_real else None

    def _eval_is_finite(self):
        return True if self.args[0].is_real else None


class _SignOfArgument:
    """For an odd, increasing function through 0 (tanh, sinh): the sign of its argument."""

    def _eval_is_positive(self):
        return _if_real(self.args[0], lambda: self.args[0].is_extended_positive)

    def _eval_is_negative(self):
        return _if_real(self.args[0], lambda: self.args[0].is_extended_negative)

    def _eval_is_zero(self):
        return _if_real(self.args[0], lambda: self.args[0].is_zero)


class tanh(_SignOfArgument, _CheapAssumptions, sympy.tanh):
    """sympy's ``tanh`` with cheap assumptions; ``tanh' = 1 - tanh**2``."""

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return 1 - self ** 2

    def _eval_is_finite(self):  # bounded by 1 on the whole extended real line
        return True if self.args[0].is_extended_real else None


class sinh(_SignOfArgument, _CheapAssumptions, sympy.sinh):
    """sympy's ``sinh`` with cheap assumptions; ``sinh' = cosh``."""

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return cosh(self.args[0])


class cosh(_CheapAssumptions, sympy.cosh):
    """sympy's ``cosh`` with cheap assumptions; ``cosh' = sinh``."""

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return sinh(self.args[0])

    def _eval_is_positive(self):  # cosh of a real number is at least 1
        return True if self.args[0].is_real else None

    def _eval_is_nonnegative(self):
        return True if self.args[0].is_real else None

    def _eval_is_zero(self):
        return False if self.args[0].is_real else None


# sympy's classes that graphs replace by these twins (see symprop.registry.functions.TWINS).
HYPERBOLIC_TWINS = {sympy.tanh: tanh, sympy.sinh: sinh, sympy.cosh: cosh}
