"""The losses ``mlp()`` and spec files take, per example.

>>> import sympy
>>> a, y = sympy.symbols("a y")
>>> LOSSES["mse"]([a], [y])
(a - y)**2
"""
import sympy

# Per example, over the output activations ``a_k`` and targets ``y_k``; each
# builds an ordinary expression, so the lesson's formulas appear as written.
def binary_cross_entropy(outputs, targets):
    """``sum_k -y_k log a_k - (1 - y_k) log(1 - a_k)``, the lesson's log loss."""
    return sympy.Add(*(-y * sympy.log(a) - (1 - y) * sympy.log(1 - a)
                       for a, y in zip(outputs, targets)))


def squared_error(outputs, targets):
    """``sum_k (a_k - y_k)^2``."""
    return sympy.Add(*((a - y) ** 2 for a, y in zip(outputs, targets)))


def half_squared_error(outputs, targets):
    """``sum_k (a_k - y_k)^2 / 2``: the quadratic cost with the 1/2 (Nielsen's, Bishop's),
    whose derivative is ``a_k - y_k`` with no 2."""
    return sympy.Add(*((a - y) ** 2 / 2 for a, y in zip(outputs, targets)))


def cross_entropy(outputs, targets):
    """``-sum_k y_k log a_k``, over a softmax output."""
    return -sympy.Add(*(y * sympy.log(a) for a, y in zip(outputs, targets)))


LOSSES = {"bce": binary_cross_entropy, "mse": squared_error, "mse_half": half_squared_error,
          "ce": cross_entropy}
