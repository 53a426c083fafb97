"""The sympy functions symprop adds to sympy's: activations, ``mod`` and ``where``.

Each derivative is written in terms of the function's own output where it can be
(``sigmoid' = sigmoid * (1 - sigmoid)``), as the seeds write it.

>>> import sympy
>>> z = sympy.Symbol("z")
>>> sympy.diff(sigmoid(z), z)
(1 - sigmoid(z))*sigmoid(z)
"""
from __future__ import annotations

import sympy
from sympy import Function, Heaviside, Integer, S
from sympy.core.function import ArgumentIndexError

# ReLU'(0) = 0 as in PyTorch; sympy's Heaviside defaults to 1/2 at 0.
RELU_STEP_AT_ZERO = 0


def step(x):
    """The unit step with the PyTorch convention at zero: ``step(0) == 0``.

    >>> step(sympy.Integer(0))
    0
    """
    return Heaviside(x, RELU_STEP_AT_ZERO)


class sigmoid(Function):
    r"""Logistic sigmoid ``1 / (1 + exp(-x))``; its derivative is ``s (1 - s)``."""

    nargs = 1

    def fdiff(self, argindex=1):
        return self * (1 - self)

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return S.Half

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sympy.exp(-x))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_real


class relu(Function):
    r"""Rectified linear unit ``max(0, x)``; derivative ``step(x)`` with ``step(0) = 0``."""

    nargs = 1

    def fdiff(self, argindex=1):
        # In terms of its own output: relu(x) > 0 exactly when x > 0.
        return step(self)

    @classmethod
    def eval(cls, x):
        if x.is_number and x.is_real:
            return sympy.Max(x, 0)

    def _eval_rewrite_as_Max(self, x, **kwargs):
        return sympy.Max(x, 0)

    def _eval_evalf(self, prec):
        return sympy.Max(self.args[0], 0)._eval_evalf(prec)


class leaky_relu(Function):
    r"""Leaky ReLU ``x if x > 0 else slope * x`` (default slope 0.01, PyTorch's)."""

    nargs = (1, 2)

    @classmethod
    def eval(cls, x, slope=None):
        if slope is None:
            return cls(x, sympy.Rational(1, 100))
        if x.is_number and x.is_real and slope.is_number:
            return x if x > 0 else slope * x

    def fdiff(self, argindex=1):
        x, slope = self.args
        # In the function's own output when the slope is a positive number
        # (then leaky_relu(x) > 0 exactly when x > 0); a slope that is itself a
        # parameter may be negative, so the step is then taken of x.
        positive = step(self) if slope.is_number and slope.is_positive else step(x)
        if argindex == 1:
            # PyTorch's gradient at 0 is the slope: step(0) = 0 gives that.
            return slope + (1 - slope) * positive
        if argindex == 2:
            return x * (1 - positive)
        raise ArgumentIndexError(self, argindex)

    def _eval_rewrite_as_Piecewise(self, x, slope, **kwargs):
        return sympy.Piecewise((x, x > 0), (slope * x, True))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.Piecewise)._eval_evalf(prec)


class mod(Function):
    r"""``x mod y`` with the sign of ``y``: Python's ``%``, ``sympy.Mod``, ``torch.remainder``.

    Its partials are torch's: ``d/dx = 1``, ``d/dy = -floor(x / y)`` (sympy's own
    Mod has no derivative, so graphs differentiate this twin of it).

    >>> x, y = sympy.symbols("x y")
    >>> sympy.diff(mod(x, y), y)
    -floor(x/y)
    >>> mod(sympy.Integer(7), sympy.Integer(-3))
    -2
    """

    nargs = 2

    @classmethod
    def eval(cls, x, y):
        if y.is_zero:
            raise ValueError("the modulus is zero")
        if (x.is_number and x.is_real is False) or (y.is_number and y.is_real is False):
            raise ValueError("mod of a number that is not real")
        if x.is_number and y.is_number:
            return sympy.Mod(x, y)

    def fdiff(self, argindex=1):
        x, y = self.args
        if argindex == 1:
            return Integer(1)
        if argindex == 2:
            return -sympy.floor(x / y)
        raise ArgumentIndexError(self, argindex)


class softplus(Function):
    r"""Softplus ``log(1 + exp(x))``; its derivative is the sigmoid of its input."""

    nargs = 1

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _eval_rewrite_as_log(self, x, **kwargs):
        return sympy.log(1 + sympy.exp(x))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.log)._eval_evalf(prec)


class identity(Function):
    """The identity activation: evaluates to its argument."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        return x


class softmax(Function):
    r"""Component ``k`` (1-based) of the softmax of ``z_1, ..., z_K``.

    ``softmax(k, z_1, ..., z_K) = exp(z_k) / sum_j exp(z_j)``; its partial with
    respect to ``z_j`` is ``a_k (delta_kj - a_j)``, in the outputs' own values.

    >>> z1, z2 = sympy.symbols("z1 z2")
    >>> sympy.diff(softmax(1, z1, z2), z2)
    -softmax(1, z1, z2)*softmax(2, z1, z2)
    """

    @classmethod
    def eval(cls, k, *logits):
        if not (k.is_Integer and 1 <= int(k) <= len(logits)):
            raise ValueError(
                f"softmax index {k} must be an integer from 1 to {len(logits)}")

    def fdiff(self, argindex=1):
        if argindex == 1:
            raise sympy.ArgumentIndexError(self, argindex)
        k, logits = int(self.args[0]), self.args[1:]
        j = argindex - 1
        other = softmax(Integer(j), *logits)
        return self * ((1 if j == k else 0) - other)

    def _eval_rewrite_as_exp(self, k, *logits, **kwargs):
        return sympy.exp(logits[int(k) - 1]) / sum(sympy.exp(z) for z in logits)

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)


def where(condition, a, b):
    """``a`` where ``condition`` holds, else ``b``: a Piecewise (a non-condition is an error).

    >>> x = sympy.Symbol("x")
    >>> where(x > 0, x, 0)
    Piecewise((x, x > 0), (0, True))
    """
    # A Symbol is a Boolean to sympy too; a condition is a Boolean that is no Expr.
    if not isinstance(condition, sympy.logic.boolalg.Boolean) or isinstance(condition,
                                                                            sympy.Expr):
        raise ValueError("the first argument must be a comparison, such as x > 0")
    return sympy.Piecewise((a, condition), (b, True))
