"""Every formula and number of seed 000 ("03: Back Propagation") comes out of symprop.

Expected values are the seed's own, copied from its text.
"""
import sympy
import pytest

from corpus import chain_rule_case1, chain_rule_case2, logistic_regression, seed_network
from symprop.ir import numeric


def test_logistic_regression_forward_numbers():
    g = logistic_regression()
    values = numeric.forward(g, g.values)
    assert round(float(values[sympy.Symbol("yhat")]), 4) == 0.6225
    assert round(float(values[sympy.Symbol("L")]), 4) == 0.4741


@pytest.mark.parametrize("param, seed_value", [("w1", -0.5663), ("w2", -0.9439), ("b", -0.3775)])
def test_logistic_regression_gradients(param, seed_value):
    g = logistic_regression()
    assert round(g.derive(param).evaluate(**g.values), 4) == seed_value


def test_logistic_regression_backward_cell_factors():
    # The seed's backward cell: dL_dyhat = -y/yhat + (1-y)/(1-yhat), dyhat_dz = yhat(1-yhat),
    # dz/db = 1, dw1x1/dw1 = x1 (we fold w1*x1 into z, so dz/dw1 = x1).
    g = logistic_regression()
    x1, y, yhat, z, b, w1, L = sympy.symbols("x1 y yhat z b w1 L")
    assert g.partial(yhat, L) == -y / yhat + (1 - y) / (1 - yhat)
    assert g.partial(z, yhat) == yhat * (1 - yhat)
    assert g.partial(b, z) == 1
    assert g.partial(w1, z) == x1


def test_chain_rule_case1():
    g = chain_rule_case1()
    d = g.derive("x")
    x, gx = sympy.symbols("x g")
    assert [p.factors for p in d.paths] == [(sympy.exp(x) + 1, 2 * gx)]
    assert sympy.expand(d.result - 2 * gx * (sympy.exp(x) + 1)) == 0
    expected = 2 * (sympy.exp(x) + x) * (sympy.exp(x) + 1)
    assert sympy.expand(d.closed_form - expected) == 0


def test_chain_rule_case2_two_paths():
    g = chain_rule_case2()
    d = g.derive("x")
    x, gx, h = sympy.symbols("x g h")
    # df/dg dg/dx + df/dh dh/dx, written parameter end first as the paths run.
    assert [p.factors for p in d.paths] == [(3, h), (2 * x, gx - sympy.cos(h))]
    assert sympy.expand(d.result - (3 * h + 2 * x * (gx - sympy.cos(h)))) == 0
    expected = 3 * x**2 + 2 * x * (3 * x + 1 - sympy.cos(x**2))
    assert sympy.expand(d.closed_form - expected) == 0


def test_seed_network_parameters_are_the_seven_the_seed_lists():
    g = seed_network()
    latex = sorted(g.latex_name(p) for p in g.param_symbols)
    seed = [r"w_{1}^{[1]}", r"w_{2}^{[1]}", r"b_{1}^{[1]}", r"b_{2}^{[1]}",
            r"w_{1}^{[2]}", r"w_{2}^{[2]}", r"b_{1}^{[2]}"]
    assert latex == sorted(seed)


def test_seed_example1_bias_of_output():
    g = seed_network()
    d = g.derive(r"b_1^{[2]}")
    a2, y = sympy.symbols("a2_1 y")
    (path,) = d.paths
    assert [str(n) for n in path.nodes] == ["b2_1", "z2_1", "a2_1", "L"]
    # dz/db = 1, da/dz = a(1 - a), dL/da = -y/a + (1 - y)/(1 - a): the seed's three factors.
    assert path.factors == (1, a2 * (1 - a2), -y / a2 + (1 - y) / (1 - a2))
    assert d.result == a2 - y


def test_seed_example2_first_layer_weight():
    g = seed_network()
    d = g.derive(r"w_2^{[1]}")
    x, a12, a2, w2, y = sympy.symbols("x a1_2 a2_1 w2_2_1 y")
    (path,) = d.paths
    assert [str(n) for n in path.nodes] == ["w1_1_2", "z1_2", "a1_2", "z2_1", "a2_1", "L"]
    assert path.factors == (x, a12 * (1 - a12), w2, a2 * (1 - a2), -y / a2 + (1 - y) / (1 - a2))
    # a_1^{[0]} dL/dz_2^{[1]}: the input times the adjoint of z_2^{[1]}.
    assert sympy.expand(d.result - x * a12 * (1 - a12) * w2 * (a2 - y)) == 0
    assert d.adjoint("z1_2") * x == d.result


def test_seed_example2_bias_equals_adjoint_of_z():
    # "it follows that dL/db_2^{[1]} = dL/dz_2^{[1]}"
    g = seed_network()
    assert g.derive("b1_2").result == g.derive("b1_2").adjoint("z1_2")
