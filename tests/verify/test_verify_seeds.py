r"""The seeds' own hand derivations verify, exactly as the seeds write them."""
import math

import sympy

from corpus import (SEED_POINT, chain_rule_case1, chain_rule_case2, logistic_regression,
                    seed_network)
from hand_derivations import EXAMPLE_1, EXAMPLE_2, EXAMPLE_2_FULL, seed001_logistic
from symprop.parse.latex import read_latex


def test_chain_rule_case_1():
    assert chain_rule_case1().verify("x", r"2(e^x + x)(e^x + 1)")


def test_chain_rule_case_2():
    assert chain_rule_case2().verify("x", r"3x^2 + 2x\left(3x + 1 -\cos(x^2)\right)")


def test_examples_1_and_2_of_the_1_2_1_network():
    g = seed_network()
    for wrt, text in (("b2_1", EXAMPLE_1), ("w1_1_2", EXAMPLE_2), ("w1_1_2", EXAMPLE_2_FULL)):
        verdict = g.verify(wrt, text)
        assert verdict, str(verdict)
        assert all(step.follows in (None, True) for step in verdict.steps)


def test_logistic_regression_dL_dw1_and_its_number():
    g = logistic_regression()
    assert g.verify("w1", r"x_1 (\hat{y} - y)")
    # The seed prints dL_dw1 = -0.5663 at x1=1.5, x2=2.5, w1=-4, w2=3, b=-1, y=1.
    p = SEED_POINT
    yhat = 1 / (1 + math.exp(-(p["w1"] * p["x1"] + p["w2"] * p["x2"] + p["b"])))
    claim = g.composed(read_latex(r"x_1 (\hat{y} - y)", g))
    value = float(claim.xreplace({g.symbol(k): sympy.Float(v) for k, v in p.items()}))
    assert round(value, 4) == -0.5663 == round(p["x1"] * (yhat - p["y"]), 4)


def test_seed_001_sigmoid_with_binary_cross_entropy():
    g = seed001_logistic()
    assert g.verify("W", r"(y_p - y) X")
    assert g.verify("W", r"(y_p-y).X")
    batch = g.verify("W", r"1/m*(y_p-y).X")      # the seed's batch-mean form, on one example
    assert not batch and "1/m" in batch.diagnosis
