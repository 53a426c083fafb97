"""`check_matrix_graph`: a layer-level graph's compiled gradients against PyTorch autograd.

The reference owes nothing to symprop's derivation or code generation: the
forward pass is rebuilt in PyTorch (float64) from the graph's original node
expressions, walking each matrix expression through a small table of torch
combinators (products, sums, Hadamard products, transposes, the column
softmax), elementwise functions through the registry's torch forms (as the
scalar oracle does), and the loss from the registry's per-entry formula.
``backward()`` gives every parameter's gradient, compared entry by entry with
``graph.compile()`` (NumPy, float64).

>>> from symprop import matrix_mlp
>>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> report = check_matrix_graph(g, points=1)
>>> report.ok, report.method, report.max_rel_error < 1e-12
(True, 'torch autograd', True)
"""
from __future__ import annotations

import functools
import math
import operator
from dataclasses import dataclass

import numpy as np
import sympy
from sympy.core.sympify import _sympify  # objects only: a string is refused, never parsed
from sympy import (HadamardPower, HadamardProduct, MatAdd, MatMul, MatrixSymbol, OneMatrix,
                   Transpose, ZeroMatrix)

from .graph_check import (DEFAULT_RTOL, MAX_DRAWS, TOLERANCE_RULE, CheckReport, RowFields,
                     _checked_count, _checked_rtol, text_table)
from ..errors import SympropError
from .oracle import TorchOracle
from ..ir import matrix_ops as ops

METHOD = TorchOracle.name
# Parameters ~ normal(0, 0.5 / sqrt(columns)), LeCun's scaling: a product W A keeps
# entries of about 0.5 at any width, so a 784-wide layer's logits stay moderate.
PARAM_SCALE = 0.5
TARGET_RANGE = (0.05, 0.95)
ENTRYWISE = f"{TOLERANCE_RULE}, entry by entry"


# ------------------------------------------------------------------ the report
@dataclass(frozen=True)
class MatrixCheckRow(RowFields):
    """The loss, or one parameter's gradient, at one point: its worst entry.

    ``abs_error`` and ``rel_error`` are the largest over the entries
    (``rel_error`` of an entry is ``abs_error / max(|reference|, 1)``);
    ``entry`` is where the largest relative error is, with the compiled and
    the autograd values there.
    """

    point: int
    quantity: str            # "loss" or "gradient"
    parameter: str           # the parameter's name, or the loss's name for the loss row
    shape: tuple
    entry: tuple
    compiled: float
    reference: float
    abs_error: float
    rel_error: float

    def to_dict(self) -> dict:
        return {**self._where(), "shape": list(self.shape), "entry": list(self.entry),
                **self._numbers()}


class MatrixCheckReport(CheckReport):
    """:class:`~symprop.check.graph_check.CheckReport` for matrices: one row per parameter and the loss.

    ``points`` holds, per point, the shape of every input and parameter;
    ``batch`` is the number of examples (columns) at each point.
    """

    def __init__(self, rtol, points, rows, notes, batch):
        super().__init__(METHOD, rtol, points, rows, True, notes)
        self.batch = batch

    def to_dict(self) -> dict:
        """A JSON-ready summary, keys as :meth:`CheckReport.to_dict` plus ``batch``."""
        return {**self._summary(ENTRYWISE), "batch": list(self.batch),
                "points": [{k: list(v) for k, v in p.items()} for p in self.points],
                "rows": [r.to_dict() for r in self.rows]}

    def __str__(self) -> str:
        sizes = ", ".join(map(str, sorted(set(self.batch))))
        lines = self._heading(f"check of the compiled matrix gradients against {self.method} "
                              f"(float64) at {len(self.points)} point(s) of {sizes} example(s)",
                              ENTRYWISE)
        header = ("point", "of", "shape", "max abs err", "max rel err", "worst entry",
                  "compiled", "autograd", "")
        table = [header] + [
            (str(r.point), ("loss " if r.quantity == "loss" else "d/d") + r.parameter,
             "x".join(map(str, r.shape)) or "scalar", f"{r.abs_error:.2e}",
             f"{r.rel_error:.2e}", str(r.entry) if r.entry else "-",
             f"{r.compiled:.10g}", f"{r.reference:.10g}",
             "" if r.rel_error <= self.rtol else "<-- disagrees")
            for r in self.rows]
        return "\n".join(lines + text_table(table))

    def __repr__(self):
        return (f"MatrixCheckReport(ok={self.ok}, points={len(self.points)}, "
                f"max_abs_error={self.max_abs_error:.3g})")


