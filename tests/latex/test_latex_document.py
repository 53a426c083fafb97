"""Whole notes: complete documents that pdflatex compiles, with the seed's numbers."""

import pytest

import corpus
from symprop import SympropError, mlp
from symprop.latex import tex as texmod
from symprop.latex.document import notes, path_factor_count


def test_logistic_regression_notes_compile_with_the_seeds_numbers(tmp_path, katex, pdflatex):
    g = corpus.logistic_regression()
    tex = katex.add_document(notes(g, colors=True, update=True), "logistic regression notes")
    assert tex.startswith(r"\documentclass") and tex.rstrip().endswith(r"\end{document}")
    for package in ("amsmath", "xcolor"):
        assert rf"\usepackage{{{package}}}" in tex
    # Forward pass as the seed writes it, one derivation per parameter.
    assert r"z &= w_{1} x_{1} + w_{2} x_{2} + b" in tex
    assert tex.count(r"\subsection*{With respect to") == 3
    # The notebook's numbers, forward and back: w1 x1 = -6, w2 x2 = 7.5, yhat = 0.6225,
    # L = 0.4741, dL/dyhat = -1.6065, dyhat/dz = 0.2350, dL/dz = -0.3775 = dL/db,
    # dL/dw1 = -0.5663, dL/dw2 = -0.9439; and PyTorch autograd's agreement in a sentence.
    for number in ("-6.0000", "7.5000", "0.6225", "-1.6065", "0.2350", "-0.5663", "-0.9439"):
        assert tex.count(f"${number}$") == 1, number
    assert tex.count("$-0.3775$") == 2     # dL/dz and dL/db
    assert tex.count("$0.4741$") == 2      # -y log(yhat), with y = 1, and L
    assert "PyTorch autograd, run on the same point, gives the same gradients" in tex
    pdflatex(tex, "logistic")


def test_network_notes_show_the_backprop_factoring(katex, pdflatex):
    g = mlp([1, 2, 1])
    tex = katex.add_document(notes(g, params=["b2_1", "w1_1_2"]), "1-2-1 notes")
    assert tex.count(r"\subsection*{With respect to") == 2
    # Shared adjoints: dL/db_2^{[1]} is written with dL/dz_2^{[1]}, computed once.
    assert (r"\frac{\partial \mathcal{L}}{\partial w_{2}^{[1]}} &= x "
            r"\frac{\partial \mathcal{L}}{\partial z_{2}^{[1]}}") in tex
    # By hand: 4 gradients through 5 factors, 3 through 3 -> 29; 13 edges leave non-inputs.
    assert path_factor_count(g) == 29
    assert "13 in all" in tex and "29 local partials" in tex
    assert "No point was given" not in tex  # without values, no numbers section at all
    pdflatex(tex, "network")


def test_many_path_network_notes_compile(katex, pdflatex):
    g = corpus.CORPUS["relu_softmax_onehot"]()
    tex = katex.add_document(notes(g, params=["w1_1_1", "b2_2"]), "softmax notes")
    assert "grouped by the adjoints" in tex
    pdflatex(tex, "softmax")


def test_writes_tex_and_pdf(tmp_path, pdflatex):
    g = corpus.logistic_regression()
    notes(g, tmp_path / "lr.tex", params=["b"])
    assert (tmp_path / "lr.tex").read_text().startswith(r"\documentclass")
    notes(g, tmp_path / "lr.pdf", params=["b"], title="Logistic regression & friends")
    assert (tmp_path / "lr.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "lr.tex").exists()


def test_pdf_without_a_tex_engine_says_so_and_writes_nothing(tmp_path, monkeypatch):
    # Refused before any work, and nothing is written: outputs appear only on success.
    monkeypatch.setattr(texmod.shutil, "which", lambda name: None)
    with pytest.raises(SympropError, match=r"no TeX engine \(pdflatex\) is installed.*lr\.tex"):
        notes(corpus.logistic_regression(), tmp_path / "lr.pdf")
    assert list(tmp_path.iterdir()) == []


def test_bad_paths_are_clear_errors(tmp_path):
    g = corpus.logistic_regression()
    with pytest.raises(SympropError, match=r"must end in \.tex, \.pdf, \.md, \.html or \.ipynb"):
        notes(g, tmp_path / "notes.docx")
    with pytest.raises(SympropError, match="does not exist"):
        notes(g, tmp_path / "missing" / "notes.tex")
    with pytest.raises(SympropError, match="not a parameter"):
        notes(g, params=["nope"])
    with pytest.raises(SympropError, match="needs a symprop Graph"):
        notes("not a graph")


def test_a_tex_error_is_reported_with_its_line(tmp_path, pdflatex):
    with pytest.raises(SympropError, match=r"Undefined control sequence.*l\.\d+"):
        texmod.compile_pdf("\\documentclass{article}\\begin{document}\n\\nosuch\n\\end{document}\n",
                           tmp_path / "bad.pdf")


def test_the_seed_lesson_renders_and_compiles(tmp_path, katex, pdflatex):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "examples" / "seed_lesson.py"
    spec = importlib.util.spec_from_file_location("seed_lesson", script)
    lesson = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lesson)
    # The script is the lesson file's reader and writer now: it writes seed_lesson.tex.
    written = lesson.lesson(tmp_path)
    assert (tmp_path / "seed_lesson.tex").read_text() == written
    tex = katex.add_document(written, "seed lesson")
    # The seed's Example 2 grouping, with x relabelled a_1^{[0]} as the seed does.
    assert (r"= a_{1}^{[0]} \frac{\color{red}{\partial \mathcal{L}}}"
            r"{\color{gray}{\partial z_{2}^{[1]}}}") in tex
    for number in ("-0.5663", "-0.9439", "-0.3775", "0.4741"):
        assert f"${number}$" in tex
    pdflatex(tex, "lesson", inputs=tmp_path)


def test_a_networks_notes_open_with_its_notation():
    # The lesson's legend for w_{j->k}^{[l]}, b, z, a and the loss, in the network's own
    # notation and with its own functions; a graph built by hand has none to state.
    tex = notes(mlp([2, 3, 3], activation="relu", output="softmax", loss="ce", one_hot=True),
                numbers=False)
    legend = tex[tex.index("The notation:"):tex.index("The inputs (the data)")]
    assert r"$w_{j\to k}^{[l]}$ & the weight from unit $j$ of layer $l - 1$ to unit $k$" in legend
    assert r"$\operatorname{ReLU}(z_{k}^{[l]})$" in legend
    assert r"$\operatorname{softmax}_{k}(z^{[2]})$" in legend
    assert "The notation:" not in notes(corpus.chain_rule_case1(), numbers=False)
    seed = notes(corpus.seed_network(), numbers=False)
    assert "$w_{i}^{[l]}$ & the weight between unit $i$ of layer $l$" in seed


def test_a_function_of_one_variable_is_stated_whole_before_it_is_differentiated():
    # The lesson, case 1: f = f(g(x)) with g = e^x + x and f = g^2, i.e. f(x) = (e^x + x)^2.
    tex = notes(corpus.chain_rule_case1(), numbers=False)
    assert r"As one function of $x$:" in tex
    assert r"f(x) &= \left(e^{x} + x\right)^{2}" in tex
    # A network is a function of many variables: nothing to state whole.
    assert "As one function of" not in notes(corpus.seed_network(), numbers=False)
