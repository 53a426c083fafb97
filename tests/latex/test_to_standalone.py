"""``symprop graph -o graph.tex`` / ``.pdf``: the figure typeset by TeX on a page its size, the
labels in the math font as vector text; a graph too large for a TeX figure goes to dot (.pdf)
or is refused in one line (.tex)."""
import shutil
import subprocess
from pathlib import Path

import pytest
from command import in_process
from conftest import IN_CI, pdflatex_missing
from test_picture import require_dot

from symprop import SympropError, matrix_mlp, mlp
from symprop.latex.figure import figure_layout
from symprop.latex.picture import draw
from symprop.latex.to_standalone import MARGIN_PT, standalone_figure

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def require_tex():
    missing = pdflatex_missing() or (None if shutil.which("pdfinfo") else "pdfinfo is missing "
                                     "(apt-get install poppler-utils)")
    if missing:
        if IN_CI:
            pytest.fail(f"required in CI: {missing}")
        pytest.skip(missing)


def pdf_facts(path):
    """``(producer, (width, height) in pt, text)`` of a PDF, read by poppler."""
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    size = fields["Page size"].split("pts")[0].split("x")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    return fields.get("Producer", "").strip(), tuple(float(s) for s in size), text


@pytest.mark.parametrize("graph, wrt", [(mlp([1, 2, 1]), "w1_1_1"),
                                        (matrix_mlp([3, 4, 2], activation="relu",
                                                    output="softmax", loss="ce"), "W1")])
def test_the_document_is_the_notes_figure_at_full_size(graph, wrt):
    require_dot()
    tex = standalone_figure(graph, wrt=wrt)
    layout = figure_layout(graph, wrt)
    # Every vertex and every edge label of the notes' figure, typeset in math mode, unscaled.
    for node in layout.nodes:
        assert f"{{${node.tex}$}}" in tex
    for edge in layout.edges:
        if edge.label is not None:
            assert edge.label in tex
    assert "x=1.000pt, y=1.000pt" in tex
    assert f"paperwidth={layout.width + 2 * MARGIN_PT:.1f}pt" in tex


def test_the_command_typesets_a_pdf_the_pictures_size(tmp_path):
    require_dot()
    require_tex()
    result = in_process("graph", EXAMPLES / "seed_network.toml", "--wrt", "w1_1_1", "-o",
                        "paths.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    producer, (width, height), text = pdf_facts(tmp_path / "paths.pdf")
    assert "TeX" in producer             # typeset by pdflatex, not rendered by dot
    layout = figure_layout(_seed_network(), "w1_1_1")
    bp = 72 / 72.27    # poppler measures in PostScript points, TeX in its own
    assert abs(width - (layout.width + 2 * MARGIN_PT) * bp) < 0.5
    assert abs(height - (layout.height + 2 * MARGIN_PT) * bp) < 0.5
    assert "∂" in text                   # the labels are text in the math font, not pixels
    assert not (tmp_path / "paths.tex").exists()   # only the file asked for


def _seed_network():
    from symprop.front.spec import load_spec

    return load_spec(EXAMPLES / "seed_network.toml").graph


def test_the_computation_graph_as_a_pdf_carries_the_lessons_numbers(tmp_path):
    require_dot()
    require_tex()
    result = in_process("graph", EXAMPLES / "logistic_regression.toml", "--operations", "-o",
                        "computation.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    producer, _, text = pdf_facts(tmp_path / "computation.pdf")
    assert "TeX" in producer
    flat = text.replace("−", "-").replace(" ", "")
    # Back Propagation's numbers: w1x1 = -6, w2x2 = 7.5, yhat = 0.6225, dL/dz = -0.3775.
    for number in ("-6", "7.5", "0.6225", "-0.3775", "-1.6065"):
        assert number in flat, number


def test_a_tex_file_is_a_document_that_compiles(tmp_path, pdflatex):
    require_dot()
    result = in_process("graph", EXAMPLES / "seed_network.toml", "-o", "figure.tex",
                        cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    tex = (tmp_path / "figure.tex").read_text()
    assert tex.startswith("\\documentclass") and "\\begin{tikzpicture}" in tex
    pdflatex(tex, "figure")


def test_a_graph_too_large_for_a_tex_figure(tmp_path):
    require_dot()
    spec = tmp_path / "wide.toml"
    spec.write_text('[mlp]\nlayers = [3, 6, 6, 2]\n')
    refused = in_process("graph", spec, "-o", "wide.tex", cwd=tmp_path)
    assert refused.returncode == 2
    assert b"save it as .svg, .png or .dot" in refused.stderr
    assert b"Traceback" not in refused.stderr and not (tmp_path / "wide.tex").exists()
    drawn = in_process("graph", spec, "-o", "wide.pdf", cwd=tmp_path)
    assert drawn.returncode == 0, drawn.stderr
    assert (tmp_path / "wide.pdf").read_bytes().startswith(b"%PDF")   # dot's picture instead


def test_a_dot_picture_refuses_tex():
    require_dot()
    with pytest.raises(SympropError, match="standalone_figure"):
        draw(mlp([1, 1, 1])).save("graph.tex")
