"""Each textbook rule on its own, then the rules together on networks."""
import pytest
import sympy

from corpus import logistic_regression
from symprop import Graph, mlp, numeric, sigmoid, softmax
from symprop.simplify import (Cancellation, CommonFactor, Context, OneHotTargets,
                              SigmoidCrossEntropy, SoftmaxCrossEntropy, is_small)


def terms_into(graph, node):
    adjoints = graph.adjoints().adjoint
    return [(e, e.partial * adjoints[e.child]) for e in graph.out_edges(node)], adjoints


def test_sigmoid_with_bce_rule():
    g = logistic_regression()
    z, yhat, y = sympy.symbols("z yhat y")
    terms, adjoints = terms_into(g, z)
    out = SigmoidCrossEntropy().rewrite(terms, Context(g, z, adjoints))
    assert [t for _, t in out] == [yhat - y]


def test_sigmoid_rule_leaves_mse_alone():
    g = Graph()
    x, y = g.inputs("x y")
    w = g.params("w")
    z = g.node("z", w * x)
    a = g.node("a", sigmoid(z))
    g.loss("L", (a - y) ** 2)
    terms, adjoints = terms_into(g, z)
    assert SigmoidCrossEntropy().rewrite(terms, Context(g, z, adjoints)) is None


def softmax_graph(one_hot):
    g = Graph()
    y1, y2, y3 = g.inputs("y1 y2 y3")
    z1, z2, z3 = g.params("z1 z2 z3")
    a = [g.node(f"a{k}", softmax(k, z1, z2, z3)) for k in (1, 2, 3)]
    g.loss("L", -(y1 * sympy.log(a[0]) + y2 * sympy.log(a[1]) + y3 * sympy.log(a[2])))
    if one_hot:
        g.one_hot(y1, y2, y3)
    return g


def test_softmax_with_ce_rule():
    g = softmax_graph(one_hot=False)
    z2, a2, y1, y2, y3 = sympy.symbols("z2 a2 y1 y2 y3")
    terms, adjoints = terms_into(g, z2)
    out = SoftmaxCrossEntropy().rewrite(terms, Context(g, z2, adjoints))
    (edge, expr), = out
    assert sympy.expand(expr - (a2 * (y1 + y2 + y3) - y2)) == 0


def test_one_hot_rule_only_when_declared():
    y1, y2, y3, a2 = sympy.symbols("y1 y2 y3 a2")
    expr = a2 * (y1 + y2 + y3) - y2
    declared = softmax_graph(one_hot=True)
    out = OneHotTargets().rewrite([(None, expr)], Context(declared, None, {}))
    assert out == [(None, a2 - y2)]
    undeclared = softmax_graph(one_hot=False)
    assert OneHotTargets().rewrite([(None, expr)], Context(undeclared, None, {})) is None
    # The full pipeline: exactly a_j - y_j with the assumption, the target sum without it.
    assert declared.derive("z2").result == a2 - y2
    assert undeclared.derive("z2").result != a2 - y2


def test_common_factor_rule():
    a, y = sympy.symbols("a y")
    out = CommonFactor().rewrite([(None, 2 * a - 2 * y)], None)
    assert out == [(None, sympy.Mul(2, a - y, evaluate=False))]
    assert CommonFactor().rewrite([(None, a - y)], None) is None


def test_cancellation_rule_shortens_only():
    a, y = sympy.symbols("a y")
    (_, out), = Cancellation().rewrite([(None, a * (1 + a) * y / (a + a**2))], None)
    assert out == y
    assert Cancellation().rewrite([(None, -y / a)], None) is None


def test_tanh_gives_one_minus_a_squared():
    g = mlp([1, 1, 1], activation="tanh", output="identity", loss="mse")
    a, z = sympy.symbols("a1_1 z1_1")
    assert g.partial(z, a) == 1 - a**2


def test_mse_gives_twice_the_error():
    g = mlp([1, 1], output="identity", loss="mse")
    a, y = sympy.symbols("a1_1 y")
    assert g.derive("b1_1").result == sympy.Mul(2, a - y, evaluate=False)


def test_is_small_stops_counting():
    x = sympy.Symbol("x")
    big = sum(x**k for k in range(200))
    assert not is_small(big, 50) and is_small(x + 1, 50)


def test_rules_are_recorded_as_steps():
    g = mlp([1, 2, 1])
    names = [s.rule for s in g.derive("w1_1_1").steps]
    assert names == ["sigmoid with binary cross-entropy"]


def test_simplification_stays_local_on_a_wide_network():
    # Would never finish if anything called sympy.simplify on the whole gradient.
    g = mlp([4, 12, 12, 3], activation="tanh", output="softmax", loss="ce", one_hot=True)
    d = g.derive("w1_1_1")
    assert d.path_count == 12 * 3 * 3
    assert not d.result.has(sympy.Symbol("dL_dz2_1"))


def test_softmax_rule_needs_cross_entropy():
    # Softmax with squared error has no textbook cancellation: the rule must not fire.
    g = mlp([2, 3], output="softmax", loss="mse")
    d = g.derive("b1_1")
    assert "softmax with cross-entropy" not in [s.rule for s in d.steps]
    truth = sympy.diff(g.composed(g.expr(g.loss_symbol)), sympy.Symbol("b1_1"))
    leaves = g.input_symbols + g.param_symbols
    point = {s.name: 0.1 * ((7 * i) % 11 - 5) for i, s in enumerate(leaves)}
    values = numeric.forward(g, point)
    assert float(numeric.evaluate_expr(d.result, values)) == pytest.approx(
        float(numeric.evaluate_expr(truth, {s: values[s] for s in leaves})), rel=1e-12)
