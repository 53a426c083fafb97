"""MatrixGraph.check: compiled matrix gradients against PyTorch autograd.

Expected values come from NumPy written here by hand (seed 001's formulas), or
from the oracle's independence: tampering with symprop's derivation must show.
"""
import json
import sys

import numpy as np
import pytest
import sympy

from symprop import SympropError
from symprop.check.graph_check import check_graph
from symprop.registry.functions import relu, sigmoid
from symprop.ir.matrix_ops import Loss, apply
from symprop import MatrixGraph, matrix_mlp
from symprop.ir import matrix_ops as ops
from symprop.check.oracle import TorchOracle
from symprop.check.points import random_point
from symprop.registry.fused import FUSED, Fused


def seed_network():
    return matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True)


def seed_values(batch=5, seed=1):
    rng = np.random.default_rng(seed)
    return {"X": rng.normal(size=(3, batch)), "Y": np.eye(2)[:, rng.integers(2, size=batch)],
            "W1": rng.normal(size=(4, 3)), "b1": rng.normal(size=(4, 1)),
            "W2": rng.normal(size=(2, 4)), "b2": rng.normal(size=(2, 1))}


def by_hand(v):
    """Seed 001 written out in NumPy: loss, dW2 = (1/m)(P - Y) A1^T, dW1 = (1/m)(W2^T (P - Y) o relu'(Z1)) X^T."""
    m = v["X"].shape[1]
    Z1 = v["W1"] @ v["X"] + v["b1"]
    A1 = np.maximum(Z1, 0)
    Z2 = v["W2"] @ A1 + v["b2"]
    P = np.exp(Z2) / np.exp(Z2).sum(axis=0, keepdims=True)
    loss = -(v["Y"] * np.log(P)).sum() / m
    dZ2 = (P - v["Y"]) / m
    dZ1 = (v["W2"].T @ dZ2) * (Z1 > 0)
    return loss, {"W2": dZ2 @ A1.T, "b2": dZ2.sum(axis=1, keepdims=True),
                  "W1": dZ1 @ v["X"].T, "b1": dZ1.sum(axis=1, keepdims=True)}


@pytest.mark.parametrize("activation, output, loss, one_hot", [
    ("relu", "softmax", "ce", True),
    ("sigmoid", "sigmoid", "bce", False),
    ("tanh", "identity", "mse", False),
    ("relu", "softmax", "ce", False),
])
def test_report_is_ok_on_mlp_configurations(activation, output, loss, one_hot):
    g = matrix_mlp([4, 5, 3], activation=activation, output=output, loss=loss,
                   one_hot=one_hot)
    report = g.check()
    assert report.ok and bool(report)
    assert report.max_rel_error < 1e-12
    # One row per parameter and the loss, at each of the 2 default points.
    assert [(r.point, r.parameter) for r in report.rows] == [
        (p, name) for p in (0, 1) for name in ("L", "W1", "b1", "W2", "b2")]
    assert report.rows[1].shape == (5, 4)


def test_deeper_network_with_wide_batch():
    g = matrix_mlp([3, 4, 4, 2], activation="sigmoid", output="softmax", loss="ce",
                   one_hot=True)
    report = g.check(points=1, batch=7, seed=3)
    assert report.ok
    assert report.batch == [7]
    assert report.points[0]["X"] == (3, 7)


def skip_connection_graph():
    """A1 reaches the output twice: through Z2 and directly through H = A1 + A2."""
    g = MatrixGraph()
    X, Y = g.input("X", 3), g.input("Y", 2)
    W1, b1 = g.param("W1", 4, 3), g.param("b1", 4, 1)
    W2, b2 = g.param("W2", 4, 4), g.param("b2", 4, 1)
    W3, b3 = g.param("W3", 2, 4), g.param("b3", 2, 1)
    A1 = g.node("A1", apply(sigmoid, W1 * X + g.broadcast(b1)))
    A2 = g.node("A2", apply(relu, W2 * A1 + g.broadcast(b2)))
    H = g.node("H", A1 + A2)
    A3 = g.node("A3", apply(sigmoid, W3 * H + g.broadcast(b3)))
    g.loss("L", Loss("bce", A3, Y))
    return g


