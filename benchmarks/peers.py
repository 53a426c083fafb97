"""Every rival of a matrix row: the peers a user would pick, and symprop's three programs.

A row is a ReLU / softmax / cross-entropy MLP at one batch size and dtype. Each
rival is a function of no arguments returning ``(loss, {parameter: gradient})``
from the same numbers, already in its own library's arrays (converting them is
no part of a gradient's cost), and finished when it returns (jax: blocked until
ready). Peers: torch autograd, ``torch.compile``-d autograd, ``jax.jit(jax.
value_and_grad)`` and the hand-tuned NumPy program (:mod:`handwritten`).
symprop: ``g.compile()`` for NumPy and torch, called as users call it, and jax
under ``jax.jit`` of the generated ``gradients`` function.

A rival that cannot run here (jax not installed, torch.compile without a
compiler) is kept as its reason, a string, and printed ``n/a (why)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from symprop import matrix_mlp
from handwritten import HandTunedMLP

PEERS = ("torch autograd", "torch.compile", "jax.jit(value_and_grad)", "hand-tuned NumPy")
PROGRAMS = ("symprop NumPy", "symprop torch", "symprop jax (jit)")


@dataclass(frozen=True)
class Row:
    """One problem of the peer table."""

    label: str
    sizes: tuple
    batch: int
    dtype: type = np.float64

    @property
    def dtype_name(self) -> str:
        return "f64" if self.dtype == np.float64 else "f32"


ROWS = (
    Row("784-256-256-10, batch 128, f64", (784, 256, 256, 10), 128, np.float64),
    Row("784-256-256-10, batch 128, f32", (784, 256, 256, 10), 128, np.float32),
    Row("784-256-256-10, batch 1024, f32", (784, 256, 256, 10), 1024, np.float32),
    Row("64-64-64-64-10, batch 32, f64", (64, 64, 64, 64, 10), 32, np.float64),
)
QUICK_ROWS = (Row("12-8-4, batch 6, f64", (12, 8, 4), 6, np.float64),
              Row("12-8-4, batch 6, f32", (12, 8, 4), 6, np.float32))


def values(row: Row, seed: int = 0) -> dict:
    """Inputs (784 x batch columns), one-hot targets and scaled weights, as float64 arrays."""
    rng = np.random.default_rng(seed)
    sizes = row.sizes
    out = {"X": rng.normal(size=(sizes[0], row.batch)),
           "Y": np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], row.batch)]}
    for l in range(1, len(sizes)):
        out[f"W{l}"] = rng.normal(size=(sizes[l], sizes[l - 1])) / np.sqrt(sizes[l - 1])
        out[f"b{l}"] = 0.1 * rng.normal(size=(sizes[l], 1))
    return out


def torch_loss(depth):
    """The row's loss as PyTorch code, ``loss(params, X, labels)``."""
    def loss(params, X, labels):
        a = X
        for l in range(1, depth + 1):
            z = params[f"W{l}"] @ a + params[f"b{l}"]
            a = torch.relu(z) if l < depth else z
        return torch.nn.functional.cross_entropy(a.T, labels)
    return loss


def jax_loss(depth):
    """The row's loss as jax code, ``loss(params, X, Y)``."""
    import jax
    import jax.numpy as jnp

    def loss(params, X, Y):
        a = X
        for l in range(1, depth + 1):
            z = params[f"W{l}"] @ a + params[f"b{l}"]
            a = jax.nn.relu(z) if l < depth else z
        return -jnp.sum(Y * jax.nn.log_softmax(a, axis=0)) / X.shape[1]
    return loss


