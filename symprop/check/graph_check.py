"""`check_graph`: symprop's gradients against an independent oracle, point by point.

At every point, for the loss and for every parameter, three numbers are
compared: symprop's derivation (``graph.gradients()[p].evaluate``), symprop's
compiled NumPy function (``graph.compile()``, when :mod:`symprop.codegen` is
available) and the reference: PyTorch autograd over the graph rebuilt from its
original node expressions (:class:`~symprop.check.oracle.TorchOracle`), or, without
PyTorch, central finite differences (:class:`~symprop.check.oracle.FiniteDifferenceOracle`).
Each of the three runs once over all the points (vectorised); a batch of more
than ``MAX_CHECKED_POINTS`` examples is checked at an even sample of them, and
the report's notes say so.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph(); x, y = g.inputs("x y"); w, b = g.params("w b")
>>> z = g.node("z", w*x + b); a = g.node("a", sigmoid(z))
>>> L = g.loss("L", -y*sympy.log(a) - (1 - y)*sympy.log(1 - a))
>>> report = check_graph(g, points=2)
>>> report.ok, report.method
(True, 'torch autograd')
>>> bool(check_graph(g, {"x": 1.0, "y": 0.0, "w": 0.5, "b": -1.0}, method="fd"))
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..ir import numeric
from ..derive.derivation import gradient_values
from ..errors import SympropError
from .oracle import FiniteDifferenceOracle, TorchOracle

AUTOGRAD, FINITE_DIFFERENCES = TorchOracle.name, FiniteDifferenceOracle.name
DEFAULT_RTOL = {AUTOGRAD: 1e-9, FINITE_DIFFERENCES: 1e-6}
TOLERANCE_RULE = "|value - reference| <= rtol * max(|reference|, 1)"
MAX_DRAWS = 25           # random draws per point before giving up on finite values
MAX_CHECKED_POINTS = 1000  # examples of a given batch compared; beyond, an even sample
MAX_CHECKED_ROWS = 20_000  # ... and fewer for many parameters: one row per parameter and point
EQUAL_INFINITIES = "equal infinities"
PARAM_RANGE = (-1.5, 1.5)
INPUT_RANGE = (0.05, 0.95)


class RowFields:
    """What every check row has: where it was compared, and its numbers for JSON."""

    @property
    def autograd(self) -> float:
        return self.reference

    def _where(self) -> dict:
        return {"point": self.point, "quantity": self.quantity, "parameter": self.parameter}

    def _numbers(self, *first) -> dict:
        names = (*first, "compiled", "reference", "abs_error", "rel_error")
        return {name: _json_number(getattr(self, name)) for name in names}


@dataclass(frozen=True)
class CheckRow(RowFields):
    """One comparison: the loss or one parameter's gradient at one point.

    ``reference`` is the oracle's value (autograd or finite differences; also
    readable as ``autograd``); ``compiled`` is None when no compiled function
    was compared.  ``rel_error`` is ``abs_error / max(|reference|, 1)``.
    """

    point: int
    quantity: str            # "loss" or "gradient"
    parameter: str           # the parameter's name, or the loss's name for the loss row
    symprop: float
    compiled: float | None
    reference: float
    abs_error: float
    rel_error: float
    note: str = ""           # "equal infinities" when both sides are the same infinity

    def to_dict(self) -> dict:
        return {**self._where(), **self._numbers("symprop"), "note": self.note}


@dataclass
class CheckReport:
    """The outcome of :func:`check_graph`; truthy when every comparison agrees.

    ``ok`` holds when, for every row, the derivation's and the compiled
    function's values (where compared) satisfy
    ``|value - reference| <= rtol * max(|reference|, 1)``: relative for large
    values, absolute for values below 1.  An infinity agrees only with the same
    infinity (the row says so); NaN never agrees.
    """

    method: str
    rtol: float
    points: list[dict[str, float]]
    rows: list[CheckRow]
    compiled: bool
    notes: list[str] = field(default_factory=list)

    @property
    def max_abs_error(self) -> float:
        return max((r.abs_error for r in self.rows), default=0.0)

    @property
    def max_rel_error(self) -> float:
        return max((r.rel_error for r in self.rows), default=0.0)

    @property
    def ok(self) -> bool:
        return all(r.rel_error <= self.rtol for r in self.rows)

    def __bool__(self) -> bool:
        return self.ok

    @property
    def failures(self) -> list[CheckRow]:
        """The rows that disagree."""
        return [r for r in self.rows if not r.rel_error <= self.rtol]

    def _summary(self, tolerance: str = TOLERANCE_RULE) -> dict:
        """The keys every report's JSON starts with."""
        return {"ok": self.ok, "method": self.method, "rtol": self.rtol,
                "tolerance": tolerance, "compiled": self.compiled,
                "max_abs_error": _json_number(self.max_abs_error),
                "max_rel_error": _json_number(self.max_rel_error),
                "notes": list(self.notes)}

    def _heading(self, title: str, tolerance: str = TOLERANCE_RULE) -> list[str]:
        """The lines above every report's table: verdict, tolerance, worst errors, notes."""
        verdict = "OK" if self.ok else f"DISAGREES ({len(self.failures)} row(s))"
        return [f"{title}: {verdict}", f"tolerance: {tolerance}, rtol = {self.rtol:g}",
                f"max abs error {self.max_abs_error:.3g}, max rel error "
                f"{self.max_rel_error:.3g}"] + [f"note: {n}" for n in self.notes]

    def to_dict(self) -> dict:
        """A JSON-ready summary with stable keys; non-finite numbers become strings."""
        return {**self._summary(),
                "points": [{k: _json_number(v) for k, v in p.items()} for p in self.points],
                "rows": [r.to_dict() for r in self.rows]}

    def __str__(self) -> str:
        lines = self._heading(f"check against {self.method} (float64) at "
                              f"{len(self.points)} point(s)")
        reference = "autograd" if self.method == AUTOGRAD else "finite diff"
        header = ("point", "of", "symprop", "compiled", reference, "abs err", "rel err", "")
        table = [header] + [
            (str(r.point), ("loss " if r.quantity == "loss" else "d/d") + r.parameter,
             _fmt(r.symprop), "-" if r.compiled is None else _fmt(r.compiled),
             _fmt(r.reference), f"{r.abs_error:.2e}", f"{r.rel_error:.2e}",
             (f"agrees: {r.note}" if r.note else "") if r.rel_error <= self.rtol
             else "<-- disagrees")
            for r in self.rows]
        return "\n".join(lines + text_table(table))

    def __repr__(self):
        return (f"CheckReport(ok={self.ok}, method={self.method!r}, points={len(self.points)}, "
                f"max_abs_error={self.max_abs_error:.3g})")


