"""Layer-level (matrix-form) graphs, derivations and compiled gradients.

A batch of m examples is stored as columns, as in seed 001: ``Z1 = W1 X + b1``.

>>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> g.derive("W2").result
1/m*(A2 - Y)*A1.T
"""
from .graph import BATCH, MatrixGraph
from .nets import matrix_mlp
from .ops import Apply, Loss, Softmax, apply, batch_mean, batch_sum

__all__ = ["MatrixGraph", "matrix_mlp", "BATCH", "Apply", "Softmax", "Loss", "apply",
           "batch_sum", "batch_mean"]
