"""Stable forms of the logs a loss takes of a function's output, keyed by registry name.

``log(sigmoid(z))`` is ``-inf`` in float64 once ``z < -745``, though the loss it
belongs to is finite; PyTorch's ``binary_cross_entropy_with_logits`` and
``cross_entropy`` avoid that by never forming the probability.  Generated
forward passes (both forms) do the same with these identities:
``LOG_FORMS[name](*args)`` is ``log(f(*args))`` and
``LOG_COMPLEMENT_FORMS[name](*args)`` is ``log(1 - f(*args))``, each written
without forming ``f``.  (An :class:`~symprop.registry.functions.Entry` could
carry them as ``log_form`` and ``log_complement_form``.)

>>> import sympy
>>> z1, z2 = sympy.symbols("z1 z2")
>>> LOG_FORMS["sigmoid"](z1), LOG_COMPLEMENT_FORMS["sigmoid"](z1)
(-softplus(-z1), -softplus(z1))
>>> LOG_FORMS["softmax"](sympy.Integer(2), z1, z2)
z2 - logsumexp(z1, z2)
"""
from __future__ import annotations

import sympy

from .functions import softplus


class logsumexp(sympy.Function):
    """``log(sum_k exp(z_k))``; generated code calls a shifted form that never overflows.

    >>> logsumexp(sympy.Symbol("z")).rewrite(sympy.log)
    log(exp(z))
    """

    def _eval_rewrite_as_log(self, *logits, **kwargs):
        return sympy.log(sum(sympy.exp(z) for z in logits))


LOG_FORMS = {
    "sigmoid": lambda z: -softplus(-z),
    "softmax": lambda k, *logits: logits[int(k) - 1] - logsumexp(*logits),
}

LOG_COMPLEMENT_FORMS = {
    "sigmoid": lambda z: -softplus(z),
}

__all__ = ["LOG_COMPLEMENT_FORMS", "LOG_FORMS", "logsumexp"]
