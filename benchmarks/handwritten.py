"""Hand-tuned NumPy gradients: the best a NumPy program does here, the benchmarks' yardsticks.

It is the yardstick for "gradient / own forward": no allocation per call (every
intermediate lives in a buffer reused across calls, products written with
``out=``, masks applied in place), the cheapest ReLU mask, one log-sum-exp for
both the loss and the softmax. If this program cannot reach a ratio on this
machine, no generated NumPy program will.

Only for benchmarks: it is specific to ReLU hidden layers, softmax and
cross-entropy with one-hot targets, and not thread-safe.  :func:`scalar_121`
is the same for the notebook *Back Propagation*'s [1, 2, 1] network at batch 1:
plain floats and :mod:`math`, as one would write it by hand.
"""
from __future__ import annotations

import math

import numpy as np


class HandTunedMLP:
    """``gradients(values)`` and ``forward(values)`` of a ReLU / softmax / cross-entropy MLP."""

    def __init__(self, sizes, batch, dtype=np.float64):
        self.depth = len(sizes) - 1
        self.z = [None] + [np.empty((n, batch), dtype) for n in sizes[1:]]
        self.a = [None] + [np.empty((n, batch), dtype) for n in sizes[1:-1]]
        self.delta = [None] + [np.empty((n, batch), dtype) for n in sizes[1:]]
        self.mask = [None] + [np.empty((n, batch), dtype=bool) for n in sizes[1:-1]]
        self.out = {}
        for l in range(1, self.depth + 1):
            self.out[f"W{l}"] = np.empty((sizes[l], sizes[l - 1]), dtype)
            self.out[f"b{l}"] = np.empty((sizes[l], 1), dtype)

    def _forward(self, v):
        a = v["X"]
        for l in range(1, self.depth + 1):
            z = np.matmul(v[f"W{l}"], a, out=self.z[l])
            z += v[f"b{l}"]
            if l < self.depth:
                a = np.maximum(z, 0, out=self.a[l])
        z = self.z[self.depth]
        shifted = z - z.max(axis=0, keepdims=True)
        log_total = np.log(np.exp(shifted).sum(axis=0, keepdims=True))
        m = z.shape[1]
        loss = -float(np.sum(v["Y"] * (shifted - log_total))) / m
        return loss, shifted, log_total

    def forward(self, v):
        return self._forward(v)[0]

    def gradients(self, v):
        loss, shifted, log_total = self._forward(v)
        m, L = shifted.shape[1], self.depth
        delta = self.delta[L]
        np.exp(shifted - log_total, out=delta)       # the softmax, from the loss's log-sum-exp
        delta -= v["Y"]
        delta *= delta.dtype.type(1 / m)
        for l in range(L, 0, -1):
            below = v["X"] if l == 1 else self.a[l - 1]
            np.matmul(delta, below.T, out=self.out[f"W{l}"])
            np.sum(delta, axis=1, keepdims=True, out=self.out[f"b{l}"])
            if l > 1:
                back = np.matmul(v[f"W{l}"].T, delta, out=self.delta[l - 1])
                back *= np.greater(self.z[l - 1], 0, out=self.mask[l - 1])
                delta = back
        return loss, self.out


def _sigmoid(x):
    e = math.exp(-abs(x))
    return 1 / (1 + e) if x >= 0 else e / (1 + e)


def scalar_121(x, y, w1_1_1, w1_1_2, b1_1, b1_2, w2_1_1, w2_2_1, b2_1):
    """Loss and gradients of the [1, 2, 1] sigmoid network with binary cross-entropy, by hand.

    >>> loss, grads = scalar_121(1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    >>> round(loss, 6), grads["b2_1"]
    (0.693147, -0.5)
    """
    a1 = _sigmoid(w1_1_1 * x + b1_1)
    a2 = _sigmoid(w1_1_2 * x + b1_2)
    z = w2_1_1 * a1 + w2_2_1 * a2 + b2_1
    loss = max(z, 0.0) - y * z + math.log1p(math.exp(-abs(z)))  # softplus(z) - y z
    d = _sigmoid(z) - y
    d1 = w2_1_1 * d * a1 * (1 - a1)
    d2 = w2_2_1 * d * a2 * (1 - a2)
    return loss, {"w1_1_1": d1 * x, "w1_1_2": d2 * x, "b1_1": d1, "b1_2": d2,
                  "w2_1_1": d * a1, "w2_2_1": d * a2, "b2_1": d}
