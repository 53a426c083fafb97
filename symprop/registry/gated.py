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


class _Gated(Function):
    """``x * gate(x)``: one argument, 0 at 0, real where ``x`` is; each class gives its
    ``derivative(x)`` and its ``closed_form(x)`` in elementary functions (for evalf)."""

    nargs = 1

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return self.derivative(self.args[0])

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sympy.S.Zero

    def _eval_evalf(self, prec):
        return self.closed_form(self.args[0])._eval_evalf(prec)

    def _eval_is_real(self):
        return True if self.args[0].is_real else None


class gelu(_Gated):
    r"""GELU, tanh approximation: ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``."""

    @staticmethod
    def derivative(x):
        t = tanh(_gelu_inner(x))
        slope = GELU_SCALE * (1 + 3 * GELU_CUBIC * x ** 2)
        return (1 + t) / 2 + x * (1 - t ** 2) * slope / 2

    @staticmethod
    def closed_form(x):
        return x * (1 + tanh(_gelu_inner(x))) / 2

    def _eval_rewrite_as_tanh(self, x, **kwargs):
        return self.closed_form(x)


class silu(_Gated):
    r"""SiLU (swish): ``x sigmoid(x)``; its derivative is ``s + x s (1 - s)``."""

    @staticmethod
    def derivative(x):
        from .classes import sigmoid

        return sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))

    @staticmethod
    def closed_form(x):
        return x / (1 + sympy.exp(-x))

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return self.closed_form(x)


def _torch():
    import torch  # optional: imported only when the oracle runs

    return torch


def gelu_torch(x):
    return _torch().nn.functional.gelu(x, approximate="tanh")


def silu_torch(x):
    return _torch().nn.functional.silu(x)
