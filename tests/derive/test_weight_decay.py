"""Weight decay (L2 regularization) in matrix form: ``L = (1/m) sum ce(A2, Y) + lambda/(2m) sum
||W_l||_F^2``, so that ``dW_l`` gains ``(lambda/m) W_l`` and the biases nothing.

The gradients are checked three ways: against PyTorch autograd of the whole loss (the
oracle), against PyTorch's own ``weight_decay`` (autograd of the data term, plus
``weight_decay * W``, as ``torch.optim.SGD`` adds it), and the loss against NumPy by hand."""
import numpy as np
import pytest
import sympy

from corpus import assert_programs_agree, decayed_matrix_network
from symprop import SympropError, matrix_mlp, mlp
from symprop.check.points import random_point
from symprop.ir.matrix_ops import Loss


def test_each_weights_gradient_gains_lambda_over_m_times_the_weight():
    g = decayed_matrix_network()
    m, lam, A1, A2, Y, W2 = g.batch, *(g.symbol(n) for n in ("lam", "A1", "A2", "Y", "W2"))
    # By hand: d/dW2 of lambda/(2m) ||W2||^2 is (lambda/m) W2; the data term's is (A2 - Y) A1^T / m.
    assert g.derive("W2").result == (lam / m) * W2 + (A2 - Y) * A1.T / m
    assert g.derive("b2").result == matrix_mlp([3, 4, 2], activation="relu", output="softmax",
                                               loss="ce", one_hot=True).derive("b2").result
    assert g.count_paths("W1") == 2       # through Z1, and straight to the loss's penalty


def test_every_gradient_and_the_loss_agree_with_torch_autograd():
    report = decayed_matrix_network().check(points=3)
    assert report.ok, report


def test_the_gradients_are_torchs_weight_decay_of_lambda_over_m():
    torch = pytest.importorskip("torch")
    g = decayed_matrix_network()
    point = random_point(g, np.random.default_rng(3), 5)
    loss, grads = g.compile()(**point)
    t = {k: torch.tensor(v, requires_grad=k.startswith(("W", "b"))) for k, v in point.items()}
    h = torch.relu(t["W1"] @ t["X"] + t["b1"])
    logits = t["W2"] @ h + t["b2"]
    data = -(t["Y"] * torch.log_softmax(logits, dim=0)).sum() / 5     # m = 5 columns
    data.backward()
    rate = float(point["lam"]) / 5                                     # weight_decay = lambda/m
    for name in ("W1", "W2"):
        expected = t[name].grad.numpy() + rate * point[name]
        np.testing.assert_allclose(grads[name], expected, rtol=1e-10, atol=1e-13)
    for name in ("b1", "b2"):                                          # biases are not decayed
        np.testing.assert_allclose(grads[name], t[name].grad.numpy(), rtol=1e-10, atol=1e-13)
    penalty = rate / 2 * sum(float(np.sum(point[w] ** 2)) for w in ("W1", "W2"))
    assert loss == pytest.approx(float(data.detach()) + penalty, rel=1e-12)


@pytest.mark.parametrize("backend", ["torch", "jax"])
def test_the_three_programs_agree(backend):
    assert_programs_agree(decayed_matrix_network(), backend, seed=4, batch=3)


def test_the_loss_line_sums_squares_rather_than_multiplying_matrices():
    lines = decayed_matrix_network().compile().source.splitlines()
    line = next(l for l in lines if l.strip().startswith("L ="))
    assert "np.sum(W1 * W1) + np.sum(W2 * W2)" in line and "@" not in line
    step = next(l for l in lines if l.strip().startswith("dL_dW2 ="))
    assert step.endswith("# dL/dW2 = dZ2/dW2 * dL/dZ2 + (its weight decay)")


def test_claims_with_and_without_the_decay_term_are_told_apart():
    g = decayed_matrix_network()
    data = r"\frac{1}{m} (A_2 - Y) A_1^{\top}"
    assert g.verify("W2", data + r" + \frac{\lambda}{m} W_2")
    missing = g.verify("W2", data)
    assert not missing and missing.diagnosis == "the weight decay's term (lam/m)*W2 is missing"
    no_mean = g.verify("W2", data + r" + \lambda W_2")
    assert not no_mean and no_mean.diagnosis.startswith(
        "in the weight decay's term: the 1/m of the batch mean is missing")


