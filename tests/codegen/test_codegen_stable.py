"""Stable log forms, one rewrite at a time, and extreme logits against PyTorch's stable losses."""
import os

import numpy as np
import pytest
import sympy

from corpus import neuron
from symprop import Graph, relu, leaky_relu, sigmoid, softmax, softplus
from symprop.codegen.stable import LogOf, LogOfComplement, logsumexp, stabilize
from symprop.codegen.stable_forms import logsumexp as np_logsumexp

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - CI installs torch
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("torch is not installed (pip install torch==2.13.0)", allow_module_level=True)

RTOL = 1e-9


def sigmoid_graph():
    return neuron(sigmoid, "bce")


def softmax_graph():
    g = Graph()
    y1, y2, y3 = g.inputs("y1 y2 y3")
    z1, z2, z3 = g.params("z1 z2 z3")
    a = [g.node(f"a{k}", softmax(k, z1, z2, z3)) for k in (1, 2, 3)]
    g.loss("L", -y1 * sympy.log(a[0]) - y2 * sympy.log(a[1]) - y3 * sympy.log(a[2]))
    return g


# ------------------------------------------------------------------ the rewrites, one by one
def test_log_of_a_sigmoid_node():
    g = sigmoid_graph()
    a, z = sympy.symbols("a z")
    assert LogOf().rewrite(a, g) == -softplus(-z)
    assert LogOf().rewrite(sympy.Symbol("w"), g) is None  # a parameter, not a sigmoid
    assert LogOf().rewrite(1 - a, g) is None


def test_log_of_an_inline_sigmoid():
    u = sympy.Symbol("u")
    assert LogOf().rewrite(sigmoid(2 * u), Graph()) == -softplus(-2 * u)


def test_log_of_one_minus_a_sigmoid():
    g = sigmoid_graph()
    a, z = sympy.symbols("a z")
    assert LogOfComplement().rewrite(1 - a, g) == -softplus(z)
    assert LogOfComplement().rewrite(a, g) is None


def test_log_of_a_softmax_component():
    g = softmax_graph()
    z1, z2, z3, a2 = sympy.symbols("z1 z2 z3 a2")
    assert LogOf().rewrite(a2, g) == z2 - logsumexp(z1, z2, z3)
    assert LogOf().rewrite(z1, g) is None


@pytest.mark.parametrize("u", [-40, -30, -2.5, 0, 0.75, 30, 40])
def test_rewritten_forms_are_the_same_functions(u):
    # Each identity against the definition evaluated exactly (sympy, 60 digits).
    exact = sympy.Integer(u) if isinstance(u, int) else sympy.Rational(str(u))
    s = 1 / (1 + sympy.exp(-exact))
    log_s = float(sympy.log(s).evalf(60))
    log_1_minus_s = float(sympy.log(1 - s).evalf(60))
    np.testing.assert_allclose(-np.logaddexp(0, -float(u)), log_s, rtol=1e-14)
    np.testing.assert_allclose(-np.logaddexp(0, float(u)), log_1_minus_s, rtol=1e-14)
    logits = [float(u), 0.5, -1.0]
    exact_lse = sympy.log(sum(sympy.exp(sympy.nsimplify(v)) for v in logits)).evalf(60)
    np.testing.assert_allclose(np_logsumexp(*map(np.float64, logits)), float(exact_lse),
                               rtol=1e-14)


def test_stabilize_leaves_other_logs_alone():
    g = sigmoid_graph()
    expr = sympy.log(sympy.Symbol("x")) + sympy.log(sympy.Symbol("a"))
    new, used = stabilize(expr, g)
    assert new == sympy.log(sympy.Symbol("x")) - softplus(-sympy.Symbol("z"))
    assert [u.rule for u in used] == ["log of a sigmoid"]


def test_generated_loss_line_uses_the_stable_form():
    source = sigmoid_graph().compile().source
    assert "L = -y*z + softplus(z)" in source
    assert "np.log(" not in source


# ------------------------------------------------------------------ extreme logits
@pytest.mark.parametrize("logit", [1000.0, -1000.0, 40.0, -40.0, 0.0])
@pytest.mark.parametrize("target", [0.0, 1.0, 0.3])
def test_sigmoid_bce_matches_torch_with_logits(logit, target):
    f = sigmoid_graph().compile()
    loss, grads = f(x=1.0, y=target, w=logit, b=0.0)
    z = torch.tensor(logit, dtype=torch.float64, requires_grad=True)
    expected = F.binary_cross_entropy_with_logits(z, torch.tensor(target, dtype=torch.float64))
    expected.backward()
    assert np.isfinite(loss) and all(np.isfinite(v) for v in grads.values())
    # atol: at z = -40, y = 0 the loss is log1p(exp(-40)) = 4.2e-18; torch rounds it to 0.
    np.testing.assert_allclose(loss, expected.item(), rtol=RTOL, atol=1e-15)
    np.testing.assert_allclose(grads["b"], z.grad.item(), rtol=RTOL, atol=1e-300)
    np.testing.assert_allclose(grads["w"], z.grad.item(), rtol=RTOL, atol=1e-300)  # x = 1


@pytest.mark.parametrize("logits", [(1000.0, -1000.0, 0.0), (-1000.0, -1000.0, 1000.0),
                                    (0.5, -0.25, 2.0)])
def test_softmax_ce_matches_torch_cross_entropy(logits):
    f = softmax_graph().compile()
    targets = (0.2, 0.3, 0.5)
    loss, grads = f(y1=targets[0], y2=targets[1], y3=targets[2],
                    z1=logits[0], z2=logits[1], z3=logits[2])
    z = torch.tensor([logits], dtype=torch.float64, requires_grad=True)
    expected = F.cross_entropy(z, torch.tensor([targets], dtype=torch.float64))
    expected.backward()
    assert np.isfinite(loss)
    np.testing.assert_allclose(loss, expected.item(), rtol=RTOL)
    np.testing.assert_allclose([grads["z1"], grads["z2"], grads["z3"]], z.grad[0].numpy(),
                               rtol=RTOL, atol=1e-300)


def test_extreme_logits_in_a_batch():
    f = sigmoid_graph().compile(reduce="mean")
    x = np.array([1.0, 1.0, 1.0, 1.0])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    w = 1000.0
    b = np.array([0.0, 0.0, -2000.0, -2000.0])  # logits 1000, 1000, -1000, -1000
    loss, grads = f(x=x, y=y, w=w, b=b)
    z = torch.tensor(w * x + b, dtype=torch.float64, requires_grad=True)
    expected = F.binary_cross_entropy_with_logits(z, torch.tensor(y))
    expected.backward()
    np.testing.assert_allclose(loss, expected.item(), rtol=RTOL)
    np.testing.assert_allclose(grads["b"], z.grad.sum().item(), rtol=RTOL)


# ------------------------------------------------------------------ kinks at zero
def kink_graph(activation):
    return neuron(activation, "mse")


@pytest.mark.parametrize("activation, torch_form", [
    (relu, torch.relu), (leaky_relu, F.leaky_relu)])
def test_gradient_at_exactly_zero_is_pytorchs(activation, torch_form):
    _, grads = kink_graph(activation).compile()(x=1.0, y=2.0, w=1.0, b=-1.0)  # z = 0 exactly
    w = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(-1.0, dtype=torch.float64, requires_grad=True)
    ((torch_form(w * 1.0 + b) - 2.0) ** 2).backward()
    assert grads["w"] == w.grad.item() and grads["b"] == b.grad.item()
    if activation is relu:
        assert grads["w"] == 0.0
