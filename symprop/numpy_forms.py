"""NumPy forms of the registry's functions.

Generated gradient modules copy these definitions verbatim (with
:func:`inspect.getsource`), so each is a short, standalone function of ``np``
alone, stable for large arguments.

>>> float(sigmoid(np.float64(-1000.0)))
0.0
"""
import numpy as np

__all__ = ["sigmoid", "relu", "leaky_relu", "softplus", "step", "softmax"]


# Masks multiply rather than np.where: a scalar stays a scalar, which keeps a
# small network's gradient several times faster than PyTorch's call overhead.

def sigmoid(x):
    """Logistic sigmoid, without overflow for large |x|."""
    e = np.exp(-np.abs(x))  # in (0, 1]: never overflows
    s = 1 / (1 + e)  # sigmoid(|x|)
    return (x >= 0) * s + (x < 0) * (e * s)  # sigmoid(-|x|) = e / (1 + e)


def relu(x):
    """max(0, x)."""
    return (x + np.abs(x)) * 0.5


def leaky_relu(x, slope):
    """x where x > 0, slope * x elsewhere."""
    return x * ((x > 0) + slope * (x <= 0))


def softplus(x):
    """log(1 + exp(x)), without overflow for large x."""
    return (x + np.abs(x)) * 0.5 + np.log1p(np.exp(-np.abs(x)))


def step(x, at_zero=0):
    """The unit step; its value at 0 is pinned to PyTorch's ReLU'(0) = 0."""
    return 1.0 * (x > 0) + at_zero * (x == 0)


def softmax(k, *logits):
    """Component k (1-based) of the softmax of the logits, shifted for stability."""
    top = np.maximum.reduce(np.broadcast_arrays(*logits))
    exps = [np.exp(z - top) for z in logits]
    return exps[k - 1] / sum(exps)
