"""`matrix_mlp()`: the lesson's network in matrix form, ``Z_l = W_l A_{l-1} + b_l``, ``A_l = f(Z_l)``.

>>> g = matrix_mlp([784, 256, 256, 10], activation="relu", output="softmax", loss="ce")
>>> [str(p) for p in g.param_symbols]
['W1', 'b1', 'W2', 'b2', 'W3', 'b3']
>>> g.shape("W1"), g.shape("X")
((256, 784), (784, m))
"""
from __future__ import annotations

from ..errors import SympropError
from ..registry.functions import CALLABLE, REGISTRY
from .nets import check_mlp_arguments
from ..ir import matrix_ops as ops
from ..ir.graph import Graph


def _activation(kind, Z):
    # A vector-valued function (softmax) maps each column; the others apply entry by entry.
    return ops.Softmax(Z) if REGISTRY[kind].vector_valued else ops.apply(CALLABLE[kind], Z)


def matrix_mlp(layers, activation="sigmoid", output="sigmoid", loss="bce",
               one_hot=False, weight_decay=False) -> Graph:
    r"""A fully connected network on a batch: inputs ``X`` (n0 x m), targets ``Y`` (nL x m).

    Identifiers follow docs/notation.md's matrix form: ``W{l}``, ``b{l}``, ``Z{l}``,
    ``A{l}``, loss ``L`` (the per-example loss summed over the batch and divided
    by m).  ``one_hot=True`` declares that each column of ``Y`` sums to 1.
    ``weight_decay=True`` adds L2 regularization, ``lambda/(2m) sum_l ||W_l||_F^2``, the
    rate ``lam`` (printed ``\lambda``) an input given with the data, so that
    ``dW_l = ... + (lambda/m) W_l``.

    >>> g = matrix_mlp([3, 2], output="softmax", loss="ce", one_hot=True, weight_decay=True)
    >>> g.derive("W1").result
    (lam/m)*W1 + 1/m*(A1 - Y)*X.T
    """
    check_mlp_arguments(layers, activation, output, loss)
    if not isinstance(weight_decay, bool):
        raise SympropError(f"weight_decay must be True or False, got {weight_decay!r}")
    g = Graph(form="matrix")
    X, Y = g.input("X", layers[0]), g.input("Y", layers[-1])
    rate = g.input("lam", latex=r"\lambda") if weight_decay else None
    previous, depth = X, len(layers) - 1
    for l in range(1, depth + 1):
        W = g.param(f"W{l}", layers[l], layers[l - 1])
        b = g.param(f"b{l}", layers[l], 1)
        Z = g.node(f"Z{l}", W * previous + g.broadcast(b))
        previous = g.node(f"A{l}", _activation(output if l == depth else activation, Z))
    weights = [g.symbol(f"W{l}") for l in range(1, depth + 1)] if weight_decay else []
    g.loss("L", ops.Loss(loss, previous, Y, decay=rate / g.batch if weight_decay else 0,
                         weights=weights))
    if one_hot:
        g.one_hot(Y)
    return g


__all__ = ["matrix_mlp"]
