"""The torch and jax programs are fit for an accelerator.

No GPU runs in CI, so two stand-ins prove what a GPU would need:

- torch's ``meta`` device: a program that ever creates a tensor of its own on
  the CPU (``torch.ones(...)`` without a device) fails there, as it would on CUDA;
- ``jax.jit``: the program traces with abstract arrays, as XLA compiles it for
  a GPU or TPU, and the jitted gradient equals NumPy's.
"""
import jax
import numpy as np
import pytest
import sympy
import torch

from symprop.registry.functions import relu, sigmoid
from symprop.ir.matrix_ops import Loss, Softmax, apply
from symprop import MatrixGraph, matrix_mlp
from symprop.check.points import random_point


def skip_connection():
    """A1 reaches the loss through Z2 and directly through H = A1 + A2."""
    g = MatrixGraph()
    X, Y = g.input("X", 3), g.input("Y", 2)
    W1, b1 = g.param("W1", 4, 3), g.param("b1", 4, 1)
    W2, W3 = g.param("W2", 4, 4), g.param("W3", 2, 4)
    A1 = g.node("A1", apply(sigmoid, W1 * X + g.broadcast(b1)))
    A2 = g.node("A2", apply(relu, W2 * A1))
    H = g.node("H", A1 + A2)
    A3 = g.node("A3", Softmax(W3 * H))
    g.loss("L", Loss("ce", A3, Y))
    return g


def user_function():
    """An elementwise function outside the registry, differentiated by sympy."""
    g = MatrixGraph()
    X, Y = g.input("X", 2), g.input("Y", 1)
    W = g.param("W", 1, 2)
    A = g.node("A", apply(sympy.sin, W * X))
    g.loss("L", Loss("mse", A, Y))
    return g


GRAPHS = {
    "relu-softmax-ce": lambda: matrix_mlp([5, 4, 3], activation="relu", output="softmax",
                                          loss="ce", one_hot=True),
    "tanh-softmax-ce": lambda: matrix_mlp([5, 4, 3], activation="tanh", output="softmax", loss="ce"),
    "sigmoid-bce": lambda: matrix_mlp([5, 4, 1], activation="sigmoid", output="sigmoid", loss="bce"),
    "leaky_relu-mse": lambda: matrix_mlp([5, 4, 2], activation="leaky_relu", output="identity",
                                         loss="mse"),
    "softplus-sigmoid-mse": lambda: matrix_mlp([5, 4, 2], activation="softplus",
                                               output="sigmoid", loss="mse"),
    "skip-connection": skip_connection,
    "user-function": user_function,
}


def problem(name, batch=6):
    g = GRAPHS[name]()
    return g, random_point(g, np.random.default_rng(len(name)), batch)


@pytest.mark.parametrize("name", GRAPHS)
def test_torch_program_never_pins_a_tensor_to_the_cpu(name):
    g, values = problem(name)
    loss, grads = g.compile(backend="torch")(
        **{k: torch.tensor(v, device="meta") for k, v in values.items()})
    assert loss.device.type == "meta"
    assert {k: (t.device.type, tuple(t.shape)) for k, t in grads.items()} == {
        p.name: ("meta", p.shape) for p in g.param_symbols}


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-10), (np.float32, 1e-4)])
@pytest.mark.parametrize("name", GRAPHS)
def test_torch_program_equals_numpy(name, dtype, rtol):
    g, values = problem(name)
    loss_np, grads_np = g.compile(dtype=dtype)(**values)
    loss_t, grads_t = g.compile(backend="torch", dtype=dtype)(
        **{k: torch.tensor(v) for k, v in values.items()})
    assert float(loss_t) == pytest.approx(loss_np, rel=rtol)
    for name_, grad in grads_np.items():
        np.testing.assert_allclose(grads_t[name_].numpy(), grad, rtol=rtol, atol=rtol * 1e-2)


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-10), (np.float32, 1e-4)])
@pytest.mark.parametrize("name", GRAPHS)
def test_jax_program_compiles_under_jit_and_equals_numpy(name, dtype, rtol):
    g, values = problem(name)
    loss_np, grads_np = g.compile(dtype=dtype)(**values)
    jitted = jax.jit(g.compile(backend="jax", dtype=dtype).module.gradients)
    loss_j, grads_j = jitted(**values)
    assert float(loss_j) == pytest.approx(loss_np, rel=rtol)
    for name_, grad in grads_np.items():
        np.testing.assert_allclose(np.asarray(grads_j[name_]), grad, rtol=rtol, atol=rtol * 1e-2)


@pytest.mark.parametrize("backend", ["numpy", "torch", "jax"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", GRAPHS)
def test_gradients_come_back_in_the_dtype_asked_for(name, dtype, backend):
    g, values = problem(name)
    if backend == "torch":
        values = {k: torch.tensor(v) for k, v in values.items()}
    _, grads = g.compile(backend=backend, dtype=dtype)(**values)
    dtypes = {k: str(v.dtype).removeprefix("torch.") for k, v in grads.items()}
    assert dtypes == {p.name: np.dtype(dtype).name for p in g.param_symbols}


def test_jitted_jax_program_still_names_a_bad_shape():
    g, values = problem("relu-softmax-ce")
    jitted = jax.jit(g.compile(backend="jax").module.gradients)
    values["W2"] = values["W2"].T
    with pytest.raises(ValueError, match=r"argument W2 has shape \(4, 3\); expected \(3, 4\)"):
        jitted(**values)
