"""A corpus of graphs shared by many tests: the seeds' examples first, then networks of our own.

Each builder returns a fresh :class:`symprop.Graph` (with ``.values`` set where the
seed gives a point).  Tests import ``CORPUS`` (name -> builder) or single builders.
"""
from symprop import Graph, mlp, sigmoid
from symprop.registry.functions import LOSSES
from symprop.front.seeds import (SEED_POINT, chain_rule_case1, chain_rule_case2,  # noqa: F401
                           logistic_regression, multiple_paths, seed_network)


def neuron(activation=sigmoid, loss="bce"):
    """One neuron: z = w x + b, a = activation(z), the per-example loss ``loss`` of a and y."""
    g = Graph()
    x, y = g.inputs("x y")
    w, b = g.params("w b")
    z = g.node("z", w * x + b)
    a = g.node("a", activation(z))
    g.loss("L", LOSSES[loss]([a], [y]))
    return g


CORPUS = {
    "logistic_regression": logistic_regression,
    "chain_rule_case1": chain_rule_case1,
    "chain_rule_case2": chain_rule_case2,
    "multiple_paths": multiple_paths,
    "seed_network": seed_network,
    "tanh_mse": lambda: mlp([2, 3, 2], activation="tanh", output="identity", loss="mse"),
    "relu_softmax_ce": lambda: mlp([2, 3, 3], activation="relu", output="softmax", loss="ce"),
    "relu_softmax_onehot": lambda: mlp([2, 3, 3], activation="relu", output="softmax",
                                       loss="ce", one_hot=True),
    "softplus_sigmoid_bce": lambda: mlp([3, 2, 2], activation="softplus"),
    "leaky_relu_mse": lambda: mlp([2, 2, 2, 1], activation="leaky_relu", loss="mse"),
}


def scaled_matrix_network(new_graph=None):
    """A matrix graph with scalar vertices: ``Z1 = c W1 X + b1``, ``c`` a scalar input,
    and ``Z2 = s W2 A1 + b2``, ``s`` a scalar parameter; built in ``new_graph()``
    (default ``MatrixGraph()``; a plain ``Graph()`` finds its form from the shapes)."""
    from symprop import MatrixGraph
    from symprop.ir.matrix_ops import Loss, Softmax, apply
    from symprop.registry.functions import tanh

    g = (new_graph or MatrixGraph)()
    c = g.input("c")     # first: the batch size is read from the first input that has one
    X, Y = g.input("X", 3), g.input("Y", 2)
    W1, b1 = g.param("W1", 4, 3), g.param("b1", 4, 1)
    W2, b2 = g.param("W2", 2, 4), g.param("b2", 2, 1)
    s = g.param("s")
    Z1 = g.node("Z1", c * (W1 * X) + g.broadcast(b1))
    A1 = g.node("A1", apply(tanh, Z1))
    Z2 = g.node("Z2", s * (W2 * A1) + g.broadcast(b2))
    A2 = g.node("A2", Softmax(Z2))
    g.loss("L", Loss("ce", A2, Y))
    g.one_hot(Y)
    return g


def tempered_matrix_network():
    """A matrix graph with a scalar node: a learned temperature ``t = exp(r)`` (``r`` a scalar
    parameter, so ``t > 0``) scales the logits, ``Z2 = t W2 A1 + b2``."""
    import sympy

    from symprop import MatrixGraph
    from symprop.ir.matrix_ops import Loss, Softmax, apply
    from symprop.registry.functions import relu

    g = MatrixGraph()
    X, Y = g.input("X", 3), g.input("Y", 2)
    W1, b1 = g.param("W1", 4, 3), g.param("b1", 4, 1)
    W2, b2 = g.param("W2", 2, 4), g.param("b2", 2, 1)
    t = g.node("t", sympy.exp(g.param("r")))
    A1 = g.node("A1", apply(relu, g.node("Z1", W1 * X + g.broadcast(b1))))
    A2 = g.node("A2", Softmax(g.node("Z2", t * (W2 * A1) + g.broadcast(b2))))
    g.loss("L", Loss("ce", A2, Y))
    g.one_hot(Y)
    return g


def decayed_matrix_network():
    """The post's ReLU/softmax network with L2 regularization, as *Improving Deep Neural
    Networks* writes it: ``L = (1/m) sum ce(A2, Y) + lambda/(2m) (||W1||^2 + ||W2||^2)``."""
    from symprop import matrix_mlp

    return matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True,
                      weight_decay=True)


def assert_programs_agree(graph, backend, seed=1, batch=5):
    """``graph``'s ``backend`` program gives NumPy's loss and gradients at a random point."""
    import numpy as np

    from symprop.check.points import random_point

    point = random_point(graph, np.random.default_rng(seed), batch)
    loss, grads = graph.compile()(**point)
    other_loss, others = graph.compile(backend=backend)(**point)
    assert abs(float(other_loss) - loss) < 1e-12
    for name, gradient in grads.items():
        np.testing.assert_allclose(np.asarray(others[name]), gradient, rtol=1e-10, atol=1e-13)
    return grads


def assert_matches_torch(program, values, backend, loss_expected, expected):
    """A compiled matrix network's loss and ``W{l}``, ``b{l}`` gradients equal torch's
    (``expected``: ``[(dW1, db1), ...]``), its inputs given in the backend's arrays."""
    import numpy as np
    import pytest

    if backend == "torch":
        import torch

        values = {k: torch.tensor(v) for k, v in values.items()}
    loss, grads = program(**values)
    assert float(loss) == pytest.approx(loss_expected, rel=1e-10)
    for l, (dW, db) in enumerate(expected, 1):
        np.testing.assert_allclose(np.asarray(grads[f"W{l}"]), dW, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(np.asarray(grads[f"b{l}"]), db, rtol=1e-9, atol=1e-12)


def example_specs(folder):
    """The example spec files of one graph each: a lesson file ([lesson]) composes several."""
    return sorted(p for p in folder.glob("*.toml") if "[lesson]" not in p.read_text())
