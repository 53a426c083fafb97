"""`benchmarks/run.py --quick` runs in-process and prints every table (no timing assertions)."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_prints_all_tables():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import run
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    lines = []
    assert run.main(["--quick"], out=lines.append) == 0
    text = "\n".join(lines)
    for heading in ("CPU:", "BLAS:", "Derivation of every gradient", "fitted exponent",
                    "Gradients against every peer", "symprop's programs / the fastest peer",
                    "[1,2,1] scalar", "derived and compiled in",
                    "Where the small rows' time goes", "What bounds gradient / forward", "hand-tuned NumPy", "Hostile inputs",
                    "Verifying one claim",
                    "Targets"):
        assert heading in text, heading
    verdicts = [line for line in lines[-1].splitlines()] + lines
    assert any("PASS" in v or "FAIL" in v for v in verdicts)
    # The numbers compared are right, whatever the timings: errors are tiny.
    assert "784-256-256-10" in text


def test_every_rival_timed_computes_the_same_gradient():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_compiled
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    result = bench_compiled.matrix_784(0.01, batch=3)
    assert result["max_abs_error"] < 1e-12   # symprop against torch autograd
    assert result["hand_error"] < 1e-12      # the hand-tuned yardstick against symprop
    assert result["loss_error"] < 1e-12


def test_the_ways_taken_apart_compute_the_same_gradient():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench_limits
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    import numpy as np

    for ways in (bench_limits._matrix(bench_limits.QUICK_ROW), bench_limits._scalar()):
        results = [fn() for fn in ways.values()]
        loss0, grads0 = results[0]
        for loss, grads in results[1:]:
            assert abs(float(loss) - float(loss0)) < 1e-12
            assert grads.keys() == grads0.keys()
            for k in grads0:
                assert np.allclose(grads[k], grads0[k], rtol=1e-12, atol=1e-14), k
