"""The peer table: ms per gradient of every rival on every row, and symprop's ratio to the fastest peer.

Rivals of a row are timed in one process, interleaved round robin (each round
gives every rival the same slice of time, the best round kept), so that load
on a shared machine falls on all of them alike. A gradient is the loss and
every parameter's gradient, from arrays already in the rival's library.
"""
from __future__ import annotations

import peers
import peers_scalar
from timing import side_by_side, table


def measure(rivals: dict, seconds: float, rounds: int) -> dict:
    """``{name: seconds per gradient, or the reason it did not run}``."""
    runnable = {k: fn for k, fn in rivals.items() if callable(fn)}
    times = side_by_side(runnable, seconds, rounds)
    return {k: times.get(k, fn) for k, fn in rivals.items()}


def fastest(times: dict, names) -> tuple[str, float]:
    """The fastest of ``names`` that ran: ``(name, seconds)``."""
    ran = [(times[k], k) for k in names if isinstance(times.get(k), float)]
    seconds, name = min(ran)
    return name, seconds


def ratios(times: dict) -> dict:
    """Each symprop program's time over the fastest peer's (None where it did not run)."""
    _, best = fastest(times, peers.PEERS)
    return {k: times[k] / best if isinstance(times[k], float) else None for k in peers.PROGRAMS}


def run_rows(quick: bool, use_compile, seconds: float, rounds: int, report=None) -> list:
    """``[(label, times, largest relative difference)]`` for every row, the scalar row last."""
    rows = peers.QUICK_ROWS if quick else peers.ROWS
    results = []
    builders = [(r.label, lambda r=r: peers.rivals(r, use_compile)) for r in rows]
    builders.append((peers_scalar.LABEL, lambda: peers_scalar.rivals(use_compile)))
    for label, build in builders:
        rivals = build()
        difference = peers.largest_difference(rivals)
        results.append((label, measure(rivals, seconds, rounds), difference))
        if report is not None:
            report(label)
    return results


def _ms(value) -> str:
    if not isinstance(value, float):
        return f"n/a ({value})"
    return f"{value * 1e3:.3f}" if value >= 1e-3 else f"{value * 1e3:.4f}"


def _x(value) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def tables(results) -> list[str]:
    """The ms table and the ratio table, as printed lines."""
    names = peers.PEERS + peers.PROGRAMS
    ms = [[label] + [_ms(times[k]) for k in names] + [f"{difference:.0e}"]
          for label, times, difference in results]
    out = ["ms per gradient (loss and every parameter gradient); best round of interleaved rounds",
           table(["problem", *names, "max rel diff"], ms)]
    rows = []
    for label, times, _ in results:
        peer, best = fastest(times, peers.PEERS)
        r = ratios(times)
        ran = [v for v in r.values() if v is not None]
        rows.append([label, f"{peer} {_ms(best)}"] + [_x(r[k]) for k in peers.PROGRAMS]
                    + [_x(min(ran)) if ran else "n/a"])
    out += ["", "symprop's programs / the fastest peer on each row (below 1.00x: symprop faster)",
            table(["problem", "fastest peer (ms)", *peers.PROGRAMS, "symprop's best"], rows)]
    return out


def best_ratio(times: dict) -> float:
    """symprop's fastest program over the fastest peer."""
    return min(v for v in ratios(times).values() if v is not None)
