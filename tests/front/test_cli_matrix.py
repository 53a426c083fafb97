"""The symprop command on a spec in matrix form ([mlp] form = "matrix").

Expected results come from seed 001 by hand (dL/dW2 = (1/m)(P - Y) A1^T for
softmax with cross-entropy on one-hot targets), built here with sympy.
"""
import json
import os
from pathlib import Path

import pytest
import sympy
from sympy import MatrixSymbol
from sympy.parsing.sympy_parser import parse_expr

from command import in_process
from symprop.front.cli import main
from symprop.front.spec import load_spec
from symprop.registry.fused import FUSED, Fused

REPO = Path(__file__).parents[2]
MATRIX_SPEC = """[mlp]
layers = [4, 5, 3]
activation = "relu"
output = "softmax"
loss = "ce"
one_hot = true
form = "matrix"
"""
m = sympy.Symbol("m", integer=True, positive=True)


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text(MATRIX_SPEC)
    return path


def run(capsys, *args):
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symprop: error: "), err
    assert "Traceback" not in err
    return lines[0]


def matrices():
    """The seed network's matrices, [4, 5, 3], m examples as columns."""
    return {"X": MatrixSymbol("X", 4, m), "Y": MatrixSymbol("Y", 3, m),
            "W1": MatrixSymbol("W1", 5, 4), "W2": MatrixSymbol("W2", 3, 5),
            "A1": MatrixSymbol("A1", 5, m), "A2": MatrixSymbol("A2", 3, m),
            "dL_dZ1": MatrixSymbol("dL_dZ1", 5, m), "dL_dZ2": MatrixSymbol("dL_dZ2", 3, m),
            "m": m}


def same(a, b, batch=2):
    """Equal as matrices, written out entry by entry for a batch of ``batch``."""
    a, b = a.subs(m, batch).as_explicit(), b.subs(m, batch).as_explicit()
    return (a - b).applyfunc(sympy.expand) == sympy.zeros(*a.shape)


