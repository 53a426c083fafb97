"""No line of the notes runs off the page: pdflatex's own log reports no overfull box over
1 pt, for every example spec and for the [2, 3, 3, 2] and [3, 6, 6, 2] networks (whose
written-out gradients were 590 pt and 1,400 pt too wide).  Sums too wide are broken after
a term; a result too wide is restated through its shared adjoints."""
import re
from pathlib import Path

import pytest

from symprop import mlp
from symprop.front.spec import load_spec
from symprop.latex.derivation import Line
from symprop.latex.document import notes
from symprop.latex.fitting import fits_line, fitted, top_level_terms
from symprop.latex.width import LINE_EM, width
import corpus

EXAMPLES = corpus.example_specs(Path(__file__).parents[2] / "examples")
OVERFULL = re.compile(r"Overfull \\hbox \(([\d.]+)pt too wide\)")


def _overfull(pdf) -> list[float]:
    return [float(x) for x in OVERFULL.findall(pdf.with_suffix(".log").read_text("latin-1"))]


@pytest.mark.parametrize("layers", [[2, 3, 3, 2], [3, 6, 6, 2]], ids=str)
def test_a_wide_networks_notes_fit_the_page(layers, pdflatex):
    g = mlp(layers, activation="sigmoid", output="softmax", loss="ce", one_hot=True)
    tex = notes(g, numbers=False)
    assert max(_overfull(pdflatex(tex, "net")), default=0.0) <= 1.0
    assert r"\text{(shared adjoint)}" in tex          # the long results were restated


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_examples_notes_fit_the_page(path, pdflatex):
    spec = load_spec(path)
    tex = notes(spec.graph, values=spec.values or None)
    assert max(_overfull(pdflatex(tex, path.stem)), default=0.0) <= 1.0


def test_width_counts_a_fraction_once_and_scripts_smaller():
    assert width(r"\frac{a}{b}") < width("a b")
    assert width("a_{1}") < width("a 1")
    assert width(r"\color{red}{x}") == width("x")
    assert width(r"\left(x\right)") == width("(x)")


def test_top_level_terms_keep_brackets_whole():
    assert top_level_terms(r"- a + \left(b - c\right) d - \frac{e + f}{g}") == [
        "- a", r"+ \left(b - c\right) d", r"- \frac{e + f}{g}"]
    assert top_level_terms(r"x_{1} \sigma(z - w)") == [r"x_{1} \sigma(z - w)"]


def test_a_wide_sum_is_broken_after_the_term_that_fills_a_line():
    term = r"w_{1\to 2}^{[3]} \frac{\partial \mathcal{L}}{\partial z_{2}^{[3]}}"
    line = Line(r"\frac{\partial \mathcal{L}}{\partial a_{1}^{[2]}}", " - ".join([term] * 12),
                "a note")
    broken = fitted([line])
    assert len(broken) > 1 and all(fits_line(b) for b in broken)
    assert [b.op for b in broken[1:]] == ["-"] * (len(broken) - 1)
    assert broken[0].note == "a note" and not any(b.note for b in broken[1:])
    assert " - ".join([broken[0].rhs] + [b.rhs for b in broken[1:]]) == line.rhs


def test_a_line_that_fits_is_left_as_it_is():
    line = Line("L", "a - y")
    assert fitted([line]) == [line] and width(line.rhs) < LINE_EM


def _pages(pdf) -> int:
    """The page count pdflatex's log reports ("Output written on x.pdf (13 pages, ...)")."""
    log = pdf.with_suffix(".log").read_text("latin-1")
    return int(re.search(r"Output written on .*?\((\d+) pages?", log, re.S).group(1))


def test_the_softmax_networks_notes_take_at_most_half_the_19_pages_they_were(pdflatex):
    # 19 pages when the notes were read as a lecturer would; the edges' partials side by
    # side, a shared adjoint's simplification shown once, and one derivation for each
    # layer's weights and biases in unit letters (w_{j->k}) take them to 7.
    spec = load_spec(Path(__file__).parents[2] / "examples" / "softmax_ce_onehot.toml")
    tex = notes(spec.graph, values=spec.values)
    assert _pages(pdflatex(tex, "softmax")) <= 9
    assert r"\qquad \frac{\partial z" in tex       # partials side by side
    # no content lost: every parameter's gradient is still stated, generically
    for generic in (r"\partial w_{j\to k}^{[1]}", r"\partial b_{k}^{[1]}",
                    r"\partial w_{j\to k}^{[2]}", r"\partial b_{k}^{[2]}"):
        assert generic in tex


def test_a_shared_adjoints_simplification_is_shown_once_and_then_stated():
    spec = load_spec(Path(__file__).parents[2] / "examples" / "seed_network.toml")
    tex = notes(spec.graph, values=spec.values)
    gradients = tex[tex.index("Gradients"):tex.index("Back propagation")]
    assert gradients.count(r"\text{(sigmoid with binary cross-entropy)}") == 1
    # Each later gradient states the result it uses: dL/dz = a - y, as above.
    assert gradients.count(r"&= a_{1}^{[2]} - y \qquad \text{(as above)}") == 6
