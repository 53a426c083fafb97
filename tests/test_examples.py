"""Every example runs, as a user would run it."""
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_example_runs(script, tmp_path):
    result = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                            text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip(), "an example should show its user something"


def test_demo_prints_the_seeds_numbers(tmp_path):
    result = subprocess.run([sys.executable, str(EXAMPLES / "logistic_regression.py")],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    for seed_line in ("L = 0.4741", "dL_dw1 = -0.5663", "dL_dw2 = -0.9439", "dL_db = -0.3775"):
        assert seed_line in result.stdout