def test_skip_connection_graph():
    g = skip_connection_graph()
    assert g.count_paths("W1") == 2
    report = g.check(points=2, batch=4)
    assert report.ok, str(report)
    assert {r.parameter for r in report.rows} == {"L", "W1", "b1", "W2", "b2", "W3", "b3"}


def test_oracle_agrees_with_seed_formulas_written_by_hand():
    g, v = seed_network(), seed_values()
    loss, grads = TorchOracle(g)(v)
    hand_loss, hand = by_hand(v)
    assert loss == pytest.approx(hand_loss, rel=1e-12)
    for name, expected in hand.items():
        np.testing.assert_allclose(grads[name], expected, rtol=1e-10, atol=1e-12)


def test_values_given_explicitly():
    g, v = seed_network(), seed_values(batch=6)
    report = check_graph(g, values=v)
    assert report.ok
    assert len(report.points) == 1 and report.batch == [6]
    hand_loss, hand = by_hand(v)
    loss_row = report.rows[0]
    assert loss_row.reference == pytest.approx(hand_loss, rel=1e-12)
    assert report.notes == []


def test_values_with_targets_not_one_hot_are_noted():
    g, v = seed_network(), seed_values()
    v["Y"] = np.full((2, 5), 0.3)
    report = g.check(values=v)
    assert any("one-hot" in n for n in report.notes)
    assert not report.ok  # the fused rule assumes columns summing to 1


@pytest.mark.parametrize("change, message", [
    ({"W1": np.zeros((3, 3))}, r"W1 has shape \(3, 3\); expected \(4, 3\)"),
    ({"Y": np.zeros((2, 4))}, r"Y has shape \(2, 4\); expected \(2, 5\) \(m = 5, the columns of X\)"),
    ({"X": np.zeros(3)}, r"X has shape \(3,\); expected a 2-d array of shape \(3, m\)"),
    ({"b1": [["a"], ["b"], ["c"], ["d"]]}, r"value of b1 is not a number"),
    ({"W2": np.full((2, 4), np.inf)}, r"value of W2 is not finite"),
    ({"Q": np.zeros((1, 1))}, r"unknown value name\(s\) Q"),
])
def test_bad_values_name_what_is_wrong(change, message):
    v = {**seed_values(), **change}
    with pytest.raises(SympropError, match=message):
        seed_network().check(values=v)


def test_missing_values_and_bad_arguments():
    g, v = seed_network(), seed_values()
    del v["b2"]
    with pytest.raises(SympropError, match=r"missing value\(s\) for b2"):
        g.check(values=v)
    with pytest.raises(SympropError, match="values must be a dict"):
        g.check(values=[1, 2])
    with pytest.raises(SympropError, match="batch must be a positive integer"):
        g.check(batch=0)
    with pytest.raises(SympropError, match="points must be a positive integer"):
        g.check(points=0)
    with pytest.raises(SympropError, match="rtol must be"):
        g.check(rtol=-1.0)


@pytest.mark.parametrize("width", [3, 784])
def test_random_points_stay_moderate_at_any_width(width):
    """Parameters are scaled by 1/sqrt(columns): a 784-wide layer's logits stay small."""
    g = matrix_mlp([width, 16, 10], activation="relu", output="softmax", loss="ce", one_hot=True)
    point = random_point(g, np.random.default_rng(0), 32)
    logits = point["W2"] @ np.maximum(point["W1"] @ point["X"] + point["b1"], 0) + point["b2"]
    assert np.abs(logits).max() < 10
    assert g.check(batch=32).ok


def test_no_finite_random_point_is_a_clear_error():
    g = MatrixGraph()
    X, Y = g.input("X", 2), g.input("Y", 1)
    W = g.param("W", 1, 2)
    d = sympy.Dummy("d")
    A = g.node("A", apply(sympy.Lambda(d, sympy.log(-1 - d**2)), W * X))  # log of a negative
    g.loss("L", Loss("mse", A, Y))
    with pytest.raises(SympropError, match="could not draw random point 0: in 25 draws"):
        g.check()


def test_tampered_adjoint_is_caught():
    g = seed_network()
    adjoints = g.adjoints()
    W2 = g.symbol("W2")
    adjoints.local[W2] = ops.scale(2, adjoints.local[W2])  # twice the true gradient
    report = g.check(points=1)
    assert not report.ok
    assert [r.parameter for r in report.failures] == ["W2"]


