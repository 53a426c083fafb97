"""The 784-256-256-10 gradient against its own forward pass: generated and hand-tuned NumPy (float64)."""
from __future__ import annotations

import numpy as np
import torch

from symprop import matrix_mlp
from handwritten import HandTunedMLP
from timing import once, side_by_side

SIZES = [784, 256, 256, 10]


def matrix_values(batch: int, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    values = {"X": rng.normal(size=(SIZES[0], batch)),
              "Y": np.eye(SIZES[-1])[:, rng.integers(0, SIZES[-1], batch)]}
    for l in range(1, len(SIZES)):
        values[f"W{l}"] = rng.normal(size=(SIZES[l], SIZES[l - 1])) / np.sqrt(SIZES[l - 1])
        values[f"b{l}"] = 0.1 * rng.normal(size=(SIZES[l], 1))
    return values


def derive_and_compile():
    """The 784-256-256-10 network built, derived and compiled from nothing."""
    def build():
        g = matrix_mlp(SIZES, activation="relu", output="softmax", loss="ce", one_hot=True)
        g.gradients()
        return g.compile()
    return once(build)


def matrix_784(seconds: float, batch: int = 128, rounds: int = 5) -> dict:
    """784-256-256-10 (ReLU, softmax, ce) at batch ``batch``: gradient and forward, generated and by hand.

    torch autograd computes the reference gradient (it is timed in :mod:`bench_peers`).
    """
    f, t_build = derive_and_compile()
    values = matrix_values(batch)
    t = {k: torch.tensor(v, requires_grad=k not in ("X", "Y")) for k, v in values.items()}
    names = [k for k in values if k not in ("X", "Y")]
    params = [t[k] for k in names]
    labels = t["Y"].argmax(0)
    depth = len(SIZES) - 1

    def torch_loss():
        a = t["X"]
        for l in range(1, depth + 1):
            z = t[f"W{l}"] @ a + t[f"b{l}"]
            a = torch.relu(z) if l < depth else z
        return torch.nn.functional.cross_entropy(a.T, labels)

    loss, grads = f(**values)
    reference = torch.autograd.grad(torch_loss(), params)
    error = max(float(np.abs(grads[k] - r.numpy()).max()) for k, r in zip(names, reference))
    hand = HandTunedMLP(SIZES, batch)
    hand_error = max(float(np.abs(hand.gradients(values)[1][k] - grads[k]).max()) for k in names)
    times = side_by_side({"symprop": lambda: f(**values),
                          "symprop_forward": lambda: f.forward(**values),
                          "hand": lambda: hand.gradients(values),
                          "hand_forward": lambda: hand.forward(values)}, seconds, rounds)
    return {"times": times, "max_abs_error": error, "loss_error": abs(loss - float(torch_loss().detach())),
            "hand_error": hand_error, "t_derive_compile": t_build, "batch": batch}
