r"""Loss claims: a source's definition of the loss judged against the graph's loss.

Every expected verdict is worked out by hand from the definitions: symprop's matrix
cross-entropy is L = -(1/m) sum_{k,j} Y_kj log A_kj (the mean over the m examples), the
scalar bce is -(y log a + (1 - y) log(1 - a)), the scalar mse (a - y)^2 without a 1/2.
"""
from pathlib import Path

import pytest
import sympy

from symprop import matrix_mlp, mlp
from symprop.errors import SympropError
from symprop.front.spec import load_spec
from symprop.parse.loss_latex import EntrySum, split_loss
from symprop.verify.loss_claims import LossClaim, as_loss_claim, judge_loss, read_loss

SEED = Path(__file__).resolve().parents[2] / "examples" / "seed_001_matrix.toml"


@pytest.fixture(scope="module")
def seed():
    return load_spec(SEED).graph


def test_the_posts_loss_lacks_the_minus_sign_and_sums_where_the_loss_is_a_mean(seed):
    # J = sum Y log P = -m L: the negative, and m times the mean.
    verdict = judge_loss(seed, r"J = \sum ylog(p)")
    assert verdict.equivalent is False and not verdict
    assert verdict.negated and verdict.summed
    assert verdict.name == "J"
    assert verdict.diagnosis.startswith("the minus sign is missing: as written, J grows as "
                                        "the predictions improve")
    assert "a sum over the m examples where the loss is their mean" in verdict.diagnosis
    assert "m times larger, which only rescales the learning rate" in verdict.diagnosis


def test_the_posts_loss_reads_as_the_sum_of_every_entry_of_y_times_log_p(seed):
    expr = read_loss(seed, r"J = \sum ylog(p)").expr
    assert isinstance(expr, EntrySum)
    Y, A2 = seed.symbol("Y"), seed.symbol("A2")
    hadamard = expr.matrix
    assert isinstance(hadamard, sympy.HadamardProduct) and Y in hadamard.args
    applied = next(a for a in hadamard.args if a != Y)
    assert applied.arg == A2 and applied.function.expr.func == sympy.log


@pytest.mark.parametrize("claim", [
    r"J = -\frac{1}{m}\sum Y\log(P)",
    r"\mathcal{L} = -\frac{1}{m} \sum_{i=1}^{m} \sum_{k} Y \odot \log A_2",
    r"-\frac{1}{m}\sum y \cdot \log(\hat{y})",
    r"L(W, b) = \frac{1}{m}\sum -Y\log(A_2)",
    r"J = -\frac{1}{m}\sum_{i=1}^{m}\sum_{k=1}^{3} y_k^{(i)} \log p_k^{(i)}",   # entries
])
def test_the_mean_cross_entropy_is_right(seed, claim):
    verdict = judge_loss(seed, claim)
    assert verdict.equivalent is True, verdict.diagnosis
    assert verdict.diagnosis is None and not verdict.negated and not verdict.summed


@pytest.mark.parametrize("claim, negated, summed", [
    (r"J = \frac{1}{m}\sum Y\log(P)", True, False),     # -L
    (r"J = -\sum Y\log(P)", False, True),               # m L
])
def test_each_slip_alone_is_named_alone(seed, claim, negated, summed):
    verdict = judge_loss(seed, claim)
    assert not verdict
    assert (verdict.negated, verdict.summed) == (negated, summed)
    assert ("minus sign" in verdict.diagnosis) == negated
    assert ("sum over the m examples" in verdict.diagnosis) == summed


def test_a_constant_multiple_is_named_with_its_factor(seed):
    verdict = judge_loss(seed, r"-\frac{1}{2m}\sum Y\log(P)")     # L / 2
    assert not verdict and verdict.factor == pytest.approx(0.5)
    assert verdict.diagnosis.startswith("it is 1/2 times the loss")


def test_another_function_is_said_to_differ(seed):
    verdict = judge_loss(seed, r"\frac{1}{m}\sum (P - Y)^2")
    assert verdict.equivalent is False
    assert verdict.diagnosis.startswith("it is another function")
    assert not (verdict.negated or verdict.summed) and verdict.factor is None


def test_gradient_claims_still_read_a_sum_as_the_sum_over_the_batch(seed):
    assert seed.verify("b2", r"\frac{1}{m}\sum_{i=1}^{m} (A_2 - Y)")
    assert seed.verify("W2", r"\frac{1}{m}(A_2 - Y) A_1^T")


# ------------------------------------------------------------------ scalar graphs
@pytest.fixture(scope="module")
def bce():
    return mlp([2, 2, 1], output="sigmoid", loss="bce")


