"""The points a check compares at, for both forms: given values checked, or random draws.

A scalar graph's point maps every input and parameter to a number (a batch of
examples is one point per example); a matrix graph's maps each to a 2-d array of
its declared shape (inputs ``rows x m``).  Random points are redrawn, up to
``MAX_DRAWS`` times, while the oracle's loss or gradients are not finite.

>>> from symprop import matrix_mlp
>>> g = matrix_mlp([3, 4, 2])
>>> sorted((k, v.shape) for k, v in random_point(g, np.random.default_rng(0), 5).items())[:2]
[('W1', (4, 3)), ('W2', (2, 4))]
"""
from __future__ import annotations

import math

import numpy as np
from sympy import MatrixSymbol

from ..errors import SympropError
from ..ir import numeric
from ..ir.matrix_ops import holds_examples, shape_of

MAX_DRAWS = 25           # random draws per point before giving up on finite values
MAX_CHECKED_POINTS = 1000  # examples of a given batch compared; beyond, an even sample
MAX_CHECKED_ROWS = 20_000  # ... and fewer for many parameters: one row per parameter and point
PARAM_RANGE = (-1.5, 1.5)
INPUT_RANGE = TARGET_RANGE = (0.05, 0.95)
# Matrix parameters ~ normal(0, 0.5 / sqrt(columns)), LeCun's scaling: a product W A
# keeps entries of about 0.5 at any width, so a 784-wide layer's logits stay moderate.
PARAM_SCALE = 0.5


def random_points(graph, oracle, count, seed, batch) -> list[dict]:
    """``count`` random points (matrix ones of ``batch`` examples) where the oracle's values are finite."""
    rng = np.random.default_rng(seed)
    chosen = []
    for index in range(count):
        for _ in range(MAX_DRAWS):
            point = graph.form.draw(graph, rng, batch)
            loss, grads = oracle(point)
            if all(np.isfinite(v).all() for v in (loss, *grads.values())):
                chosen.append(point)
                break
        else:
            raise SympropError(
                f"could not draw random point {index}: in {MAX_DRAWS} draws the loss or a "
                "gradient was never finite; pass values= with a point where it is")
    return chosen


def given_points(graph, values, notes) -> list[dict]:
    """``values`` checked: one matrix point, or one scalar point per example of a batch."""
    if not isinstance(values, dict):
        raise SympropError(f"values must be a dict of names to values, got "
                           f"{type(values).__name__}")
    return graph.form.given(graph, values, notes)