# ----------------------------------------------------------------- the command's output
def test_derive_text_through_the_command(spec, tmp_path):
    result = in_process("derive", spec, "--wrt", "W1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    lines = result.stdout.decode().splitlines()
    assert lines[0].startswith("dL/dW1: 1 layer-level path(s)")
    assert "  W1 -> Z1 -> A1 -> Z2 -> A2 -> L" in lines
    steps = [line.split(":", 1)[1].strip() for line in lines if "<-" in line]
    # Seed 001's backward pass: dA1 = W2^T dZ2, dZ1 = dA1 o relu'(Z1), dW1 = dZ1 X^T.
    assert steps[:3] == ["dL_dZ1*X.T", "dL_dA1.*step(Z1)", "W2.T*dL_dZ2"]
    assert "  [softmax with cross-entropy] dL/dZ2 = 1/m*(A2 - Y)" in lines
    assert "local form:  dL_dW1 = dL_dZ1*X.T" in lines
    assert any(line.startswith("result:") for line in lines)


def test_check_through_the_command(spec, tmp_path):
    result = in_process("check", spec, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.decode().splitlines()[0].endswith(": OK")


def test_verify_through_the_command(spec, tmp_path):
    right = in_process("verify", spec, "--wrt", "W2", "--claim", r"\frac{1}{m} (A_2 - Y) A_1^T",
                    cwd=tmp_path)
    assert right.returncode == 0, right.stderr
    assert right.stdout.decode().startswith("equivalent")
    wrong = in_process("verify", spec, "--wrt", "W2", "--claim", r"(A_2 - Y) A_1^T", cwd=tmp_path)
    assert wrong.returncode == 1
    assert "the 1/m of the batch mean is missing" in wrong.stdout.decode()


# ----------------------------------------------------------------- in process
def test_derive_json_result_is_the_seeds(spec, capsys):
    status, out, err = run(capsys, "derive", spec, "--wrt", "W2", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert list(data) == ["wrt", "loss", "path_count", "paths", "result", "closed_form",
                          "latex"]
    assert (data["wrt"], data["loss"], data["path_count"]) == ("W2", "L", 1)
    assert data["paths"][0]["nodes"] == ["W2", "Z2", "A2", "L"]
    assert len(data["paths"][0]["factors"]) == 3
    s = matrices()
    result = parse_expr(data["result"], local_dict=s)  # our own output, in a test
    assert same(result, (s["A2"] - s["Y"]) * s["A1"].T / m)
    assert r"\frac{1}{m} \left(A_{2} - Y\right) A_{1}^{\top}" in data["latex"]


def test_derive_json_factors_are_vector_jacobian_steps(spec, capsys):
    status, out, err = run(capsys, "derive", spec, "--wrt", "W1", "--format", "json")
    assert status == 0, err
    (path,) = json.loads(out)["paths"]
    assert path["nodes"] == ["W1", "Z1", "A1", "Z2", "A2", "L"]
    s = matrices()
    # Edge W1 -> Z1 = W1 X + b1 1^T sends dL/dZ1 X^T; edge A1 -> Z2 sends W2^T dL/dZ2.
    assert same(parse_expr(path["factors"][0], local_dict=s), s["dL_dZ1"] * s["X"].T)
    assert same(parse_expr(path["factors"][2], local_dict=s), s["W2"].T * s["dL_dZ2"])
    assert path["factors"][1] == "dL_dA1.*step(Z1)"


def test_derive_latex(spec, capsys):
    status, out, err = run(capsys, "derive", spec, "--wrt", "W2", "--format", "latex")
    assert status == 0, err
    assert out.startswith(r"\frac{\partial \mathcal{L}}{\partial W_{2}} = ")
    assert out.rstrip().endswith(r"\frac{1}{m} \left(A_{2} - Y\right) A_{1}^{\top}")


@pytest.mark.parametrize("wrt, message", [
    ("Z1", "Z1 is a node, not a parameter; parameters: W1, b1, W2, b2"),
    ("W9", "'W9' is not a parameter of this graph; parameters: W1, b1, W2, b2"),
])
def test_derive_bad_wrt_is_one_line(spec, capsys, wrt, message):
    status, out, err = run(capsys, "derive", spec, "--wrt", wrt)
    assert status == 2 and out == ""
    assert message in one_line_error(err)


def test_check_json(spec, capsys):
    status, out, err = run(capsys, "check", spec, "--json")
    assert status == 0, err
    data = json.loads(out)
    assert {"ok", "method", "rtol", "tolerance", "compiled", "max_abs_error",
            "max_rel_error", "notes", "points", "rows"} <= set(data)
    assert data["ok"] is True and data["method"] == "torch autograd"
    assert data["max_rel_error"] < 1e-12
    assert {r["parameter"] for r in data["rows"]} == {"L", "W1", "b1", "W2", "b2"}


def test_check_exits_1_on_disagreement(spec, capsys, monkeypatch):
    monkeypatch.setitem(FUSED, ("softmax", "ce"),  # a wrong rule: 2 (P - Y)/m
                        Fused(FUSED["softmax", "ce"].title, scale=2, totals=True))
    status, out, err = run(capsys, "check", spec)
    assert status == 1
    assert "DISAGREES" in out.splitlines()[0]
    assert "<-- disagrees" in out


def _matrix(rows, cols, start):
    return "[" + ", ".join("[" + ", ".join(f"{((start + 7 * i + 3 * j) % 11 - 5) / 10}"
                                            for j in range(cols)) + "]" for i in range(rows)) + "]"


def _values(batch=2, w2_rows=3):
    one_hot = "[[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]"
    return (f"[values]\nX = {_matrix(4, batch, 1)}\nY = {one_hot}\n"
            f"W1 = {_matrix(5, 4, 2)}\nb1 = {_matrix(5, 1, 3)}\n"
            f"W2 = {_matrix(w2_rows, 5, 4)}\nb2 = {_matrix(3, 1, 5)}\n")


def test_check_at_the_specs_matrix_values(tmp_path, capsys):
    path = tmp_path / "valued.toml"
    path.write_text(MATRIX_SPEC + _values())
    status, out, err = run(capsys, "check", path, "--json")
    assert status == 0, err
    report = json.loads(out)
    assert report["ok"] and report["batch"] == [2]


@pytest.mark.parametrize("values, message", [
    ("[values]\nX = [1.0, 2.0]\n", "[values] X: expected a matrix"),
    ("[values]\nX = [[1.0, 2.0], [3.0]]\n", "[values] X: the rows of the matrix have different"),
    (_values(w2_rows=4), "[values]: W2 has shape (4, 5)"),
])
def test_bad_matrix_values_name_the_key(tmp_path, capsys, values, message):
    path = tmp_path / "valued.toml"
    path.write_text(MATRIX_SPEC + values)
    status, out, err = run(capsys, "check", path)
    assert status == 2 and out == ""
    assert message in one_line_error(err)


def test_compile(spec, tmp_path, capsys):
    status, out, err = run(capsys, "compile", spec)
    assert status == 0, err
    assert "def gradients(X, Y, W1, b1, W2, b2):" in out
    target = tmp_path / "grads.py"
    status, out, err = run(capsys, "compile", spec, "-o", target)
    assert status == 0 and target.is_file()
    status, out, err = run(capsys, "compile", spec, "--reduce", "mean")
    assert status == 2
    assert "does not apply to a graph in matrix form" in one_line_error(err)


@pytest.mark.parametrize("backend, dtype", [("torch", "float64"), ("jax", "float32"),
                                            ("numpy", "float32")])
def test_compile_for_another_backend_and_dtype(spec, tmp_path, capsys, backend, dtype):
    """The written module runs on its own and agrees with the NumPy float64 one."""
    import numpy as np

    from symprop.check.points import random_point
    from symprop.codegen.matrix_module import load_module

    target = tmp_path / f"grads_{backend}.py"
    status, out, err = run(capsys, "compile", spec, "--backend", backend, "--dtype", dtype,
                           "-o", target)
    assert status == 0, err
    graph = load_spec(spec).graph
    values = random_point(graph, np.random.default_rng(0), 4)
    expected = graph.compile()(**values)[1]
    module = load_module(target.read_text())
    arrays = values
    if backend == "torch":
        import torch
        arrays = {k: torch.tensor(v) for k, v in values.items()}
    grads = module.gradients(**arrays)[1]
    for name, grad in expected.items():
        got = np.asarray(grads[name])
        assert got.dtype == np.dtype(dtype)
        np.testing.assert_allclose(got, grad, rtol=1e-4 if dtype == "float32" else 1e-12,
                                   atol=1e-6)


def test_scalar_spec_in_float32_numpy_is_one_line(capsys):
    status, out, err = run(capsys, "compile", REPO / "examples" / "logistic_regression.toml",
                           "--dtype", "float32")
    assert status == 2 and out == ""
    assert "float32 needs backend='torch' or 'jax'" in one_line_error(err)


@pytest.mark.parametrize("backend, imports", [("torch", "import torch"),
                                              ("jax", "import jax.numpy as jnp")])
def test_scalar_spec_compiles_for_torch_and_jax(capsys, backend, imports):
    status, out, err = run(capsys, "compile", REPO / "examples" / "logistic_regression.toml",
                           "--backend", backend, "--dtype", "float32")
    assert status == 0, err
    assert imports in out and f"DTYPE = {imports.split()[-1]}.float32" in out


def test_example_spec_of_seed_001(capsys):
    spec = REPO / "examples" / "seed_001_matrix.toml"
    status, out, err = run(capsys, "derive", spec, "--wrt", "W2", "--format", "json")
    assert status == 0, err
    assert json.loads(out)["result"] == "1/m*(A2 - Y)*A1.T"
    status, out, err = run(capsys, "check", spec)
    assert status == 0 and "OK" in out.splitlines()[0]


def test_verify_json_and_bad_claims(spec, tmp_path, capsys):
    status, out, err = run(capsys, "verify", spec, "--wrt", "W1", "--claim",
                           r"\frac{1}{m} (W_2^T (A_2 - Y) \odot H(Z_1)) X^T", "--json")
    assert status == 0, err
    verdict = json.loads(out)
    assert verdict["equivalent"] is True and verdict["wrt"] == "W1"
    status, out, err = run(capsys, "verify", spec, "--wrt", "W2", "--claim",
                           r"\frac{1}{m} A_1^T (A_2 - Y)", "--json")
    assert status == 1 and "multiplies" in json.loads(out)["diagnosis"]
    status, out, err = run(capsys, "verify", spec, "--wrt", "W2", "--claim", r"\input{x}")
    assert status == 2 and out == ""
    one_line_error(err)


def _require_dot():
    import shutil

    if shutil.which("dot") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("graphviz's dot program must be installed in CI")
        pytest.skip("graphviz's dot program is not installed (apt-get install graphviz)")


@pytest.mark.parametrize("wrt", [[], ["--wrt", "W1"]])
def test_graph_draws_the_layers(spec, tmp_path, capsys, wrt):
    _require_dot()
    target = tmp_path / "net.svg"
    status, out, err = run(capsys, "graph", spec, *wrt, "-o", target)
    assert status == 0, err
    assert out == "" and err.strip().endswith(f"symprop: wrote {target}")
    svg = target.read_text(encoding="utf-8")
    # [4, 5, 3] by hand: X, W1, b1 -> Z1 -> A1; A1, W2, b2 -> Z2 -> A2; A2, Y -> L.
    assert svg.count('class="edge"') == 10 and svg.count('class="node"') == 11
    assert "W<SUB>" not in svg and "⊙" in svg and "∂ℒ/∂Z" in svg
    assert ("#d62728" in svg) == bool(wrt)


def test_graph_dot_source_and_bad_wrt(spec, tmp_path, capsys):
    target = tmp_path / "net.dot"
    status, out, err = run(capsys, "graph", spec, "-o", target)
    assert status == 0, err
    assert target.read_text(encoding="utf-8").count("->") == 10
    status, out, err = run(capsys, "graph", spec, "--wrt", "A1", "-o", tmp_path / "x.svg")
    assert status == 2
    assert "A1 is a node, not a parameter" in one_line_error(err)
    assert not (tmp_path / "x.svg").exists()


def test_notes_write_seed_001s_derivations(spec, tmp_path, capsys):
    target = tmp_path / "notes.tex"
    status, out, err = run(capsys, "notes", spec, "-o", target)
    assert status == 0, err
    assert err.strip().endswith(f"symprop: wrote {target}")
    tex = target.read_text(encoding="utf-8")
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    assert r"\frac{1}{m} \left(A_{2} - Y\right) A_{1}^{\top}" in tex
    assert "softmax with cross-entropy" in tex and "they agree" in tex
