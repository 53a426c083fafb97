"""NumPy forms of the registry's functions.

Generated gradient modules copy these definitions verbatim (with
:func:`inspect.getsource`), so each is a short, standalone function of ``np``
and the standard library's ``math``, stable for large arguments.  Each has a
path for one example given as a plain Python float: ``math`` on floats is
several times faster than NumPy on scalars, which is what makes a small
network's compiled gradient many times faster than PyTorch's autograd.

>>> float(sigmoid(np.float64(-1000.0))), sigmoid(-1000.0)
(0.0, 0.0)
"""
import math

import numpy as np

__all__ = ["sigmoid", "relu", "leaky_relu", "softplus", "step", "softmax", "mod", "maximum",
           "minimum", "cot", "sec", "csc", "where", "gelu", "silu"]


def sigmoid(x):
    """Logistic sigmoid, without overflow for large |x|."""
    if type(x) is float:
        e = math.exp(-abs(x))  # in (0, 1]: never overflows
        return 1 / (1 + e) if x >= 0 else e / (1 + e)
    e = np.exp(-np.abs(x))
    s = 1 / (1 + e)  # sigmoid(|x|); sigmoid(-|x|) = e / (1 + e)
    return (x >= 0) * s + (x < 0) * (e * s)


def relu(x):
    """max(0, x)."""
    if type(x) is float:
        return x if x > 0 else 0.0
    return np.maximum(x, 0)


def leaky_relu(x, slope):
    """x where x > 0, slope * x elsewhere."""
    if type(x) is float:
        return x if x > 0 else slope * x
    return np.where(np.asarray(x) > 0, x, slope * np.asarray(x))


def softplus(x):
    """log(1 + exp(x)), without overflow for large x."""
    if type(x) is float:
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))
    return np.logaddexp(0, x)


def step(x, at_zero=0):
    """The unit step; its value at 0 is pinned to PyTorch's ReLU'(0) = 0."""
    if type(x) is float:
        return 1.0 if x > 0 else (float(at_zero) if x == 0 else 0.0)
    return np.heaviside(x, at_zero)


def softmax(k, *logits):
    """Component k (1-based) of the softmax of the logits, shifted for stability."""
    if all(type(z) is float for z in logits):
        top = max(logits)
        exps = [math.exp(z - top) for z in logits]
        return exps[k - 1] / sum(exps)
    top = np.maximum.reduce(np.broadcast_arrays(*logits))
    exps = [np.exp(z - top) for z in logits]
    return exps[k - 1] / sum(exps)


def mod(x, y):
    """x mod y with the sign of y (Python's %, torch.remainder)."""
    if type(x) is float and type(y) is float:
        return x % y if y != 0.0 else math.nan
    return np.mod(x, y)


def maximum(*args):
    """The largest argument, elementwise."""
    if all(type(a) in (float, int) for a in args):
        return float(max(args))
    return np.maximum.reduce(np.broadcast_arrays(*args))


def minimum(*args):
    """The smallest argument, elementwise."""
    if all(type(a) in (float, int) for a in args):
        return float(min(args))
    return np.minimum.reduce(np.broadcast_arrays(*args))


# sympy's own printer writes cot, sec and csc by rewriting the whole call in
# tan, which turns a tanh in the argument into tan of an imaginary number.
def cot(x):
    """1 / tan(x)."""
    return 1 / np.tan(x)


def sec(x):
    """1 / cos(x)."""
    return 1 / np.cos(x)


def csc(x):
    """1 / sin(x)."""
    return 1 / np.sin(x)


def where(condition, a, b):
    """a where condition holds, else b (both are computed, as np.where does)."""
    if isinstance(condition, (bool, np.bool_)):
        return a if condition else b
    return np.where(condition, a, b)


def gelu(x):
    """GELU, tanh approximation, as torch.nn.functional.gelu(x, approximate="tanh")."""
    if type(x) is float:
        return 0.5 * x * (1 + math.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)))


def silu(x):
    """x * sigmoid(x), without overflow for large |x|."""
    if type(x) is float:
        e = math.exp(-abs(x))
        return x / (1 + e) if x >= 0 else x * e / (1 + e)
    e = np.exp(-np.abs(x))
    return x * ((x >= 0) + (x < 0) * e) / (1 + e)
