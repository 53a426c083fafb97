"""The .ipynb notes, executed with nbclient: they print the notebook *Back Propagation*'s numbers."""
import json
import re
from pathlib import Path

import pytest

from symprop import notes
from symprop.front.cli import main

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]


def executed(path):
    book = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(book, kernel_name="python3", timeout=120).execute()
    return book


def printed(book):
    return "".join(out.get("text", "") for cell in book.cells if cell.cell_type == "code"
                   for out in cell.outputs)


def test_the_lesson_notebook_runs_and_prints_the_notebooks_numbers(tmp_path, capsys):
    lesson = tmp_path / "lesson.ipynb"
    assert main(["notes", str(ROOT / "examples" / "logistic_regression.toml"),
                 "-o", str(lesson)]) == 0, capsys.readouterr().err
    book = executed(lesson)
    kinds = [cell.cell_type for cell in book.cells]
    assert kinds[0] == "markdown" and kinds.count("code") == 4
    assert book.cells[0].source.startswith("# Back-propagation notes\n\nThe gradients")
    markdown = "\n".join(c.source for c in book.cells if c.cell_type == "markdown")
    assert "## Forward pass" in markdown and "$$\n\\begin{aligned}" in markdown
    out = printed(book)
    # Forward sigmoid and log loss (In [42]), then dL/dw1, dL/dw2, dL/db (In [43]) and
    # the same from PyTorch autograd (In [51]).
    assert re.findall(r"^(yhat|L) = (\S+)$", out, re.MULTILINE)[:2] == [
        ("yhat", "0.6225"), ("L", "0.4741")]
    gradients = re.findall(r"^dL_d(w1|w2|b) = (\S+)$", out, re.MULTILINE)
    assert gradients == [("w1", "-0.5663"), ("w2", "-0.9439"), ("b", "-0.3775")] * 2
    assert "PyTorch autograd agrees with the backward pass." in out
    code = [cell.source for cell in book.cells if cell.cell_type == "code"]
    assert "def gradients(x1, x2, y, w1, w2, b):" in code[1]      # the compiled module
    assert "L.backward()" in code[3] and "requires_grad=True" in code[3]


def test_a_matrix_notebook_runs(tmp_path):
    from symprop.front.spec import load_spec

    lesson = tmp_path / "matrix.ipynb"
    text = notes(load_spec(ROOT / "examples" / "seed_001_matrix.toml").graph, lesson)
    assert json.loads(text)["nbformat"] == 4
    out = printed(executed(lesson))
    assert re.search(r"^dL_dW1 \(5, 4\) ", out, re.MULTILINE)
    assert re.search(r"^dL_db2 \(3, 1\) ", out, re.MULTILINE)
    agreed = re.findall(r"^dL_d(\w+): autograd agrees", out, re.MULTILINE)
    assert agreed == ["W1", "b1", "W2", "b2"]


def test_a_spec_without_values_gets_a_random_point_that_runs(tmp_path):
    from symprop import mlp

    lesson = tmp_path / "net.ipynb"
    notes(mlp([1, 2, 1]), lesson, params=["b2_1"])
    book = executed(lesson)
    assert "random point" in "\n".join(c.source for c in book.cells)
    assert "PyTorch autograd agrees" in printed(book)


BATCH_SPEC = """
[graph]
inputs = ["x", "y"]
params = ["w", "b"]
loss = "L"
[graph.nodes]
z = "w*x + b"
a = "tanh(z)"
L = "(a - y)**2"
[values]
x = [0.5, -1.0, 2.0]
y = [1, 0, 1]
w = 0.3
b = -0.2
"""


def test_a_batch_of_examples_runs_and_torch_checks_the_sum(tmp_path):
    spec = tmp_path / "batch.toml"
    spec.write_text(BATCH_SPEC)
    lesson = tmp_path / "batch.ipynb"
    assert main(["notes", str(spec), "-o", str(lesson)]) == 0
    out = printed(executed(lesson))
    assert re.search(r"^dL_dw = \[", out, re.MULTILINE)        # one gradient per example
    assert "sum over the examples of dL_dw = " in out
    assert "PyTorch autograd agrees with the backward pass." in out
