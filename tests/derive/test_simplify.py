"""Each textbook rule on its own, then the rules together on networks."""
import pytest
import sympy

from corpus import logistic_regression
from symprop import Graph, mlp, sigmoid, softmax
from symprop.ir import numeric
from symprop.derive.simplify import (Cancellation, CommonFactor, Context, OneHotTargets,
                                    SigmoidCrossEntropy, SoftmaxCrossEntropy)
from symprop.derive.sizes import CANCEL_TERMS, expanded_terms, is_small, substitute, tree_size


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


# ----------------------------------------------------------------- bounded before the work
def test_expanded_terms_counts_a_product_of_sums_without_expanding():
    a, b, c, d = sympy.symbols("a b c d")
    assert expanded_terms((a + b) * (c + d) * (a - c)) == len(sympy.expand((a + b) * (c + d)
                                                                          * (a - c)).args)
    assert expanded_terms(a * b / c) == 1
    assert expanded_terms((a + b + c + d)**40) == CANCEL_TERMS + 1  # stops at the limit


def test_cancellation_does_not_cancel_a_term_that_would_expand(monkeypatch):
    # 44 ops whose numerator multiplies out to hundreds of terms: the rule used to
    # cancel it (a thousand ops) and throw the result away as longer.
    a, b, c, d, e = sympy.symbols("a b c d e")
    term = (a + b + 1) * (c + d + 2) * (a - e + 3) * (b + c + d) * (d - e) / ((a + c) * (1 + e**2))
    assert is_small(term) and expanded_terms(term) > CANCEL_TERMS

    def refuse(expr, *args, **kwargs):
        raise AssertionError(f"sympy.cancel called on {expr}")

    monkeypatch.setattr(sympy, "cancel", refuse)
    assert Cancellation().rewrite([(None, term)], None) is None


def test_the_rules_still_cancel_the_seed_forms():
    a, y = sympy.symbols("a y")
    (_, out), = Cancellation().rewrite([(None, a * (1 + a) * y / (a + a**2))], None)
    assert out == y


def random_rational_graph(seed, n=36):
    """Products, quotients and functions of earlier nodes: cancellation candidates everywhere."""
    import random

    rng = random.Random(seed)
    g = Graph()
    names = list(g.params("p1 p2 p3")) + list(g.inputs("x1 x2"))
    for i in range(n):
        u, v = rng.sample(names, 2)
        expr = rng.choice([u * v, u + v, u / (1 + v**2), sympy.sin(u), sigmoid(u),
                           u * v - u / (2 + v**2)])
        names.append(g.node(f"n{i}", expr))
    g.loss("L", sympy.Add(*names[-4:])**2)
    return g


def test_a_36_node_random_graph_derives_right():
    for seed in (1, 3, 12):
        g = random_rational_graph(seed)
        g.edges
        adjoints = g.adjoints()  # 3 s once (sympy.cancel expanding): benchmarks/bench_hostile.py
        values = numeric.forward(g, {"p1": 0.3, "p2": -0.7, "p3": 1.1, "x1": 0.4, "x2": 0.9})
        loss = g.composed(g.expr(g.loss_symbol))
        leaves = {s: sympy.Float(float(values[s])) for s in g.param_symbols + g.input_symbols}
        for p in g.param_symbols:
            if p in adjoints.adjoint:
                found = float(numeric.evaluate_expr(adjoints.adjoint[p], values))
                truth = float(sympy.diff(loss, p).xreplace(leaves).evalf(30))
                assert found == pytest.approx(truth, rel=1e-9, abs=1e-12)


def test_tree_size_counts_shared_subexpressions_without_walking_them():
    # A Dummy, unique to this test: sympy's cache compares a new node with an equal
    # cached one structurally, without sharing, which takes time growing with the
    # tree; a DAG built again from the same Symbol elsewhere in the process would hang.
    x = sympy.Dummy("x")
    e = x + 1
    for _ in range(60):
        e = sympy.sin(e) * sympy.cos(e)
    assert tree_size(e) > 2**60
    small = sympy.sin(x) + x * 2
    assert tree_size(small) == sum(1 for _ in sympy.preorder_traversal(small))
    assert tree_size(small, {x: 10}) == tree_size(small) + 2 * 9


def test_substitute_equals_xreplace_and_shares_work():
    x, y = sympy.symbols("x y")
    small = sympy.sin(x) * (x + y) - x**2
    assert substitute(small, {x: y + 1}) == small.xreplace({x: y + 1})
    e = x
    for _ in range(80):
        e = sympy.Mul(sympy.sin(e), sympy.cos(e), evaluate=False)
    out = substitute(e, {x: y})  # xreplace (or free_symbols) would walk 2**80 leaves
    leaf = out
    while leaf.args:
        leaf = leaf.args[-1]
    assert leaf == y and tree_size(out) == tree_size(e)


def test_an_input_named_like_an_adjoint_is_not_confused_with_it():
    # The local form of dL/dw was dL_dz*x + dL_dz: the adjoint of z and the input
    # dL_dz were one symbol, and evaluate() gave -3.75 where torch gives 0.75.
    from symprop.check.oracle import TorchOracle

    g = Graph()
    x, t = g.inputs("x dL_dz")
    w = g.params("w")
    z = g.node("z", w * x)
    g.loss("L", (z - t)**2 + w * t)
    point = {"x": 0.5, "dL_dz": 2.0, "w": 1.5}
    _, grads = TorchOracle(g)(point)
    assert g.derive(w).evaluate(**point) == pytest.approx(grads["w"], rel=1e-12)
    assert g.compile()(**point)[1]["w"] == pytest.approx(grads["w"], rel=1e-12)
    symbols = set(g.adjoints().symbol.values())
    assert not symbols & set(g.namespace().values())
