"""The autograd oracle and `check_graph`: agreement, disagreement caught, the fallback."""
import importlib.util
import json
import math
import os
import sys

import numpy as np
import pytest
import sympy

from corpus import CORPUS, SEED_POINT, logistic_regression
from symprop import Graph, SympropError, relu, sigmoid
from symprop.check.graph_check import check_graph
from symprop.check.oracle import FiniteDifferenceOracle, TorchOracle

requires_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None and os.environ.get("CI") != "true",
    reason="PyTorch is not installed (pip install symprop[torch])")



def _relu_at_zero_graph():
    """z = w x + b is exactly 0 at the graph's point: ReLU's kink."""
    g = Graph()
    x, y = g.inputs("x y")
    w, b = g.params("w b")
    z = g.node("z", w * x + b)
    a = g.node("a", relu(z))
    g.loss("L", (a - y) ** 2 + w ** 2)
    g.values = {"x": 0.5, "y": 1.0, "w": 1.0, "b": -0.5}
    return g


# ----------------------------------------------------------------- agreement
@requires_torch
def test_seed_logistic_regression_matches_the_seeds_numbers():
    report = logistic_regression().check()
    assert report.ok and bool(report)
    assert report.method == "torch autograd"
    autograd = {r.parameter: r.autograd for r in report.rows if r.quantity == "gradient"}
    # The seed's worked example: dL/dw1, dL/dw2, dL/db at x = (1.5, 2.5), w = (-4, 3), b = -1.
    assert {k: round(v, 4) for k, v in autograd.items()} == {
        "w1": -0.5663, "w2": -0.9439, "b": -0.3775}
    # The loss at that point, by hand: yhat = sigmoid(0.5), L = -log(yhat).
    loss_row = next(r for r in report.rows if r.quantity == "loss")
    assert loss_row.reference == pytest.approx(math.log1p(math.exp(-0.5)), rel=1e-14)
    assert report.points == [{k: SEED_POINT[k] for k in ("x1", "x2", "y", "w1", "w2", "b")}]


@requires_torch
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_corpus_graph_checks_ok_at_random_points(name):
    graph = CORPUS[name]()
    graph.values = {}
    report = check_graph(graph, points=3, seed=7)
    assert report.ok, str(report)
    assert report.compiled and all(r.compiled is not None for r in report.rows)
    assert len(report.points) == 3
    assert len(report.rows) == 3 * (1 + len(graph.param_symbols))
    assert report.max_rel_error <= 1e-9


@requires_torch
def test_relu_at_exactly_zero_agrees_with_torch():
    report = _relu_at_zero_graph().check()
    assert report.ok, str(report)
    grads = {r.parameter: r for r in report.rows if r.quantity == "gradient"}
    # relu'(0) = 0 in torch and step(0) = 0 in symprop: only the w**2 term remains.
    assert grads["w"].reference == 2.0 and grads["w"].symprop == 2.0
    assert grads["b"].reference == 0.0 and grads["b"].symprop == 0.0


@requires_torch
def test_random_points_are_seeded_and_inside_the_documented_domains():
    graph = CORPUS["seed_network"]()
    first = check_graph(graph, points=2, seed=3).points
    assert first == check_graph(graph, points=2, seed=3).points
    assert first != check_graph(graph, points=2, seed=4).points
    for point in first:
        assert 0.05 <= point["x"] <= 0.95 and 0.05 <= point["y"] <= 0.95
        assert all(-1.5 <= point[p.name] <= 1.5 for p in graph.param_symbols)


@requires_torch
def test_one_hot_targets_are_drawn_one_hot():
    graph = CORPUS["relu_softmax_onehot"]()
    report = check_graph(graph, points=4, seed=1)
    assert report.ok, str(report)
    for point in report.points:
        assert sorted(point[t] for t in ("y1", "y2", "y3")) == [0.0, 0.0, 1.0]


@requires_torch
def test_one_hot_targets_not_summing_to_one_are_noted_and_caught():
    graph = CORPUS["relu_softmax_onehot"]()
    values = {s.name: 0.3 for s in graph.input_symbols}
    values.update({p.name: 0.1 * i for i, p in enumerate(graph.param_symbols)})
    report = check_graph(graph, values)
    assert any("one-hot" in note for note in report.notes)
    assert not report.ok  # a - y assumes the targets sum to 1; autograd does not


@requires_torch
def test_batched_values_are_checked_example_by_example():
    graph = logistic_regression()
    values = dict(SEED_POINT, x1=np.array([1.5, -0.5, 2.0]), y=np.array([1.0, 0.0, 1.0]))
    report = check_graph(graph, values)
    assert report.ok, str(report)
    assert [p["x1"] for p in report.points] == [1.5, -0.5, 2.0]
    assert [r.point for r in report.rows] == [0] * 4 + [1] * 4 + [2] * 4
    assert report.rows[1].reference == pytest.approx(-0.5663110032, abs=1e-10)


