"""NumPy forms that only generated code needs (copied verbatim into it, like
:mod:`symprop.registry.numpy_forms`): the stable rewrites of :mod:`.stable` call them.

>>> float(logsumexp(np.float64(1000.0), np.float64(1000.0)))  # no overflow
1000.6931471805599
"""
import math

import numpy as np

__all__ = ["logsumexp"]


def logsumexp(*logits):
    """log(sum_k exp(z_k)), shifted by the largest logit so that nothing overflows."""
    if all(type(z) is float for z in logits):
        top = max(logits)
        return top + math.log(sum(math.exp(z - top) for z in logits))
    top = np.maximum.reduce(np.broadcast_arrays(*logits))
    return top + np.log(sum(np.exp(z - top) for z in logits))