def check_graph(graph, values=None, points: int = 3, seed: int = 0, rtol: float | None = None,
                method: str = "auto") -> CheckReport:
    """Compare symprop's loss and gradients with an independent oracle.

    ``values``: every input and parameter by name (arrays with a batch axis are
    checked example by example).  Default: ``graph.values`` when set, else
    ``points`` random points drawn with ``seed`` (parameters uniform on
    (-1.5, 1.5), inputs on (0.05, 0.95), one-hot target groups one-hot), a point
    being redrawn while its reference loss or gradients are not finite.
    ``method``: ``"torch"`` (autograd), ``"fd"`` (central finite differences)
    or ``"auto"`` (autograd, or finite differences when PyTorch is missing).
    ``rtol`` defaults to 1e-9 for autograd and 1e-6 for finite differences; a
    value agrees when ``|value - reference| <= rtol * max(|reference|, 1)``.

    >>> from symprop import mlp
    >>> check_graph(mlp([1, 2, 1]), points=1).max_rel_error < 1e-12
    True
    """
    graph.loss_symbol  # a clear error when the graph has no loss
    oracle, notes = _oracle(graph, method)
    rtol = DEFAULT_RTOL[oracle.name] if rtol is None else _checked_rtol(rtol)
    if values is None and graph.values:
        values = graph.values
    if values is None:
        chosen = _random_points(graph, oracle, _checked_count(points), seed)
    else:
        chosen = _given_points(graph, values, notes)
        _note_one_hot(graph, chosen, notes)
    compiled = _compiled(graph)
    if compiled is None:
        notes.append("symprop.codegen is not available: the compiled function was not compared")
    rows = _compare(graph, chosen, oracle, compiled)
    report = CheckReport(oracle.name, rtol, chosen, rows, compiled is not None, notes)
    if any(not math.isfinite(v) for r in rows for v in (r.symprop, r.reference)
           if v is not None):
        report.notes.append("some values are not finite at the point(s) given; an infinity "
                            "agrees only with the same infinity, and NaN never agrees")
    return report


