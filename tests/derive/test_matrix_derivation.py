"""Matrix-form derivations against seed 001's formulas, written here by hand with sympy."""
import pytest
import sympy
from sympy import HadamardProduct, MatrixSymbol, OneMatrix

from symprop import SympropError, mlp
from symprop.registry.functions import relu, step
from symprop.ir.graph import BATCH as m
from symprop.ir.matrix_ops import Loss, Softmax, apply
from symprop import MatrixGraph, matrix_mlp
from symprop.latex.matrix_printer import matrix_latex


def same(a, b, batch=2):
    """Equal as matrices: both written out entry by entry for a batch of ``batch``."""
    a, b = a.subs(m, batch).as_explicit(), b.subs(m, batch).as_explicit()
    return (a - b).applyfunc(sympy.expand) == sympy.zeros(*a.shape)


def seed_network():
    return matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True)


def test_seed_output_layer_is_one_over_m_p_minus_y_a1_transpose():
    g = seed_network()
    A1, A2, Y = MatrixSymbol("A1", 4, m), MatrixSymbol("A2", 2, m), MatrixSymbol("Y", 2, m)
    assert g.derive("W2").result == (A2 - Y) * A1.T / m
    assert g.derive("b2").result == (A2 - Y) * OneMatrix(m, 1) / m
    assert [s.rule for s in g.derive("W2").steps] == ["softmax with cross-entropy"]


def test_seed_hidden_layer_is_w2t_p_minus_y_hadamard_relu_prime_x_transpose():
    g = seed_network()
    W2, X = MatrixSymbol("W2", 2, 4), MatrixSymbol("X", 3, m)
    A2, Y, Z1 = MatrixSymbol("A2", 2, m), MatrixSymbol("Y", 2, m), MatrixSymbol("Z1", 4, m)
    d = sympy.Dummy("d")
    expected = HadamardProduct(W2.T * (A2 - Y), apply(sympy.Lambda(d, step(d)), Z1)) * X.T / m
    got = g.derive("W1").result
    # Same expression up to the Lambda's dummy: compare their printed forms.
    assert str(got) == str(expected)


def test_seed_latex():
    g = seed_network()
    g.set_latex("A2", "P")
    assert matrix_latex(g.derive("W2").result, g) == r"\frac{1}{m} \left(P - Y\right) A_{1}^{\top}"
    text = g.derive("W1").latex()
    assert r"\odot" in text and r"W_{2}^{\top} \left(P - Y\right)" in text
    assert text.startswith(r"\frac{\partial \mathcal{L}}{\partial W_{1}} = ")
    assert r"X^{\top}" in text


def test_sigmoid_hidden_derivative_in_node_values():
    g = matrix_mlp([2, 3, 1], activation="sigmoid", output="sigmoid", loss="bce")
    A1, A2, Y = MatrixSymbol("A1", 3, m), MatrixSymbol("A2", 1, m), MatrixSymbol("Y", 1, m)
    W2, X = MatrixSymbol("W2", 1, 3), MatrixSymbol("X", 2, m)
    expected = HadamardProduct(W2.T * (A2 - Y), OneMatrix(3, m) - A1, A1) * X.T / m
    assert g.derive("W1").result == expected


def test_softmax_ce_without_one_hot_keeps_column_totals():
    g = matrix_mlp([3, 2], activation="relu", output="softmax", loss="ce")
    A, Y = MatrixSymbol("A1", 2, m), MatrixSymbol("Y", 2, m)
    dZ = g.adjoints().adjoint[MatrixSymbol("Z1", 2, m)]
    assert same(dZ, (HadamardProduct(A, OneMatrix(2, 2) * Y) - Y) / m)


def test_skip_connection_sums_two_paths():
    g = MatrixGraph()
    X, Y = g.input("X", 2), g.input("Y", 2)
    W1, W2 = g.param("W1", 2, 2), g.param("W2", 2, 2)
    Z1 = g.node("Z1", W1 * X)
    A1 = g.node("A1", apply(relu, Z1))
    Z2 = g.node("Z2", W2 * A1 + Z1)  # the skip: Z1 reaches Z2 directly and through A1
    A2 = g.node("A2", Softmax(Z2))
    g.loss("L", Loss("ce", A2, Y))
    assert g.count_paths("W1") == 2
    assert [str(p) for p in g.derive("W1").paths] == [
        "W1 -> Z1 -> A1 -> Z2 -> A2 -> L", "W1 -> Z1 -> Z2 -> A2 -> L"]
    dZ2 = g.adjoints().adjoint[Z2]
    assert same(g.adjoints().adjoint[Z1], dZ2 + HadamardProduct(W2.T * dZ2, apply(relu, Z1).func(
        sympy.Lambda(sympy.Symbol("t"), step(sympy.Symbol("t"))), Z1)))


def test_user_elementwise_function_differentiated_by_sympy():
    g = MatrixGraph()
    X, Y = g.input("X", 2), g.input("Y", 1)
    W = g.param("W", 1, 2)
    Z = g.node("Z", W * X)
    A = g.node("A", apply(sympy.sin, Z))
    g.loss("L", Loss("mse", A, Y))
    d = sympy.Dummy("d")
    expected = 2 * HadamardProduct(A - Y, apply(sympy.Lambda(d, sympy.cos(d)), Z)) * X.T / m
    assert same(g.derive("W").result, expected)


def test_mlp_matrix_form_goes_through_symprop_mlp():
    g = mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", form="matrix")
    assert [str(p) for p in g.param_symbols] == ["W1", "b1", "W2", "b2"]
    assert g.shape("b1") == (4, 1) and g.shape("Z2") == (2, m)


@pytest.mark.parametrize("build, message", [
    (lambda g: g.node("Z", MatrixSymbol("Q", 2, m)), "not declared"),
    (lambda g: g.param("W", 0, 2), "positive integer"),
    (lambda g: g.broadcast(g.param("W", 2, 2)), "only a column"),
    (lambda g: g.loss("L", 3), "expected a Loss"),
    (lambda g: g.input("np", 2), "reserved"),
    (lambda g: g.input("m", 2), "reserved"),
])
def test_bad_input_is_a_clear_error(build, message):
    g = MatrixGraph()
    with pytest.raises(SympropError, match=message):
        build(g)


def test_unknown_parameter_names_the_parameters():
    with pytest.raises(SympropError, match="parameters: W1, b1, W2, b2"):
        seed_network().derive("W9")


def test_loss_shapes_must_match():
    g = MatrixGraph()
    A, Y = g.input("A", 2), g.input("Y", 3)
    with pytest.raises(SympropError, match="shape"):
        Loss("ce", A, Y)
