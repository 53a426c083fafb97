"""Graph declaration, edges in node values, and the errors users get."""
import math

import pytest
import sympy

from corpus import logistic_regression
from symprop import Graph, SympropError, sigmoid, softmax


def test_edges_carry_local_partials_in_node_values():
    g = logistic_regression()
    z, yhat = sympy.symbols("z yhat")
    # The sigmoid's derivative in its own output, not exp(-z)/(1 + exp(-z))**2.
    assert g.partial(z, yhat) == yhat * (1 - yhat)
    assert {(str(e.parent), str(e.child)) for e in g.edges} == {
        ("x1", "z"), ("x2", "z"), ("w1", "z"), ("w2", "z"), ("b", "z"),
        ("z", "yhat"), ("y", "L"), ("yhat", "L")}


def test_tanh_and_exp_partials_are_in_their_own_output():
    g = Graph()
    x = g.params("x")
    t = g.node("t", sympy.tanh(x))
    e = g.node("e", sympy.exp(t))
    g.loss("L", e)
    assert g.partial(x, t) == 1 - t**2
    assert g.partial(t, e) == e


def test_softmax_partials_are_in_the_outputs():
    g = Graph()
    z1, z2 = g.params("z1 z2")
    a1 = g.node("a1", softmax(1, z1, z2))
    a2 = g.node("a2", softmax(2, z1, z2))
    g.loss("L", a1 + 2 * a2)
    assert g.partial(z1, a1) == a1 * (1 - a1)
    assert g.partial(z2, a1) == -a1 * a2


def test_inputs_and_params_return_symbols_like_sympy_symbols():
    g = Graph()
    assert g.inputs("x") == sympy.Symbol("x")
    assert g.params("a b") == sympy.symbols("a b")


def test_latex_names_default_and_override():
    g = Graph()
    x = g.inputs("x1")
    w = g.params("w", latex={"w": r"\omega"})
    yhat = g.node("yhat", w * x)
    g.loss("L", yhat**2)
    assert g.latex_name(x) == "x_{1}"
    assert g.latex_name(w) == r"\omega"
    assert g.latex_name(yhat) == r"\hat{y}"
    assert g.latex_name("L") == r"\mathcal{L}"
    g.set_latex("L", "J")
    assert g.latex_name("L") == "J"


def test_derive_by_symbol_name_or_latex():
    g = logistic_regression()
    w1 = sympy.Symbol("w1")
    assert g.derive(w1).result == g.derive("w1").result == g.derive("w_{1}").result


def test_undeclared_symbol_is_an_error_naming_it():
    g = Graph()
    x = g.inputs("x")
    with pytest.raises(SympropError, match="uses q, not declared"):
        g.node("z", x * sympy.Symbol("q"))


def test_node_defined_twice_is_an_error():
    g = Graph()
    x = g.inputs("x")
    g.node("z", 2 * x)
    with pytest.raises(SympropError, match="'z' is already declared"):
        g.node("z", 3 * x)


def test_second_loss_is_an_error():
    g = Graph()
    x = g.params("x")
    g.loss("L", x**2)
    with pytest.raises(SympropError, match="already has a loss"):
        g.loss("L2", x**3)


def test_gradient_of_a_non_parameter_lists_the_parameters():
    g = logistic_regression()
    with pytest.raises(SympropError, match="parameters: w1, w2, b"):
        g.derive("w9")
    with pytest.raises(SympropError, match="x1 is an input, not a parameter"):
        g.derive("x1")


def test_no_path_to_the_loss_gives_exactly_zero_and_says_so():
    g = Graph()
    x = g.inputs("x")
    w, unused = g.params("w unused")
    g.node("dead", unused * x)
    g.loss("L", (w * x) ** 2)
    d = g.derive("unused")
    assert d.result == 0 and d.paths == () and d.path_count == 0
    assert "exactly 0" in d.note
    assert d.evaluate(x=1.0, w=2.0, unused=3.0) == 0.0


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_non_finite_values_are_refused(bad):
    g = logistic_regression()
    values = dict(g.values, x1=bad)
    with pytest.raises(SympropError, match="value of x1 is not finite"):
        g.derive("w1").evaluate(**values)


def test_missing_and_unknown_values_are_named():
    g = logistic_regression()
    values = dict(g.values)
    del values["b"]
    with pytest.raises(SympropError, match="missing value.*b"):
        g.derive("w1").evaluate(**values)
    with pytest.raises(SympropError, match="unknown value name.*zz"):
        g.derive("w1").evaluate(**g.values, zz=1.0)


def test_bad_declarations():
    g = Graph()
    with pytest.raises(SympropError, match="not a valid identifier"):
        g.inputs("2x")
    with pytest.raises(SympropError, match="reserved"):
        g.params("np")
    x = g.inputs("x")
    with pytest.raises(SympropError, match="unknown function"):
        g.node("z", sympy.Function("f")(x))
    with pytest.raises(SympropError, match="expected a sympy expression"):
        g.node("z", [x])
    with pytest.raises(SympropError, match="no loss"):
        g.gradients()


def test_nodes_after_the_loss_are_refused():
    g = Graph()
    x = g.params("x")
    g.loss("L", x**2)
    with pytest.raises(SympropError, match="after the loss"):
        g.node("z", x)


def test_sigmoid_node_expression_may_be_any_sympy_expression():
    # Functions outside the registry still work through sympy's diff.
    g = Graph()
    x = g.params("x")
    u = g.node("u", sympy.atan(x) + sigmoid(x))
    g.loss("L", u**2)
    expected = sympy.diff((sympy.atan(x) + sigmoid(x)) ** 2, x)
    assert sympy.expand(g.derive(x).closed_form - expected) == 0


def test_abs_differentiates_to_sign_for_real_values():
    # Graph symbols carry no assumptions; |u| still gets the real derivative sign(u).
    g = Graph()
    x = g.inputs("x")
    w = g.params("w")
    a = g.node("a", w * x - 1)
    g.loss("L", abs(a))
    assert g.partial(a, "L") == sympy.sign(a)
    assert g.derive(w).evaluate(x=2.0, w=1.0) == 2.0
    assert g.derive(w).evaluate(x=2.0, w=0.0) == -2.0
