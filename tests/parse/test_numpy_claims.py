r"""NumPy in a matrix claim, as deeplearning.ai's assignments write backprop: read as the
matrix reader's LaTeX, judged under the course's convention; anything else after np. is
refused by name, never run."""
from pathlib import Path

import pytest

from symprop.errors import SympropError
from symprop.front.spec import load_spec
from symprop.parse.numpy_claims import numpy_to_latex

GRAPH = load_spec(Path(__file__).parents[2] / "examples" / "seed_001_matrix.toml").graph
ASSIGNMENT = r"""dZ2 = A2 - Y \\
dW2 = 1./m * np.dot(dZ2, A1.T) \\
db2 = 1./m * np.sum(dZ2, axis=1, keepdims=True) \\
dZ1 = np.multiply(np.dot(W2.T, dZ2), Z1 > 0) \\
dW1 = 1./m * np.dot(dZ1, X.T)"""


@pytest.mark.parametrize("wrt", ["W2", "b2", "W1"])
def test_the_assignments_backward_pass_is_right_under_its_convention(wrt):
    assert GRAPH.verify(wrt, ASSIGNMENT, convention="deeplearning.ai").equivalent is True


@pytest.mark.parametrize("wrt, claim", [
    ("W2", "1/m * (A2 - Y) @ A1.T"),
    ("W1", "1/m * np.dot(W2.T @ (A2 - Y) * (Z1 > 0), X.T)"),
    ("W2", "1/m * np.matmul(A2 - Y, A1.T)"),
])
def test_operators_and_one_line_forms(wrt, claim):
    assert GRAPH.verify(wrt, claim).equivalent is True


def test_a_missing_transpose_in_numpy_is_named():
    verdict = GRAPH.verify("W2", "1./m * np.dot(A2 - Y, A1)")
    assert verdict.equivalent is False and "transposed would fit" in verdict.diagnosis


@pytest.mark.parametrize("claim, fragment", [
    ("np.linalg.inv(W2)", "np.linalg.inv is not read"),
    ("np.sum(A2 - Y)", "np.sum(A2 - Y) is not read"),
    ("__import__('os').system('true')", "reading stopped there"),
    ("np.dot(" * 13 + "A1" + ", A1)" * 13, "nested more than 12 deep"),
])
def test_what_is_not_numpy_a_claim_may_use_is_refused(claim, fragment):
    with pytest.raises(SympropError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        GRAPH.verify("W2", claim)


def test_text_without_numpy_is_left_as_it_is():
    for text in (r"\frac{1}{m} dZ_2 A_1^{\top}", "dW_2 = dZ_2 A_1^T", 3):
        assert numpy_to_latex(text) == text
