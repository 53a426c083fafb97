"""The graphs of the seed documents, ready made: build them, derive, print, check.

The notebook *03: Back Propagation* works the chain rule's two cases, a 1-2-1
network, a "multiple paths" case and a logistic-regression computation graph
by hand; *Backprop Implementation* derives softmax with cross-entropy in matrix form.

>>> g = logistic_regression()
>>> round(g.derive("w1").evaluate(**g.values), 4)
-0.5663
"""
import sympy

from ..registry.functions import sigmoid
from ..ir.graph import Graph
from .nets import mlp

SEED_POINT = {"x1": 1.5, "x2": 2.5, "w1": -4.0, "w2": 3.0, "b": -1.0, "y": 1.0}


def logistic_regression() -> Graph:
    """*Back Propagation*'s computation graph: z = w1 x1 + w2 x2 + b, yhat = sigmoid(z), log loss.

    ``.values`` holds the lesson's point (x1 = 1.5, x2 = 2.5, w1 = -4, w2 = 3, b = -1, y = 1).
    """
    g = Graph()
    x1, x2, y = g.inputs("x1 x2 y")
    w1, w2, b = g.params("w1 w2 b")
    z = g.node("z", w1 * x1 + w2 * x2 + b)
    yhat = g.node("yhat", sigmoid(z))
    g.loss("L", -y * sympy.log(yhat) - (1 - y) * sympy.log(1 - yhat))
    g.values = dict(SEED_POINT)
    return g


def chain_rule_case1() -> Graph:
    """Chain rule, case 1: f = g^2 with g = e^x + x."""
    g = Graph()
    x = g.params("x")
    inner = g.node("g", sympy.exp(x) + x)
    g.loss("f", inner ** 2)
    return g


def chain_rule_case2() -> Graph:
    """Chain rule, case 2: f = h g - sin(h) with g = 3x + 1, h = x^2 (two paths)."""
    g = Graph()
    x = g.params("x")
    inner_g = g.node("g", 3 * x + 1)
    inner_h = g.node("h", x ** 2)
    g.loss("f", inner_h * inner_g - sympy.sin(inner_h))
    return g


def multiple_paths() -> Graph:
    """"Multiple Paths": a node reached two ways and a skip edge; the chain rule sums them."""
    g = Graph()
    x, y = g.inputs("x y")
    w, v, u = g.params("w v u")
    h = g.node("h", sympy.tanh(w * x))
    p = g.node("p", v * h)
    q = g.node("q", u * h + w)
    yhat = g.node("yhat", sigmoid(p + q))
    g.loss("L", (yhat - y) ** 2)
    return g


def seed_network() -> Graph:
    """*Back Propagation*'s 1-2-1 network: sigmoid everywhere, log loss, seven parameters."""
    return mlp([1, 2, 1])
