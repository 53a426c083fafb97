"""Hostile input through fresh ``python -m symprop`` interpreters.

The corpus itself (``cases/``) runs through the fork server of ``harness.py``;
these few cases start a real interpreter each, as a user's shell would.
"""
import subprocess
import sys
from pathlib import Path

import pytest

from hostile.cases.expressions import CASES, node

REPO = Path(__file__).parents[2]


def _prepare(case, directory: Path) -> set:
    for name, content in case.files.items():
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return set(directory.rglob("*"))


SUBPROCESS_CASES = ["expr-injection-import", "wrt-injection", "expr-huge-exponent-tower",
                    "spec-cycle"]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_refused_by_the_real_command(name, tmp_path):
    case = next(c for c in CASES if c.id == name)
    before = _prepare(case, tmp_path)
    # Generous timeout: interpreter start and the sympy import take about a second;
    # the refusal itself is immediate.
    result = subprocess.run([sys.executable, "-m", "symprop", *case.argv], cwd=tmp_path,
                            capture_output=True, text=True, timeout=30,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert set(tmp_path.rglob("*")) == before


def test_a_gen_module_in_the_working_directory_is_not_imported(tmp_path):
    """latex2sympy2 imports a top-level ``gen``; ``python -m symprop`` must not take ours."""
    (tmp_path / "gen.py").write_text("open('pwned', 'w').close()\n")
    (tmp_path / "spec.toml").write_text(node("w*x"))
    result = subprocess.run([sys.executable, "-m", "symprop", "verify", "spec.toml", "--wrt", "w",
                             "--claim", "2 (w x - y) x"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / "pwned").exists()
