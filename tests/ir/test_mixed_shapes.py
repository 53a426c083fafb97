"""A matrix graph with scalar vertices: a scalar parameter ``s`` scaling a layer (``Z2 = s W2 A1
+ b2``) and a scalar input ``c`` (a coefficient given with the data) scaling another.

Every gradient, ``dL/ds`` included, is checked against PyTorch autograd built from the
original expressions, and the three generated programs agree with each other."""
import numpy as np
import pytest
import sympy

from corpus import assert_programs_agree, scaled_matrix_network
from symprop import MatrixGraph, SympropError
from symprop.check.points import random_point


def test_a_scalar_is_declared_without_a_shape():
    g = MatrixGraph()
    assert isinstance(g.param("s"), sympy.Symbol) and g.shape("s") == ()
    assert isinstance(g.input("c"), sympy.Symbol)
    with pytest.raises(SympropError, match="a dimension must be a positive integer"):
        g.param("W", 2)


def test_the_scalar_parameters_gradient_is_the_sum_of_its_adjoint_times_what_it_scales():
    g = scaled_matrix_network()
    result = g.derive("s").result
    m, A1, A2, W2, Y = g.batch, *(g.symbol(n) for n in ("A1", "A2", "W2", "Y"))
    # By hand: dL/ds = sum of dL/dZ2 o (W2 A1) = (1/m) tr((A2 - Y)(W2 A1)^T).
    assert result == sympy.Trace(sympy.MatMul(A2 - Y, sympy.Transpose(W2 * A1))) / m
    # The coefficient reaches the other parameters' gradients too.
    assert g.symbol("s") in g.derive("W2").result.free_symbols
    assert g.symbol("c") in g.derive("W1").result.free_symbols


def test_every_gradient_agrees_with_torch_autograd():
    report = scaled_matrix_network().check(points=3)
    assert report.ok, report
    assert {row.parameter for row in report.rows} >= {"s", "W1"}


@pytest.mark.parametrize("backend", ["torch", "jax"])
def test_the_three_programs_agree(backend):
    grads = assert_programs_agree(scaled_matrix_network(), backend)
    assert np.ndim(grads["s"]) == 0 and "c" not in grads


def test_the_program_sums_instead_of_multiplying_by_the_batch():
    source = scaled_matrix_network().compile().source
    line = next(l for l in source.splitlines() if l.strip().startswith("dL_ds ="))
    assert "np.sum(dL_dZ2 * (W2 @ A1))" in line and "trace" not in line


def test_a_wrong_scalar_value_is_one_clear_error():
    g = scaled_matrix_network()
    point = random_point(g, np.random.default_rng(1), 5)
    point["s"] = np.ones((2, 2))
    with pytest.raises(SympropError, match="argument s has shape"):
        g.compile()(**point)


def test_a_claim_on_it_is_verified_with_its_scalar_factor():
    # The cases, right and wrong, are tests/verify/test_verify_scalar_vertices.py's.
    g = scaled_matrix_network()
    assert g.verify("W2", r"\frac{s}{m} (A_2 - Y) A_1^T")
    assert not g.verify("W2", r"\frac{1}{m} (A_2 - Y) A_1^T")
