"""NumPy forms of the registry's functions.

Generated gradient modules copy these definitions verbatim (with
:func:`inspect.getsource`), so each is a short, standalone function of ``np``
alone, stable for large arguments.

>>> float(sigmoid(np.float64(-1000.0)))
0.0
"""
import numpy as np

__all__ = ["sigmoid", "relu", "leaky_relu", "softplus", "step", "softmax"]


def sigmoid(x):
    """Logistic sigmoid, without overflow for large |x|."""
    e = np.exp(-np.abs(x))
    return np.where(np.asarray(x) >= 0, 1 / (1 + e), e / (1 + e))


def relu(x):
    """max(0, x)."""
    return np.maximum(x, 0)


def leaky_relu(x, slope):
    """x where x > 0, slope * x elsewhere."""
    return np.where(np.asarray(x) > 0, x, slope * np.asarray(x))


def softplus(x):
    """log(1 + exp(x)), without overflow for large x."""
    return np.logaddexp(0, x)


def step(x, at_zero=0):
    """The unit step; its value at 0 is pinned to PyTorch's ReLU'(0) = 0."""
    return np.heaviside(x, at_zero)


def softmax(k, *logits):
    """Component k (1-based) of the softmax of the logits, shifted for stability."""
    top = np.maximum.reduce(np.broadcast_arrays(*logits))
    exps = [np.exp(z - top) for z in logits]
    return exps[k - 1] / sum(exps)
