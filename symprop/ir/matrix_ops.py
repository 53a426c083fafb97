"""Layer-level operations: the matrix expressions a node of a graph in matrix form may use.

Products, sums, transposes and Hadamard products are sympy's own matrix
expressions; this module adds what sympy lacks for networks: an elementwise
application of a scalar function (:class:`Apply`), the softmax over the class
axis (:class:`Softmax`), the registry's losses averaged over the batch
(:class:`Loss`), and small builders that keep scalar factors in front
(``1/m`` stays outside a Hadamard product, as the lesson writes it).

>>> import sympy
>>> from symprop.registry.functions import relu
>>> m = sympy.Symbol("m", integer=True, positive=True)
>>> Z = sympy.MatrixSymbol("Z", 3, m)
>>> apply(relu, Z).shape
(3, m)
>>> lift(sympy.Symbol("a") * (1 - sympy.Symbol("a")), {sympy.Symbol("a"): Z}, Z.shape)
HadamardProduct(Z, -Z + 1)
"""
from __future__ import annotations

import sympy
from sympy.core.sympify import _sympify  # objects only: a string is refused, never parsed
from sympy import (HadamardPower, HadamardProduct, Lambda, MatAdd, MatMul, MatrixExpr,
                   OneMatrix)
from sympy.core.symbol import Str

from ..errors import SympropError
from ..registry.functions import LOSSES


class _ShapedLikeItsArgument(MatrixExpr):
    """A matrix the shape of its last argument, ``arg``."""

    @property
    def arg(self):
        return self.args[-1]

    @property
    def shape(self):
        return self.arg.shape


class Apply(_ShapedLikeItsArgument):
    """``f`` applied entry by entry: ``Apply(Lambda(d, f(d)), Z)``, the shape of ``Z``."""

    def __new__(cls, function, arg):
        return super().__new__(cls, function, arg)

    @property
    def function(self) -> Lambda:
        return self.args[0]

    def _entry(self, i, j, **kwargs):
        return self.function(self.arg._entry(i, j, **kwargs))


class Softmax(_ShapedLikeItsArgument):
    """The softmax of each column of ``Z`` (classes as rows, examples as columns)."""

    def __new__(cls, arg):
        return super().__new__(cls, arg)

    def _entry(self, i, j, **kwargs):
        rows = self.arg.shape[0]
        column = [sympy.exp(self.arg._entry(k, j)) for k in range(rows)]
        return column[i] / sympy.Add(*column)


