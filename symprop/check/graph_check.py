"""`check_graph`: symprop's gradients against an independent oracle, point by point, both forms.

Compared at every point, for the loss and every parameter: symprop's derivation
(scalar form), its compiled function (``graph.compile()``) and the reference, PyTorch
autograd over the graph rebuilt from its original node expressions or, without
PyTorch, central finite differences (:mod:`symprop.check.oracle`).  A matrix is
compared entry by entry; a scalar batch of more than ``MAX_CHECKED_POINTS`` examples
at an even sample of them, and the report's notes say so.

>>> import sympy
>>> from symprop import Graph, sigmoid, matrix_mlp
>>> g = Graph(); x, y = g.inputs("x y"); w, b = g.params("w b")
>>> z = g.node("z", w*x + b); a = g.node("a", sigmoid(z))
>>> L = g.loss("L", -y*sympy.log(a) - (1 - y)*sympy.log(1 - a))
>>> report = check_graph(g, points=2)
>>> report.ok, report.method
(True, 'torch autograd')
>>> bool(check_graph(g, {"x": 1.0, "y": 0.0, "w": 0.5, "b": -1.0}, method="fd"))
True
>>> m = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> report = check_graph(m, points=1)
>>> report.ok, report.max_rel_error < 1e-12, check_graph(m, points=1, method="fd").ok
(True, True, True)
"""
from __future__ import annotations

import math

import numpy as np

from ..derive.derivation import gradient_values
from ..errors import SympropError
from ..ir.matrix_ops import holds_examples
from .oracle import oracle_for
from .points import given_points, random_points
from .report import CheckReport, make_row as _row


def check_graph(graph, values=None, points: int | None = None, seed: int = 0, rtol: float | None = None,
                method: str = "auto", batch: int = 3) -> CheckReport:
    """Compare symprop's loss and gradients with an independent oracle.

    ``values``: every input and parameter by name (scalar arrays with a batch
    axis are checked example by example; matrix ones have their declared
    shapes, inputs ``rows x m``).  Default: ``graph.values`` when set, else
    ``points`` random points (default 3 in scalar form, 2 in matrix form) drawn with ``seed`` (scalar parameters uniform on
    (-1.5, 1.5), inputs on (0.05, 0.95); matrix points of ``batch`` examples;
    one-hot targets one-hot), a point being redrawn while its reference loss
    or gradients are not finite.  ``method``: ``"torch"`` (autograd), ``"fd"``
    (central finite differences) or ``"auto"`` (autograd, or finite
    differences when PyTorch is missing).  ``rtol`` defaults to 1e-9 for
    autograd and 1e-6 for finite differences; a value agrees when
    ``|value - reference| <= rtol * max(|reference|, 1)``.

    >>> from symprop import mlp
    >>> check_graph(mlp([1, 2, 1]), points=1).max_rel_error < 1e-12
    True
    """
    graph.loss_symbol  # a clear error when the graph has no loss
    oracle, notes = oracle_for(graph, method)
    rtol = oracle.rtol if rtol is None else _checked_rtol(rtol)
    if values is None and getattr(graph, "values", None):
        values = graph.values
    if values is None:
        points = graph.form.check_points if points is None else points
        chosen = random_points(graph, oracle, _positive("points", points), seed,
                               _positive("batch", batch))
    else:
        chosen = given_points(graph, values, notes)
    rows, shown, batches = graph.form.compare(graph, chosen, oracle, graph.compile())
    if any(not math.isfinite(v) for r in rows for v in (r.abs_error, r.reference)):
        notes.append("some values are not finite at the point(s) given (or a gradient is "
                     "missing); an infinity agrees only with the same infinity, and NaN never "
                     "agrees")
    return CheckReport(oracle.name, rtol, shown, rows, True, notes, batches)


def _checked_rtol(rtol):
    if isinstance(rtol, bool) or not isinstance(rtol, (int, float)) or not rtol > 0 \
            or not math.isfinite(rtol):
        raise SympropError(f"rtol must be a positive finite number, got {rtol!r}")
    return float(rtol)


def _positive(name, count):
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise SympropError(f"{name} must be a positive integer, got {count!r}")
    return count


def scalar_rows(graph, chosen, oracle, compiled):
    """Every scalar point's rows, each of the three computed once for all points (vectorised),
    the points as they are and no batch sizes."""
    count = len(chosen)
    names = [s.name for s in graph.input_symbols + graph.param_symbols]
    arrays = {name: np.array([p[name] for p in chosen], dtype=np.float64) for name in names}

    def batch(value):
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (count,))

    ref_loss, ref_grads = oracle.batch(arrays)
    # The derivation's adjoints, each evaluated once and shared by every parameter.
    ours_loss, ours = gradient_values(graph, arrays)
    with np.errstate(all="ignore"):  # non-finite values are reported, not warned about
        comp_loss, comp_grads = compiled(**arrays)
    quantities = [("loss", graph.loss_symbol.name, ours_loss, comp_loss, ref_loss)]
    quantities += [("gradient", p.name, ours[p.name], comp_grads.get(p.name),
                    ref_grads[p.name]) for p in graph.param_symbols]
    quantities = [(q, name, batch(mine), None if theirs is None else batch(theirs), batch(ref))
                  for q, name, mine, theirs, ref in quantities]
    return [_row(index, quantity, name, mine[index],
                 None if theirs is None else theirs[index], reference[index], True)
            for index in range(count)
            for quantity, name, mine, theirs, reference in quantities], chosen, None


def matrix_rows(graph, chosen, oracle, compiled):
    """Every matrix point's rows (the compiled values against the reference, entry by entry),
    each point as its arrays' shapes, and its batch size."""
    rows = []
    for index, point in enumerate(chosen):
        ref_loss, ref_grads = oracle(point)
        with np.errstate(all="ignore"):  # non-finite values are reported, not warned about
            comp_loss, comp_grads = compiled(**point)
        rows.append(_row(index, "loss", graph.loss_symbol.name, None, comp_loss, ref_loss, True,
                         matrix=True))
        rows += [_row(index, "gradient", p.name, None, comp_grads.get(p.name), ref_grads[p.name],
                      True, matrix=True) for p in graph.param_symbols]
    shapes = [{name: tuple(a.shape) for name, a in p.items()} for p in chosen]
    batches = [next((p[s.name].shape[1] for s in graph.input_symbols
                     if holds_examples(s, graph.batch)), 1) for p in chosen]
    return rows, shapes, batches
