"""The rivals of the scalar row: the notebook *Back Propagation*'s [1, 2, 1] network at batch 1.

Sigmoid units, binary cross-entropy, float64, one example: every rival is a
function of no arguments returning ``(loss, {parameter: gradient})``, as in
:mod:`peers`. Its numbers are plain floats for symprop's NumPy program and the
hand-written gradient (:func:`handwritten.scalar_121`), 0-d tensors for torch,
0-d arrays for jax. At this size every figure is the libraries' cost per call.
"""
from __future__ import annotations

import numpy as np
import torch

import symprop
import handwritten

LABEL = "[1,2,1] scalar, batch 1, f64"


def values(seed: int = 1) -> dict:
    g = symprop.mlp([1, 2, 1])
    rng = np.random.default_rng(seed)
    out = {s.name: float(rng.normal()) for s in g.input_symbols + g.param_symbols}
    out["y"] = 1.0
    return out


def torch_loss(t):
    a1 = torch.sigmoid(t["w1_1_1"] * t["x"] + t["b1_1"])
    a2 = torch.sigmoid(t["w1_1_2"] * t["x"] + t["b1_2"])
    z = t["w2_1_1"] * a1 + t["w2_2_1"] * a2 + t["b2_1"]
    return torch.nn.functional.binary_cross_entropy_with_logits(z, t["y"])


def jax_loss(p, x, y):
    import jax

    a1 = jax.nn.sigmoid(p["w1_1_1"] * x + p["b1_1"])
    a2 = jax.nn.sigmoid(p["w1_1_2"] * x + p["b1_2"])
    z = p["w2_1_1"] * a1 + p["w2_2_1"] * a2 + p["b2_1"]
    return jax.nn.softplus(z) - y * z


def _torch_autograd(v, use_compile):
    inputs = ("x", "y")
    t = {k: torch.tensor(a, dtype=torch.float64, requires_grad=k not in inputs)
         for k, a in v.items()}
    names = [k for k in t if k not in inputs]
    params = [t[k] for k in names]

    def autograd(fn):
        def run():
            loss = fn(t)
            return loss.detach(), dict(zip(names, torch.autograd.grad(loss, params)))
        return run

    out = {"torch autograd": autograd(torch_loss)}
    if use_compile is not True:
        out["torch.compile"] = use_compile or "skipped"
    else:
        try:
            out["torch.compile"] = autograd(torch.compile(torch_loss, dynamic=False))
            out["torch.compile"]()
        except Exception as error:
            out["torch.compile"] = f"{type(error).__name__}: {str(error).splitlines()[0][:60]}"
    plain = {k: a.detach() for k, a in t.items()}
    return out, plain


def rivals(use_compile=True) -> dict:
    """``{name: function or reason}``, the names of :data:`peers.PEERS` and :data:`peers.PROGRAMS`."""
    v = values()
    g = symprop.mlp([1, 2, 1])
    out, tensors = _torch_autograd(v, use_compile)
    try:
        import jax
    except ImportError:
        jax = None
    if jax is None:
        out["jax.jit(value_and_grad)"] = "jax not installed"
    else:
        jax.config.update("jax_enable_x64", True)
        import jax.numpy as jnp
        j = {k: jnp.asarray(a, dtype=jnp.float64) for k, a in v.items()}
        params = {k: a for k, a in j.items() if k not in ("x", "y")}
        value_and_grad = jax.jit(jax.value_and_grad(jax_loss))
        out["jax.jit(value_and_grad)"] = lambda: jax.block_until_ready(
            value_and_grad(params, j["x"], j["y"]))
    out["hand-tuned NumPy"] = lambda: handwritten.scalar_121(**v)
    f_numpy = g.compile()
    out["symprop NumPy"] = lambda: f_numpy(**v)
    f_torch = g.compile(backend="torch")
    out["symprop torch"] = lambda: f_torch(**tensors)
    if jax is None:
        out["symprop jax (jit)"] = "jax not installed"
    else:
        f_jax = g.compile(backend="jax")
        jitted = jax.jit(f_jax.function)
        args = [j[name] for name in f_jax.arguments]
        out["symprop jax (jit)"] = lambda: jax.block_until_ready(jitted(*args))
    for fn in out.values():
        if callable(fn):
            fn()
    return out
