r"""Nielsen's matrix form: ``--notation nielsen`` for a network of ``mlp(..., form="matrix")``.

The expected spellings are written here by hand from *Neural Networks and Deep Learning*,
chapter 2, never from symprop's output:

- layers are bare superscripts numbered from the input layer's 1, so symprop's ``W1``,
  ``b1``, ``Z1``, ``A1`` are his ``w^{2}``, ``b^{2}``, ``z^{2}``, ``a^{2}``; the inputs are
  the first layer's activations ``a^{1}`` (``X``) and the targets ``y`` (``Y``);
- "fully matrix-based" backpropagation over a mini-batch puts its examples in the columns,
  and the cost ``C`` is their mean (``C = \frac{1}{n} \sum_x C_x``, here over the m columns);
- the error ``\delta^{l} = \partial C / \partial z^{l}`` and the equations
  BP1 ``\delta^L = \nabla_a C \odot \sigma'(z^L)``,
  BP2 ``\delta^l = ((w^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)``,
  BP3 ``\partial C / \partial b^l = \delta^l`` (summed over the batch: ``\delta^l \mathbf{1}``),
  BP4 ``\partial C / \partial w^l = \delta^l (a^{l-1})^T``.

The seed network (examples/seed_001_matrix.toml) is 4-5-3, ReLU then softmax with
cross-entropy on one-hot targets, so its output error is ``\delta^{3} = (a^{3} - y) / m``
and ``\sigma'(z^{2})`` is ``H(z^{2})``.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from command import in_process
from symprop import mlp
from symprop.front.spec import load_spec
from symprop.latex.document import notes
from symprop.latex.notations import adjoint_latex, renamed
from symprop.latex.printer import partial_fraction
from symprop.parse.matrix_latex import read_matrix_derivation

sys.path.insert(0, str(Path(__file__).parents[1] / "parse"))
from test_round_trip import _lines  # noqa: E402  (the round-trip tests' reading of a block)

SPEC = Path(__file__).parents[2] / "examples" / "seed_001_matrix.toml"
# symprop's own names and deeplearning.ai's, as the notes would print them
OWN_NAMES = re.compile(r"[WbZA]_\{\d\}|\\mathcal\{L\}|X\^\{\\top\}|X \\in|\bd[WZAb]\^|\\partial J")
DW2 = (r"\frac{\partial C}{\partial w^{3}} = \delta^{3} {a^{2}}^{\top} = "
       r"\frac{1}{m} \left(a^{3} - y\right) {a^{2}}^{\top}")          # BP4 at the output


@pytest.fixture(scope="module")
def seed():
    return load_spec(SPEC).graph


@pytest.fixture(scope="module")
def shown(seed):
    return renamed(seed, "nielsen")


def test_the_names_are_his_layers_numbered_from_the_inputs(shown):
    name = shown.latex_name
    assert [name(s) for s in ("W1", "b1", "Z1", "A1", "W2", "b2", "Z2", "A2")] == \
        ["w^{2}", "b^{2}", "z^{2}", "a^{2}", "w^{3}", "b^{3}", "z^{3}", "a^{3}"]
    assert (name("X"), name("Y"), name("L")) == ("a^{1}", "y", "C")


def test_the_adjoints_are_his_errors_and_the_gradient_by_the_output(shown):
    # delta^l = dC/dz^l; nabla_a C = dC/da^L (BP1); the others written in full
    assert [adjoint_latex(shown, s) for s in ("Z1", "Z2", "A2")] == \
        [r"\delta^{2}", r"\delta^{3}", r"\nabla_a C"]
    assert partial_fraction(shown, "L", "A1") == r"\frac{\partial C}{\partial a^{2}}"
    assert partial_fraction(shown, "L", "W1") == r"\frac{\partial C}{\partial w^{2}}"
    assert partial_fraction(shown, "L", "b2") == r"\frac{\partial C}{\partial b^{3}}"


def test_a_deeper_network_counts_on_from_the_inputs():
    g = renamed(mlp([2, 3, 3, 2], activation="tanh", form="matrix"), "nielsen")
    assert [g.latex_name(s) for s in ("W3", "Z3", "A3", "A2", "X")] == \
        ["w^{4}", "z^{4}", "a^{4}", "a^{3}", "a^{1}"]
    assert adjoint_latex(g, "A3") == r"\nabla_a C" and adjoint_latex(g, "A2") is None
    assert dict(g.legend)[r"a^{L}"] == "the output ($L = 4$), compared with the targets"


def test_the_legend_says_what_each_symbol_is_and_that_the_columns_are_the_examples(shown):
    legend = dict(shown.legend)
    assert list(legend) == [r"w^{l}", r"w^{l}_{jk}", r"b^{l}", r"z^{l}", r"a^{l}", r"a^{1}",
                            r"a^{L}", "y", "C", r"\delta^{l}", r"\nabla_a C"]
    assert "to neuron $j$ from neuron $k$ of layer $l - 1$" in legend[r"w^{l}_{jk}"]
    assert "layer 1 being the inputs'" in legend[r"w^{l}"]
    assert "$w^{l} a^{l-1} + b^{l}$, one column per example" in legend[r"z^{l}"]
    assert "its $m$ examples $x$ as the columns" in legend[r"a^{1}"]
    assert "($L = 3$)" in legend[r"a^{L}"] and "one example per column" in legend["y"]
    assert r"averaged over the $m$ examples, $C = \frac{1}{m} \sum_x C_x$" in legend["C"]
    assert r"$\delta^{l} = \partial C / \partial z^{l}$" in legend[r"\delta^{l}"]
    assert r"$\partial C / \partial a^{L}$" in legend[r"\nabla_a C"]


def test_the_derivations_are_bp3_and_bp4(seed, katex):
    assert seed.derive("W2").latex(notation="nielsen") == DW2
    db2 = seed.derive("b2").latex(notation="nielsen")
    assert db2 == (r"\frac{\partial C}{\partial b^{3}} = \delta^{3} \mathbf{1} = "
                   r"\frac{1}{m} \left(a^{3} - y\right) \mathbf{1}")
    dw1 = seed.derive("W1").latex(notation="nielsen")    # BP4 with BP2 inside: (w^3)^T delta^3
    assert dw1.startswith(r"\frac{\partial C}{\partial w^{2}} = \delta^{2} {a^{1}}^{\top} = ")
    assert (r"\left({w^{3}}^{\top} \left(a^{3} - y\right)\right) \odot H(z^{2})") in dw1
    for tex in (DW2, db2, dw1):
        katex.add(tex, "a derivation in Nielsen's matrix notation")


def _backprop_block(markdown: str) -> str:
    """The aligned block of the notes' back-propagation section."""
    section = markdown[markdown.index("## Back propagation"):]
    return section[section.index("\\begin{aligned}"):section.index("\\end{aligned}")
                   + len("\\end{aligned}")]


