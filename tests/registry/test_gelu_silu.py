"""GELU (tanh approximation) and SiLU, added to the registry alone, work everywhere.

Every expected gradient comes from PyTorch autograd (float64) on the network
written directly in torch with ``torch.nn.functional.gelu(approximate="tanh")``
and ``torch.nn.functional.silu``, never from symprop's own output.
"""
import numpy as np
import pytest
import sympy

from corpus import assert_matches_torch
from symprop import SympropError, mlp
from symprop.front.cli import main
from symprop.registry.functions import CALLABLE
from symprop.latex.printer import latex

torch = pytest.importorskip("torch")
F = torch.nn.functional

TORCH = {"gelu": lambda x: F.gelu(x, approximate="tanh"), "silu": F.silu}
LATEX = {"gelu": r"\operatorname{GELU}", "silu": r"\operatorname{SiLU}"}
LAYERS = [2, 3, 1]


def _weights(seed=0):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(LAYERS[l + 1], LAYERS[l])), rng.normal(size=(LAYERS[l + 1], 1)))
            for l in range(len(LAYERS) - 1)]


def _torch_gradients(activation, weights, X, Y):
    """The mean binary cross-entropy of a sigmoid-output network, by autograd."""
    leaves = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
              for W, b in weights]
    A = torch.tensor(X)
    for l, (W, b) in enumerate(leaves):
        Z = W @ A + b
        A = torch.sigmoid(Z) if l == len(leaves) - 1 else TORCH[activation](Z)
    y = torch.tensor(Y)
    loss = (-(y * torch.log(A) + (1 - y) * torch.log(1 - A))).sum() / X.shape[1]
    loss.backward()
    return loss.item(), [(W.grad.numpy(), b.grad.numpy()) for W, b in leaves]


def _matrix_values(weights, X, Y):
    values = {"X": X, "Y": Y}
    for l, (W, b) in enumerate(weights, 1):
        values[f"W{l}"], values[f"b{l}"] = W, b
    return values


def _scalar_values(weights, x, y):
    values = {f"x{j}": x[j - 1] for j in range(1, LAYERS[0] + 1)} | {"y": y}
    for l, (W, b) in enumerate(weights, 1):
        for k in range(W.shape[0]):
            values[f"b{l}_{k + 1}"] = b[k, 0]
            for j in range(W.shape[1]):
                values[f"w{l}_{j + 1}_{k + 1}"] = W[k, j]
    return values


@pytest.mark.parametrize("activation", ["gelu", "silu"])
def test_torch_own_functions_are_the_registrys(activation):
    x = sympy.Symbol("x")
    for value in (-3.5, -0.4, 0.0, 0.7, 6.0):
        t = torch.tensor(value, dtype=torch.float64, requires_grad=True)
        TORCH[activation](t).backward()
        f = CALLABLE[activation](x)
        assert float(f.subs(x, value).evalf()) == pytest.approx(
            TORCH[activation](torch.tensor(value, dtype=torch.float64)).item(), abs=1e-15)
        assert float(sympy.diff(f, x).subs(x, value)) == pytest.approx(t.grad.item(), abs=1e-14)


@pytest.mark.parametrize("activation", ["gelu", "silu"])
def test_a_scalar_network_is_torchs(activation):
    g = mlp(LAYERS, activation=activation)
    weights = _weights()
    x, y = np.array([0.3, -1.2]), 1.0
    _, expected = _torch_gradients(activation, weights, x.reshape(2, 1), np.array([[y]]))
    point = _scalar_values(weights, x, y)
    assert g.check(point).ok
    loss, compiled = g.compile()(**point)
    for l, (dW, db) in enumerate(expected, 1):
        for k in range(dW.shape[0]):
            assert g.derive(f"b{l}_{k + 1}").evaluate(**point) == pytest.approx(db[k, 0], rel=1e-10)
            for j in range(dW.shape[1]):
                assert compiled[f"w{l}_{j + 1}_{k + 1}"] == pytest.approx(dW[k, j], rel=1e-10)


@pytest.mark.parametrize("backend", ["numpy", "torch", "jax"])
@pytest.mark.parametrize("activation", ["gelu", "silu"])
def test_a_matrix_network_is_torchs_in_every_backend(activation, backend):
    if backend == "jax":
        pytest.importorskip("jax")
    g = mlp(LAYERS, activation=activation, form="matrix")
    weights = _weights(1)
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(2, 5)), rng.integers(0, 2, size=(1, 5)).astype(float)
    loss_expected, expected = _torch_gradients(activation, weights, X, Y)
    values = _matrix_values(weights, X, Y)
    assert g.check(values).ok
    f = g.compile(backend=backend)
    assert activation in f.source
    assert_matches_torch(f, values, backend, loss_expected, expected)


@pytest.mark.parametrize("activation", ["gelu", "silu"])
def test_printed_in_latex_and_read_back_by_verify(activation):
    g = mlp([1, 1, 1], activation=activation)
    assert LATEX[activation] in g.derive("w1_1_1").latex() or LATEX[activation] in latex(
        g.derive("w1_1_1").closed_form, g)
    claim = latex(g.derive("w1_1_1").closed_form, g)
    assert LATEX[activation] in claim
    assert g.verify("w1_1_1", claim).equivalent
    wrong = claim.replace(LATEX[activation], LATEX["silu" if activation == "gelu" else "gelu"])
    assert not g.verify("w1_1_1", wrong).equivalent


@pytest.mark.parametrize("activation", ["gelu", "silu"])
def test_read_by_the_matrix_verifier_with_its_derivative(activation):
    g = mlp([2, 3, 1], activation=activation, form="matrix")
    name = LATEX[activation]
    right = rf"\frac{{1}}{{m}} ((W_2^\top (A_2 - Y)) \odot {name}'(Z_1)) X^\top"
    assert g.verify("W1", right).equivalent
    assert not g.verify("W1", right.replace(f"{name}'", r"\sigma'")).equivalent
    # A_1 = GELU(Z_1): the function itself, read in a claim
    assert g.verify("W2", rf"\frac{{1}}{{m}} (A_2 - Y) {name}(Z_1)^{{\top}}").equivalent


@pytest.mark.parametrize("activation", ["gelu", "silu"])
def test_spec_files_and_the_command(activation, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mlp.toml").write_text(f'[mlp]\nlayers = [1, 2, 1]\nactivation = "{activation}"\n')
    (tmp_path / "graph.toml").write_text(
        '[graph]\ninputs = ["x", "y"]\nparams = ["w"]\nloss = "L"\n[graph.nodes]\n'
        f'a = "{activation}(w*x)"\nL = "(a - y)**2"\n')
    assert main(["check", "mlp.toml"]) == 0
    assert main(["derive", "graph.toml", "--wrt", "w", "--format", "json"]) == 0
    assert f"{activation}(w*x)" in capsys.readouterr().out
    assert main(["check", "graph.toml"]) == 0
    assert main(["notes", "mlp.toml", "-o", "n.tex"]) == 0
    assert LATEX[activation] in (tmp_path / "n.tex").read_text()


def test_an_unknown_activation_is_still_refused():
    with pytest.raises(SympropError):
        mlp(LAYERS, activation="gelu_erf")