class Loss(sympy.Expr):
    """A registry loss summed over outputs and examples and divided by the batch size, plus
    an optional weight decay.

    ``Loss("ce", A, Y) = (1/m) sum_{k,j} -Y_kj log A_kj``: the per-example loss of
    docs/notation.md averaged over the ``m`` columns.  ``decay=c, weights=(W1, W2)``
    adds ``(c/2) (||W1||_F^2 + ||W2||_F^2)``, L2 regularization: ``c = lambda/m`` is
    the penalty ``lambda/(2m) sum ||W||^2`` of *Improving Deep Neural Networks*, a
    constant ``c`` PyTorch's ``weight_decay=c``.  Each weight's gradient gains ``c W``.

    >>> m = sympy.Symbol("m", integer=True, positive=True)
    >>> A, Y, W = (sympy.MatrixSymbol(n, *s) for n, s in (("A", (2, m)), ("Y", (2, m)),
    ...                                                   ("W", (2, 3))))
    >>> Loss("mse", A, Y, decay=sympy.Symbol("lam") / m, weights=(W,)).penalty()
    lam*Trace(W*W.T)/(2*m)
    """

    is_commutative = True

    def __new__(cls, name, outputs, targets, decay=0, weights=()):
        name = name.name if isinstance(name, Str) else str(name)
        if name not in LOSSES:
            raise SympropError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}")
        if outputs.shape != targets.shape:
            raise SympropError(f"loss {name}: outputs have shape {outputs.shape} "
                               f"but targets have shape {targets.shape}")
        weights = tuple(weights)
        if isinstance(decay, (int, float)) and not isinstance(decay, bool):
            decay = sympy.Float(decay) if isinstance(decay, float) else sympy.Integer(decay)
        if not isinstance(decay, sympy.Expr) or isinstance(decay, MatrixExpr) \
                or not all(isinstance(w, sympy.MatrixSymbol) for w in weights) \
                or len(set(weights)) != len(weights):
            raise SympropError(f"loss {name}: decay must be a number or a scalar expression "
                               "and weights distinct declared matrices")
        if (decay == 0) != (not weights):
            raise SympropError(f"loss {name}: a weight decay needs both decay= (its "
                               "coefficient) and weights= (the matrices it shrinks)")
        if not weights:
            return super().__new__(cls, Str(name), outputs, targets)
        return super().__new__(cls, Str(name), outputs, targets, decay, sympy.Tuple(*weights))

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def outputs(self):
        return self.args[1]

    @property
    def targets(self):
        return self.args[2]

    @property
    def decay(self):
        """The weight decay's coefficient c, 0 without one: the penalty is (c/2) sum ||W||^2."""
        return self.args[3] if len(self.args) > 3 else sympy.Integer(0)

    @property
    def weights(self) -> tuple:
        """The matrices the weight decay shrinks, () without one."""
        return tuple(self.args[4]) if len(self.args) > 3 else ()

    def penalty(self):
        """``(c/2) sum tr(W W^T)``: the weight decay as a scalar expression, 0 without one."""
        return self.decay / 2 * sympy.Add(*(sympy.Trace(MatMul(w, w.T)) for w in self.weights))

    @property
    def batch(self):
        return self.outputs.shape[1]

    def per_entry(self):
        """``(loss(a, y), a, y)``: the registry's scalar loss for one entry, with its dummies."""
        a, y = sympy.Dummy("a"), sympy.Dummy("y")
        return LOSSES[self.name]([a], [y]), a, y


# ------------------------------------------------------------------ builders
def _scalar_and_matrix(x):
    """``(c, M)`` with ``x = c * M`` and ``c`` a scalar."""
    if isinstance(x, MatMul):
        coeff, rest = x.as_coeff_mmul()
        return coeff, MatMul(*rest.args).doit(deep=False) if len(rest.args) > 1 else rest.args[0]
    return sympy.Integer(1), x


def scale(c, x):
    """``c * x`` with the scalar in front (``1 * x`` is ``x``)."""
    return x if c == 1 else MatMul(c, x).doit(deep=False)


def matmul(*xs):
    """The matrix product, scalars gathered in front."""
    return MatMul(*xs).doit(deep=False)


def shape_of(symbol) -> tuple:
    """A vertex's shape: a matrix's ``(rows, cols)``, ``()`` for a scalar vertex."""
    return tuple(symbol.shape) if isinstance(symbol, MatrixExpr) else ()


def holds_examples(symbol, batch) -> bool:
    """Whether ``symbol`` has one column per example (``rows x m``, ``m`` the batch size)."""
    return shape_of(symbol)[1:] == (batch,)


def zero_like(symbol):
    """The zero of ``symbol``'s shape: a zero matrix, or 0 for a scalar vertex."""
    return sympy.ZeroMatrix(*symbol.shape) if isinstance(symbol, MatrixExpr) else sympy.Integer(0)


def add(*xs):
    """The sum of matrix terms (zero terms dropped)."""
    xs = [x for x in xs if not (isinstance(x, sympy.Expr) and x.is_zero)]
    if len(xs) == 1:
        return xs[0]
    return MatAdd(*xs).doit(deep=False)


