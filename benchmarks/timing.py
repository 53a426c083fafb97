"""Timing helpers: best of several rounds, rivals interleaved so load on a shared machine hits both."""
from __future__ import annotations

import time


def per_call(fn, seconds: float = 0.2, rounds: int = 5) -> float:
    """Seconds per call of ``fn``: the best round's mean, each round about ``seconds`` long.

    Each call's result is kept until the next call returns, as a training loop
    keeps its gradients. Dropping it at once lets glibc hand the freed memory back
    to the system after every call, and the next call page-faults it in again:
    a cost set by the allocator's history (up to 2x here), not by the code timed.
    """
    kept = fn()
    start, n = time.perf_counter(), 0
    while time.perf_counter() - start < seconds / rounds or n < 1:
        kept = fn()
        n += 1
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(n):
            kept = fn()
        best = min(best, (time.perf_counter() - start) / n)
    del kept
    return best


def side_by_side(fns: dict, seconds: float = 0.2, rounds: int = 5) -> dict:
    """``{name: seconds per call}``, rounds interleaved over the rivals, best round kept."""
    best = {name: float("inf") for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            best[name] = min(best[name], per_call(fn, seconds / rounds, rounds=1))
    return best


def once(fn):
    """``(result, seconds)`` of a single call."""
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def table(header: list[str], rows: list[list]) -> str:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