# ----------------------------------------------------------------- choosing the oracle
def _oracle(graph, method):
    if method in ("torch", "autograd"):
        return TorchOracle(graph), []
    if method == "fd":
        return FiniteDifferenceOracle(graph), [
            f"compared with central finite differences (rtol default "
            f"{DEFAULT_RTOL[FINITE_DIFFERENCES]:g}), as asked"]
    if method == "auto":
        try:
            import torch  # noqa: F401  (only whether it imports)
        except ImportError:
            return FiniteDifferenceOracle(graph), [
                "PyTorch is not installed: compared with central finite differences "
                f"instead of autograd (rtol default {DEFAULT_RTOL[FINITE_DIFFERENCES]:g})"]
        return TorchOracle(graph), []
    raise SympropError(f"unknown check method {method!r}; choose 'auto', 'torch' or 'fd'")


def _checked_rtol(rtol):
    if isinstance(rtol, bool) or not isinstance(rtol, (int, float)) or not rtol > 0 \
            or not math.isfinite(rtol):
        raise SympropError(f"rtol must be a positive finite number, got {rtol!r}")
    return float(rtol)


def _checked_count(points):
    if isinstance(points, bool) or not isinstance(points, int) or points < 1:
        raise SympropError(f"points must be a positive integer, got {points!r}")
    return points


def _compiled(graph):
    """The compiled gradient function."""
    return graph.compile()


# ----------------------------------------------------------------- points
def _given_points(graph, values, notes) -> list[dict[str, float]]:
    """``values`` checked (finite, complete), one point per example of a batch.

    A batch of more than MAX_CHECKED_POINTS examples is checked at that many of
    them, evenly spaced, and a note says so: the check then stays bounded
    whatever the batch size the spec allows.
    """
    if not isinstance(values, dict):
        raise SympropError(f"values must be a dict of names to numbers, got "
                           f"{type(values).__name__}")
    checked = numeric.check_values(graph, values)
    try:
        arrays = dict(zip(checked, np.broadcast_arrays(*checked.values())))
    except ValueError:
        shapes = ", ".join(f"{k} {v.shape}" for k, v in checked.items())
        raise SympropError(f"values have shapes that do not broadcast together: {shapes}") \
            from None
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
    return [{name: float(a[i]) for name, a in flat.items()} for i in taken]


def _note_one_hot(graph, chosen, notes):
    for group in graph.one_hot_groups:
        for index, point in enumerate(chosen):
            total = sum(point[s.name] for s in group)
            if abs(total - 1) > 1e-12:
                names = ", ".join(s.name for s in group)
                notes.append(f"point {index}: targets {names} are declared one-hot but sum to "
                             f"{total:g}; symprop's simplified gradient assumes they sum to 1")