def hadamard(*xs):
    """The Hadamard product, scalar factors and all-ones factors pulled out."""
    coeff, factors = sympy.Integer(1), []
    for x in xs:
        c, matrix = _scalar_and_matrix(x)
        coeff *= c
        if isinstance(matrix, HadamardProduct):
            factors.extend(matrix.args)
        elif not isinstance(matrix, OneMatrix):
            factors.append(matrix)
    if not factors:
        return scale(coeff, OneMatrix(*xs[0].shape))
    body = factors[0] if len(factors) == 1 else HadamardProduct(*factors)
    return scale(coeff, body)


def apply(function, arg):
    """``function`` (a sympy function class or a one-argument Lambda) entry by entry."""
    if not isinstance(function, Lambda):
        d = sympy.Dummy("d")
        function = Lambda(d, function(d))
    return Apply(function, arg)


def broadcast(column, batch):
    """A column vector repeated over the batch: ``b 1^T`` (``b`` is ``n x 1``)."""
    return MatMul(column, OneMatrix(1, batch))


def batch_sum(x):
    """The row sums ``x 1`` over the batch (an ``n x 1`` column)."""
    return MatMul(x, OneMatrix(x.shape[1], 1))


def batch_mean(x):
    """The mean over the batch, ``(1/m) x 1``."""
    return scale(1 / x.shape[1], batch_sum(x))


def substitute(expr, mapping):
    """``expr`` with ``mapping`` applied, products and sums rebuilt so scalars come to the front.

    >>> A, B = sympy.MatrixSymbol("A", 2, 2), sympy.MatrixSymbol("B", 2, 2)
    >>> substitute(A * B, {B: scale(3, A)})
    3*A**2
    """
    if expr in mapping:
        return mapping[expr]
    if not expr.args or not (expr.free_symbols & set(mapping)) and not expr.has(*mapping):
        return expr
    args = [substitute(a, mapping) for a in expr.args]
    builder = {MatMul: matmul, MatAdd: add, HadamardProduct: hadamard,
               sympy.Trace: trace}.get(type(expr), expr.func)
    return builder(*args)


def trace(x):
    """``tr(x)`` with ``x``'s scalar factor in front: ``tr(1/m G M^T)`` is ``1/m tr(G M^T)``."""
    coeff, matrix = _scalar_and_matrix(x)
    return coeff * sympy.Trace(matrix)


# ------------------------------------------------------------------ scalar -> matrix
def lift(expr, mapping, shape):
    """A scalar expression in the dummies of ``mapping`` as an elementwise matrix expression.

    Products become Hadamard products, powers Hadamard powers, constants
    all-ones matrices and any other function an :class:`Apply`.  A constant
    expression comes back as a scalar.
    """
    expr = _sympify(expr)
    if not expr.free_symbols & set(mapping):
        return expr
    if expr in mapping:
        return mapping[expr]
    if expr.is_Add:
        terms = [lift(t, mapping, shape) for t in expr.args]
        return add(*(scale(t, OneMatrix(*shape)) if not isinstance(t, MatrixExpr) else t
                     for t in terms))
    if expr.is_Mul:
        coeff, factors = sympy.Integer(1), []
        for f in expr.args:
            lifted = lift(f, mapping, shape)
            if isinstance(lifted, MatrixExpr):
                factors.append(lifted)
            else:
                coeff *= lifted
        return scale(coeff, hadamard(*factors))
    if expr.is_Pow and expr.exp.is_Integer:
        return HadamardPower(lift(expr.base, mapping, shape), expr.exp)
    symbols = expr.free_symbols & set(mapping)
    if len(symbols) != 1:
        raise SympropError(f"cannot write {expr} entry by entry: it mixes {sorted(map(str, symbols))}")
    (s,) = symbols
    d = sympy.Dummy("d")
    return Apply(Lambda(d, expr.xreplace({s: d})), mapping[s])


__all__ = ["Apply", "Softmax", "Loss", "apply", "broadcast", "batch_sum", "batch_mean",
           "hadamard", "matmul", "add", "scale", "lift", "substitute"]
