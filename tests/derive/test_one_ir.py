"""One IR: the scalar and the matrix form go through the same edges, paths, accumulation and types."""
import pytest
import sympy

from symprop import Graph, SympropError, matrix_mlp, mlp
from symprop.derive.derivation import Derivation
from symprop.derive.simplify import RULES, Step
from symprop.ir.graph import BATCH as m
from symprop.registry.fused import FUSED


def same(a, b, batch=2):
    """Equal as matrices: entry by entry for a batch of ``batch``, each difference cancelled."""
    a, b = a.subs(m, batch).as_explicit(), b.subs(m, batch).as_explicit()
    return all(sympy.cancel(sympy.expand(x - y)) == 0 for x, y in zip(a, b))


def test_both_forms_derive_the_same_types():
    scalar = mlp([2, 2, 1])
    matrix = matrix_mlp([2, 2, 1], activation="relu", output="sigmoid", loss="bce")
    for g, wrt in ((scalar, "w1_1_1"), (matrix, "W1")):
        d = g.derive(wrt)
        assert type(d) is Derivation
        assert all(type(s) is Step for s in d.steps)
        assert d.path_count == g.count_paths(wrt) == len(d.paths)
        assert [str(p) for p in d.paths] == [str(p) for p in d.iter_paths()]


@pytest.mark.parametrize("output, loss", [("identity", "mse"), ("sigmoid", "bce")])
def test_matrix_path_sum_is_the_result(output, loss):
    g = matrix_mlp([2, 3, 1], activation="relu", output=output, loss=loss)
    for p in g.param_symbols:
        d = g.derive(p)
        assert same(d.path_sum, d.result), p


def test_an_edge_pulls_back_a_product_or_a_vector_jacobian_step():
    g = matrix_mlp([3, 2], output="softmax", loss="ce")
    edge = g.in_edges("Z1")[1]                       # W1 -> Z1: dZ1 X^T
    G = sympy.MatrixSymbol("G", 2, m)
    assert (str(edge.parent), str(edge.pullback(G))) == ("W1", "G*X.T")
    s = Graph()
    x, w = s.inputs("x"), s.params("w")
    s.loss("L", (w * x) ** 2)
    (edge,) = s.out_edges(w)
    assert edge.pullback(sympy.Symbol("G")) == edge.partial * sympy.Symbol("G")


def test_a_loss_target_edge_carries_no_gradient_and_no_path():
    g = matrix_mlp([3, 2], output="softmax", loss="ce")
    (edge,) = g.out_edges("Y")
    assert edge.partial is None and edge.pullback(sympy.Integer(1)) is None
    assert "Y" not in {str(n) for n in g.adjoints().adjoint}


def test_one_hot_groups_mean_the_same_in_both_graphs():
    s = Graph()
    y1, y2 = s.inputs("y1 y2")
    s.one_hot(y1, y2)
    g = matrix_mlp([3, 2], output="softmax", loss="ce", one_hot=True)
    Y = g.symbol("Y")
    assert s.one_hot_groups == ((y1, y2),) and s.one_hot_targets == (y1, y2)
    assert g.one_hot_groups == ((Y,),) and g.one_hot_targets == (Y,)
    with pytest.raises(SympropError, match="must be inputs"):
        g.one_hot("W1")


def test_parameter_looks_up_in_both_graphs():
    scalar, matrix = mlp([1, 1]), matrix_mlp([1, 1])
    assert scalar.parameter("w1_1_1") == scalar.symbol("w1_1_1")
    assert matrix.parameter("W1") == matrix.symbol("W1")
    for g, name in ((scalar, "w1_1_1"), (matrix, "W1")):
        with pytest.raises(SympropError, match="not a parameter"):
            g.parameter("nothing")
        # param() declares in both graphs; asked for a declared name it says how to look one up
        with pytest.raises(SympropError, match=r"already declared.*parameter\(name\) looks"):
            g.param(name)
        with pytest.raises(SympropError, match=r"not a name \(parameter\(\.\.\.\) looks"):
            g.param(g.symbol(name))


def test_every_rule_says_which_forms_it_serves_and_fused_rules_come_from_the_registry():
    assert all(set(r.forms) <= {"scalar", "matrix"} and r.forms for r in RULES)
    fused = {r.name for r in RULES if r.forms == ("matrix",)}
    assert fused == {f.title for f in FUSED.values()}


def test_the_form_prints_each_derivation():
    scalar = mlp([1, 1]).derive("w1_1_1").text()
    matrix = matrix_mlp([1, 1]).derive("W1").text()
    assert scalar.splitlines()[0] == "dL/dw1_1_1: 1 path(s)"
    assert matrix.splitlines()[0].startswith("dL/dW1: 1 layer-level path(s)")
    assert "local form:  dL_dw1_1_1 = " in scalar and "local form:  dL_dW1 = " in matrix
