"""A function added as one registry entry, at test time, works in every stage of both forms.

Mish, ``x tanh(softplus(x))``, is registered here and nowhere else: ``mlp()`` builds it
in both forms, the gradients are PyTorch autograd's (written directly in torch with
``torch.nn.functional.mish``), every backend compiles it (jax from its NumPy form),
LaTeX prints it and both claim readers read it back.  A kinked function (a bent
line, slope 1/2 below 0 and 2 above) registered the same way is one the verifier
keeps its points away from, by its entry's ``kink`` alone.
"""
import numpy as np
import pytest
import sympy

from corpus import assert_matches_torch
from symprop import SympropError, mlp
from symprop.latex.printer import latex
from symprop.registry.functions import (CALLABLE, Entry, entry_for, register, softplus,
                                        unregister)

torch = pytest.importorskip("torch")
F = torch.nn.functional

LATEX = r"\operatorname{Mish}"
LAYERS = [2, 3, 1]


class Mish(sympy.Function):
    r"""Mish ``x tanh(softplus(x))``; its derivative is ``t + x sigmoid(x) (1 - t^2)``."""

    nargs = 1

    def fdiff(self, argindex=1):
        x = self.args[0]
        t = CALLABLE["tanh"](softplus(x))
        return t + x * CALLABLE["sigmoid"](x) * (1 - t ** 2)

    def _eval_evalf(self, prec):
        x = self.args[0]
        return (x * sympy.tanh(sympy.log(1 + sympy.exp(x))))._eval_evalf(prec)


def mish(x):
    """x tanh(log(1 + exp(x))), without overflow for large x: copied into generated code."""
    return x * np.tanh(np.logaddexp(0, x))


ENTRY = Entry("mish", Mish, mish, lambda x: F.mish(x), LATEX, activation=True,
              torch_source="def mish(x):\n    return torch.nn.functional.mish(x)\n")


@pytest.fixture(autouse=True)
def registered():
    register(ENTRY)
    yield
    unregister("mish")


def _weights(seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(LAYERS[l + 1], LAYERS[l])), rng.normal(size=(LAYERS[l + 1], 1)))
            for l in range(len(LAYERS) - 1)]


def _torch_gradients(weights, X, Y):
    """The mean binary cross-entropy of a Mish network with a sigmoid output, by autograd."""
    leaves = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
              for W, b in weights]
    A = torch.tensor(X)
    for l, (W, b) in enumerate(leaves):
        Z = W @ A + b
        A = torch.sigmoid(Z) if l == len(leaves) - 1 else F.mish(Z)
    y = torch.tensor(Y)
    loss = (-(y * torch.log(A) + (1 - y) * torch.log(1 - A))).sum() / X.shape[1]
    loss.backward()
    return loss.item(), [(W.grad.numpy(), b.grad.numpy()) for W, b in leaves]


def test_the_entry_is_torchs_function():
    x = sympy.Symbol("x")
    assert entry_for(Mish(x)).name == "mish"
    for value in (-3.5, -0.4, 0.0, 0.7, 6.0):
        t = torch.tensor(value, dtype=torch.float64, requires_grad=True)
        F.mish(t).backward()
        assert float(Mish(sympy.Float(value)).evalf()) == pytest.approx(F.mish(t).item(), abs=1e-14)
        assert float(sympy.diff(Mish(x), x).subs(x, value)) == pytest.approx(t.grad.item(),
                                                                            abs=1e-14)


def test_a_scalar_network_is_torchs():
    g = mlp(LAYERS, activation="mish")
    weights = _weights()
    x, y = np.array([0.3, -1.2]), 1.0
    _, expected = _torch_gradients(weights, x.reshape(2, 1), np.array([[y]]))
    point = {"x1": x[0], "x2": x[1], "y": y}
    for l, (W, b) in enumerate(weights, 1):
        for k in range(W.shape[0]):
            point[f"b{l}_{k + 1}"] = b[k, 0]
            point |= {f"w{l}_{j + 1}_{k + 1}": W[k, j] for j in range(W.shape[1])}
    assert g.check(point).ok
    _, compiled = g.compile()(**point)
    for l, (dW, db) in enumerate(expected, 1):
        for k in range(dW.shape[0]):
            assert compiled[f"b{l}_{k + 1}"] == pytest.approx(db[k, 0], rel=1e-10)
            for j in range(dW.shape[1]):
                assert compiled[f"w{l}_{j + 1}_{k + 1}"] == pytest.approx(dW[k, j], rel=1e-10)