# ------------------------------------------------------------------ the oracle
class MatrixTorchOracle:
    """The graph's forward pass rebuilt in PyTorch from its node expressions; autograd gradients.

    ``oracle(arrays) -> (loss, {parameter name: gradient array})``.
    """

    name = METHOD

    def __init__(self, graph):
        try:
            import torch
        except ImportError:
            raise SympropError("PyTorch is not installed, so the autograd check of a matrix "
                               "graph cannot run; install symprop[torch]") from None
        self._torch, self.graph = torch, graph
        self._scalar = TorchOracle(graph)  # elementwise bodies: registry torch forms
        self._rules = {MatrixSymbol: self._symbol, MatMul: self._matmul, MatAdd: self._sum,
                       HadamardProduct: self._hadamard, HadamardPower: self._power,
                       Transpose: self._transpose, OneMatrix: self._ones,
                       ZeroMatrix: self._zeros, ops.Apply: self._apply,
                       ops.Softmax: self._softmax}

    def __call__(self, arrays: dict) -> tuple[float, dict]:
        torch, graph = self._torch, self.graph
        env = {s: torch.tensor(arrays[s.name], dtype=torch.float64)
               for s in graph.input_symbols}
        params = {s: torch.tensor(arrays[s.name], dtype=torch.float64, requires_grad=True)
                  for s in graph.param_symbols}
        env.update(params)
        self._m = _batch_of(graph, arrays)
        for node in graph.node_symbols[:-1]:
            env[node] = self._build(graph.expr(node), env, node)
        loss = self._loss(graph.expr(graph.loss_symbol), env)
        if loss.requires_grad:
            try:
                loss.backward()
            except RuntimeError as error:
                raise SympropError(f"PyTorch cannot differentiate the graph: {error}") from None
        grads = {s.name: (t.grad.numpy() if t.grad is not None
                          else np.zeros(t.shape, dtype=np.float64))
                 for s, t in params.items()}
        return float(loss.detach()), grads

    def _build(self, expr, env, node):
        rule = self._rules.get(type(expr))
        if rule is None:
            raise SympropError(f"node {node} uses {type(expr).__name__}, which the autograd "
                               "check cannot rebuild in PyTorch")
        return rule(expr, env, node)

    def _number(self, c, node) -> float:
        value = _sympify(c).subs(self.graph.batch, self._m)
        if not value.is_number or not value.is_real:
            raise SympropError(f"node {node}: the factor {c} is not a real number")
        return float(value)

    def _size(self, n) -> int:
        return self._m if n == self.graph.batch else int(n)

    def _symbol(self, expr, env, node):
        return env[expr]

    def _matmul(self, expr, env, node):
        coeff, matrices = expr.as_coeff_matrices()
        product = functools.reduce(operator.matmul,
                                   (self._build(a, env, node) for a in matrices))
        return product if coeff == 1 else self._number(coeff, node) * product

    def _sum(self, expr, env, node):
        return functools.reduce(operator.add, (self._build(a, env, node) for a in expr.args))

    def _hadamard(self, expr, env, node):
        return functools.reduce(operator.mul, (self._build(a, env, node) for a in expr.args))

    def _power(self, expr, env, node):
        base, exponent = expr.args
        exponent = int(exponent) if exponent.is_Integer else self._number(exponent, node)
        return self._build(base, env, node) ** exponent

    def _transpose(self, expr, env, node):
        return self._build(expr.arg, env, node).T

    def _ones(self, expr, env, node):
        return self._torch.ones(tuple(map(self._size, expr.shape)), dtype=self._torch.float64)

    def _zeros(self, expr, env, node):
        return self._torch.zeros(tuple(map(self._size, expr.shape)), dtype=self._torch.float64)

    def _apply(self, expr, env, node):
        d = expr.function.variables[0]
        inner = {d: self._build(expr.arg, env, node)}
        return self._scalar._build(expr.function.expr, inner, node, {})

    def _softmax(self, expr, env, node):
        return self._torch.softmax(self._build(expr.arg, env, node), dim=0)

    def _loss(self, loss, env):
        """The registry's per-entry loss over every entry, summed, divided by the batch size."""
        per_entry, a, y = loss.per_entry()
        where = self.graph.loss_symbol
        entries = {a: self._build(loss.outputs, env, where),
                   y: self._build(loss.targets, env, where)}
        return self._torch.sum(self._scalar._build(per_entry, entries, where, {})) / self._m


