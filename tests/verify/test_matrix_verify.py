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

from hypothesis_profiles import examples, pairings
from symprop import SympropError
from symprop import matrix_mlp

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
     r"the factor H(Z_{1}) is missing: on the way back, \frac{\partial \mathcal{L}}"
     r"{\partial Z_{1}} = \frac{\partial \mathcal{L}}{\partial A_{1}} \odot H(Z_{1})"),
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


@pytest.mark.parametrize("activation, head", pairings(
    ["sigmoid", "tanh", "relu", "leaky_relu", "softplus", "identity"], HEADS))
def test_symprops_own_latex_is_read_back_as_right(activation, head):
    """Every derivation symprop prints (\\odot, \\mathbf{1} of any shape, A^{\\circ 2}) verifies
    (each activation and each output-and-loss pair; every pairing in the thorough profile)."""
    output, loss, one_hot = head
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


@settings(max_examples=examples(60))
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


# ------------------------------------------------------------------ hostile claims (issue 10)
@pytest.mark.parametrize("claim, reason", [
    (r"m^{1000}(P - Y) A_1^T", "not finite"),              # exit 3 before: int too large for a float
    (r"0 (P - Y) A_1^T", "the claim is zero"),             # exit 3 before: matmul of a scalar
    (r"\frac{0}{m}(P - Y) A_1^T", "the claim is zero"),
    (r"(P - Y) A_1^T - (P - Y) A_1^T", "the claim is zero"),
    (r"(P - Y) A_1^T 0", "the claim is zero"),
    (r"\frac{1}{m^{1000}}(P - Y) A_1^T", "the claim is"),
])
def test_a_degenerate_claim_gets_a_verdict_with_a_reason(seed_network, claim, reason):
    verdict = seed_network.verify("W2", claim)
    assert verdict.equivalent is False and reason in verdict.diagnosis


@pytest.mark.parametrize("wrt, claim", [
    ("W2", "dW_2"),
    ("W2", r"\frac{\partial \mathcal{L}}{\partial W_2}"),
    ("W2", r"\mathrm{d}W_2"),
    ("W2", r"dW_2 = dW_2"),
    ("W2", r"dW_2 = dZ_2 A_1^T = dW_2"),
    ("b1", r"db_1"),
    ("W1", r"\frac{\partial J}{\partial W_1} + 0 W_1"),
])
def test_a_claim_that_restates_the_gradient_is_not_a_derivation(seed_network, wrt, claim):
    verdict = seed_network.verify(wrt, claim)
    assert verdict.equivalent is False and verdict.method == "not a derivation"
    assert verdict.diagnosis.startswith(f"not a derivation: the claim uses dL/d{wrt}")


def test_the_seeds_downstream_adjoint_is_still_a_derivation_and_is_torchs_gradient(seed_network):
    """dW_2 = dZ_2 A_1^T uses the adjoint of a later node: right, and equal to autograd's."""
    import torch

    assert seed_network.verify("W2", r"dW_2 = dZ_2 A_1^T")
    assert seed_network.verify("W1", r"dW_1 = (W_2^T dZ_2 \odot H(Z_1)) X^T")
    rng = np.random.default_rng(7)
    t = {n: torch.tensor(rng.normal(size=s), dtype=torch.float64, requires_grad=True)
         for n, s in {"X": (4, 6), "W1": (5, 4), "b1": (5, 1), "W2": (3, 5), "b2": (3, 1)}.items()}
    Y = torch.tensor(np.eye(3)[:, rng.integers(0, 3, 6)], dtype=torch.float64)
    A1 = torch.relu(t["W1"] @ t["X"] + t["b1"])
    P = torch.softmax(t["W2"] @ A1 + t["b2"], dim=0)
    (-(Y * torch.log(P)).sum() / 6).backward()
    dZ2 = (P - Y) / 6                                   # the seed's dZ_2, of the batch mean
    np.testing.assert_allclose((dZ2 @ A1.T).detach().numpy(), t["W2"].grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("claim", [
    r"(P - Y) A_1^T" + r" W_2^T W_2" * 200,              # 401 factors: over 300 s before
    r"\sigma" + "'" * 20 + "(Z_2)",                        # over 20 s before
    " + ".join([r"(P - Y) A_1^T W_2^T W_2"] * 150),
])
def test_an_expensive_claim_is_refused_before_any_derivation(seed_network, claim, monkeypatch):
    """Refused before symprop derives or compiles anything."""
    from symprop.parse.latex_text import LatexReadError

    def no_work(*args, **kwargs):
        raise AssertionError("the claim was not read first")

    monkeypatch.setattr(type(seed_network), "derive", no_work)
    with pytest.raises(LatexReadError):
        seed_network.verify("W2", claim)


@pytest.mark.parametrize("claim", [
    " + ".join([r"(P - Y) A_1^T" + r" W_2^T W_2" * 10 + rf" W_2^T W_2^{{\circ {i + 1}}}"
                for i in range(22)]),                      # the largest products and sums read
    "+".join([rf"W_2^{{\circ {i}}}" for i in range(1, 250)]),
    r"\sigma'''(Z_2) \odot \tanh'''(Z_2) \odot \operatorname{softplus}'''(Z_2) A_1^T",
])
def test_the_largest_claims_read_get_a_verdict(seed_network, claim):
    verdict = seed_network.verify("W2", claim)
    assert verdict.equivalent is False and verdict.diagnosis


# ------------------------------------------------------------------ found by fuzzing the reader
@pytest.mark.parametrize("claim", [
    r"2.718281828459045 (P - Y) A_1^T",       # printed as E by the programs' nsimplify: exit 3
    r"1.4142135623730951 W_2",                 # ... as sqrt(2)
    r"\log(8) W_2",                            # a function of a number is that number
    r"\sigma(2) W_2",
    r"H(\exp(2) A_1) A_1^T",
    r"H(0 \odot A_1) A_1^T",                   # a zero matrix printed as the number 0
    r"\sum_{i=1}^{m} ((0)^T \odot dZ_2) W_2",
    r"(((\mathbb{1}[2 > 0]) \cdot \sum_{i=1}^{m} (\mathbf{1})^T)^T)^T",   # 1x1 ones became I
    r"W_2 H((\mathbf{1}) \cdot dA_1)",         # ones times dA_1 printed as its column sums
])
def test_odd_numbers_and_ones_get_a_verdict(seed_network, claim):
    verdict = seed_network.verify("W2", claim)
    assert verdict.equivalent is False and verdict.diagnosis


def test_a_decimal_claim_that_is_right_is_equivalent(seed_network):
    assert seed_network.verify("W2", r"0.5 \cdot \frac{2}{m}(P - Y) A_1^T")
    assert seed_network.verify("W2", r"\frac{1.5}{1.5 m}(P - Y) A_1^T")


@pytest.mark.parametrize("claim", [r"\sigma(m) W_2", r"\tanh''(m) W_2",
                                   r"\mathbb{1}[\log(m) > 0] W_2", r"\log(0) W_2"])
def test_a_function_of_the_batch_size_or_of_no_number_is_refused(seed_network, claim):
    from symprop.parse.latex_text import LatexReadError

    with pytest.raises(LatexReadError):
        seed_network.verify("W2", claim)