def test_a_scalar_bce_reads_in_the_graphs_names_and_its_values_are_the_formulas(bce):
    a, y = bce.symbol("a2_1"), bce.symbol("y")
    expr = read_loss(bce, r"J = -(y\log(a) + (1-y)\log(1-a))").expr
    # at a = 1/4, y = 1: -(log(1/4) + 0) = log 4
    assert sympy.simplify(expr.subs({a: sympy.Rational(1, 4), y: 1}) - sympy.log(4)) == 0
    # at a = 1/4, y = 0: -log(3/4)
    assert sympy.simplify(expr.subs({a: sympy.Rational(1, 4), y: 0})
                          + sympy.log(sympy.Rational(3, 4))) == 0


@pytest.mark.parametrize("claim", [r"J = -(y\log(a) + (1-y)\log(1-a))",
                                   r"L = -y log(\hat{y}) - (1-y)log(1-\hat{y})",
                                   r"-(y \log(a_1^{[2]}) + (1-y)\log(1-\sigma(z_1^{[2]})))"])
def test_a_scalar_bce_is_right(bce, claim):
    assert judge_loss(bce, claim).equivalent is True


def test_a_scalar_bce_without_its_minus_sign_is_the_negative(bce):
    verdict = judge_loss(bce, r"J = y\log(p) + (1-y)\log(1-p)")
    assert not verdict and verdict.negated and not verdict.summed
    assert verdict.diagnosis.startswith("the minus sign is missing: as written, J grows")


def test_a_scalar_ce_sums_over_the_outputs():
    g = mlp([2, 3, 2], output="softmax", loss="ce", one_hot=True)
    y1, y2, a1, a2 = (g.symbol(n) for n in ("y1", "y2", "a2_1", "a2_2"))
    assert read_loss(g, r"-\sum y \log(p)").expr == -y1 * sympy.log(a1) - y2 * sympy.log(a2)
    assert judge_loss(g, r"L = -\sum y \log(p)").equivalent is True
    assert judge_loss(g, r"-(y_1 \log(a_1^{[2]}) + y_2 \log(a_2^{[2]}))").equivalent is True
    assert judge_loss(g, r"L = -\sum_k y_k \log(\hat{y}_k)").equivalent is True
    flipped = judge_loss(g, r"L = \sum ylog(p)")
    assert not flipped and flipped.negated and not flipped.summed


def test_a_scalar_mse_with_a_half_is_half_the_loss_and_an_extra_minus_is_named():
    g = mlp([2, 2, 1], output="identity", loss="mse")
    half = judge_loss(g, r"\frac{1}{2}(\hat{y} - y)^2")
    assert not half and half.factor == pytest.approx(0.5)
    negative = judge_loss(g, r"E = -(\hat{y} - y)^2")
    assert negative.negated and negative.diagnosis.startswith("it has a minus sign too many")


def test_a_scalar_graph_has_no_batch():
    with pytest.raises(SympropError, match="no batch"):
        judge_loss(mlp([2, 2, 1], output="sigmoid", loss="bce"), r"-\frac{1}{m}\sum y\log(p)")


# ------------------------------------------------------------------ unreadable claims
@pytest.mark.parametrize("claim, message", [
    (r"J = Y", "3×m matrix, not a number"),
    (r"J = \sum W_3", "unknown name"),
    (r"J = K = \sum Y", "more than one '='"),
    (r"y + p = \sum Y", "not one name for the cost"),
    (r"J = \sum Y \input{x}", "TeX programs"),
    ("J = " + "y + " * 1200 + "y", "characters long"),
    (r"J = 2", "none of the network's values"),
])
def test_an_unreadable_loss_claim_is_one_clear_error(seed, claim, message):
    with pytest.raises(SympropError, match=message) as info:
        judge_loss(seed, claim)
    assert "\n" not in str(info.value)


def test_the_left_side_is_one_name_for_the_cost():
    assert split_loss(r"\mathcal{L} = y")[:2] == ("L", r"\mathcal{L}")
    assert split_loss(r"L_{CE} = y")[:2] == ("L", "L")
    assert split_loss(r"\ell = y")[:2] == ("l", r"\ell")
    assert split_loss(r"y")[:2] == (None, None)


def test_a_loss_claim_is_a_dataclass_or_a_triple_without_wrt():
    assert as_loss_claim(LossClaim("J = y")) == LossClaim("J = y", "the source")
    assert as_loss_claim((None, "J = y", "the post")) == LossClaim("J = y", "the post")
    assert as_loss_claim(("W2", "A_2 - Y", "the post")) is None


def test_a_matrix_graph_without_the_usual_names_keeps_its_own():
    g = matrix_mlp([2, 1], output="sigmoid", loss="bce")
    g.set_latex("A1", "P")
    assert judge_loss(g, r"-\frac{1}{m}\sum (Y\log(P) + (1-Y)\log(1-P))").equivalent is True
