"""Every example runs, as a user would run it."""
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))


# What an example must print, from the lessons' own numbers (the demo's, `make demo`).
PRINTS = {"logistic_regression.py": ("L = 0.4741", "dL_dw1 = -0.5663", "dL_dw2 = -0.9439",
                                     "dL_db = -0.3775")}


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_example_runs(script, tmp_path):
    result = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                            text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip(), "an example should show its user something"
    for line in PRINTS.get(script.name, ()):
        assert line in result.stdout


def test_the_demo_is_an_example_that_prints_the_lessons_numbers():
    assert "logistic_regression.py" in (s.name for s in SCRIPTS)
    assert "examples/logistic_regression.py" in (EXAMPLES.parent / "Makefile").read_text()