def test_the_notes_backpropagation_is_bp1_and_bp2(seed):
    block = _backprop_block(notes(seed, format="markdown", numbers=False, notation="nielsen"))
    assert "\n" + r"\nabla_a C &= " in block                               # BP1's gradient
    assert r"\delta^{3} &= \frac{1}{m} \left(a^{3} - y\right)" in block      # BP1, fused
    assert r"\frac{\partial C}{\partial a^{2}} &= {w^{3}}^{\top} \delta^{3}" in block   # BP2
    assert r"\delta^{2} &= \frac{\partial C}{\partial a^{2}} \odot H(z^{2})" in block
    assert r"\frac{\partial C}{\partial w^{2}} &= \delta^{2} {a^{1}}^{\top}" in block   # BP4


@pytest.mark.parametrize("form", ["latex", "markdown", "html", "notebook", "slides"])
def test_the_notes_in_every_format_write_his_names_only(seed, form, katex):
    text = notes(seed, format=form, numbers=False, notation="nielsen")
    if form == "notebook":      # its code cells run symprop's program, in its own names
        text = "".join("".join(cell["source"]) for cell in json.loads(text)["cells"]
                       if cell["cell_type"] == "markdown")
    text = re.sub(r"<script.*?</script>", "", text, flags=re.DOTALL)   # the page's KaTeX
    assert text.count(r"\delta^{3}") >= 4 and r"{a^{1}}^{\top}" in text
    assert "one example per column" in text and r"\nabla_a C" in text
    assert not OWN_NAMES.search(text), OWN_NAMES.search(text)
    if form == "latex":                  # the slides' Beamer overlays are pdflatex's alone
        katex.add_document(text, "notes in Nielsen's matrix notation")


