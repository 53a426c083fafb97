"""The symprop command on the example specs: in this process (``main(argv)``, as the
console script calls it), and through real subprocesses where the new interpreter is
what is tested (hash seeds; start-up is tests/hostile/test_working_folder.py's).

Expected values come from the lessons (by hand) or from sympy.diff of the
composed loss, never from the command's own output.
"""
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

from command import in_process
from symprop.front import progress as progress_module
from symprop.front.cli import main
from symprop.front.progress import Progress

REPO = Path(__file__).parents[2]
EXAMPLES = REPO / "examples"


def symprop(*args, cwd, seed="0", timeout=120):
    """Run ``python -m symprop ARGS`` in ``cwd``; stdout and stderr as bytes."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO),
           "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-m", "symprop", *map(str, args)], cwd=cwd,
                          capture_output=True, timeout=timeout, env=env)


def test_derive_text_gives_the_seeds_result(tmp_path):
    result = in_process("derive", EXAMPLES / "logistic_regression.toml", "--wrt", "w1",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""  # piped: no progress line
    x1, y, yhat = sympy.symbols("x1 y yhat")
    lines = result.stdout.decode().splitlines()
    assert lines[0] == "dL/dw1: 1 path(s)"
    assert "result:      x1*(yhat - y)" in lines  # positive terms first, as written by hand
    assert any(line.strip().startswith("w1 -> z -> yhat -> L") for line in lines)


def test_derive_json_writes_expressions_as_the_text_format_does(tmp_path):
    result = in_process("derive", EXAMPLES / "logistic_regression.toml", "--wrt", "w1",
                     "--format", "json", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert data["result"] == "x1*(yhat - y)"  # positive terms first, not sympy's x1*(-y + yhat)
    x1, y, yhat = sympy.symbols("x1 y yhat")
    assert sympy.sympify(data["result"]) == x1 * (yhat - y)  # and sympy reads it back


def test_derive_json_chain_rule_case2(tmp_path):
    result = in_process("derive", EXAMPLES / "chain_rule_case2.toml", "--wrt", "x",
                     "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["wrt", "loss", "path_count", "paths", "result", "closed_form",
                          "latex"]
    assert (data["wrt"], data["loss"], data["path_count"]) == ("x", "f", 2)
    # Seed 000, case 2: paths x -> g -> f (3, h) and x -> h -> f (2x, g - cos h).
    x, g, h = sympy.symbols("x g h")
    assert [p["nodes"] for p in data["paths"]] == [["x", "g", "f"], ["x", "h", "f"]]
    assert [p["factors"] for p in data["paths"]] == [[str(sympy.Integer(3)), str(h)],
                                                     [str(2 * x), str(g - sympy.cos(h))]]
    assert data["result"] == str(3 * h + 2 * x * (g - sympy.cos(h)))
    closed = sympy.sympify(data["closed_form"], locals={"x": x})  # our own output, in a test
    expected = sympy.diff(x ** 2 * (3 * x + 1) - sympy.sin(x ** 2), x)
    assert sympy.expand(closed - expected) == 0
    assert r"\frac{\mathrm{d} f}{\mathrm{d} x}" in data["latex"]   # f is a function of x alone


def test_derive_latex_in_the_seeds_notation(tmp_path):
    result = in_process("derive", EXAMPLES / "seed_network.toml", "--wrt", "w1_1_1",
                     "--format", "latex", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode()
    assert r"\partial \mathcal{L}" in text
    assert "w_{1}^{[1]}" in text  # the seed's short form of w1_1_1


def test_compile_prints_and_writes_a_module_with_the_seeds_numbers(tmp_path):
    spec = EXAMPLES / "logistic_regression.toml"
    printed = in_process("compile", spec, cwd=tmp_path)
    written = in_process("compile", spec, "-o", "grads.py", cwd=tmp_path)
    assert printed.returncode == written.returncode == 0, printed.stderr + written.stderr
    assert written.stdout == b""
    assert (tmp_path / "grads.py").read_bytes() == printed.stdout
    namespace = {}
    exec(compile(printed.stdout, "grads.py", "exec"), namespace)  # generated code, in a test
    loss, grads = namespace["gradients"](x1=1.5, x2=2.5, y=1, w1=-4, w2=3, b=-1)
    # Seed 000: L = 0.4741, dL/dw1 = -0.5663, dL/dw2 = -0.9439, dL/db = -0.3775.
    assert round(float(loss), 4) == 0.4741
    assert {k: round(float(v), 4) for k, v in grads.items()} == \
        {"w1": -0.5663, "w2": -0.9439, "b": -0.3775}


def test_check_agrees_with_autograd(tmp_path):
    result = in_process("check", EXAMPLES / "softmax_ce_onehot.toml", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["ok"] is True


def test_graph_draws_an_svg(tmp_path):
    result = in_process("graph", EXAMPLES / "seed_network.toml", "--wrt", "w1_1_1", "-o",
                     "graph.svg", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert b"<svg" in (tmp_path / "graph.svg").read_bytes()


def test_notes_writes_a_latex_document(tmp_path):
    result = in_process("notes", EXAMPLES / "logistic_regression.toml", "-o", "notes.tex",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tex = (tmp_path / "notes.tex").read_text()
    assert tex.startswith(r"\documentclass") and r"\end{document}" in tex
    assert "0.4741" in tex  # the seed's loss at its point


def test_verify_says_equivalent_or_not(tmp_path):
    spec = EXAMPLES / "logistic_regression.toml"
    # Seed 000: dL/dw1 = x1 (yhat - y); x2 (yhat - y) is dL/dw2, so wrong for w1.
    right = in_process("verify", spec, "--wrt", "w1", "--claim", r"x_1 (\hat{y} - y)",
                    cwd=tmp_path)
    assert right.returncode == 0, right.stdout + right.stderr
    (tmp_path / "claim.tex").write_text(r"x_2 \left(\hat{y} - y\right)")
    wrong = in_process("verify", spec, "--wrt", "w1", "--claim-file", "claim.tex", "--json",
                    cwd=tmp_path)
    assert wrong.returncode == 1, wrong.stdout + wrong.stderr
    assert json.loads(wrong.stdout)["equivalent"] is False


# ----------------------------------------------------------------- determinism
DRIVER = """
import contextlib, io, sys
from symprop.front.cli import main
from symprop.front.spec import load_spec
for spec in sys.argv[1:]:
    params = [str(p) for p in load_spec(spec).graph.param_symbols]
    # Each parameter in one format, the formats in turn: every format is printed from
    # several derivations, and the derivations' order is what a hash seed could change.
    formats = ("text", "json", "latex")
    runs = [["compile", spec]] + [["derive", spec, "--wrt", p, "--format", formats[i % 3]]
                                  for i, p in enumerate(params)]
    for argv in runs:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(argv) == 0, argv
        sys.stdout.write(f"== {' '.join(argv)}\\n{out.getvalue()}")