# ------------------------------------------------------------------ scalar form
def scalar_given(graph, values, notes) -> list[dict[str, float]]:
    """``values`` checked (finite, complete), one point per example of a batch.

    A batch of more than MAX_CHECKED_POINTS examples is checked at that many of
    them, evenly spaced, and a note says so: the check then stays bounded
    whatever the batch size the spec allows.
    """
    arrays = numeric.broadcast(numeric.check_values(graph, values))
    shape = next(iter(arrays.values())).shape if arrays else ()
    flat = {name: a.reshape(-1) for name, a in arrays.items()}
    total = int(np.prod(shape, dtype=np.int64))
    if total == 0:
        raise SympropError("the values hold no examples (an empty batch): nothing to check")
    limit = max(1, min(MAX_CHECKED_POINTS, MAX_CHECKED_ROWS // (1 + len(graph.param_symbols))))
    taken = np.arange(total)
    if total > limit:
        taken = np.unique(np.linspace(0, total - 1, limit).round().astype(np.int64))
        notes.append(f"the values hold {total} examples: checked {len(taken)} of them, evenly "
                     f"spaced from the first to the last (at most {limit} are checked for "
                     f"{len(graph.param_symbols)} parameter(s))")
    chosen = [{name: float(a[i]) for name, a in flat.items()} for i in taken]
    for group in graph.one_hot_groups:
        for index, point in enumerate(chosen):
            total = sum(point[s.name] for s in group)
            if abs(total - 1) > 1e-12:
                names = ", ".join(s.name for s in group)
                notes.append(f"point {index}: targets {names} are declared one-hot but sum to "
                             f"{total:g}; symprop's simplified gradient assumes they sum to 1")
    return chosen


def scalar_draw(graph, rng, batch=None) -> dict[str, float]:
    """Inputs uniform on INPUT_RANGE, targets one-hot (declared so), parameters on PARAM_RANGE;
    one example (``batch`` is the matrix form's)."""
    point = {s.name: float(rng.uniform(*INPUT_RANGE)) for s in graph.input_symbols}
    point.update({s.name: float(rng.uniform(*PARAM_RANGE)) for s in graph.param_symbols})
    for group in graph.one_hot_groups:
        hot = int(rng.integers(len(group)))
        point.update({s.name: float(i == hot) for i, s in enumerate(group)})
    return point


# ------------------------------------------------------------------ matrix form
def _expected_shape(graph, symbol, m) -> tuple:
    return tuple(m if n == graph.batch else int(n) for n in shape_of(symbol))


def given_point(graph, values: dict) -> dict:
    """``values`` as float64 arrays, every input and parameter present and shaped as declared."""
    arrays = numeric.check_values(graph, values)
    m, source = None, None
    for s in graph.input_symbols + graph.param_symbols:
        array = arrays[s.name]
        if array.ndim != len(shape_of(s)):
            raise SympropError(f"values: {s.name} has shape {array.shape}; expected "
                               + (f"a 2-d array of shape {_shape_text(graph, s)}" if shape_of(s)
                                  else "one number"))
        if m is None and shape_of(s) and holds_examples(s, graph.batch):   # (scalar graphs: no batch)
            m, source = array.shape[1], s.name
        expected = _expected_shape(graph, s, m)
        if array.shape != expected:
            batch = f" (m = {m}, the columns of {source})" if source and source != s.name \
                and graph.batch in shape_of(s) else ""
            raise SympropError(f"values: {s.name} has shape {array.shape}; expected "
                               f"{expected}{batch}")
    return arrays


def _shape_text(graph, symbol) -> str:
    return "(" + ", ".join("m" if n == graph.batch else str(n) for n in shape_of(symbol)) + ")"


def random_point(graph, rng, batch) -> dict:
    """Inputs ~ normal, targets one-hot (declared so) or uniform, parameters ~ normal(0, 0.5/sqrt(columns))."""
    loss = graph.expr(graph.loss_symbol)
    targets = {loss.targets} if isinstance(loss.targets, MatrixSymbol) else set()
    point = {}
    for s in graph.input_symbols + graph.param_symbols:
        if not shape_of(s):   # a scalar vertex (a coefficient): one number
            point[s.name] = np.asarray(rng.normal(scale=PARAM_SCALE))
    for s in [s for s in graph.input_symbols if shape_of(s)]:
        rows, cols = _expected_shape(graph, s, batch)
        if s in graph.one_hot_targets:
            point[s.name] = np.eye(rows)[:, rng.integers(rows, size=cols)]
        elif s in targets:
            point[s.name] = rng.uniform(*TARGET_RANGE, size=(rows, cols))
        else:
            point[s.name] = rng.normal(size=(rows, cols))
    for s in [s for s in graph.param_symbols if shape_of(s)]:
        rows, cols = _expected_shape(graph, s, batch)
        point[s.name] = rng.normal(scale=PARAM_SCALE / math.sqrt(cols), size=(rows, cols))
    return point


def matrix_given(graph, values, notes) -> list[dict]:
    """``values`` as the one point they are (:func:`given_point`); a note per one-hot target
    whose columns do not sum to 1."""
    point = given_point(graph, values)
    for s in graph.one_hot_targets:
        if np.any(np.abs(point[s.name].sum(axis=0) - 1) > 1e-12):
            notes.append(f"point 0: the columns of {s.name} are declared one-hot but do "
                         "not all sum to 1; symprop's simplified gradient assumes they do")
    return [point]
