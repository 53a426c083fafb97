"""Compiled matrix gradients: against PyTorch autograd (float64, real sizes), dtypes, shapes, backends."""
import ast
import importlib.util
import os
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from symprop import SympropError
from symprop import matrix_mlp
from symprop.codegen.matrix_module import generate_source, load_module

SEED = [784, 256, 256, 10]


def point(layers, batch, rng, one_hot=True):
    values = {"X": rng.normal(size=(layers[0], batch))}
    values["Y"] = (np.eye(layers[-1])[:, rng.integers(0, layers[-1], batch)] if one_hot
                   else rng.uniform(0.05, 0.95, size=(layers[-1], batch)))
    for l in range(1, len(layers)):
        values[f"W{l}"] = rng.normal(size=(layers[l], layers[l - 1])) / np.sqrt(layers[l - 1])
        values[f"b{l}"] = 0.1 * rng.normal(size=(layers[l], 1))
    return values


TORCH_ACT = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh,
             "softplus": torch.nn.functional.softplus, "identity": lambda z: z,
             "leaky_relu": torch.nn.functional.leaky_relu}


def torch_reference(layers, activation, output, loss, values):
    t = {k: torch.tensor(v, requires_grad=k not in ("X", "Y")) for k, v in values.items()}
    a, depth = t["X"], len(layers) - 1
    for l in range(1, depth + 1):
        z = t[f"W{l}"] @ a + t[f"b{l}"]
        if l < depth:
            a = TORCH_ACT[activation](z)
        elif output == "softmax":
            a = torch.softmax(z, dim=0)
        else:
            a = TORCH_ACT[output](z)
    y, batch = t["Y"], values["X"].shape[1]
    per_entry = {"ce": lambda: -y * torch.log(a), "mse": lambda: (a - y) ** 2,
                 "bce": lambda: -y * torch.log(a) - (1 - y) * torch.log(1 - a)}[loss]()
    total = per_entry.sum() / batch
    names = [k for k in values if k not in ("X", "Y")]
    grads = torch.autograd.grad(total, [t[k] for k in names])
    return float(total.detach()), {k: g.numpy() for k, g in zip(names, grads)}


@pytest.mark.parametrize("layers, activation, output, loss, one_hot, batch", [
    (SEED, "relu", "softmax", "ce", True, 32),
    ([64, 32, 16, 5], "tanh", "softmax", "ce", False, 7),
    ([20, 30, 1], "sigmoid", "sigmoid", "bce", False, 9),
    ([10, 12, 3], "softplus", "identity", "mse", False, 4),
    ([10, 12, 3], "leaky_relu", "sigmoid", "mse", False, 1),
])
def test_numpy_gradients_match_torch_autograd(layers, activation, output, loss, one_hot, batch):
    values = point(layers, batch, np.random.default_rng(batch), one_hot)
    f = matrix_mlp(layers, activation=activation, output=output, loss=loss,
                   one_hot=one_hot).compile()
    total, grads = f(**values)
    expected_total, expected = torch_reference(layers, activation, output, loss, values)
    assert total == pytest.approx(expected_total, rel=1e-10)
    assert f.forward(**values) == pytest.approx(expected_total, rel=1e-10)
    for name, g in expected.items():
        assert grads[name].shape == values[name].shape
        np.testing.assert_allclose(grads[name], g, rtol=1e-8, atol=1e-12)


def test_float32_keeps_float32_and_agrees():
    values = point([30, 20, 4], 8, np.random.default_rng(3))
    g = matrix_mlp([30, 20, 4], activation="relu", output="softmax", loss="ce", one_hot=True)
    _, g64 = g.compile(dtype=np.float64)(**values)
    _, g32 = g.compile(dtype=np.float32)(**values)
    for name in g64:
        assert g32[name].dtype == np.float32
        np.testing.assert_allclose(g32[name], g64[name], rtol=1e-4, atol=1e-5)


def test_softmax_and_loss_stay_finite_for_huge_logits():
    values = point([3, 2], 4, np.random.default_rng(4))
    values["W1"] = np.array([[1e4, 0, 0], [-1e4, 0, 0]])
    values["X"][0] = [1.0, -1.0, 1.0, -1.0]
    values["Y"] = np.array([[0, 1, 1, 0], [1, 0, 0, 1]], dtype=float)
    loss, grads = matrix_mlp([3, 2], output="softmax", loss="ce", one_hot=True).compile()(**values)
    assert np.isfinite(loss) and loss > 1e3
    assert all(np.all(np.isfinite(v)) for v in grads.values())


def test_shape_error_names_argument_and_both_shapes():
    f = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce").compile()
    values = point([3, 4, 2], 5, np.random.default_rng(5))
    values["W1"] = values["W1"].T
    with pytest.raises(SympropError, match=r"argument W1 has shape \(3, 4\); expected \(4, 3\)"):
        f(**values)
    values = point([3, 4, 2], 5, np.random.default_rng(5))
    values["Y"] = values["Y"][:, :4]
    with pytest.raises(SympropError, match=r"argument Y has shape \(2, 4\); expected \(2, 5\)"):
        f(**values)


