"""Output activations fused with their loss: what a textbook writes for dL/dz at once.

Keyed by registry names ``(activation, loss)``.  ``scale`` is the factor of
``(a - y)`` per example (2 for the squared error); ``totals`` says the rule
holds as ``a - y`` only for one-hot targets, each example's targets summing to
1; otherwise each output is weighed by its example's target total.

>>> FUSED["softmax", "ce"].title, FUSED["identity", "mse"].scale
('softmax with cross-entropy', 2)
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fused:
    """dL/dz = scale * (a - y) per example for ``a = activation(z)`` feeding the loss."""

    title: str
    scale: int = 1
    totals: bool = False


FUSED = {
    ("softmax", "ce"): Fused("softmax with cross-entropy", totals=True),
    ("sigmoid", "bce"): Fused("sigmoid with binary cross-entropy"),
    ("identity", "mse"): Fused("identity with squared error", scale=2),
    ("identity", "mse_half"): Fused("identity with half squared error"),
}

__all__ = ["Fused", "FUSED"]
