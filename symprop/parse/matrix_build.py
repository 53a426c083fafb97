r"""Building a claim's value from its pieces: scalars, matrices, and ones whose shape comes later.

``\mathbf{1}`` takes the shape its neighbour needs (:class:`Ones`): ``E \mathbf{1}``
sums E's rows, ``\mathbf{1} - A`` is 1 in every entry of A.

>>> import sympy
>>> A = sympy.MatrixSymbol("A", 2, 3)
>>> twos = fit_ones("sum", A, Ones(sympy.Symbol("m")).times(2))[1]
>>> twos.shape, twos.as_coeff_mmul()[0]
((2, 3), 2)
"""
from __future__ import annotations

import functools

import sympy
from sympy import MatrixExpr, OneMatrix, ZeroMatrix

from ..verify.claim_bounds import magnitude, number_too_large
from ..registry.functions import CALLABLE, REGISTRY
from ..ir import matrix_ops as ops
from ..derive.simplify import tidy_closed_form
from .latex_text import LatexReadError

MAX_WRITTEN_OUT = 20000    # operations of a claim with every function written out entry by entry


def is_matrix(x) -> bool:
    return isinstance(x, MatrixExpr)


class Ones:
    r"""``\mathbf{1}`` before its shape is known: it takes the shape its neighbour needs.

    ``E \mathbf{1}`` sums E's rows (m x 1 for a batch), ``\mathbf{1} - A`` is 1 in
    every entry of A, ``\mathbf{1} Y`` is a square ones matrix (column totals),
    ``\mathbf{1}^{\top} E`` sums its columns; alone it is the m x 1 ones column.
    """

    def __init__(self, batch, transposed=False, coeff=sympy.Integer(1)):
        self.batch, self.transposed, self.coeff = batch, transposed, coeff

    @property
    def T(self):
        return Ones(self.batch, not self.transposed, self.coeff)

    def times(self, c):
        return Ones(self.batch, self.transposed, c * self.coeff)

    def alone(self):
        return self._scaled(OneMatrix(1, self.batch) if self.transposed
                            else OneMatrix(self.batch, 1))

    def beside(self, op, other, on_left: bool):
        return self._scaled(self._shaped(op, other.shape, on_left))

    def _shaped(self, op, shape, on_left):
        rows, cols = shape
        if op != "product":
            return OneMatrix(rows, cols)              # entry by entry
        if on_left:
            return OneMatrix(1, rows) if self.transposed else OneMatrix(rows, rows)
        if not self.transposed:
            return OneMatrix(cols, 1)
        return OneMatrix(1, self.batch) if cols == 1 else OneMatrix(cols, cols)

    def _scaled(self, ones):
        return ones if self.coeff == 1 else ops.scale(self.coeff, ones)


def settled(x):
    r"""A value whose shape no neighbour will tell: ``\mathbf{1}`` alone is the ones column."""
    return x.alone() if isinstance(x, Ones) else x


def fit_ones(op, left, right):
    scalar = not (is_matrix(left) or is_matrix(right))
    if op in ("product", "Hadamard product") and scalar and (
            isinstance(left, Ones) != isinstance(right, Ones)):
        return left, right                        # (1/100) 1: still waiting for a shape
    if isinstance(left, Ones) and is_matrix(right):
        return left.beside(op, right, on_left=True), right
    if isinstance(right, Ones) and is_matrix(left):
        return left, right.beside(op, left, on_left=False)
    return settled(left), settled(right)


def negate(x):
    if isinstance(x, Ones):
        return x.times(-1)
    return ops.scale(-1, x) if is_matrix(x) else -x


def scalar_times(x, y):
    x, y = (y, x) if is_matrix(x) or isinstance(x, Ones) else (x, y)
    if isinstance(y, Ones) and not (is_matrix(x) or isinstance(x, Ones)):
        return y.times(x)                         # (1/100) 1: its shape is still to come
    x, y = settled(x), settled(y)
    if is_matrix(y) and x == 0:                   # 0 (A_2 - Y): a zero matrix, not 0 + 0
        return ZeroMatrix(*y.shape)
    return ops.scale(x, y) if is_matrix(y) else x * y


