"""The check's report, one type for both forms: a row per point and quantity, and the verdict.

A row compares the loss or one gradient at one point, entry by entry for a matrix.

>>> row = make_row(0, "gradient", "w", 1.0, 1.0 + 1e-12, 1.0, True)
>>> row.abs_error < 1e-11, row.shape
(True, None)
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

TOLERANCE_RULE = "|value - reference| <= rtol * max(|reference|, 1)"
EQUAL_INFINITIES = "equal infinities"


@dataclass(frozen=True)
class CheckRow:
    """One comparison: the loss or one parameter's gradient at one point.

    ``reference`` is the oracle's value (also ``autograd``), ``symprop`` the
    derivation's (None in matrix form, where the compiled function alone is
    compared), ``compiled`` None when none was.  ``rel_error`` is ``abs_error /
    max(|reference|, 1)``.  A matrix row has the ``shape`` (``()``: the loss) and
    the worst ``entry``, where its values are read; a scalar row's shape is None.
    """

    point: int
    quantity: str            # "loss" or "gradient"
    parameter: str           # the parameter's name, or the loss's name for the loss row
    symprop: float | None
    compiled: float | None
    reference: float
    abs_error: float
    rel_error: float
    note: str = ""           # "equal infinities" when both sides are the same infinity
    shape: tuple | None = None
    entry: tuple = ()

    @property
    def autograd(self) -> float:
        return self.reference

    def to_dict(self) -> dict:
        names = ("symprop", "compiled", "reference", "abs_error", "rel_error")
        row = {"point": self.point, "quantity": self.quantity, "parameter": self.parameter,
               **{name: _json_number(getattr(self, name)) for name in names}, "note": self.note}
        if self.shape is not None:
            row.update(shape=list(self.shape), entry=list(self.entry))
        return row


def make_row(index, quantity, name, ours, compiled, reference, expect_compiled,
             matrix=False) -> CheckRow:
    """The row of one quantity: values are numbers, or arrays compared entry by entry.

    An infinity agrees only with the same infinity; NaN, a missing compiled
    value or a shape unlike the reference's never agrees.
    """
    reference = np.asarray(reference, dtype=np.float64)
    candidates = ([] if ours is None else [ours]) + ([compiled] if expect_compiled else [])
    errors = [_abs_errors(value, reference) for value in candidates]
    abs_error = np.maximum.reduce(errors) if errors else np.zeros(reference.shape)
    finite = np.isfinite(reference)
    with np.errstate(invalid="ignore"):
        rel_error = np.where(finite, abs_error / np.maximum(np.abs(np.where(finite, reference,
                                                                            0.0)), 1.0),
                             np.where(abs_error == 0.0, 0.0, np.inf))
    worst = np.unravel_index(int(np.argmax(rel_error)), rel_error.shape) if rel_error.size \
        else ()

    def at(value):
        if value is None:
            return None
        value = np.asarray(value, dtype=np.float64)
        if value.shape != reference.shape:
            return math.nan
        return float(value[worst]) if value.size else 0.0

    worst_abs, worst_rel = float(abs_error.max(initial=0.0)), float(rel_error.max(initial=0.0))
    note = EQUAL_INFINITIES if np.isinf(reference).any() and worst_rel == 0.0 else ""
    return CheckRow(index, quantity, name, at(ours), at(compiled), at(reference), worst_abs,
                    worst_rel, note, reference.shape if matrix else None,
                    tuple(int(i) for i in worst))


def _abs_errors(value, reference):
    if value is None:
        return np.full(reference.shape, np.inf)  # the compiled function left this one out
    value = np.asarray(value, dtype=np.float64)
    if value.shape != reference.shape:
        return np.full(reference.shape, np.inf)
    with np.errstate(invalid="ignore", over="ignore"):
        same_infinity = np.isinf(reference) & (value == reference)
        finite = np.isfinite(value) & np.isfinite(reference)
        return np.where(same_infinity, 0.0,
                        np.where(finite, np.abs(np.where(finite, value - reference, 0.0)),
                                 np.inf))


@dataclass
class CheckReport:
    """The outcome of :func:`~symprop.check.graph_check.check_graph`; truthy when every row agrees.

    ``ok`` holds when, for every row, the derivation's and the compiled
    function's values (where compared) satisfy
    ``|value - reference| <= rtol * max(|reference|, 1)`` (every entry of a
    matrix): relative for large values, absolute for values below 1.  An
    infinity agrees only with the same infinity (the row says so); NaN never
    agrees.  ``batch`` is, for a matrix graph, the examples at each point
    (``points`` then holds each input's and parameter's shape); None otherwise.
    """

    method: str
    rtol: float
    points: list[dict]
    rows: list[CheckRow]
    compiled: bool
    notes: list[str] = field(default_factory=list)
    batch: list[int] | None = None

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

    @property
    def tolerance(self) -> str:
        return TOLERANCE_RULE if self.batch is None else f"{TOLERANCE_RULE}, entry by entry"

    def to_dict(self) -> dict:
        """A JSON-ready summary with stable keys; non-finite numbers become strings."""
        data = {"ok": self.ok, "method": self.method, "rtol": self.rtol,
                "tolerance": self.tolerance, "compiled": self.compiled,
                "max_abs_error": _json_number(self.max_abs_error),
                "max_rel_error": _json_number(self.max_rel_error), "notes": list(self.notes)}
        if self.batch is not None:
            data["batch"] = list(self.batch)
        data["points"] = [{k: list(v) if isinstance(v, tuple) else _json_number(v)
                           for k, v in p.items()} for p in self.points]
        data["rows"] = [r.to_dict() for r in self.rows]
        return data

    def __str__(self) -> str:
        verdict = "OK" if self.ok else f"DISAGREES ({len(self.failures)} row(s))"
        sizes = "" if self.batch is None else \
            f" of {', '.join(map(str, sorted(set(self.batch))))} example(s)"
        lines = [f"check against {self.method} (float64) at {len(self.points)} point(s)"
                 f"{sizes}: {verdict}", f"tolerance: {self.tolerance}, rtol = {self.rtol:g}",
                 f"max abs error {self.max_abs_error:.3g}, max rel error "
                 f"{self.max_rel_error:.3g}"] + [f"note: {n}" for n in self.notes]
        matrix, ours = self.batch is not None, any(r.symprop is not None for r in self.rows)
        reference = "autograd" if self.method == "torch autograd" else "finite diff"
        header = ("point", "of", *(("shape", "worst entry") if matrix else ()),
                  *(("symprop",) if ours else ()), "compiled", reference, "abs err", "rel err", "")
        table = [header] + [
            (str(r.point), ("loss " if r.quantity == "loss" else "d/d") + r.parameter,
             *(("x".join(map(str, r.shape)) or "scalar", str(r.entry) if r.entry else "-")
               if matrix else ()),
             *((_fmt(r.symprop),) if ours else ()), _fmt(r.compiled), _fmt(r.reference),
             f"{r.abs_error:.2e}", f"{r.rel_error:.2e}",
             (f"agrees: {r.note}" if r.note else "") if r.rel_error <= self.rtol
             else "<-- disagrees")
            for r in self.rows]
        return "\n".join(lines + text_table(table))

    def __repr__(self):
        return (f"CheckReport(ok={self.ok}, method={self.method!r}, points={len(self.points)}, "
                f"max_abs_error={self.max_abs_error:.3g})")

    def _repr_html_(self):
        """Jupyter's view: the check as an HTML table."""
        from ..latex.rich_display import report_html

        return report_html(self)


def text_table(rows) -> list[str]:
    """Rows of cells as left-aligned text columns (the first row is the header)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.10g}"


def _json_number(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return value if math.isfinite(value) else str(value)
