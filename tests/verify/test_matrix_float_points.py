"""A network too large for exact arithmetic is verified in float64, with the same verdicts."""
import pytest

from symprop import matrix_mlp
from symprop.verify.matrix_points import FloatMatrixPoints, MatrixPoints, matrix_points


@pytest.fixture(scope="module")
def large():
    return matrix_mlp([300, 64, 10], activation="relu", output="softmax", loss="ce", one_hot=True)


def test_a_large_network_takes_the_float_path_with_the_right_verdicts(large):
    assert type(matrix_points(large)) is FloatMatrixPoints
    right = large.verify("W1", r"\frac{1}{m} ((W_2^{\top}(A_2 - Y)) \odot \mathbb{1}[Z_1 > 0]) X^{\top}")
    assert right.equivalent is True
    assert "in float64 (the network is too large for exact arithmetic)" in right.method
    missing = large.verify("W2", r"(A_2 - Y) A_1^{\top}")
    assert missing.equivalent is False and "float64" in missing.method
    assert missing.diagnosis.startswith("the 1/m of the batch mean is missing")
    assert "sign error" in large.verify("W2", r"\frac{1}{m}(Y - A_2) A_1^{\top}").diagnosis
    assert "transpose" in large.verify("W2", r"\frac{1}{m}A_1 (A_2 - Y)^{\top}").diagnosis
    assert "H" in large.verify("W1", r"\frac{1}{m} (W_2^{\top}(A_2 - Y)) X^{\top}").diagnosis


def test_a_small_network_keeps_exact_arithmetic():
    g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    assert type(matrix_points(g)) is MatrixPoints
    v = g.verify("W2", r"\frac{1}{m}A_2 A_1^{\top} - \frac{1}{m}Y A_1^{\top}")
    assert v.equivalent is True and "float64" not in v.method
    wrong = g.verify("W2", r"(A_2 - Y) A_1^{\top}")
    assert "confirmed at 100" in wrong.method
    assert wrong.diagnosis.startswith("the 1/m of the batch mean is missing")
