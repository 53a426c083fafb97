"""Every example runs, as a user would run it: as ``__main__``, in this process (a fresh
interpreter adds only its start-up; the command line's own start-up is tested in
tests/hostile/test_working_folder.py and tests/front/test_cli.py)."""
import runpy
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))


# What an example must print, from the lessons' own numbers (the demo's, `make demo`).
PRINTS = {"logistic_regression.py": ("L = 0.4741", "dL_dw1 = -0.5663", "dL_dw2 = -0.9439",
                                     "dL_db = -0.3775")}


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_example_runs(script, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(script), str(tmp_path)])
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as stop:
        assert stop.code in (0, None), capsys.readouterr().err[-3000:]
    out = capsys.readouterr().out
    assert out.strip(), "an example should show its user something"
    for line in PRINTS.get(script.name, ()):
        assert line in out


def test_the_demo_is_an_example_that_prints_the_lessons_numbers():
    assert "logistic_regression.py" in (s.name for s in SCRIPTS)
    assert "examples/logistic_regression.py" in (EXAMPLES.parent / "Makefile").read_text()
