"""Backprop (shared adjoints) equals the path sum and sympy.diff of the composed loss."""
import numpy as np
import pytest
import sympy

from corpus import CORPUS, multiple_paths
from symprop.ir import numeric
from symprop.derive.backprop import reverse_accumulate


def random_point(graph, rng):
    point = {s.name: rng.uniform(0.05, 0.95) for s in graph.input_symbols}
    point.update({s.name: rng.uniform(-1.5, 1.5) for s in graph.param_symbols})
    for group in graph.one_hot_groups:  # honour the stated assumption
        hot = rng.integers(len(group))
        point.update({s.name: float(i == hot) for i, s in enumerate(group)})
    return point


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_backprop_equals_path_sum_and_sympy_diff(name):
    g = CORPUS[name]()
    rng = np.random.default_rng(7)
    loss = g.composed(g.expr(g.loss_symbol))
    for _ in range(3):
        point = random_point(g, rng)
        values = numeric.forward(g, point)
        leaves = {s: values[s] for s in g.input_symbols + g.param_symbols}
        for p, d in g.gradients().items():
            backprop = float(numeric.evaluate_expr(d.result, values))
            path_sum = float(numeric.evaluate_expr(d.path_sum, values))
            by_diff = float(numeric.evaluate_expr(sympy.diff(loss, p), leaves))
            assert backprop == pytest.approx(by_diff, rel=1e-9, abs=1e-12)
            assert path_sum == pytest.approx(by_diff, rel=1e-9, abs=1e-12)


def test_multiple_paths_symbolically():
    g = multiple_paths()
    for p, d in g.gradients().items():
        truth = sympy.diff(g.composed(g.expr(g.loss_symbol)), p)
        assert sympy.expand(g.composed(d.path_sum) - truth) == 0
        assert sympy.expand(d.closed_form - truth) == 0


def test_each_adjoint_is_computed_once_and_shared():
    g = multiple_paths()
    h, p, q = sympy.symbols("h p q")
    raw = reverse_accumulate(g)
    # dL/dh is formed from dL/dp and dL/dq, which are already there: one visit per node.
    assert len(raw.order) == len(set(raw.order))
    assert raw.adjoint[h] == g.partial(h, p) * raw.adjoint[p] + g.partial(h, q) * raw.adjoint[q]
    assert raw.adjoint[h].has(raw.adjoint[p]) or raw.adjoint[p].is_Add


def test_work_grows_with_edges_not_paths():
    from symprop import mlp

    g = mlp([2, 5, 5, 5, 5, 1])
    raw = reverse_accumulate(g)
    visited = len(raw.order)
    assert visited <= len(g.symbols)
    assert g.count_paths("w1_1_1") == 5**3  # a node of each of hidden layers 2, 3, 4


def test_backprop_on_two_to_the_hundred_paths_shares_every_adjoint():
    from symprop import Graph
    from symprop.derive.sizes import tree_size

    g = Graph()
    u = g.params("w")
    for i in range(100):
        u = g.node(f"u{i}", g.node(f"a{i}", sympy.sin(u)) * g.node(f"b{i}", sympy.cos(u)))
    g.loss("L", u**2)
    g.edges
    adjoints = reverse_accumulate(g)
    assert g.count_paths("w") == 2**100
    assert tree_size(adjoints.adjoint[g.symbol("w")]) > 2**100  # written out: one term a path
    # Its value agrees with torch, evaluated adjoint by adjoint (each shared once).
    from symprop.derive.derivation import adjoint_values
    from symprop.check.oracle import TorchOracle

    found = adjoint_values(g.adjoints(), numeric.forward(g, {"w": 0.4}))[g.symbol("w")]
    _, grads = TorchOracle(g)({"w": 0.4})
    assert float(found) == pytest.approx(grads["w"], rel=1e-9, abs=1e-300)