def test_tampered_fused_rule_is_caught(monkeypatch):
    monkeypatch.setitem(FUSED, ("softmax", "ce"),  # a wrong rule: 2 (P - Y)/m
                        Fused(FUSED["softmax", "ce"].title, scale=2, totals=True))
    report = seed_network().check(points=1)
    assert not report.ok
    assert {r.parameter for r in report.failures} == {"W1", "b1", "W2", "b2"}


def test_tampered_compiled_function_is_caught(monkeypatch):
    g = seed_network()
    honest = g.compile()

    def compiled(**values):
        loss, grads = honest(**values)
        grads = dict(grads)
        grads["b1"] = grads["b1"].copy()
        grads["b1"][2, 0] += 1e-6  # one entry, slightly off
        return loss, grads

    monkeypatch.setattr(g, "compile", lambda: compiled)
    report = g.check(points=1)
    assert not report.ok
    (failure,) = report.failures
    assert (failure.parameter, failure.entry) == ("b1", (2, 0))
    assert failure.abs_error == pytest.approx(1e-6, rel=1e-6)
    assert "<-- disagrees" in str(report)


def test_report_dict_and_text():
    from symprop import Graph

    g = seed_network()
    report = g.check(points=1)
    data = json.loads(json.dumps(report.to_dict()))
    scalar = Graph()
    x = scalar.inputs("x")
    w = scalar.params("w")
    scalar.loss("L", (w * x) ** 2)
    assert set(check_graph(scalar, points=1).to_dict()) <= set(data)
    assert data["ok"] is True and data["method"] == "torch autograd"
    assert data["points"] == [{"X": [3, 3], "Y": [2, 3], "W1": [4, 3], "b1": [4, 1],
                               "W2": [2, 4], "b2": [2, 1]}]
    assert [r["parameter"] for r in data["rows"]] == ["L", "W1", "b1", "W2", "b2"]
    text = str(report)
    assert text.splitlines()[0].endswith(": OK")
    assert "max abs error" in text and "max rel err" in text
    assert sum(line.startswith("0 ") for line in text.splitlines()) == 5


def test_batch_mean_inside_the_graph():
    """Centring over the batch (C = Z - mean(Z) 1^T): every example's gradient reaches every other."""
    from sympy import tanh

    from symprop.ir.matrix_ops import batch_mean

    g = MatrixGraph()
    X, Y = g.input("X", 3), g.input("Y", 2)
    W1, b1, W2 = g.param("W1", 4, 3), g.param("b1", 4, 1), g.param("W2", 2, 4)
    Z1 = g.node("Z1", W1 * X + g.broadcast(b1))
    M = g.node("M", batch_mean(Z1))
    C = g.node("C", Z1 - g.broadcast(M))
    A1 = g.node("A1", apply(tanh, C))
    A2 = g.node("A2", apply(sigmoid, W2 * A1))
    g.loss("L", Loss("bce", A2, Y))
    assert g.count_paths("W1") == 2  # through the mean and around it
    report = g.check(batch=5)
    assert report.ok, str(report)
    # b1 cancels in Z1 - mean(Z1): its gradient is zero, and autograd agrees entry by entry.
    assert max(abs(r.compiled) for r in report.rows if r.parameter == "b1") < 1e-15


def test_without_torch_both_forms_fall_back_to_finite_differences(monkeypatch):
    """One fallback for both forms: hiding torch makes the check, and the notes, use it."""
    from symprop import mlp, notes

    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    for graph in (seed_network(), mlp([2, 2, 1])):
        report = graph.check(points=1)
        assert report.ok, str(report)
        assert report.method == "finite differences" and report.rtol == 1e-6
        assert any("PyTorch is not installed" in n for n in report.notes)
        with pytest.raises(SympropError, match="PyTorch is not installed"):
            graph.check(method="torch")
    assert "finite differences" in notes(seed_network())


def test_finite_differences_agree_with_seed_formulas_written_by_hand():
    from symprop.check.oracle import FiniteDifferenceOracle

    g, v = seed_network(), seed_values()
    loss, grads = FiniteDifferenceOracle(g)(v)
    hand_loss, hand = by_hand(v)
    assert loss == pytest.approx(hand_loss, rel=1e-12)
    for name, expected in hand.items():
        np.testing.assert_allclose(grads[name], expected, rtol=1e-6, atol=1e-8)
    assert not check_graph(skip_connection_graph(), method="fd", points=1).failures
