"""Stable forms of the logs a loss takes of a function's output; entries carry them.

``log(sigmoid(z))`` is ``-inf`` in float64 once ``z < -745``, though the loss it
belongs to is finite; PyTorch's ``binary_cross_entropy_with_logits`` and
``cross_entropy`` avoid that by never forming the probability.  Generated
forward passes (both forms) do the same with these identities.  Each is the
``log_form`` (``log f(args)``) or ``log_complement_form`` (``log(1 - f(args))``)
of one :class:`~symprop.registry.entry.Entry`, written without forming ``f``;
the code generator reads them from the entry (:mod:`symprop.codegen.stable`).

>>> import sympy
>>> z1, z2 = sympy.symbols("z1 z2")
>>> log_sigmoid(z1), log_one_minus_sigmoid(z1)
(-softplus(-z1), -softplus(z1))
>>> log_softmax(sympy.Integer(2), z1, z2)
z2 - logsumexp(z1, z2)
"""
from __future__ import annotations

import sympy

from .classes import softplus


class logsumexp(sympy.Function):
    """``log(sum_k exp(z_k))``; generated code calls a shifted form that never overflows.

    >>> logsumexp(sympy.Symbol("z")).rewrite(sympy.log)
    log(exp(z))
    """

    def _eval_rewrite_as_log(self, *logits, **kwargs):
        return sympy.log(sum(sympy.exp(z) for z in logits))


def log_sigmoid(z):
    """``log(sigmoid(z)) = -softplus(-z)``: the sigmoid entry's ``log_form``."""
    return -softplus(-z)


def log_one_minus_sigmoid(z):
    """``log(1 - sigmoid(z)) = -softplus(z)``: the sigmoid entry's ``log_complement_form``."""
    return -softplus(z)


def log_softmax(k, *logits):
    """``log(softmax(k, z_1, ..., z_K)) = z_k - logsumexp(z_1, ..., z_K)``."""
    return logits[int(k) - 1] - logsumexp(*logits)


__all__ = ["log_one_minus_sigmoid", "log_sigmoid", "log_softmax", "logsumexp"]
