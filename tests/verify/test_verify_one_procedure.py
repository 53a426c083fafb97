"""One verdict for both forms: one Verdict type, one table of mistakes, one decision, one kink table."""
import pytest
import sympy

from corpus import logistic_regression
from symprop import Graph, matrix_mlp, relu
from symprop.registry import kinks
from symprop.verify.diagnose import MATRIX, MISTAKES, SCALAR
from symprop.verify.matrix_points import MatrixPoints
from symprop.verify.verdict import Verdict


@pytest.fixture(scope="module")
def seed_network():
    g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    g.set_latex("A2", "P")
    return g


def test_both_forms_give_the_same_verdict_type(seed_network):
    scalar = logistic_regression().verify("w1", r"x_1 (\hat{y} - y)")
    matrix = seed_network.verify("W2", r"\frac{1}{m}(P - Y) A_1^{\top}")
    assert type(scalar) is type(matrix) is Verdict
    assert scalar and matrix


@pytest.mark.parametrize("scalar_claim, matrix_claim, said", [
    (r"x_1 (y - \hat{y})", r"\frac{1}{m}(Y - P) A_1^{\top}", "sign error: the claim is the negative"),
    (r"2 x_1 (\hat{y} - y)", r"\frac{2}{m}(P - Y) A_1^{\top}", "a factor 2 too many"),
    (r"\frac{1}{2} x_1 (\hat{y} - y)", r"\frac{1}{2m}(P - Y) A_1^{\top}", "a factor 2 is missing"),
    (r"-2 x_1 (\hat{y} - y)", r"\frac{-2}{m}(P - Y) A_1^{\top}", "sign error and a factor 2 too many"),
])
def test_one_table_of_mistakes_names_both_forms_mistakes(seed_network, scalar_claim,
                                                         matrix_claim, said):
    assert logistic_regression().verify("w1", scalar_claim).diagnosis.startswith(said)
    assert seed_network.verify("W2", matrix_claim).diagnosis.startswith(said)


def test_every_mistake_says_which_forms_it_applies_to():
    assert all(set(forms) <= {SCALAR, MATRIX} and forms for _, _, forms in MISTAKES)
    batch = [forms for factor, _, forms in MISTAKES if factor.free_symbols]
    assert set(batch) == {(SCALAR,), (MATRIX,)}   # a per-example loss, or a mean over m


def test_the_matrix_verifier_decides_beyond_float64(seed_network):
    """1 + 10^-12 times the gradient: float64 within rtol 1e-9 called it right; 50 digits do not."""
    verdict = seed_network.verify("W2", r"\frac{1.000000000001}{m}(P - Y) A_1^{\top}")
    assert verdict.equivalent is False
    assert verdict.method.startswith("numeric: differs at random point")
    assert "1 times the gradient" in verdict.diagnosis or "differs" in verdict.diagnosis


def test_matrix_points_are_exact_rationals_at_two_batch_sizes(seed_network):
    points = MatrixPoints(seed_network)
    assert [v["m"] for v in points.values] == [3, 4, 3, 4]
    W1 = seed_network.symbol("W1")
    assert all(isinstance(x, sympy.Rational) for x in points.points[0][W1].flat)
    Z1 = seed_network.symbol("Z1")   # a ReLU's argument: no entry near its kink at 0
    assert all(abs(x) >= 0.01 for v in points.values for x in v[Z1].flat)


def test_kinks_come_from_the_registry_table(monkeypatch):
    """Points avoid the zeros of every function the table lists, and only those."""
    from symprop.verify.points import Points

    g = Graph()
    x, w = g.inputs("x"), g.params("w")
    z = g.node("z", w * x - sympy.Rational(1, 2))
    g.loss("L", relu(z))
    assert all(abs(v[z]) >= sympy.Rational(1, 100) for v in Points(g, []).values)
    monkeypatch.setattr(kinks, "kinks", lambda: ())
    assert Points(g, []).kinks == []
