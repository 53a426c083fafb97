"""One Graph class for both forms: its vertices' shapes decide the form, mixing is refused clearly."""
import pytest
import sympy

from symprop import Graph, MatrixGraph, SympropError, matrix_mlp, mlp, sigmoid
from symprop.ir.forms import MATRIX, SCALAR
from symprop.ir.matrix_ops import Loss, apply

from corpus import CORPUS, scaled_matrix_network


def test_every_graph_is_one_class_whatever_its_form():
    graphs = [build() for build in CORPUS.values()] + [
        matrix_mlp([3, 4, 2]), mlp([3, 4, 2], form="matrix"), MatrixGraph(),
        scaled_matrix_network()]
    assert {type(g) for g in graphs} == {Graph}
    assert [g.form for g in graphs[:len(CORPUS)]] == [SCALAR] * len(CORPUS)
    assert [g.form for g in graphs[len(CORPUS):]] == [MATRIX] * 4


def test_the_first_matrix_vertex_puts_a_plain_graph_in_matrix_form():
    g = Graph()
    c = g.input("c")          # a scalar: the form is not decided yet
    assert g.form is SCALAR and g.shape(c) == ()
    g.input("X", 3)
    assert g.form is MATRIX and g.shape("X") == (3, g.batch)


def test_a_plain_graph_builds_the_same_matrix_network_as_matrix_graph():
    plain, declared = scaled_matrix_network(Graph), scaled_matrix_network()
    assert plain.form is MATRIX
    for p in declared.param_symbols:
        assert plain.derive(p.name).result == declared.derive(p.name).result
    assert plain.check(points=1).ok


def test_param_declares_a_scalar_in_either_form():
    scalar = Graph()
    w = scalar.param("w")
    x = scalar.inputs("x")
    scalar.loss("L", sigmoid(w * x))
    assert scalar.form is SCALAR and scalar.param_symbols == (w,)
    assert scalar.check(points=2).ok      # against torch autograd


@pytest.mark.parametrize("build, message", [
    # a scalar node fixes scalar form: a matrix after it is named with the nodes that fixed it
    (lambda g: (g.node("z", 2 * g.param("w")), g.input("X", 3)),
     r"'X' is a matrix, but this graph is in scalar form \(its nodes z are scalars\)"),
    (lambda g: (g.param("w"), g.loss("L", g.symbol("w") ** 2), g.param("W", 2, 2)),
     "in scalar form"),
    # in matrix form the loss is a Loss, and a scalar node a function of scalars only
    (lambda g: (g.input("X", 2), g.loss("L", g.param("s") ** 2)), "expected a Loss"),
    (lambda g: (g.node("t", 2 * sympy.Trace(g.input("X", 2).T * g.input("V", 2)))),
     "node 't' is a scalar of the matrix V, X: not built yet"),
    # a Loss averages matrices over the batch: not a scalar graph's loss
    (lambda g: (g.node("a", sigmoid(g.param("w"))),
                g.loss("L", Loss("mse", MatrixGraph().input("A", 1), MatrixGraph().input("B", 1)))),
     "in scalar form"),
    # the batch size's name, taken by a scalar before the graph became one of matrices
    (lambda g: (g.params("m"), g.input("X", 2)), "'m' is reserved for generated code"),
    (lambda g: (g.input("X", 2), g.param("dL_dX")), "reserved"),
])
def test_mixing_the_forms_where_the_mathematics_does_not_allow_it_is_one_error(build, message):
    with pytest.raises(SympropError, match=message):
        build(Graph())


def test_a_scalar_graph_may_use_the_batch_sizes_name():
    g = Graph()
    m, x = g.params("m"), g.inputs("x")
    g.loss("L", (m * x - 1) ** 2)
    assert g.compile()(m=1.0, x=2.0)[1]["m"] == pytest.approx(4.0)


def test_the_form_may_be_fixed_and_is_checked():
    with pytest.raises(SympropError, match="form 'tensor' is not one of scalar, matrix"):
        Graph(form="tensor")
    with pytest.raises(SympropError, match=r"form \['matrix'\] is not one of"):
        Graph(form=["matrix"])
    with pytest.raises(SympropError, match="batch 'n' is not a sympy Symbol"):
        Graph(batch="n")
    with pytest.raises(SympropError, match=r"in scalar form \(made as Graph\(form='scalar'\)\)"):
        Graph(form="scalar").input("X", 3)
    with pytest.raises(SympropError, match="expected a Loss"):
        Graph(form="matrix").loss("L", 3)


def test_one_hot_groups_follow_the_targets_shapes():
    g = Graph()
    Y, V = g.input("Y", 2), g.input("V", 2)
    g.one_hot(Y, V)                 # each matrix target is a group: its columns sum to 1
    s = Graph()
    y1, y2 = s.inputs("y1 y2")
    s.one_hot(y1, y2)               # scalar targets together sum to 1
    assert g.one_hot_groups == ((Y,), (V,)) and s.one_hot_groups == ((y1, y2),)


def test_repr_names_the_form():
    assert repr(matrix_mlp([2, 1])) == "Graph[matrix](2 inputs, 2 parameters, 2 nodes, loss=L)"
    assert repr(Graph()).startswith("Graph[scalar](0 inputs")


def test_an_elementwise_node_in_a_plain_graph_derives_as_in_matrix_graph():
    g = Graph()
    X, Y = g.input("X", 2), g.input("Y", 2)
    W = g.param("W", 2, 2)
    A = g.node("A", apply(sigmoid, g.node("Z", W * X)))
    g.loss("L", Loss("mse", A, Y))
    assert g.form is MATRIX and g.check(points=1).ok
