"""mlp(): identifiers and LaTeX of DESIGN.md, structure, options."""
import pytest
import sympy

from symprop import SympropError, mlp, softmax


def names(symbols):
    return [s.name for s in symbols]


def test_identifiers_of_a_two_input_network():
    g = mlp([2, 3, 2])
    assert names(g.input_symbols) == ["x1", "x2", "y1", "y2"]
    assert "w1_2_3" in names(g.param_symbols) and "b2_2" in names(g.param_symbols)
    assert names(g.node_symbols)[:3] == ["z1_1", "z1_2", "z1_3"]
    assert g.loss_symbol.name == "L"
    assert len(g.param_symbols) == 2 * 3 + 3 + 3 * 2 + 2


def test_single_input_and_output_use_x_and_y():
    g = mlp([1, 2, 1])
    assert names(g.input_symbols) == ["x", "y"]


def test_weighted_sum_is_the_seeds_forward_pass():
    g = mlp([2, 3, 1])
    x1, x2 = sympy.symbols("x1 x2")
    w11, w21, b = sympy.symbols("w1_1_1 w1_2_1 b1_1")
    assert g.expr("z1_1") == w11 * x1 + w21 * x2 + b


def test_latex_full_and_short_forms():
    g = mlp([2, 3, 1])
    assert g.latex_name("w1_2_3") == r"w_{2\to 3}^{[1]}"
    assert g.latex_name("w2_3_1") == r"w_{3\to 1}^{[2]}"  # one notation for one network
    seed = mlp([1, 2, 1])                                    # every layer has a single side
    assert seed.latex_name("w1_1_2") == r"w_{2}^{[1]}" and seed.latex_name("w2_2_1") == r"w_{2}^{[2]}"
    assert g.latex_name("a1_2") == r"a_{2}^{[1]}"
    assert g.latex_name("b2_1") == r"b_{1}^{[2]}"
    assert g.latex_name("L") == r"\mathcal{L}"


def test_softmax_output_and_losses():
    g = mlp([2, 2, 3], activation="relu", output="softmax", loss="ce")
    z = sympy.symbols("z2_1 z2_2 z2_3")
    assert g.expr("a2_2") == softmax(2, *z)
    a, y = sympy.symbols("a2_1 a2_2 a2_3"), sympy.symbols("y1 y2 y3")
    assert g.expr("L") == -sum(yk * sympy.log(ak) for ak, yk in zip(a, y))


def test_mse_and_bce_per_example():
    a, y = sympy.symbols("a1_1 y")
    assert mlp([1, 1], output="identity", loss="mse").expr("L") == (a - y) ** 2
    assert mlp([1, 1]).expr("L") == -y * sympy.log(a) - (1 - y) * sympy.log(1 - a)


def test_one_hot_is_a_stated_assumption():
    assert mlp([2, 3], output="softmax", loss="ce").one_hot_groups == ()
    groups = mlp([2, 3], output="softmax", loss="ce", one_hot=True).one_hot_groups
    assert [names(gr) for gr in groups] == [["y1", "y2", "y3"]]


@pytest.mark.parametrize("kwargs, message", [
    (dict(layers=[3]), "at least two positive integers"),
    (dict(layers=[2, 0, 1]), "at least two positive integers"),
    (dict(layers=[2, 1], activation="swish"), "unknown activation 'swish'"),
    (dict(layers=[2, 1], output="relu"), "unknown output 'relu'"),
    (dict(layers=[2, 1], loss="hinge"), "unknown loss 'hinge'"),
    (dict(layers=[2, 1], form="tensor"), "form must be"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(SympropError, match=message):
        mlp(**kwargs)
