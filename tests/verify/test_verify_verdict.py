"""The Verdict: its fields, how it was decided, counterexamples that really are ones."""
import json
import re

import pytest
import sympy

from corpus import chain_rule_case2, logistic_regression
from hand_derivations import relu_network
from symprop import SympropError

LR = logistic_regression()


def test_right_claim_fields():
    verdict = LR.verify("w1", r"x_1 (\hat{y} - y)")
    assert verdict and verdict.equivalent is True
    assert verdict.method == "symbolic"
    assert verdict.diagnosis is None and verdict.counterexample is None and verdict.steps == ()
    x1, y, yhat = LR.symbol("x1"), LR.symbol("y"), LR.symbol("yhat")
    assert sympy.expand(verdict.claim - x1 * (yhat - y)) == 0
    assert sympy.expand(verdict.truth - x1 * (yhat - y)) == 0
    assert r"\hat{y}" in verdict.claim_latex and "x_{1}" in verdict.truth_latex
    assert str(verdict).startswith("equivalent (symbolic)")


def test_to_dict_has_stable_keys_and_is_json():
    verdict = LR.verify("w1", r"x_1 (y - \hat{y})")
    data = verdict.to_dict()
    assert sorted(data) == ["claim", "claim_latex", "convention", "counterexample", "diagnosis",
                            "equivalent", "method", "reading", "steps", "truth", "truth_latex",
                            "wrt"]
    assert data["convention"] == "symprop" and data["reading"] is None
    assert json.loads(verdict.to_json()) == json.loads(json.dumps(data))
    assert data["equivalent"] is False and data["wrt"] == "w1"
    assert verdict.to_dict() == LR.verify("w1", r"x_1 (y - \hat{y})").to_dict()  # deterministic


def test_counterexample_is_a_real_difference():
    """At the reported point, the claim and sympy.diff of the loss really differ."""
    g = chain_rule_case2()
    verdict = g.verify("x", r"3h + 2x\left(g + \cos(h)\right)")
    assert not verdict
    point = {g.symbol(k): sympy.Rational(str(v)) for k, v in verdict.counterexample["point"].items()}
    x = g.symbol("x")
    truth = sympy.diff(x ** 2 * (3 * x + 1) - sympy.sin(x ** 2), x).xreplace(point).evalf(40)
    claim = g.composed(verdict.claim).xreplace(point).evalf(40)
    assert abs(claim - truth) > 0.1
    assert verdict.counterexample["truth"] == pytest.approx(float(truth), rel=1e-12)
    assert verdict.counterexample["claim"] == pytest.approx(float(claim), rel=1e-12)
    assert verdict.counterexample["difference"] == pytest.approx(float(claim - truth), rel=1e-9)
    assert "at x=" in str(verdict) and "why:" in str(verdict)


def test_numeric_fallback_names_points_and_error():
    g = relu_network()
    verdict = g.verify("w1_1_1", r"2(a_1^{[2]} - y)\, w_1^{[2]}\, \mathrm{step}(z_1^{[1]})\, x")
    assert verdict
    assert re.fullmatch(r"numeric at 8 random points, largest error \S+", verdict.method)


def test_points_option():
    g = relu_network()
    claim = r"2(a_1^{[2]} - y)\, w_1^{[2]}\, \mathrm{step}(z_1^{[1]})\, x"
    assert g.verify("w1_1_1", claim, points=5, seed=3).method.startswith("numeric at 5 ")
    with pytest.raises(SympropError, match="at least 3"):
        g.verify("w1_1_1", claim, points=2)


def test_tiny_differences_are_not_called_equal():
    verdict = LR.verify("w1", r"x_1(\hat{y} - y) + 10^{-15}")
    assert verdict.equivalent is False and verdict.counterexample["difference"] != 0
    verdict = LR.verify("w1", r"x_1(\hat{y} - y) + 10^{-12}\,\hat{y}")
    assert verdict.equivalent is False


def test_undefined_everywhere_gives_no_verdict():
    verdict = LR.verify("w1", r"\log(-1 - x_1^2)")
    assert verdict.equivalent is None and not verdict
    assert str(verdict).startswith("undecided")


def test_multi_step_names_the_first_wrong_line():
    verdict = LR.verify("w1", r"\frac{\partial \mathcal{L}}{\partial w_1} = "
                              r"x_1 \frac{\partial \mathcal{L}}{\partial z} = x_1(y - \hat{y})"
                              r" = -x_1(\hat{y} - y)")
    assert not verdict
    assert [s.follows for s in verdict.steps] == [None, False, True]
    assert [s.equals_truth for s in verdict.steps] == [True, False, False]
    assert verdict.diagnosis.startswith(r"line 2 (x_1(y - \hat{y})) does not equal line 1: sign")
    assert set(verdict.steps[1].counterexample) == {"point", "line", "previous", "difference"}


def test_two_mistakes_that_cancel_are_still_reported():
    verdict = LR.verify("w1", r"x_1(y - \hat{y}) = x_1(\hat{y} - y)")
    assert verdict.equivalent is False
    assert "two mistakes cancel" in verdict.diagnosis


def test_derivative_of_another_parameter_is_refused():
    with pytest.raises(SympropError, match="dL/dw2"):
        LR.verify("w1", r"\frac{\partial \mathcal{L}}{\partial w_2} = x_2 (\hat{y} - y)")


def test_unknown_parameter_is_refused():
    with pytest.raises(SympropError, match="not a parameter"):
        LR.verify("w9", r"x_1")
