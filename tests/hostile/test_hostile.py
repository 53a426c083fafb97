"""Hostile input: every case exits with status 2, one line on stderr, nothing executed or written.

Most cases run in-process through ``main()`` (a ``python -m symprop`` start costs
about a second); a handful run as real subprocesses under a generous timeout.
Every case runs in an empty temporary working directory, which must stay as it
was: an injected ``touch pwned`` or an output file written in spite of bad
input would show there.
"""
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from symprop.cli import main

REPO = Path(__file__).parents[2]
INJECTION = "__import__('os').system('touch pwned')"

BASE = """[graph]
inputs = ["x", "y"]
params = ["w"]
loss = "L"
[graph.nodes]
z = {z}
L = "(z - y)**2"
"""


@dataclass
class Case:
    id: str
    spec: str | bytes | None   # the spec file's content; None: no spec file is written
    argv: tuple = ("derive", "spec.toml", "--wrt", "w")


def node(expr: str) -> str:
    """A spec whose node z is ``expr`` (a TOML multi-line literal string: no escapes)."""
    return BASE.format(z=f"'''{expr}'''")


EXPRESSIONS = {
    "injection-import": INJECTION,
    "injection-os": "os.system('touch pwned')",
    "injection-open": "open('pwned', 'w')",
    "injection-eval": "eval(\"__import__('os').system('touch pwned')\")",
    "injection-exec": "exec('import os')",
    "injection-subclasses": "().__class__.__bases__[0].__subclasses__()",
    "injection-sympy": "sympy.sympify('x')",
    "attribute": "w.__class__",
    "subscript": "x[0]",
    "lambda": "(lambda: w)()",
    "list-comprehension": "[w for w in x]",
    "dict-comprehension": "{w: 1 for w in x}",
    "generator": "sum(w for w in x)",
    "keyword-argument": "sigmoid(x=w)",
    "starred": "sigmoid(*x)",
    "string": "w + 'touch pwned'",
    "bytes": "w + b'pwned'",
    "f-string": "f'{w}'",
    "boolean-op": "w and x",
    "comparison": "w < x",
    "walrus": "(w := 1)",
    "huge-exponent-tower": "9**9**9**9",
    "huge-exponent": "2**100000",
    "huge-power-of-symbol": "w**100000",
    "huge-integer": "9" * 400,
    "huge-float": "1e999 * w",
    "huge-folded": "(10**60)**60",
    "deep-calls": "sigmoid(" * 150 + "w" + ")" * 150,
    "deep-unary": "-" * 500 + "w",
    "deep-parentheses": "(" * 300 + "w" + ")" * 300,
    "too-long": "w+" * 4000 + "w",
    "undeclared-name": "w*q",
    "unknown-function": "gelu(w*x)",
    "modulo": "w % x",
    "division-by-zero": "w/0",
}

SPECS = {
    "null-byte": BASE.format(z='"w\\u0000x"'),
    "malformed-toml": "[graph\nparams = ['w'\n",
    "not-utf8": b"\xff\xfe[graph]\n",
    "cycle": BASE.format(z='"w*q"\nq = "z"'),
    "self-reference": BASE.format(z='"w*z"'),
    "duplicate-node": BASE.format(z='"w*x"\nz = "x"'),
    "node-shadows-input": BASE.format(z='"w*x"\nx = "w"'),
    "dunder-node-name": BASE.format(z='"w*x"\n__import__ = "w"'),
    "keyword-node-name": BASE.format(z='"w*x"\nlambda = "w"'),
    "loss-not-a-node": BASE.format(z='"w*x"').replace('loss = "L"', 'loss = "M"'),
    "non-finite-value": node("w*x") + "[values]\nx = inf\n",
    "nan-value": node("w*x") + "[values]\nw = nan\n",
    "unknown-value": node("w*x") + "[values]\n__builtins__ = 1\n",
    "unknown-table": node("w*x") + "[python]\ncode = \"import os\"\n",
    "too-many-nodes": "[graph]\nparams = ['w']\nloss = 'L'\n[graph.nodes]\n"
                      + "\n".join(f"n{i} = 'w'" for i in range(3000)) + "\nL = 'n0'\n",
    "huge-mlp": "[mlp]\nlayers = [100000, 100000, 100000]\n",
    "mlp-unknown-activation": "[mlp]\nlayers = [1, 1]\nactivation = \"os.system\"\n",
}

GOOD = node("w*x")

CASES = (
    [Case(f"expr-{k}", node(v)) for k, v in EXPRESSIONS.items()]
    + [Case(f"spec-{k}", v) for k, v in SPECS.items()]
    + [
        Case("wrt-injection", GOOD, ("derive", "spec.toml", "--wrt", INJECTION)),
        Case("wrt-not-a-parameter", GOOD, ("derive", "spec.toml", "--wrt", "x")),
        Case("wrt-latex-junk", GOOD, ("derive", "spec.toml", "--wrt", r"\input{/etc/passwd}")),
        Case("format-unknown", GOOD, ("derive", "spec.toml", "--wrt", "w", "--format", "py")),
        Case("missing-spec", None, ("derive", "absent.toml", "--wrt", "w")),
        Case("spec-is-directory", None, ("derive", ".", "--wrt", "w")),
        Case("compile-bad-spec-writes-nothing", node(INJECTION),
             ("compile", "spec.toml", "-o", "grads.py")),
        Case("compile-unknown-backend", GOOD, ("compile", "spec.toml", "--backend", "os")),
        Case("graph-wrt-injection-writes-nothing", GOOD,
             ("graph", "spec.toml", "--wrt", INJECTION, "-o", "graph.svg")),
        Case("notes-cycle-writes-nothing", SPECS["cycle"], ("notes", "spec.toml", "-o", "n.tex")),
        Case("check-non-finite", SPECS["non-finite-value"], ("check", "spec.toml")),
        Case("unknown-command", GOOD, ("exec", "spec.toml")),
        Case("unknown-option", GOOD, ("derive", "spec.toml", "--wrt", "w", "--eval", "1")),
        Case("claim-injection", GOOD, ("verify", "spec.toml", "--wrt", "w", "--claim", INJECTION)),
        Case("claim-injection-unquoted", GOOD,
             ("verify", "spec.toml", "--wrt", "w", "--claim", "__import__(os).system(x)")),
        Case("claim-tex-program", GOOD,
             ("verify", "spec.toml", "--wrt", "w", "--claim", r"\immediate\write18{touch pwned}")),
        Case("claim-unbalanced", GOOD, ("verify", "spec.toml", "--wrt", "w", "--claim", r"\frac{")),
        Case("claim-huge", GOOD, ("verify", "spec.toml", "--wrt", "w", "--claim", "x+" * 5000)),
        Case("claim-file-missing", GOOD,
             ("verify", "spec.toml", "--wrt", "w", "--claim-file", "absent.tex")),
        Case("claim-wrt-injection", GOOD, ("verify", "spec.toml", "--wrt", INJECTION, "--claim", "x")),
    ]
)


def _prepare(case, directory: Path) -> set:
    if case.spec is not None:
        spec = directory / "spec.toml"
        if isinstance(case.spec, bytes):
            spec.write_bytes(case.spec)
        else:
            spec.write_text(case.spec, encoding="utf-8")
    return set(directory.rglob("*"))


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_refused_with_status_2_and_one_line(case, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    before = _prepare(case, tmp_path)
    status = main(list(case.argv))
    out, err = capsys.readouterr()
    assert status == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symprop") and ": error: " in lines[0], err
    assert set(tmp_path.rglob("*")) == before  # nothing executed (no pwned), nothing written


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
