"""A corpus of graphs shared by many tests: the seeds' examples first, then networks of our own.

Each builder returns a fresh :class:`symprop.Graph` (with ``.values`` set where the
seed gives a point).  Tests import ``CORPUS`` (name -> builder) or single builders.
"""
import sympy

from symprop import Graph, mlp, sigmoid

SEED_POINT = {"x1": 1.5, "x2": 2.5, "w1": -4.0, "w2": 3.0, "b": -1.0, "y": 1.0}


def logistic_regression():
    """Seed 000's computation graph: z = w1 x1 + w2 x2 + b, yhat = sigmoid(z), log loss."""
    g = Graph()
    x1, x2, y = g.inputs("x1 x2 y")
    w1, w2, b = g.params("w1 w2 b")
    z = g.node("z", w1 * x1 + w2 * x2 + b)
    yhat = g.node("yhat", sigmoid(z))
    g.loss("L", -y * sympy.log(yhat) - (1 - y) * sympy.log(1 - yhat))
    g.values = dict(SEED_POINT)
    return g


def chain_rule_case1():
    """Seed 000, chain rule case 1: f = g^2, g = e^x + x."""
    g = Graph()
    x = g.params("x")
    gx = g.node("g", sympy.exp(x) + x)
    g.loss("f", gx ** 2)
    return g


def chain_rule_case2():
    """Seed 000, chain rule case 2: f = h g - sin(h), g = 3x + 1, h = x^2."""
    g = Graph()
    x = g.params("x")
    gx = g.node("g", 3 * x + 1)
    h = g.node("h", x ** 2)
    g.loss("f", h * gx - sympy.sin(h))
    return g


def multiple_paths():
    """Seed 000's "Multiple Paths": a node reached two ways, and a skip edge."""
    g = Graph()
    x, y = g.inputs("x y")
    w, v, u = g.params("w v u")
    h = g.node("h", sympy.tanh(w * x))
    p = g.node("p", v * h)
    q = g.node("q", u * h + w)
    yhat = g.node("yhat", sigmoid(p + q))
    g.loss("L", (yhat - y) ** 2)
    return g


def seed_network():
    """Seed 000's 1-2-1 network, sigmoid everywhere, log loss."""
    return mlp([1, 2, 1])


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
