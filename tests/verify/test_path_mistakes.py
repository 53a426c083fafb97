r"""Mistakes on one chain-rule path of several, and an activation derivative too many,
named with the factor and the path (hand derivations of a [1, 2, 2, 1] network's first
weight, whose two paths run through the two units of layer 2)."""
import pytest

from symprop import mlp

G = mlp([1, 2, 2, 1])
RIGHT = (r"x a_{1}^{[1]} (1 - a_{1}^{[1]}) (w_{1\to 1}^{[2]} a_{1}^{[2]} (1 - a_{1}^{[2]}) "
         r"w_{1\to 1}^{[3]} + w_{1\to 2}^{[2]} a_{2}^{[2]} (1 - a_{2}^{[2]}) w_{2\to 1}^{[3]}) "
         r"(a_{1}^{[3]} - y)")
SECOND = "w1_1_1 -> z1_1 -> a1_1 -> z2_2 -> a2_2 -> z3_1 -> a3_1 -> L"


def test_the_hand_derivation_is_right():
    assert G.verify("w1_1_1", RIGHT).equivalent is True


@pytest.mark.parametrize("dropped, factor", [
    (r" w_{2\to 1}^{[3]}", "dz3_1/da2_2 = w3_2_1"),
    (r"w_{1\to 2}^{[2]} ", "dz2_2/da1_1 = w2_1_2"),
])
def test_a_weight_missing_on_one_path_is_named_with_its_path(dropped, factor):
    verdict = G.verify("w1_1_1", RIGHT.replace(dropped, "", 1))
    assert verdict.equivalent is False
    assert verdict.diagnosis == (f"on the chain-rule path {SECOND}, the factor {factor} is "
                                 "missing: the claim has that path's term without it")


def test_an_extra_sigma_prime_is_named():
    extra = RIGHT.replace(r"x a_{1}^{[1]} (1 - a_{1}^{[1]})",
                          r"x a_{1}^{[1]} (1 - a_{1}^{[1]}) a_{1}^{[1]} (1 - a_{1}^{[1]})")
    verdict = G.verify("w1_1_1", extra)
    assert verdict.diagnosis == ("the claim has an extra factor da1_1/dz1_1 = "
                                 "a1_1*(1 - a1_1)"), verdict.diagnosis
