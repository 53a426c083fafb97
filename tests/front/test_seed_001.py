"""Seed 001's scalar results: sigmoid + BCE gives (yhat - y) x; softmax + CE with one-hot
targets gives (p - y) times the hidden activation."""
import sympy

from symprop import mlp


def test_sigmoid_bce_gradient_is_prediction_minus_target_times_input():
    g = mlp([2, 1])
    x1, a, y = sympy.symbols("x1 a1_1 y")
    assert g.derive("w1_1_1").result == x1 * (a - y)


def test_softmax_ce_one_hot_gives_p_minus_y_times_hidden_activation():
    g = mlp([2, 3, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    for j in (1, 2, 3):
        for k in (1, 2, 3):
            a1, p, y = sympy.Symbol(f"a1_{j}"), sympy.Symbol(f"a2_{k}"), sympy.Symbol(f"y{k}")
            assert g.derive(f"w2_{j}_{k}").result == a1 * (p - y)


def test_softmax_ce_without_one_hot_keeps_the_target_sum():
    g = mlp([2, 3, 3], activation="relu", output="softmax", loss="ce")
    p1 = sympy.Symbol("a2_1")
    y1, y2, y3 = sympy.symbols("y1 y2 y3")
    assert sympy.expand(g.derive("b2_1").result - (p1 * (y1 + y2 + y3) - y1)) == 0
    assert g.one_hot_groups == ()