# ------------------------------------------------------------------ points
def _batch_of(graph, arrays) -> int:
    for s in graph.input_symbols:
        if s.shape[1] == graph.batch:
            return int(np.shape(arrays[s.name])[1])
    return 1


def _expected_shape(graph, symbol, m) -> tuple:
    return tuple(m if n == graph.batch else int(n) for n in symbol.shape)


def given_point(graph, values) -> dict:
    """``values`` as float64 arrays, every input and parameter present and shaped as declared."""
    if not isinstance(values, dict):
        raise SympropError(f"values must be a dict of names to arrays, got "
                           f"{type(values).__name__}")
    names = [s.name for s in graph.input_symbols + graph.param_symbols]
    unknown = sorted(set(values) - set(names))
    missing = [n for n in names if n not in values]
    if unknown or missing:
        parts = ([f"unknown name(s) {', '.join(unknown)}"] if unknown else []) + (
            [f"missing {', '.join(missing)}"] if missing else [])
        raise SympropError(f"values: {'; '.join(parts)}; expected {', '.join(names)}")
    arrays = {}
    for name in names:
        try:
            array = np.array(values[name], dtype=np.float64)
        except (TypeError, ValueError):
            raise SympropError(f"values: {name} is not an array of numbers") from None
        if array.ndim != 2:
            raise SympropError(f"values: {name} has shape {array.shape}; expected a 2-d "
                               f"array of shape {_shape_text(graph, graph.symbol(name))}")
        if not np.all(np.isfinite(array)):
            raise SympropError(f"values: {name} has entries that are not finite")
        arrays[name] = array
    m, source = None, None
    for s in graph.input_symbols + graph.param_symbols:
        array = arrays[s.name]
        if m is None and s.shape[1] == graph.batch:
            m, source = array.shape[1], s.name
        expected = _expected_shape(graph, s, m)
        if array.shape != expected:
            batch = f" (m = {m}, the columns of {source})" if source and source != s.name \
                and graph.batch in s.shape else ""
            raise SympropError(f"values: {s.name} has shape {array.shape}; expected "
                               f"{expected}{batch}")
    return arrays


def _shape_text(graph, symbol) -> str:
    return "(" + ", ".join("m" if n == graph.batch else str(n) for n in symbol.shape) + ")"


def random_point(graph, rng, batch) -> dict:
    """Inputs ~ normal, targets one-hot (declared so) or uniform, parameters ~ normal(0, 0.5/sqrt(columns))."""
    loss = graph.expr(graph.loss_symbol)
    targets = {loss.targets} if isinstance(loss.targets, MatrixSymbol) else set()
    point = {}
    for s in graph.input_symbols:
        rows, cols = _expected_shape(graph, s, batch)
        if s in graph.one_hot_targets:
            point[s.name] = np.eye(rows)[:, rng.integers(rows, size=cols)]
        elif s in targets:
            point[s.name] = rng.uniform(*TARGET_RANGE, size=(rows, cols))
        else:
            point[s.name] = rng.normal(size=(rows, cols))
    for s in graph.param_symbols:
        rows, cols = _expected_shape(graph, s, batch)
        point[s.name] = rng.normal(scale=PARAM_SCALE / math.sqrt(cols), size=(rows, cols))
    return point