def test_missing_and_unknown_arguments_are_named():
    f = matrix_mlp([3, 2], output="softmax", loss="ce").compile()
    values = point([3, 2], 2, np.random.default_rng(6))
    del values["b1"]
    with pytest.raises(SympropError, match=r"unknown value name\(s\) Q; missing value\(s\) for b1"):
        f(**values, Q=1)


def test_torch_backend_runs_the_same_program():
    layers = [12, 8, 3]
    values = point(layers, 6, np.random.default_rng(7))
    g = matrix_mlp(layers, activation="tanh", output="softmax", loss="ce", one_hot=True)
    loss_np, grads_np = g.compile()(**values)
    f = g.compile(backend="torch")
    loss_t, grads_t = f(**{k: torch.tensor(v) for k, v in values.items()})
    assert float(loss_t) == pytest.approx(loss_np, rel=1e-12)
    for name in grads_np:
        np.testing.assert_allclose(grads_t[name].numpy(), grads_np[name], rtol=1e-10)
    assert "import torch" in f.source and "numpy" not in f.source


def test_jax_backend_source_parses_and_runs_where_jax_is_installed():
    g = matrix_mlp([5, 4, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    source = generate_source(g, backend="jax")
    tree = ast.parse(source)
    functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert {"forward", "gradients"} <= functions
    assert "jnp.sum(dL_dZ1, axis=1, keepdims=True)" in source
    if importlib.util.find_spec("jax") is None:
        with pytest.raises(SympropError, match="needs jax installed"):
            g.compile(backend="jax")
        return
    values = point([5, 4, 3], 3, np.random.default_rng(8))
    _, grads_np = g.compile()(**values)
    _, grads_jax = g.compile(backend="jax")(**values)
    for name in grads_np:  # float64 in JAX too: the module enables x64
        assert np.asarray(grads_jax[name]).dtype == np.float64
        np.testing.assert_allclose(np.asarray(grads_jax[name]), grads_np[name], rtol=1e-10)


def test_saved_module_is_standalone(tmp_path):
    g = matrix_mlp([4, 3, 2], activation="sigmoid", output="softmax", loss="ce", one_hot=True)
    f = g.compile()
    path = f.save(tmp_path / "grads.py")
    module = load_module(path.read_text())
    values = point([4, 3, 2], 3, np.random.default_rng(9))
    loss, grads = module.gradients(**values)
    assert float(loss) == pytest.approx(f(**values)[0])
    imports = [n for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert {a.name for n in imports for a in n.names} <= {"numpy", "SympropError"}


def test_unknown_backend_and_dtype_are_errors():
    g = matrix_mlp([3, 2], output="softmax", loss="ce")
    with pytest.raises(SympropError, match="unknown backend"):
        g.compile(backend="tensorflow")
    with pytest.raises(SympropError, match="float32 or float64"):
        g.compile(dtype=np.int64)


def test_no_exec_or_eval_call_in_the_package():
    package = Path(__file__).resolve().parents[2] / "symprop"
    paths = sorted(package.rglob("*.py"))
    assert len(paths) > 40
    for path in paths:   # sympy's classmethod ``def eval(cls, ...)`` is no call
        assert not re.search(r"(?<!def )\b(exec|eval)\(", path.read_text()), path


@pytest.mark.skipif(os.environ.get("CI") != "true" and importlib.util.find_spec("torch") is None,
                    reason="torch is not installed outside CI")
def test_torch_is_available_in_ci():
    assert torch.__version__


def test_compound_elementwise_function_keeps_its_brackets_in_a_product():
    """(1 - tanh(Z)^2) ⊙ A, not 1 - tanh(Z)^2 ⊙ A: the printed program computes the expression."""
    import sympy
    from sympy import HadamardProduct, MatrixSymbol

    from symprop.ir.matrix_ops import apply
    from symprop.codegen.backends import BACKENDS
    from symprop.codegen.matrix_module import MatrixCodePrinter

    m, d = sympy.Symbol("m"), sympy.Dummy("d")
    A, Z = MatrixSymbol("A", 2, m), MatrixSymbol("Z", 2, m)
    derivative = apply(sympy.Lambda(d, 1 - sympy.tanh(d) ** 2), Z)
    printer = MatrixCodePrinter(BACKENDS["numpy"], m)
    source = "import numpy as np\n\n\ndef f(A, Z):\n    return {}\n\n\ndef g(A, Z):\n    return {}\n".format(
        printer.doprint(HadamardProduct(A, derivative)), printer.doprint(HadamardProduct(derivative, A)))
    module = load_module(source)
    rng = np.random.default_rng(0)
    a, z = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    np.testing.assert_allclose(module.f(a, z), a * (1 - np.tanh(z) ** 2))
    np.testing.assert_allclose(module.g(a, z), a * (1 - np.tanh(z) ** 2))
