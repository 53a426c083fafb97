r"""Verdicts on hand derivations in matrix form, on seed 001's network.

The right claims are seed 001's formulas as a person writes them
(dJ/dW2 = 1/m (P - Y) A1^T, dJ/dW1 = 1/m (W2^T (P - Y) ⊙ relu'(Z1)) X^T) and
their usual spellings; each wrong claim carries one classic mistake, and the
diagnosis must name it.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symprop import SympropError
from symprop.matrix import matrix_mlp

RIGHT = [
    ("W2", r"\frac{1}{m}(P - Y) A_1^{\top}"),
    ("W2", r"\frac{1}{m}\left(P - Y\right) A_1^T"),
    ("W2", r"dZ_2 A_1^T"),
    ("W2", r"\frac{\partial \mathcal{L}}{\partial W_2} = \frac{\partial \mathcal{L}}{\partial Z_2}"
           r" A_1^{\top} = \frac{1}{m}(P - Y)A_1^{\top}"),
    ("b2", r"\frac{1}{m}(P - Y)\mathbf{1}"),
    ("W1", r"\frac{1}{m}\left(W_2^{\top}(P - Y) \odot H(Z_1)\right) X^{\top}"),
    ("W1", r"\frac{1}{m}\left(W_2^{\top}(P - Y) \odot \mathbb{1}[Z_1 > 0]\right) X^{\top}"),
    ("W1", r"\left(W_2^T dZ_2 \odot \operatorname{relu}'(Z_1)\right) X^T"),
    ("W1", r"\begin{aligned} \frac{\partial J}{\partial W_1} &= dZ_1 X^T \\"
           r" &= \left(W_2^{\top} dZ_2 \odot H(Z_1)\right) X^{\top} \\"
           r" &= \frac{1}{m}\left(W_2^{\top} (P - Y) \odot H(Z_1)\right) X^{\top}\end{aligned}"),
]

WRONG = [
    ("W2", r"(P - Y) A_1^{\top}", "the 1/m of the batch mean is missing"),
    ("W2", r"\frac{1}{m}(Y - P) A_1^{\top}", "sign error"),
    ("W2", r"\frac{2}{m}(P - Y) A_1^{\top}", "a factor 2 too many"),
    ("W2", r"\frac{1}{m} A_1 (P - Y)^{\top}", "the transpose of the gradient"),
    ("W2", r"\frac{1}{m}(P - Y)", "but a gradient has its parameter's shape: W_{2} is 3×5"),
    ("b2", r"\frac{1}{m}(P - Y)", "a gradient has its parameter's shape"),
    ("W1", r"\frac{1}{m} W_2^{\top}(P - Y) X^{\top}",
     r"the factor H\left(Z_{1}\right) is missing: on the way back, \frac{\partial \mathcal{L}}"
     r"{\partial Z_{1}} = \frac{\partial \mathcal{L}}{\partial A_{1}} \odot H\left(Z_{1}\right)"),
    ("W1", r"\frac{1}{m}\left(W_2^{\top} P \odot H(Z_1)\right) X^{\top}",
     "the claim differs from the gradient: at a random point with m = 3, entry (0, 0) is"),
]


@pytest.fixture(scope="module")
def seed_network():
    g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    g.set_latex("A2", "P")  # the seed's name for the softmax output
    return g


@pytest.mark.parametrize("wrt, claim", RIGHT)
def test_seed_001_formulas_are_right(seed_network, wrt, claim):
    verdict = seed_network.verify(wrt, claim)
    assert verdict.equivalent is True, verdict.diagnosis
    assert verdict.diagnosis is None and bool(verdict)


@pytest.mark.parametrize("wrt, claim, reason", WRONG)
def test_classic_mistakes_are_named(seed_network, wrt, claim, reason):
    verdict = seed_network.verify(wrt, claim)
    assert verdict.equivalent is False
    assert reason in verdict.diagnosis


def test_product_in_the_wrong_order_is_a_shape_mistake(seed_network):
    verdict = seed_network.verify("W2", r"\frac{1}{m} A_1^{\top} (P - Y)")
    assert verdict.equivalent is False and verdict.method == "shapes"
    assert "m×5" in verdict.diagnosis and "3×m" in verdict.diagnosis


def test_seeds_own_loose_notation_is_a_shape_mistake(seed_network):
    """Seed 001 writes dJ/dW2 = 1/m*(Z_2-y).Z_1, with Z for activations: no transpose."""
    verdict = seed_network.verify("W2", r"1/m*(Z_2-Y).Z_1")
    assert verdict.equivalent is False
    assert "3×m" in verdict.diagnosis and "5×m" in verdict.diagnosis


def test_a_wrong_step_in_a_chain_is_named(seed_network):
    verdict = seed_network.verify(
        "W2", r"\frac{\partial \mathcal{L}}{\partial W_2} = dZ_2 A_1^{\top} = (P - Y) A_1^{\top}")
    assert verdict.equivalent is False
    assert verdict.diagnosis.startswith("line 2 ((P - Y) A_1^{\\top}) does not equal line 1")
    assert [s.equals_truth for s in verdict.steps] == [True, False]


def test_another_parameters_gradient_is_recognised():
    g = matrix_mlp([3, 3, 3], activation="tanh", output="softmax", loss="ce", one_hot=True)
    claim = r"\frac{1}{m}(A_2 - Y) A_1^{\top}"  # dL/dW2, offered as dL/dW1 (both 3x3)
    assert g.verify("W2", claim)
    assert "with respect to W_{2}, not W_{1}" in g.verify("W1", claim).diagnosis


def test_claim_about_another_parameter_is_an_error(seed_network):
    with pytest.raises(SympropError, match="starts with dL/dW1, but it is checked as dL/dW2"):
        seed_network.verify("W2", r"\frac{\partial \mathcal{L}}{\partial W_1} = dZ_1 X^T")


def test_verdict_counterexample_is_an_entry_at_a_batch_size(seed_network):
    verdict = seed_network.verify("W2", r"(P - Y) A_1^{\top}")
    point = verdict.counterexample["point"]
    assert point["m"] in (3, 4) and 0 <= point["row"] < 3 and 0 <= point["column"] < 5
    ex = verdict.counterexample
    assert np.isclose(ex["claim"], point["m"] * ex["truth"])  # m times the gradient
    assert set(verdict.to_dict()) >= {"equivalent", "diagnosis", "claim_latex", "truth_latex"}


@pytest.mark.parametrize("activation, local", [
    ("sigmoid", r"A_1 \odot (1 - A_1)"),
    ("sigmoid", r"\sigma'(Z_1)"),
    ("tanh", r"(1 - A_1^2)"),
    ("tanh", r"\tanh'(Z_1)"),
])
def test_activation_derivatives_written_by_hand(activation, local):
    """Seed 000's a(1 - a) and tanh's 1 - a^2, in matrix form with a sigmoid output and bce."""
    g = matrix_mlp([3, 4, 1], activation=activation, output="sigmoid", loss="bce")
    claim = rf"\frac{{1}}{{m}} \left(W_2^{{\top}} (A_2 - Y) \odot {local}\right) X^{{\top}}"
    assert g.verify("W1", claim), g.verify("W1", claim).diagnosis
    assert g.verify("W2", r"\frac{1}{m} (A_2 - Y) A_1^{\top}")
    missing = g.verify("W1", r"\frac{1}{m} \left(W_2^{\top} (A_2 - Y)\right) X^{\top}")
    assert missing.equivalent is False and missing.diagnosis.startswith("the factor ")


HEADS = [("sigmoid", "bce", False), ("sigmoid", "mse", False), ("identity", "mse", False),
         ("softmax", "ce", False), ("softmax", "ce", True)]


@pytest.mark.parametrize("output, loss, one_hot", HEADS)
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "softplus",
                                        "identity"])
def test_symprops_own_latex_is_read_back_as_right(activation, output, loss, one_hot):
    """Every derivation symprop prints (\\odot, \\mathbf{1} of any shape, A^{\\circ 2}) verifies."""
    layers = [3, 4, 1] if (output, loss) == ("sigmoid", "bce") else [3, 4, 2]
    g = matrix_mlp(layers, activation=activation, output=output, loss=loss, one_hot=one_hot)
    for p in g.param_symbols:
        verdict = g.verify(p, g.derive(p).latex())
        assert verdict.equivalent is True, (p, verdict.diagnosis)


@pytest.mark.parametrize("wrt, claim", [
    ("b2", r"\frac{1}{m}\sum_{i=1}^{m} (P - Y)"),                  # a sum over the batch
    ("b2", r"\frac{1}{m}\left((P - Y)^{\top}\right)^{\top} \mathbf{1}"),
    ("W1", r"\frac{1}{m}\left(W_2^{\top}(P - Y) \odot (\mathbf{1} - H(Z_1))\right) X^{\top}"),
])
def test_ones_take_the_shape_their_neighbour_needs(seed_network, wrt, claim):
    verdict = seed_network.verify(wrt, claim)
    if r"\mathbf{1} - H" in claim:   # 1 - H(Z_1): ones of Z_1's shape, and a wrong claim
        assert verdict.equivalent is False and verdict.method != "shapes"
    else:
        assert verdict.equivalent is True, verdict.diagnosis


TOKENS = ["P", "Y", "A_1", "Z_1", "W_2", "X", "m", "1", "2", r"\mathbf{1}", "(", ")", "^T", "^2",
          "+", "-", r"\odot", r"\frac{1}{m}", r"\sigma", "H", "dZ_2", "dZ_1", r"\tanh'"]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=10))
def test_any_claim_gets_a_verdict_or_a_reader_error(tokens):
    """Whatever is typed: a verdict with a reason when wrong, or one clear SympropError."""
    g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    g.set_latex("A2", "P")
    try:
        verdict = g.verify("W2", " ".join(tokens))
    except SympropError:
        return
    assert verdict.equivalent in (True, False)
    assert (verdict.diagnosis is None) == verdict.equivalent


def test_verdict_writes_matrices_as_the_text_format_does(seed_network):
    verdict = seed_network.verify(
        "W2", r"\frac{\partial \mathcal{L}}{\partial W_2} = dZ_2 A_1^{\top} = (P - Y) A_1^{\top}")
    assert str(verdict).splitlines()[1:3] == ["  claim: (A2 - Y)*A1.T",
                                              "  truth: 1/m*(A2 - Y)*A1.T"]
    steps = verdict.to_dict()["steps"]
    assert [s["expr"] for s in steps] == ["dL_dZ2*A1.T", "(A2 - Y)*A1.T"]


@pytest.mark.parametrize("claim, shape", [(r"\frac{1}{m}(P - Y)", "a 3×m matrix"),
                                          (r"\frac{1}{m}(P - Y)(P - Y)^T", "a 3×3 matrix"),
                                          (r"\frac{1}{m}(P - Y)^T(P - Y)", "an m×m matrix")])
def test_a_wrong_shape_is_written_with_m_where_it_follows_the_batch(seed_network, claim, shape):
    assert f"the claim is {shape}, but" in seed_network.verify("W2", claim).diagnosis


@pytest.mark.parametrize("wrt, claim, shape", [("W2", "A_1^T", "an m×5 matrix"),
                                               ("b2", r"\mathbf{1}", "an m×1 matrix")])
def test_a_shape_that_matches_at_one_batch_size_only_is_still_wrong(seed_network, wrt, claim,
                                                                   shape):
    """At m = 3 an m×5 claim has the shape of the 3×5 gradient; at m = 4 it has not."""
    verdict = seed_network.verify(wrt, claim)
    assert verdict.equivalent is False
    assert f"the claim is {shape}, but a gradient has its parameter's shape" in verdict.diagnosis