def written_out_size(x, cap: int = MAX_WRITTEN_OUT) -> int:
    r"""Operations in ``x`` once each entry-by-entry function is written out, capped at ``cap + 1``.

    Generated code writes ``\sigma'''(U)`` as its formula with U in every place
    of its variable, so functions nested in functions grow as the product of
    those counts: ``\sigma'''(\sigma'''(\sigma'''(\sigma'''(Z))))`` is 4^4 copies of Z.

    >>> z = sympy.MatrixSymbol("Z", 2, 2)
    >>> written_out_size(apply_function("sigmoid", apply_function("sigmoid", z, 3), 3)) > 40
    True
    """
    if isinstance(x, ops.Apply):
        d, body = x.function.variables[0], x.function.expr
        uses = sum(1 for e in sympy.preorder_traversal(body) if e == d)
        size = sum(1 for _ in sympy.preorder_traversal(body)) - uses
        return min(cap + 1, size + uses * written_out_size(x.arg, cap))
    if not isinstance(x, sympy.Basic) or not x.args:
        return 1
    total = 1
    for a in x.args:
        total = min(cap + 1, total + written_out_size(a, cap))
    return total


def has_large_number(x) -> bool:
    """Whether a number in ``x`` (a scalar, a matrix expression or pending ones) is beyond 10^300.

    >>> has_large_number(sympy.Integer(10)**310 * sympy.MatrixSymbol("A", 2, 2))
    True
    """
    x = x.coeff if isinstance(x, Ones) else x
    return isinstance(x, sympy.Basic) and any(number_too_large(a) for a in x.atoms(sympy.Rational))


def apply_function(name: str, argument, primes: int = 0, where: str = "", others=(None,)):
    """The registry's ``name`` (differentiated ``primes`` times) entry by entry on ``argument``.

    ``others`` are its arguments with None in the place of ``argument`` and numbers
    elsewhere (``\\max(0, Z)``: ``(0, None)``).  ``where`` ends the message of a
    :class:`LatexReadError`: a derivative that is no function of real numbers
    (``floor'``, ``relu''``), or functions nested so that, written out, they exceed
    MAX_WRITTEN_OUT operations.

    >>> apply_function("max", sympy.Integer(-3), others=(0, None))
    0
    """
    if REGISTRY[name].vector_valued:             # of a whole column, not entry by entry
        return ops.Softmax(argument)
    f = _derivative(CALLABLE[name], primes, tuple(others))
    if f.expr.has(sympy.Derivative, sympy.DiracDelta, sympy.re, sympy.im):
        raise LatexReadError(f"symprop does not evaluate {name}{chr(39) * primes}: that "
                             f"derivative is not a function of real numbers{where}")
    if isinstance(argument, ZeroMatrix):          # H(0 A): f(0) in every entry
        return scalar_times(apply_function(name, sympy.Integer(0), primes, where, others),
                            OneMatrix(*argument.shape))
    if not is_matrix(argument) or f.expr.free_symbols - {f.variables[0]}:
        if argument.free_symbols or f.expr.free_symbols - {f.variables[0]}:
            vertices = not is_matrix(argument) and any(  # a scalar vertex; m is an integer
                not v.is_integer for v in argument.free_symbols)
            what = f"the scalar {argument}" if vertices else "the batch size"
            raise LatexReadError(f"{name} of {what} is not read: functions apply to "
                                 f"matrices, entry by entry{where}")
        value = magnitude(f(argument), {})       # bounded: exp(exp(exp(exp(2)))) is refused
        if value is None or not value.is_real or not value.is_finite:
            raise LatexReadError(f"{name}({argument}) is not a finite real number{where}")
        return sympy.Rational(float(value))      # as exact as a float, and printable as code
    value = ops.apply(f, argument)
    if written_out_size(value) > MAX_WRITTEN_OUT:
        raise LatexReadError(f"functions nest too deeply in {name}(...): written out entry by "
                             f"entry it has more than {MAX_WRITTEN_OUT} operations{where}")
    return value


@functools.lru_cache(maxsize=None)
def _derivative(function, primes: int, others: tuple) -> sympy.Lambda:
    """``function`` of ``others`` (a variable in place of None), differentiated ``primes`` times."""
    d = sympy.Dummy("d")
    body = function(*(d if a is None else a for a in others))
    for _ in range(primes):
        body = tidy_closed_form(sympy.diff(body, d))
    return sympy.Lambda(d, body)


__all__ = ["MAX_WRITTEN_OUT", "Ones", "apply_function", "fit_ones",
           "has_large_number", "is_matrix", "negate", "scalar_times", "settled",
           "written_out_size"]