# ----------------------------------------------------------------- disagreement is caught
@requires_torch
def test_a_wrong_derivation_is_caught():
    graph = logistic_regression()
    x1, y, yhat, w1 = (graph.symbol(n) for n in ("x1", "y", "yhat", "w1"))
    # The sign error of a hurried hand, planted in the adjoint the derivation evaluates.
    graph.adjoints().local[w1] = x1 * (yhat + y)
    report = graph.check()
    assert not report.ok and not report
    assert [r.parameter for r in report.failures] == ["w1"]
    wrong = report.failures[0]
    assert round(wrong.autograd, 4) == -0.5663  # the oracle does not use symprop's result
    assert "disagrees" in str(report) and "DISAGREES" in str(report)
    assert not check_graph(graph, method="fd").ok


@requires_torch
def test_a_tiny_error_beyond_the_tolerance_is_caught():
    graph = logistic_regression()
    w2 = graph.symbol("w2")
    local = graph.adjoints().local
    local[w2] = local[w2] * (1 + sympy.Float(1e-7))
    assert not graph.check().ok
    assert graph.check(rtol=1e-6).ok


@requires_torch
def test_the_compiled_function_is_compared_and_a_wrong_one_is_caught(monkeypatch):
    graph = logistic_regression()
    report = graph.check()
    assert report.compiled and report.ok
    assert all(r.compiled is not None for r in report.rows)
    real = graph.compile()

    def tampered(**values):
        loss, grads = real(**values)
        return loss, dict(grads, b=grads["b"] + 1e-3)

    monkeypatch.setattr(graph, "compile", lambda **options: tampered)
    report = graph.check()
    assert [r.parameter for r in report.failures] == ["b"]
    assert report.failures[0].symprop == pytest.approx(report.failures[0].autograd, abs=1e-12)


# ----------------------------------------------------------------- finite differences
def test_finite_differences_when_asked():
    report = logistic_regression().check(method="fd")
    assert report.ok, str(report)
    assert report.method == "finite differences" and report.rtol == 1e-6
    assert "finite differences" in str(report) and "rtol = 1e-06" in str(report)
    grads = [round(r.reference, 4) for r in report.rows if r.quantity == "gradient"]
    assert grads == [-0.5663, -0.9439, -0.3775]


