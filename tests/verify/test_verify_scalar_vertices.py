r"""Verifying hand derivations on a matrix graph with scalar vertices.

The graph (``corpus.scaled_matrix_network``): a scalar input ``c`` and a scalar parameter
``s``, ``Z1 = c W1 X + b1 1^T``, ``A1 = tanh(Z1)``, ``Z2 = s W2 A1 + b2 1^T``,
``A2 = softmax(Z2)``, ``L`` the batch-mean cross-entropy with one-hot ``Y``.  By hand:

- dL/dZ2 = (A2 - Y)/m (softmax with cross-entropy, one-hot targets);
- dL/ds  = sum_ij dL/dZ2_ij (W2 A1)_ij = (1/m) tr((A2 - Y)(W2 A1)^T);
- dL/dW2 = s dL/dZ2 A1^T = (s/m) (A2 - Y) A1^T;
- dL/dA1 = s W2^T dL/dZ2, dL/dZ1 = dL/dA1 o (1 - A1 o A1) (tanh' = 1 - tanh^2);
- dL/dW1 = c dL/dZ1 X^T = (c s/m) ((W2^T (A2 - Y)) o (1 - A1 o A1)) X^T.
"""
import math

import numpy as np
import pytest
import sympy

from corpus import scaled_matrix_network
from symprop import Graph, MatrixGraph, SympropError, matrix_mlp
from symprop.derive.simplify import adjoint_symbol
from symprop.ir.matrix_ops import Loss, Softmax, apply
from symprop.parse.matrix_latex import MatrixShapeError, read_matrix_derivation
from symprop.registry.functions import tanh
from symprop.verify.matrix_points import FloatMatrixPoints, MatrixPoints, matrix_points

DS = r"\frac{1}{m} \operatorname{tr}\left((A_2 - Y)(W_2 A_1)^{\top}\right)"
DW2 = r"\frac{s}{m} (A_2 - Y) A_1^{\top}"
DW1 = r"\frac{c s}{m} \left(\left(W_2^{\top} (A_2 - Y)\right) \odot (1 - A_1 \odot A_1)\right) X^{\top}"


@pytest.fixture(scope="module")
def g():
    return scaled_matrix_network()


def symbols(graph, names):
    return [graph.symbol(n) for n in names.split()]


# ------------------------------------------------------------------ reading
def test_scalar_vertices_read_as_scalars_scaling_a_matrix(g):
    s, m = g.symbol("s"), g.batch
    A1, A2, Y = symbols(g, "A1 A2 Y")
    expr = read_matrix_derivation(DW2, g).steps[0].expr
    coeff, matrices = expr.as_coeff_matrices()
    assert coeff == s / m
    assert sympy.MatMul(*matrices) == sympy.MatMul(A2 - Y, A1.T)
    assert expr.shape == (2, 4)


@pytest.mark.parametrize("command", [r"\operatorname{tr}", r"\mathrm{tr}", r"\text{tr}",
                                     r"\operatorname{Tr}", r"\mathrm{Tr}",
                                     r"\operatorname{trace}", r"\mathrm{trace}"])
@pytest.mark.parametrize("brackets", [(r"\left(", r"\right)"), ("(", ")"), ("{", "}")])
def test_every_trace_spelling_reads_as_the_trace_with_its_factor_in_front(g, command, brackets):
    A1, A2, W2, Y = symbols(g, "A1 A2 W2 Y")
    opening, closing = brackets
    text = rf"\frac{{1}}{{m}} {command}{opening}(A_2 - Y)(W_2 A_1)^{{\top}}{closing}"
    expr = read_matrix_derivation(text, g).steps[0].expr
    # (W_2 A_1)^T reads as A_1^T W_2^T: tr((A2 - Y) A1^T W2^T) / m
    assert expr == sympy.Trace(sympy.MatMul(A2 - Y, A1.T, W2.T)) / g.batch
    assert not isinstance(expr, sympy.MatrixExpr)      # a number, as dL/ds is


def test_a_scalar_factor_inside_the_trace_comes_out_in_front(g):
    A1, W2 = symbols(g, "A1 W2")
    expr = read_matrix_derivation(r"\operatorname{tr}\left(\frac{s}{2} W_2 A_1 A_1^{\top} W_2^{\top}"
                                  r"\right)", g).steps[0].expr
    assert expr == g.symbol("s") / 2 * sympy.Trace(sympy.MatMul(W2, A1, A1.T, W2.T))


