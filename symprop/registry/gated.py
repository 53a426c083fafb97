"""GELU and SiLU: activations that gate their input, ``x * gate(x)``.

Both are PyTorch's: ``gelu`` is ``torch.nn.functional.gelu(x, approximate="tanh")``,
``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``, and ``silu`` is
``torch.nn.functional.silu``, ``x sigmoid(x)``.  The constants are the floats
PyTorch uses, in exact form.  Their
NumPy forms are in :mod:`symprop.registry.numpy_forms`.

>>> import sympy
>>> x = sympy.Symbol("x")
>>> sympy.diff(silu(x), x)
x*(1 - sigmoid(x))*sigmoid(x) + sigmoid(x)
>>> round(float(gelu(sympy.Float(1.0))), 12), round(float(silu(sympy.Float(1.0))), 12)
(0.841191990608, 0.73105857863)
"""
from __future__ import annotations

import sympy
from sympy import Function
from sympy.core.function import ArgumentIndexError

from .hyperbolic import tanh

# Exact, so that a derivation printed in LaTeX reads back as the same number
# (a printed float has 15 digits); in float64 they are PyTorch's kBeta and kKappa.
GELU_SCALE = sympy.sqrt(2) / sympy.sqrt(sympy.pi)
GELU_CUBIC = sympy.Rational(44715, 1_000_000)


def _gelu_inner(x):
    return GELU_SCALE * (x + GELU_CUBIC * x ** 3)


class gelu(Function):
    r"""GELU, tanh approximation: ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``."""

    nargs = 1

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        x = self.args[0]
        t = tanh(_gelu_inner(x))
        slope = GELU_SCALE * (1 + 3 * GELU_CUBIC * x ** 2)
        return (1 + t) / 2 + x * (1 - t ** 2) * slope / 2

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sympy.S.Zero

    def _eval_rewrite_as_tanh(self, x, **kwargs):
        return x * (1 + tanh(_gelu_inner(x))) / 2

    def _eval_evalf(self, prec):
        return self.rewrite(tanh)._eval_evalf(prec)

    def _eval_is_real(self):
        return True if self.args[0].is_real else None


class silu(Function):
    r"""SiLU (swish): ``x sigmoid(x)``; its derivative is ``s + x s (1 - s)``."""

    nargs = 1

    def fdiff(self, argindex=1):
        from .classes import sigmoid

        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        x = self.args[0]
        return sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sympy.S.Zero

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return x / (1 + sympy.exp(-x))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        return True if self.args[0].is_real else None


def _torch():
    import torch  # optional: imported only when the oracle runs

    return torch


def gelu_torch(x):
    return _torch().nn.functional.gelu(x, approximate="tanh")


def silu_torch(x):
    return _torch().nn.functional.silu(x)
