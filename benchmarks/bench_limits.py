"""Where the small rows' time goes: symprop's program as users call it, its generated
function alone, and the hand-tuned program, side by side.

On the small rows the hand-tuned NumPy program is the fastest peer, and symprop's
gap to it is not arithmetic: ``g.compile()``'s callable checks every argument's
names, dtype and shape (the generated ``gradients`` still reads each through
``_array``), and returns fresh arrays, where the hand-tuned program checks nothing
and writes into buffers it keeps between calls.
"""
from __future__ import annotations

import numpy as np

import symprop
import handwritten
import peers
import peers_scalar
from timing import side_by_side

LIMIT_ROW = peers.Row("64-64-64-64-10, batch 32, f64", (64, 64, 64, 64, 10), 32, np.float64)
QUICK_ROW = peers.Row("12-8-4, batch 6, f64", (12, 8, 4), 6, np.float64)


def _matrix(row):
    v = peers.values(row)
    graph = symprop.matrix_mlp(list(row.sizes), activation="relu", output="softmax",
                               loss="ce", one_hot=True)
    compiled = graph.compile()
    hand = handwritten.HandTunedMLP(list(row.sizes), row.batch)
    return {"through g.compile()": lambda: compiled(**v),
            "generated function alone": lambda: compiled.function(**v),
            "hand-tuned NumPy": lambda: hand.gradients(v)}


def _scalar():
    v = peers_scalar.values()
    compiled = symprop.mlp([1, 2, 1]).compile()
    return {"through g.compile()": lambda: compiled(**v),
            "generated function alone": lambda: compiled.function(**v),
            "hand-tuned NumPy": lambda: handwritten.scalar_121(**v)}


def where_time_goes(quick: bool, seconds: float, rounds: int) -> list:
    """``[(row label, {way: seconds per call})]`` for the small matrix row and the scalar row."""
    row = QUICK_ROW if quick else LIMIT_ROW
    return [(row.label, side_by_side(_matrix(row), seconds, rounds)),
            (peers_scalar.LABEL, side_by_side(_scalar(), seconds, rounds))]
