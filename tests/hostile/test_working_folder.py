"""Nothing in the working folder is ever imported, by ``python -m symprop`` or the console script.

A spec file is data, and whoever wrote it may also have left a ``sympy.py``
beside it.  Each planted module below would create a file named ``pwned-<module>``
when imported; after every command, none may exist.  These run as fresh
interpreters (not through the fork server), since what is tested is start-up.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).parents[2]
PLANTED = ("sympy", "numpy", "mpmath", "tomllib", "json", "gen", "torch", "latex2sympy2",
           "antlr4", "graphviz", "argparse", "subprocess", "tempfile", "jax")
CONSOLE_SCRIPT = Path(sys.executable).with_name("symprop")
COMMANDS = {
    "verify": ("verify", "lr.toml", "--wrt", "w1", "--claim", r"x_1 (\hat{y} - y)"),
    "check": ("check", "lr.toml"),
    "notes": ("notes", "lr.toml", "-o", "notes.tex"),
}


@pytest.fixture
def planted(tmp_path):
    shutil.copy(REPO / "examples" / "logistic_regression.toml", tmp_path / "lr.toml")
    for module in PLANTED:
        (tmp_path / f"{module}.py").write_text(f"open('pwned-{module}', 'w').close()\n")
    return tmp_path


def _run(command, folder):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder)}
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120,
                          env=env, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_python_dash_m_imports_nothing_from_the_working_folder(planted, name):
    result = _run([sys.executable, "-m", "symprop", *COMMANDS[name]], planted)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(p.name for p in planted.glob("pwned-*")) == []


@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="symprop is not installed in this venv")
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_console_script_imports_nothing_from_the_working_folder(planted, name):
    result = _run([str(CONSOLE_SCRIPT), *COMMANDS[name]], planted)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(p.name for p in planted.glob("pwned-*")) == []


def test_python_dash_m_with_interpreter_options(planted):
    result = _run([sys.executable, "-X", "utf8", "-W", "error", "-m", "symprop",
                   *COMMANDS["verify"]], planted)
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(p.name for p in planted.glob("pwned-*")) == []