def test_the_trace_of_a_matrix_that_is_not_square_is_one_clear_error(g):
    with pytest.raises(MatrixShapeError) as caught:
        read_matrix_derivation(r"\frac{1}{m} \operatorname{tr}\left(W_2 A_1\right)", g)
    error = caught.value
    assert isinstance(error, SympropError)
    message = str(error)
    assert "\n" not in message and "Traceback" not in message
    assert "a 2×m matrix" in message and "square" in message
    assert error.operation == "trace" and error.left_shape == (2, g.batch)


def test_a_trace_without_brackets_is_a_clear_error(g):
    with pytest.raises(SympropError, match="a trace is read with its argument in brackets"):
        read_matrix_derivation(r"\operatorname{tr} A_2", g)


def test_a_function_of_a_scalar_vertex_is_refused_naming_it(g):
    with pytest.raises(SympropError, match=r"tanh of the scalar s is not read"):
        read_matrix_derivation(r"\tanh(s) A_1", g)


def test_display_names_of_scalar_vertices_read_too():
    g = scaled_matrix_network()
    g.set_latex("s", r"\alpha")
    g.set_latex("c", r"\gamma")
    assert g.verify("W2", r"\frac{\alpha}{m} (A_2 - Y) A_1^{\top}").equivalent is True
    assert g.verify("W1", r"\gamma \frac{\partial L}{\partial Z_1} X^T").equivalent is True
    wrong = g.verify("W1", r"\frac{\partial L}{\partial Z_1} X^T")
    assert wrong.equivalent is False
    assert wrong.diagnosis == r"the factor \gamma is missing: the claim is the gradient divided by \gamma"


# ------------------------------------------------------------------ the points
def test_scalar_vertices_are_drawn_as_exact_rationals(g):
    p = MatrixPoints(g)
    s, c = g.symbol("s"), g.symbol("c")
    for point in p.points:
        for symbol in (s, c):
            assert point[symbol].shape == () and isinstance(point[symbol][()], sympy.Rational)
            assert (point[symbol][()] * 1000).is_Integer        # three decimals
        assert sympy.Rational(1, 20) <= abs(point[s][()]) <= sympy.Rational(3, 2)
        assert sympy.Rational(1, 20) <= point[c][()] <= sympy.Rational(19, 20)


def _by_hand(point, names):
    """The forward pass and dL/ds written out in float64 from a drawn point."""
    X, Y, W1, b1, W2, b2 = (np.array(point[n], dtype=float) for n in names("X Y W1 b1 W2 b2"))
    c, s = (float(point[n][()]) for n in names("c s"))
    A1 = np.tanh(c * (W1 @ X) + b1)
    Z2 = s * (W2 @ A1) + b2
    A2 = np.exp(Z2 - Z2.max(axis=0)) / np.exp(Z2 - Z2.max(axis=0)).sum(axis=0)
    dZ2 = (A2 - Y) / X.shape[1]
    return np.sum(dZ2 * (W2 @ A1))


def test_the_adjoint_of_s_is_the_trace_evaluated_at_each_point(g):
    p = MatrixPoints(g)
    values = p.evaluate(adjoint_symbol(g, g.symbol("s")))
    for point, value in zip(p.points, values):
        assert value.shape == ()
        assert float(value[()]) == pytest.approx(_by_hand(point, lambda t: symbols(g, t)),
                                                 rel=1e-12)


# ------------------------------------------------------------------ dL/ds
def test_the_right_claim_for_s_is_equivalent(g):
    v = g.verify("s", DS)
    assert v.equivalent is True and v.method.startswith("numeric at 4 random points")