"""


def test_output_is_byte_identical_across_hash_seeds(tmp_path):
    specs = [EXAMPLES / f"{n}.toml" for n in ("seed_network", "softmax_ce_onehot",
                                              "chain_rule_case2", "logistic_regression")]
    # Both hash seeds run at once: the machine has cores to spare for a second process.
    processes = [subprocess.Popen([sys.executable, "-c", DRIVER, *map(str, specs)],
                                  cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
                                       "PYTHONHASHSEED": seed})
                 for seed in ("1", "2")]
    runs = [p.communicate(timeout=300) + (p.returncode,) for p in processes]
    assert runs[0][2] == runs[1][2] == 0, runs[0][1] + runs[1][1]
    assert runs[0][0].count(b"\n== ") > 20
    assert runs[0][0] == runs[1][0]


def test_the_real_command_is_deterministic_too(tmp_path):
    outputs = [symprop("derive", EXAMPLES / "softmax_ce_onehot.toml", "--wrt", "w1_2_3",
                       "--format", "json", cwd=tmp_path, seed=seed).stdout
               for seed in ("1", "2")]
    assert outputs[0] == outputs[1] and json.loads(outputs[0])["path_count"] == 9


# ----------------------------------------------------------------- in-process details
@pytest.mark.parametrize("command", ["derive", "compile", "check", "verify", "graph", "notes"])
def test_every_command_has_help_with_examples(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"symprop {command} examples/" in out


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_missing_module_is_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "symprop.latex.picture", None)  # as if it were not installed
    assert main(["graph", str(EXAMPLES / "chain_rule_case1.toml"), "-o", "g.svg"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "symprop.latex.picture" in err


def test_progress_draws_on_a_terminal_and_clears_its_line(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(progress_module, "DELAY_S", 0.0)
    stream = Terminal()
    with Progress(total=2, stream=stream) as progress:
        progress.step("first")
        progress.step("second")
        for _ in range(100):  # until the drawing thread has drawn once
            if "second" in stream.getvalue():
                break
            progress._stop.wait(0.02)
    text = stream.getvalue()
    assert "symprop: [2/2] second" in text
    assert text.endswith("\r\x1b[K")


def test_progress_is_silent_when_piped():
    stream = io.StringIO()
    with Progress(total=1, stream=stream) as progress:
        progress.step("work")
    assert stream.getvalue() == "" and not progress.enabled


def test_check_disagreement_exits_1(monkeypatch, capsys):
    class Disagreement:
        ok = False

        def __str__(self):
            return "check: DISAGREES"

        def to_dict(self):
            return {"ok": False}

    monkeypatch.setattr("symprop.ir.graph.Graph.check", lambda self, values=None: Disagreement())
    assert main(["check", str(EXAMPLES / "chain_rule_case1.toml")]) == 1
    assert capsys.readouterr().out == "check: DISAGREES\n"
    assert main(["check", str(EXAMPLES / "chain_rule_case1.toml"), "--json"]) == 1
    assert json.loads(capsys.readouterr().out) == {"ok": False}


def test_a_crash_is_not_a_negative_verdict(monkeypatch, capsys):
    def crash(self, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("symprop.ir.graph.Graph.verify", crash)
    status = main(["verify", str(EXAMPLES / "chain_rule_case1.toml"), "--wrt", "x",
                   "--claim", "1"])
    assert status == 3
    err = capsys.readouterr().err
    assert "RuntimeError: boom" in err and "symprop: error: internal error" in err
