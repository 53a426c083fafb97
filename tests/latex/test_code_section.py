"""The notes' code section runs: NumPy forward and backward, and PyTorch's autograd agreeing."""
from pathlib import Path

import pytest

from symprop import mlp
from symprop.front.spec import load_spec
from symprop.latex.blocks import Code
from symprop.latex.code_section import LINE, code_blocks
from symprop.latex.document import notes
from symprop.latex.to_latex import code_line
import corpus

EXAMPLES = corpus.example_specs(Path(__file__).parents[2] / "examples")


def _code(graph, values):
    return [b.source for b in code_blocks(graph, values) if isinstance(b, Code)]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_examples_code_fits_the_page_and_runs(path):
    spec = load_spec(path)
    code = _code(spec.graph, spec.values)
    assert code
    helpers = [line for c in code for line in c.splitlines() if line.startswith("    ")]
    assert all(len(line) <= LINE for c in code for line in c.splitlines()
               if line not in helpers), "a line runs off the page"
    if spec.graph.form.name == "matrix":
        compile("\n\n".join(code), str(path), "exec")   # a function: it compiles
        return
    namespace = {}
    exec(compile("\n\n".join(code), str(path), "exec"), namespace)  # its own asserts: torch agrees
    for w in spec.graph.param_symbols:  # and the backward pass is symprop's gradient
        expected = spec.graph.derive(w).evaluate(**spec.values)
        loss = spec.graph.loss_symbol
        assert abs(float(namespace[f"d{loss}_d{w}"]) - float(expected)) < 1e-12


def test_the_text_formats_carry_the_code_and_the_notebook_runs_its_own():
    spec = load_spec(Path(__file__).parents[2] / "examples" / "logistic_regression.toml")
    markdown = notes(spec.graph, format="markdown", values=spec.values)
    assert "## The same computation in code" in markdown
    assert "```python\nimport numpy as np" in markdown and "L.backward()" in markdown
    latex = notes(spec.graph, values=spec.values)
    assert code_line("import torch") in latex and code_line("L.backward()") in latex
    notebook = notes(spec.graph, format="notebook", values=spec.values)
    assert notebook.count("The same computation in code") == 0   # its cells run it instead


def test_without_numbers_there_is_no_code():
    tex = notes(mlp([1, 2, 1]), numbers=False)
    assert "The same computation in code" not in tex


def test_a_greek_name_in_the_code_is_set_as_itself_in_the_pdf(pdflatex):
    from symprop import Graph

    g = Graph()
    x = g.inputs("x")
    theta = g.params("θ")
    g.loss("L", (theta * x - 1) ** 2)
    g.values = {"x": 0.5, "θ": 2.0}
    tex = notes(g)
    assert r"\ensuremath{\theta}\ =\ 2.0" in tex
    pdflatex(tex, "greek")      # compiles: no "Unicode character not set up"