@pytest.mark.parametrize("claim", [
    # tr(M^T N) = sum_ij M_ij N_ij = tr(M N^T); and the trace is cyclic.
    r"\frac{1}{m} \operatorname{tr}\left((W_2 A_1)^{\top} (A_2 - Y)\right)",
    r"\frac{1}{m} \mathrm{tr}\left((A_2 - Y)^{\top} W_2 A_1\right)",
    r"\frac{1}{m} \mathrm{Tr}\left(W_2^{\top} (A_2 - Y) A_1^{\top}\right)",
    r"\operatorname{tr}\left(\frac{\partial L}{\partial Z_2} (W_2 A_1)^{\top}\right)",
    r"\frac{\partial L}{\partial s} = \operatorname{tr}\left(dZ_2 (W_2 A_1)^{\top}\right)",
    r"dZ_2 = \frac{1}{m}(A_2 - Y) \\ ds = \operatorname{tr}\left(dZ_2 A_1^{\top} W_2^{\top}\right)",
])
def test_equivalent_forms_of_the_trace_are_equivalent(g, claim):
    assert g.verify("s", claim).equivalent is True


def test_the_trace_without_the_1_over_m_is_m_times_the_gradient(g):
    v = g.verify("s", r"\operatorname{tr}\left((A_2 - Y)(W_2 A_1)^{\top}\right)")
    assert v.equivalent is False
    assert v.diagnosis == "the 1/m of the batch mean is missing: the claim is m times the gradient"
    assert set(v.counterexample["point"]) == {"m"}                # a number: no row, no column
    assert v.counterexample["claim"] == pytest.approx(v.counterexample["point"]["m"]
                                                      * v.counterexample["truth"], rel=1e-12)


def test_the_transpose_on_the_wrong_side_does_not_fit(g):
    v = g.verify("s", r"\frac{1}{m} \operatorname{tr}\left((A_2 - Y)^{\top}(W_2 A_1)^{\top}\right)")
    assert v.equivalent is False and v.method == "shapes"
    assert "multiplies an m×2 matrix by an m×2 matrix" in v.diagnosis


def test_a_misordered_product_in_the_trace_does_not_fit(g):
    v = g.verify("s", r"\frac{1}{m} \operatorname{trace}\left((A_2 - Y) W_2 A_1\right)")
    assert v.equivalent is False and v.method == "shapes"
    assert "multiplies a 2×m matrix by a 2×4 matrix" in v.diagnosis


def test_a_trace_of_a_matrix_that_is_not_square_is_judged_wrong_with_its_shape(g):
    v = g.verify("s", r"\frac{1}{m} \mathrm{tr}\left(W_2 A_1\right)")
    assert v.equivalent is False and v.method == "shapes"
    assert "a 2×m matrix" in v.diagnosis and "square" in v.diagnosis


def test_a_sign_error_in_the_trace(g):
    v = g.verify("s", r"\frac{1}{m} \operatorname{tr}\left((Y - A_2)(W_2 A_1)^{\top}\right)")
    assert v.equivalent is False and v.diagnosis.startswith("sign error")


def test_a_wrong_scalar_says_its_value_not_an_entry(g):
    v = g.verify("s", r"\frac{1}{m} \operatorname{tr}\left(A_2 (W_2 A_1)^{\top}\right)")  # no Y
    assert v.equivalent is False
    assert "its value is" in v.diagnosis and "entry" not in v.diagnosis


def test_an_extra_scalar_factor(g):
    v = g.verify("s", r"\frac{s}{m} \operatorname{tr}\left((A_2 - Y)(W_2 A_1)^{\top}\right)")
    assert v.equivalent is False
    assert v.diagnosis == "an extra factor s: the claim is s times the gradient"


def test_the_matrix_whose_trace_is_the_gradient(g):
    v = g.verify("s", r"\frac{1}{m} (A_2 - Y)(W_2 A_1)^{\top}")        # 2×2: the trace is missing
    assert v.equivalent is False
    assert v.diagnosis.startswith("the claim is a 2×2 matrix whose trace is the gradient")


def test_a_matrix_claim_for_s_has_the_wrong_shape(g):
    v = g.verify("s", DW2)
    assert v.equivalent is False
    assert "s is a number" in v.diagnosis and "2×4" in v.diagnosis


def test_the_claim_restating_ds_is_not_a_derivation(g):
    assert g.verify("s", r"\frac{\partial L}{\partial s}").method == "not a derivation"


# ------------------------------------------------------------------ the matrix parameters
def test_the_right_claims_for_w2_are_equivalent(g):
    assert g.verify("W2", DW2).equivalent is True
    assert g.verify("W2", r"s \frac{\partial L}{\partial Z_2} A_1^T").equivalent is True


