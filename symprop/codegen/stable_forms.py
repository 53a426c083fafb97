"""NumPy forms that only generated code needs (copied verbatim into it, like
:mod:`symprop.numpy_forms`): the stable rewrites of :mod:`.stable` call them.

>>> float(logsumexp(np.float64(1000.0), np.float64(1000.0)))  # no overflow
1000.6931471805599
"""
import numpy as np

__all__ = ["logsumexp"]


def logsumexp(*logits):
    """log(sum_k exp(z_k)), shifted by the largest logit so that nothing overflows."""
    top = np.maximum.reduce(np.broadcast_arrays(*logits))
    return top + np.log(sum(np.exp(z - top) for z in logits))