@pytest.mark.parametrize("backend", ["numpy", "torch", "jax"])
def test_a_matrix_network_is_torchs(backend):
    if backend == "jax":
        pytest.importorskip("jax")
    g = mlp(LAYERS, activation="mish", form="matrix")
    weights = _weights(1)
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(2, 5)), rng.integers(0, 2, size=(1, 5)).astype(float)
    loss_expected, expected = _torch_gradients(weights, X, Y)
    values = {"X": X, "Y": Y}
    for l, (W, b) in enumerate(weights, 1):
        values[f"W{l}"], values[f"b{l}"] = W, b
    assert g.check(values).ok
    f = g.compile(backend=backend)
    assert "mish" in f.source
    assert_matches_torch(f, values, backend, loss_expected, expected)


def test_printed_in_latex_and_read_back_by_the_scalar_verifier():
    g = mlp([1, 1, 1], activation="mish")
    claim = latex(g.derive("w1_1_1").closed_form, g)
    assert LATEX in claim
    assert g.verify("w1_1_1", claim).equivalent
    assert not g.verify("w1_1_1", claim.replace(LATEX, r"\operatorname{GELU}")).equivalent
    assert g.verify("w2_1_1", r"(a_{1}^{[2]} - y) \mathrm{mish}(z_{1}^{[1]})").equivalent


def test_read_by_the_matrix_verifier_with_its_derivative():
    g = mlp(LAYERS, activation="mish", form="matrix")
    right = rf"\frac{{1}}{{m}} ((W_2^\top (A_2 - Y)) \odot {LATEX}'(Z_1)) X^\top"
    assert g.verify("W1", right).equivalent
    assert not g.verify("W1", right.replace(f"{LATEX}'", r"\sigma'")).equivalent
    assert g.verify("W2", r"\frac{1}{m} (A_2 - Y) \mathrm{Mish}(Z_1)^{\top}").equivalent


def test_gone_once_unregistered():
    unregister("mish")
    try:
        with pytest.raises(SympropError, match="unknown activation 'mish'"):
            mlp(LAYERS, activation="mish")
        with pytest.raises(SympropError, match="mish"):
            mlp([1, 1, 1]).verify("w2_1_1", r"(a_{1}^{[2]} - y) \mathrm{mish}(z_{1}^{[1]})")
    finally:
        register(ENTRY)


class Bent(sympy.Function):
    """``2x`` above 0, ``x/2`` below: a kink at 0, a derivative that jumps from 1/2 to 2."""

    nargs = 1

    def fdiff(self, argindex=1):
        return sympy.Rational(1, 2) + sympy.Rational(3, 2) * sympy.Heaviside(self.args[0], 0)

    def _eval_evalf(self, prec):
        x = self.args[0]
        return sympy.Piecewise((2 * x, x > 0), (x / 2, True))._eval_evalf(prec)


def bent(x):
    """2x above 0, x/2 below: copied into generated code."""
    return np.where(np.asarray(x) > 0, 2 * np.asarray(x), np.asarray(x) / 2)


BENT = Entry("bent", Bent, bent, lambda x: torch.where(x > 0, 2 * x, x / 2),
             r"\operatorname{bent}", activation=True, kink=True)


def test_a_kinked_registered_function_keeps_the_verifiers_points_off_its_kink():
    from symprop import Graph
    from symprop.verify.points import Points

    register(BENT)
    try:
        g = Graph()
        x, y = g.inputs("x y")
        w = g.params("w")
        z = g.node("z", w * x - sympy.Rational(1, 2))
        a = g.node("a", Bent(z))
        g.loss("L", (a - y) ** 2)
        points = Points(g, [])
        assert z in points.kinks
        assert all(abs(v[z]) >= sympy.Rational(1, 100) for v in points.values)
        # Right on one side of the kink only: a point on each side tells them apart.
        assert g.verify("w", r"2 (a - y) \cdot 2 x").equivalent is False
        assert g.verify("w", r"2 (a - y) (\frac{1}{2} + \frac{3}{2} H(z)) x").equivalent
    finally:
        unregister("bent")