def _random_points(graph, oracle, count, seed, batch) -> list[dict]:
    """``count`` random points where autograd's loss and gradients are finite, as in the scalar check."""
    rng = np.random.default_rng(seed)
    chosen = []
    for index in range(count):
        for _ in range(MAX_DRAWS):
            point = random_point(graph, rng, batch)
            loss, grads = oracle(point)
            if all(np.isfinite(v).all() for v in (loss, *grads.values())):
                chosen.append(point)
                break
        else:
            raise SympropError(
                f"could not draw random point {index}: in {MAX_DRAWS} draws autograd's loss or a "
                "gradient was never finite; pass values= with a point where it is")
    return chosen


def _one_hot_notes(graph, index, point) -> list[str]:
    notes = []
    for s in graph.one_hot_targets:
        totals = point[s.name].sum(axis=0)
        if np.any(np.abs(totals - 1) > 1e-12):
            notes.append(f"point {index}: the columns of {s.name} are declared one-hot but do "
                         "not all sum to 1; symprop's simplified gradient assumes they do")
    return notes


# ------------------------------------------------------------------ comparing
def _row(index, quantity, name, compiled, reference) -> MatrixCheckRow:
    compiled = np.asarray(compiled, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if compiled.shape != reference.shape:
        return MatrixCheckRow(index, quantity, name, reference.shape, (), math.nan, math.nan,
                              math.inf, math.inf)
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(compiled) & np.isfinite(reference)
        abs_error = np.where(finite, np.abs(compiled - reference), np.inf)
        rel_error = abs_error / np.maximum(np.abs(np.where(finite, reference, 0.0)), 1.0)
    worst = np.unravel_index(int(np.argmax(rel_error)), rel_error.shape) if rel_error.size \
        else ()
    pick = (lambda a: float(a[worst])) if rel_error.size else (lambda a: 0.0)
    return MatrixCheckRow(index, quantity, name, reference.shape,
                          tuple(int(i) for i in worst), pick(compiled), pick(reference),
                          float(abs_error.max(initial=0.0)), float(rel_error.max(initial=0.0)))


def check_matrix_graph(graph, values=None, points: int = 2, seed: int = 0,
                       rtol: float | None = None, batch: int = 3) -> MatrixCheckReport:
    """Compare ``graph.compile()``'s loss and gradients with PyTorch autograd, entry by entry.

    ``values``: every input and parameter by name, as 2-d arrays of their
    declared shapes (inputs ``rows x m``); default ``graph.values`` when set,
    else ``points`` random points of ``batch`` examples drawn with ``seed``.
    A gradient agrees when every entry satisfies
    ``|compiled - autograd| <= rtol * max(|autograd|, 1)`` (``rtol`` 1e-9).
    """
    graph.loss_symbol  # a clear error when the graph has no loss
    rtol = DEFAULT_RTOL[METHOD] if rtol is None else _checked_rtol(rtol)
    oracle = MatrixTorchOracle(graph)
    if values is None and getattr(graph, "values", None):
        values = graph.values
    notes = []
    if values is not None:
        chosen = [given_point(graph, values)]
        notes += _one_hot_notes(graph, 0, chosen[0])
    else:
        if isinstance(batch, bool) or not isinstance(batch, int) or batch < 1:
            raise SympropError(f"batch must be a positive integer, got {batch!r}")
        chosen = _random_points(graph, oracle, _checked_count(points), seed, batch)
    compiled = graph.compile()
    rows = []
    for index, point in enumerate(chosen):
        ref_loss, ref_grads = oracle(point)
        with np.errstate(all="ignore"):  # non-finite values are reported, not warned about
            comp_loss, comp_grads = compiled(**point)
        rows.append(_row(index, "loss", graph.loss_symbol.name, comp_loss, ref_loss))
        rows += [_row(index, "gradient", p.name, comp_grads.get(p.name, math.nan),
                      ref_grads[p.name]) for p in graph.param_symbols]
    if any(math.isinf(r.abs_error) for r in rows):
        notes.append("some values are not finite (or a gradient is missing); "
                     "a non-finite value never counts as agreement")
    shapes = [{name: tuple(a.shape) for name, a in p.items()} for p in chosen]
    batches = [_batch_of(graph, p) for p in chosen]
    return MatrixCheckReport(rtol, shapes, rows, notes, batches)


__all__ = ["check_matrix_graph", "MatrixCheckReport", "MatrixCheckRow", "MatrixTorchOracle",
           "given_point", "random_point"]