def _random_points(graph, oracle, count, seed) -> list[dict[str, float]]:
    rng = np.random.default_rng(seed)
    chosen = []
    for index in range(count):
        for _ in range(MAX_DRAWS):
            point = _draw(graph, rng)
            loss, grads = oracle(point)
            if all(math.isfinite(v) for v in (loss, *grads.values())):
                chosen.append(point)
                break
        else:
            raise SympropError(
                f"could not draw random point {index}: in {MAX_DRAWS} draws the loss or a "
                "gradient was never finite; pass values= with a point where it is")
    return chosen


def _draw(graph, rng) -> dict[str, float]:
    point = {s.name: float(rng.uniform(*INPUT_RANGE)) for s in graph.input_symbols}
    point.update({s.name: float(rng.uniform(*PARAM_RANGE)) for s in graph.param_symbols})
    for group in graph.one_hot_groups:
        hot = int(rng.integers(len(group)))
        point.update({s.name: float(i == hot) for i, s in enumerate(group)})
    return point


# ----------------------------------------------------------------- comparing
def _compare(graph, chosen, oracle, compiled) -> list[CheckRow]:
    """Every point's rows, each of the three computed once for all points (vectorised)."""
    count = len(chosen)
    names = [s.name for s in graph.input_symbols + graph.param_symbols]
    arrays = {name: np.array([p[name] for p in chosen], dtype=np.float64) for name in names}

    def batch(value):
        return np.broadcast_to(np.asarray(value, dtype=np.float64), (count,))

    ref_loss, ref_grads = oracle.batch(arrays)
    # The derivation's adjoints, each evaluated once and shared by every parameter.
    ours_loss, ours = gradient_values(graph, arrays)
    comp_loss, comp_grads = None, {}
    if compiled is not None:
        with np.errstate(all="ignore"):  # non-finite values are reported, not warned about
            comp_loss, comp_grads = compiled(**arrays)
        comp_loss = batch(comp_loss)
        comp_grads = {name: batch(g) for name, g in comp_grads.items()}
    quantities = [("loss", graph.loss_symbol.name, batch(ours_loss), comp_loss,
                   batch(ref_loss))]
    quantities += [("gradient", p.name, batch(ours[p.name]), comp_grads.get(p.name),
                    batch(ref_grads[p.name])) for p in graph.param_symbols]
    rows = []
    for index in range(count):
        for quantity, name, mine, theirs, reference in quantities:
            rows.append(_row(index, quantity, name, mine[index],
                             None if theirs is None else theirs[index], reference[index],
                             compiled is not None))
    return rows


def _row(index, quantity, name, ours, compiled, reference, expect_compiled) -> CheckRow:
    ours = float(ours)
    compiled = None if compiled is None else float(np.asarray(compiled, dtype=np.float64))
    reference = float(reference)
    candidates = [ours] + ([compiled] if expect_compiled else [])
    if expect_compiled and compiled is None:
        candidates[-1] = math.nan  # the compiled function left this parameter out
    abs_error = max(_abs_error(v, reference) for v in candidates)
    if math.isfinite(reference):
        rel_error = abs_error / max(abs(reference), 1.0)
    else:  # an infinity agrees only with the same infinity, exactly
        rel_error = 0.0 if abs_error == 0.0 else math.inf
    note = EQUAL_INFINITIES if math.isinf(reference) and rel_error == 0.0 else ""
    return CheckRow(index, quantity, name, ours, compiled, reference, abs_error, rel_error,
                    note)


def _abs_error(value, reference) -> float:
    if math.isinf(reference) and value == reference:
        return 0.0  # the same infinity on both sides: they agree
    if not (math.isfinite(value) and math.isfinite(reference)):
        return math.inf
    return abs(value - reference)


def text_table(rows) -> list[str]:
    """Rows of cells as left-aligned text columns (the first row is the header)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]


def _fmt(value) -> str:
    return f"{value:.10g}"


def _json_number(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return value if math.isfinite(value) else str(value)