def test_w2_without_s_is_wrong_and_says_so(g):
    v = g.verify("W2", r"\frac{1}{m} (A_2 - Y) A_1^{\top}")
    assert v.equivalent is False
    assert v.diagnosis == "the factor s is missing: the claim is the gradient divided by s"


def test_the_right_claims_for_w1_are_equivalent(g):
    assert g.verify("W1", DW1).equivalent is True
    assert g.verify("W1", r"c \frac{\partial L}{\partial Z_1} X^T").equivalent is True
    assert g.verify("Z1", r"\left(s W_2^{\top} \frac{\partial L}{\partial Z_2}\right) \odot "
                          r"(1 - A_1 \odot A_1)").equivalent is True


def test_w1_without_the_scalar_input_is_wrong_and_says_so(g):
    v = g.verify("W1", DW1.replace(r"\frac{c s}{m}", r"\frac{s}{m}"))
    assert v.equivalent is False
    assert v.diagnosis == "the factor c is missing: the claim is the gradient divided by c"
    both = g.verify("W1", DW1.replace(r"\frac{c s}{m}", r"\frac{1}{m}"))
    assert both.diagnosis == ("the factors c and s are missing: the claim is the gradient "
                              "divided by c s")


def test_w1_without_the_tanh_derivative_names_the_factor(g):
    v = g.verify("W1", r"\frac{c s}{m} \left(W_2^{\top} (A_2 - Y)\right) X^{\top}")
    assert v.equivalent is False and "is missing: on the way back" in v.diagnosis


def test_a_plain_graph_with_the_same_declarations_verifies_alike():
    g = scaled_matrix_network(Graph)
    assert g.verify("s", DS).equivalent is True
    assert g.verify("W2", r"\frac{1}{m} (A_2 - Y) A_1^{\top}").equivalent is False


# ------------------------------------------------------------------ unaffected, and float64
def test_a_graph_without_scalar_vertices_verifies_as_before():
    g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    assert g.verify("W2", r"\frac{1}{m}(A_2 - Y) A_1^{\top}").equivalent is True
    wrong = g.verify("W2", r"(A_2 - Y) A_1^{\top}")
    assert wrong.diagnosis == "the 1/m of the batch mean is missing: the claim is m times the gradient"


def _large_scaled(inputs=100, hidden=60, classes=3):
    g = MatrixGraph()
    c = g.input("c")
    X, Y = g.input("X", inputs), g.input("Y", classes)
    W1, b1 = g.param("W1", hidden, inputs), g.param("b1", hidden, 1)
    W2, b2 = g.param("W2", classes, hidden), g.param("b2", classes, 1)
    s = g.param("s")
    Z1 = g.node("Z1", c * (W1 * X) + g.broadcast(b1))
    A1 = g.node("A1", apply(tanh, Z1))
    Z2 = g.node("Z2", s * (W2 * A1) + g.broadcast(b2))
    g.loss("L", Loss("ce", g.node("A2", Softmax(Z2)), Y))
    g.one_hot(Y)
    return g


def test_a_large_scaled_network_is_verified_in_float64():
    g = _large_scaled()     # 4 * (6000 + 60 + 180 + 3 + 1) multiply-adds: above EXACT_WORK
    p = matrix_points(g)
    assert type(p) is FloatMatrixPoints
    for point, value in zip(p.points, p.evaluate(adjoint_symbol(g, g.symbol("s")))):
        assert value.shape == () and value.dtype == np.float64
        assert math.isclose(float(value), _by_hand(point, lambda t: symbols(g, t)), rel_tol=1e-12)
    right = g.verify("s", DS)
    assert right.equivalent is True and "float64" in right.method
    assert g.verify("s", DS.replace(r"\frac{1}{m} ", "")).diagnosis.startswith(
        "the 1/m of the batch mean is missing")
    assert g.verify("W2", DW2).equivalent is True
    assert g.verify("W1", DW1.replace(r"\frac{c s}{m}", r"\frac{s}{m}")).diagnosis == (
        "the factor c is missing: the claim is the gradient divided by c")


def test_symprops_own_printed_gradients_read_back_as_right(g):
    from symprop.latex.matrix_printer import matrix_latex

    for p in g.param_symbols:
        assert g.verify(p, matrix_latex(g.derive(p).result, g)).equivalent is True, p