def test_auto_falls_back_to_finite_differences_without_torch(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` now raises ImportError
    graph = CORPUS["multiple_paths"]()
    report = check_graph(graph, points=2)
    assert report.method == "finite differences"
    assert any("PyTorch is not installed" in note for note in report.notes)
    assert report.ok, str(report)
    assert report.to_dict()["method"] == "finite differences"
    with pytest.raises(SympropError, match="PyTorch is not installed"):
        check_graph(graph, method="torch")


def test_finite_difference_oracle_matches_hand_derivatives():
    # f = g^2, g = e^x + x (seed 000, case 1): df/dx = 2 (e^x + x)(e^x + 1).
    graph = CORPUS["chain_rule_case1"]()
    loss, grads = FiniteDifferenceOracle(graph)({"x": 0.7})
    expected = 2 * (math.exp(0.7) + 0.7) * (math.exp(0.7) + 1)
    assert loss == pytest.approx((math.exp(0.7) + 0.7) ** 2, rel=1e-15)
    assert grads["x"] == pytest.approx(expected, rel=1e-8)


# ----------------------------------------------------------------- the oracle itself
@requires_torch
def test_torch_oracle_matches_hand_derivatives():
    # f = h g - sin(h), g = 3x + 1, h = x^2 (seed 000, case 2): df/dx = 3h + 2x (g - cos h).
    graph = CORPUS["chain_rule_case2"]()
    x = 0.9
    loss, grads = TorchOracle(graph)({"x": x})
    g, h = 3 * x + 1, x * x
    assert loss == pytest.approx(h * g - math.sin(h), rel=1e-15)
    assert grads["x"] == pytest.approx(3 * h + 2 * x * (g - math.cos(h)), rel=1e-14)


@requires_torch
def test_unused_parameter_has_zero_gradient():
    g = Graph()
    x = g.inputs("x")
    w, unused = g.params("w unused")
    g.loss("L", sigmoid(w * x))
    report = g.check(points=1)
    assert report.ok
    assert next(r for r in report.rows if r.parameter == "unused").reference == 0.0


def test_a_function_the_registry_does_not_describe_is_refused_when_declared():
    # What symprop could differentiate but neither compile nor check is refused
    # up front, by name, rather than failing later in check or compile.
    g = Graph()
    x = g.inputs("x")
    w = g.params("w")
    with pytest.raises(SympropError, match="erf"):
        g.loss("L", sympy.erf(w * x))


# ----------------------------------------------------------------- bad input
@pytest.mark.parametrize("bad, named", [
    ({"w1": math.nan}, "w1"), ({"x2": math.inf}, "x2"), ({"b": "one"}, "b")])
def test_bad_values_are_named(bad, named):
    graph = logistic_regression()
    with pytest.raises(SympropError, match=named):
        graph.check(dict(SEED_POINT, **bad))


def test_missing_and_unknown_values_are_named():
    graph = logistic_regression()
    point = {k: v for k, v in SEED_POINT.items() if k != "w2"}
    with pytest.raises(SympropError, match="w2"):
        graph.check(point)
    with pytest.raises(SympropError, match="w9"):
        graph.check(dict(SEED_POINT, w9=1.0))


@pytest.mark.parametrize("options, message", [
    ({"method": "symbolic"}, "unknown check method"), ({"points": 0}, "points"),
    ({"rtol": -1.0}, "rtol"), ({"values": [1, 2]}, "dict")])
def test_bad_options_are_explained(options, message):
    graph = logistic_regression()
    graph.values = {}
    with pytest.raises(SympropError, match=message):
        check_graph(graph, **options)


@requires_torch
def test_a_loss_never_finite_at_random_points_is_an_error():
    g = Graph()
    w = g.params("w")
    g.loss("L", sympy.log(w - 10))  # w is drawn in (-1.5, 1.5): always log of a negative
    with pytest.raises(SympropError, match="could not draw"):
        g.check()


@requires_torch
def test_nan_at_a_given_point_never_agrees():
    g = Graph()
    w = g.params("w")
    g.loss("L", sympy.log(w))
    report = g.check({"w": -1.0})  # log of a negative number: NaN on both sides
    assert not report.ok
    assert any("not finite" in note for note in report.notes)
    assert report.to_dict()["max_abs_error"] == "inf"


@requires_torch
def test_equal_infinities_agree_and_the_row_says_so():
    g = Graph()
    w = g.params("w")
    g.loss("L", sympy.log(w))
    report = g.check({"w": 0.0})  # torch: log(0) = -inf, d/dw = 1/0 = inf
    assert [r.reference for r in report.rows] == [-math.inf, math.inf]
    assert report.ok
    assert all(r.note == "equal infinities" for r in report.rows)
    assert "agrees: equal infinities" in str(report)
    assert report.to_dict()["rows"][0]["note"] == "equal infinities"


def test_opposite_infinities_and_infinity_against_a_number_disagree():
    from symprop.check.graph_check import _row

    assert _row(0, "loss", "L", -math.inf, None, math.inf, False).rel_error == math.inf
    assert _row(0, "loss", "L", 1e308, None, math.inf, False).rel_error == math.inf
    assert _row(0, "loss", "L", math.inf, math.nan, math.inf, True).rel_error == math.inf
    assert _row(0, "loss", "L", math.inf, math.inf, math.inf, True).rel_error == 0.0


# ----------------------------------------------------------------- the report
@requires_torch
def test_report_serializes_with_stable_keys():
    report = logistic_regression().check()
    data = json.loads(json.dumps(report.to_dict()))
    assert list(data) == ["ok", "method", "rtol", "tolerance", "compiled", "max_abs_error",
                          "max_rel_error", "notes", "points", "rows"]
    assert list(data["rows"][0]) == ["point", "quantity", "parameter", "symprop", "compiled",
                                     "reference", "abs_error", "rel_error", "note"]
    assert data["ok"] is True and len(data["rows"]) == 4
    text = str(report)
    assert text.splitlines()[0].endswith("OK")
    assert "d/dw1" in text and "autograd" in text
    assert repr(report).startswith("CheckReport(ok=True")


def test_an_integer_value_beyond_float64_is_a_clear_error():
    g = Graph()
    w = g.params("w")
    g.loss("L", w ** 2)
    with pytest.raises(SympropError, match="value of w is not a number: an integer of about 401"):
        g.check({"w": 10 ** 400})


def test_a_large_batch_over_many_parameters_is_checked_at_a_bounded_number_of_rows():
    from symprop import mlp
    from symprop.check.points import MAX_CHECKED_ROWS

    g = mlp([2, 8, 1])  # 33 parameters
    rng = np.random.default_rng(1)
    values = {s.name: rng.uniform(size=2000) for s in g.input_symbols}
    values.update({p.name: 0.3 * rng.normal() for p in g.param_symbols})
    report = g.check(values)
    assert report.ok
    assert len(report.rows) <= MAX_CHECKED_ROWS
    assert len(report.points) == MAX_CHECKED_ROWS // (1 + len(g.param_symbols))
    assert any("2000 examples: checked" in note for note in report.notes)