def test_the_derivation_writes_the_decay_term_last_as_the_textbook_does():
    assert decayed_matrix_network().derive("W2").latex().endswith(
        r"= \frac{1}{m} \left(A_{2} - Y\right) A_{1}^{\top} + \frac{\lambda}{m} W_{2}")


@pytest.mark.parametrize("build, message", [
    (lambda A, Y, W: Loss("ce", A, Y, decay=sympy.Symbol("lam")), "needs both decay="),
    (lambda A, Y, W: Loss("ce", A, Y, weights=(W,)), "needs both decay="),
    (lambda A, Y, W: Loss("ce", A, Y, decay="lam", weights=(W,)), "decay must be a number"),
    (lambda A, Y, W: Loss("ce", A, Y, decay=0.1, weights=(W, W)), "distinct declared matrices"),
    (lambda A, Y, W: mlp([2, 1], weight_decay=True), "weight_decay is built for the matrix form"),
    (lambda A, Y, W: matrix_mlp([2, 1], weight_decay="yes"), "must be True or False"),
])
def test_a_weight_decay_that_cannot_be_is_one_clear_error(build, message):
    m = sympy.Symbol("m", integer=True, positive=True)
    A, Y, W = sympy.MatrixSymbol("A", 2, m), sympy.MatrixSymbol("Y", 2, m), sympy.MatrixSymbol("W", 2, 2)
    with pytest.raises(SympropError, match=message):
        build(A, Y, W)


def test_a_constant_decay_is_pytorchs_weight_decay():
    from symprop import MatrixGraph

    plain = matrix_mlp([2, 1], output="identity", loss="mse").expr("L")
    assert plain.decay == 0 and plain.weights == ()
    k = MatrixGraph()
    X, Y = k.input("X", 2), k.input("Y", 1)
    W = k.param("W", 1, 2)
    A = k.node("A", W * X)
    k.loss("L", Loss("mse", A, Y, decay=0.01, weights=(W,)))
    # By hand: d/dW of (1/m) sum (A - Y)^2 is 2 (A - Y) X^T / m; of 0.01/2 ||W||^2, 0.01 W.
    assert k.derive("W").result == sympy.Float(0.01) * W + 2 * (A - Y) * X.T / k.batch
    assert k.check(points=2).ok


@pytest.mark.parametrize("written", [
    r"\|W_1\|_F^2 + \|W_2\|_F^2",
    r"\left\| W_1 \right\|_{F}^{2} + \lVert W_2 \rVert_{\mathrm{F}}^{2}",
    r"\Vert W_1 \Vert^2 + \Vert W_2 \Vert^2",
])
def test_a_cost_with_its_penalty_is_the_loss(written):
    from symprop.verify.loss_claims import judge_loss

    g = decayed_matrix_network()
    claim = r"J = -\frac{1}{m} \sum Y \log(A_2) + \frac{\lambda}{2m} \left(" + written + r"\right)"
    assert judge_loss(g, claim).equivalent is True


def test_a_cost_without_its_penalty_is_told_so():
    from symprop.verify.loss_claims import judge_loss

    verdict = judge_loss(decayed_matrix_network(), r"J = -\frac{1}{m} \sum Y \log(A_2)")
    assert verdict.equivalent is False and verdict.diagnosis == (
        "the weight decay's penalty, lam/(2*m) (||W1||_F^2 + ||W2||_F^2), is missing: "
        "it is the loss without it")


@pytest.mark.parametrize("written, message", [
    (r"\|W_1", "a norm opened here is not closed"),
    (r"\|\lambda\|_F^2", "a norm is read of a matrix"),
])
def test_a_norm_that_cannot_be_read_is_one_clear_error(written, message):
    from symprop.parse.matrix_latex import read_matrix_expression

    with pytest.raises(SympropError, match=message):
        read_matrix_expression(written, decayed_matrix_network())