def _torch_rivals(row, v, use_compile):
    depth = len(row.sizes) - 1
    dtype = torch.float64 if row.dtype == np.float64 else torch.float32
    t = {k: torch.tensor(a, dtype=dtype) for k, a in v.items()}
    params = {k: a.clone().requires_grad_(True) for k, a in t.items() if k not in ("X", "Y")}
    labels = t["Y"].argmax(0)
    loss = torch_loss(depth)
    names = list(params)

    def autograd(fn):
        def run():
            value = fn(params, t["X"], labels)
            return value.detach(), dict(zip(names, torch.autograd.grad(value, list(params.values()))))
        return run

    rivals = {"torch autograd": autograd(loss)}
    if use_compile is not True:
        rivals["torch.compile"] = use_compile or "skipped"
    else:
        try:
            compiled = autograd(torch.compile(loss, dynamic=False))
            compiled()  # compiles here, not in the first timed round
            rivals["torch.compile"] = compiled
        except Exception as error:  # no compiler, an unsupported platform: say why
            rivals["torch.compile"] = f"{type(error).__name__}: {str(error).splitlines()[0][:60]}"
    return rivals, t


def _jax_arrays(row, v):
    import jax

    jax.config.update("jax_enable_x64", True)  # f64 rows need it; f32 arrays stay f32
    import jax.numpy as jnp
    return {k: jnp.asarray(a, dtype=row.dtype) for k, a in v.items()}


def _jax_peer(row, j):
    import jax

    params = {k: a for k, a in j.items() if k not in ("X", "Y")}
    value_and_grad = jax.jit(jax.value_and_grad(jax_loss(len(row.sizes) - 1)))

    def run():
        return jax.block_until_ready(value_and_grad(params, j["X"], j["Y"]))
    return run


def _jax_program(graph, j, dtype):
    import jax

    f = graph.compile(backend="jax", dtype=dtype)
    jitted = jax.jit(f.function)
    args = [j[name] for name in f.arguments]

    def run():
        return jax.block_until_ready(jitted(*args))
    return run


def rivals(row: Row, use_compile=True) -> dict:
    """``{name: function or reason}`` for every peer and program of ``row``, each run once.

    ``use_compile``: True to time torch.compile, else the reason printed instead.
    """
    v = values(row)
    graph = matrix_mlp(list(row.sizes), activation="relu", output="softmax", loss="ce",
                       one_hot=True)
    out, t = _torch_rivals(row, v, use_compile)
    try:
        j = _jax_arrays(row, v)
    except ImportError:
        j = None
    out["jax.jit(value_and_grad)"] = "jax not installed" if j is None else _jax_peer(row, j)
    native = {k: a.astype(row.dtype) for k, a in v.items()}
    hand = HandTunedMLP(list(row.sizes), row.batch, row.dtype)
    out["hand-tuned NumPy"] = lambda: hand.gradients(native)
    f_numpy = graph.compile(dtype=row.dtype)
    out["symprop NumPy"] = lambda: f_numpy(**native)
    f_torch = graph.compile(backend="torch", dtype=row.dtype)
    out["symprop torch"] = lambda: f_torch(**t)
    out["symprop jax (jit)"] = "jax not installed" if j is None else _jax_program(graph, j, row.dtype)
    for fn in out.values():
        if callable(fn):
            fn()  # jit and compile here, not in the first timed round
    return out


def as_numpy(result) -> tuple[float, dict]:
    """A rival's ``(loss, grads)`` as a float and float64 NumPy arrays."""
    loss, grads = result
    return float(np.asarray(loss)), {k: np.asarray(g, dtype=np.float64) for k, g in grads.items()}


def largest_difference(fns: dict) -> float:
    """The largest relative difference of any rival's loss or gradient from torch autograd's."""
    loss0, grads0 = as_numpy(fns["torch autograd"]())
    worst = 0.0
    for name, fn in fns.items():
        if not callable(fn):
            continue
        loss, grads = as_numpy(fn())
        worst = max(worst, abs(loss - loss0) / max(abs(loss0), 1e-30))
        for k, g in grads0.items():
            worst = max(worst, float(np.abs(grads[k] - g).max() / max(np.abs(g).max(), 1e-30)))
    return worst