def test_the_default_and_the_other_notations_are_unchanged(seed):
    assert notes(seed, numbers=False) == notes(seed, numbers=False, notation="seed")
    ng = renamed(seed, "deeplearning.ai")
    assert [ng.latex_name(s) for s in ("W1", "X", "L")] == ["W^{[1]}", "X", "J"]
    assert adjoint_latex(ng, "A2") == "dA^{[2]}"
    assert seed.latex_name("W1") == "W_{1}"          # the graph itself is never renamed


def test_every_line_of_the_notes_backpropagation_reads_back(seed, shown):
    """Each line of the shared adjoints, annotations and all, verifies on the view."""
    lines = _lines(shown, _backprop_block(
        notes(seed, format="markdown", numbers=False, notation="nielsen")))
    assert len(lines) == 8                       # 8 adjoints, from dC/da^3 to dC/dw^2
    for quantity, claim in lines:
        assert shown.verify(quantity, claim).equivalent, (quantity, claim)


def test_a_superscript_reads_in_his_numbering_on_the_view_only(seed, shown):
    assert read_matrix_derivation("a^{2}", shown).steps[0].expr == seed.symbol("A1")
    assert read_matrix_derivation("a^{1}", shown).steps[0].expr == seed.symbol("X")
    assert read_matrix_derivation("a^{2}", seed).steps[0].expr == seed.symbol("A2")
    error = read_matrix_derivation(r"\delta^{3}", shown).steps[0].expr
    assert error.name == "dL_dZ2"                # delta^3 is dC/dz^3, symprop's Z2
    assert read_matrix_derivation(r"\delta^L", shown).steps[0].expr.name == "dL_dZ2"
    assert read_matrix_derivation(r"\nabla_a C", shown).steps[0].expr.name == "dL_dA2"


def test_the_cli_writes_notes_and_derivations_in_his_matrix_form(tmp_path):
    run = in_process("notes", SPEC, "-o", "x.md", "--notation", "nielsen", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    text = (tmp_path / "x.md").read_text()
    assert "| $\\delta^{l}$ | the error of layer $l$" in text and "\\delta^{2} &=" in text
    run = in_process("derive", SPEC, "--wrt", "W2", "--format", "latex", "--notation",
                     "nielsen", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.decode().strip() == DW2
    run = in_process("derive", SPEC, "--wrt", "W2", "--format", "markdown", "--notation",
                     "nielsen", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.decode().startswith("$$\n" + DW2)


def test_symprop_verify_refuses_his_names_in_the_specs_own(tmp_path):
    """``symprop verify SPEC`` reads the spec's own names (W_{2}, symprop's layers): Nielsen's
    w^{3} is refused as unknown there, in one line, never read as another layer."""
    run = in_process("verify", SPEC, "--wrt", "W2", "--claim", DW2, cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.decode().count("\n") == 1 and "unknown name 'w^{3}'" in run.stderr.decode()


def test_the_pdf_and_the_slides_build(seed, tmp_path, pdflatex):
    run = in_process("notes", SPEC, "-o", "n.pdf", "--notation", "nielsen", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "n.pdf").read_bytes().startswith(b"%PDF")
    if not subprocess.run(["kpsewhich", "beamer.cls"], capture_output=True).stdout.strip():
        pytest.skip("Beamer is not installed: the slides are not compiled")
    pdflatex(notes(seed, format="slides", numbers=False, notation="nielsen"), "slides")
