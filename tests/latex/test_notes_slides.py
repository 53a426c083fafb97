"""The notes as Beamer slides (``format="slides"``, ``symprop notes -o talk.pdf --slides``):
they compile for every example spec (seed_001_matrix is matrix form) and a [2, 3, 3, 2]
network, nothing runs off a frame (pdflatex's log: no overfull box over 1 pt, none too
high), and a derivation of k lines is revealed on k overlays, line by line.

The width and height checks compile each deck in Beamer's handout mode, one page a
frame: the frames are laid out exactly as in the talk (a covered line keeps its place),
at a fraction of the pages; the overlays are counted on a full compile of one deck."""
import functools
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from command import in_process
from conftest import IN_CI
from symprop import SympropError, mlp, notes
from symprop.front.spec import load_spec
from symprop.latex.derivation import Line, derivation_lines
from symprop.latex.document import document
from symprop.latex.formats import beamer_missing
from symprop.latex.slides_layout import SLIDE_EM, _line_em, slide_lines
import corpus

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = corpus.example_specs(ROOT / "examples")
LOGISTIC = ROOT / "examples" / "logistic_regression.toml"
CHAIN = ROOT / "examples" / "chain_rule_case1.toml"
OVERFULL = re.compile(r"Overfull \\hbox \(([\d.]+)pt too wide\)")
OVERLAY = re.compile(r"\\uncover<(\d+)->")
DECKS = [p.stem for p in EXAMPLES] + ["mlp_2_3_3_2"]


@functools.lru_cache(maxsize=None)
def deck(name: str) -> str:
    if name == "mlp_2_3_3_2":
        return notes(mlp([2, 3, 3, 2]), format="slides")
    spec = load_spec(ROOT / "examples" / f"{name}.toml")
    return notes(spec.graph, format="slides", values=spec.values or None, claims=spec.claims)


def frames(tex: str) -> list:
    return re.findall(r"\\begin\{frame\}(.*?)\\end\{frame\}", tex, re.S)


def overlays(frame: str) -> int:
    """The slides a frame makes: its last overlay."""
    return max((int(k) for k in OVERLAY.findall(frame)), default=1)


def log_of(pdf: Path) -> str:
    return pdf.with_suffix(".log").read_text("latin-1")


def pages(pdf: Path) -> int:
    return int(re.search(r"Output written on .*?\((\d+) pages?", log_of(pdf), re.S).group(1))


@pytest.fixture
def beamer(pdflatex):
    """pdflatex with Beamer and PGF (and poppler's pdfinfo): required in CI, else a skip."""
    missing = beamer_missing() + ([] if shutil.which("pdfinfo") else ["pdfinfo"])
    if missing:
        if IN_CI:
            pytest.fail(f"the slides need {', '.join(missing)} in CI")
        pytest.skip(f"the slides need {', '.join(missing)}")
    return pdflatex


def handout(tex: str) -> str:
    assert tex.startswith("\\documentclass[11pt]{beamer}")
    return tex.replace("\\documentclass[11pt]{beamer}", "\\documentclass[11pt,handout]{beamer}", 1)


def together(decks) -> str:
    """The decks' frames in one handout document (Beamer's start-up paid once): each deck's
    preamble is the same."""
    texts = [deck(name) for name in decks]
    preamble = texts[0].split("\\begin{document}")[0]
    assert all(t.startswith(preamble) for t in texts)
    bodies = [t.split("\\begin{document}", 1)[1].rsplit("\\end{document}", 1)[0] for t in texts]
    return handout(preamble) + "\\begin{document}\n" + "\n".join(bodies) + "\\end{document}\n"


# Two documents, one a worker: each deck of examples/ (seed_001_matrix, scaled_matrix and
# weight_decay_matrix in matrix form)
# and mlp([2, 3, 3, 2]), whose written-out gradients are the widest.
GROUPS = [DECKS[:5], DECKS[5:]]
assert sorted(sum(GROUPS, [])) == sorted(DECKS) and len(DECKS) == 10


@pytest.mark.parametrize("decks", GROUPS, ids=lambda g: "+".join(g))
def test_every_decks_frames_hold_their_content(decks, beamer):
    tex = together(decks)
    pdf = beamer(tex, "decks")
    log = log_of(pdf)
    too_wide = [float(x) for x in OVERFULL.findall(log)]
    assert max(too_wide, default=0.0) <= 1.0, too_wide
    assert "Overfull \\vbox" not in log          # nothing runs off a frame's foot either
    assert pages(pdf) == len(frames(tex))        # handout: one page a frame, none spilt


def test_the_slides_have_a_title_frame_and_frames_titled_by_the_headings():
    tex = deck("logistic_regression")
    assert "\\titlepage" in frames(tex)[0]
    titles = re.findall(r"\\frametitle\{(.*)\}", tex)
    for heading in ("Forward pass", "Local partial derivatives", "With respect to $w_{1}$",
                    "Back propagation and efficiency", "Numbers"):
        assert heading in titles
    assert "\\section[{Gradients}]{Gradients}" in tex
    assert "\\subsection[{With respect to w\\_\\{1\\}}]{With respect to $w_{1}$}" in tex


def test_a_derivation_of_k_lines_is_revealed_line_by_line_in_colour(tmp_path, beamer):
    done = in_process("notes", LOGISTIC, "-o", "talk.pdf", "--slides", "--wrt", "w1",
                      "--no-numbers", "--colors", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "talk.pdf").read_bytes().startswith(b"%PDF")
    tex = (tmp_path / "talk.tex").read_text(encoding="utf-8")
    graph = load_spec(LOGISTIC).graph
    lines = derivation_lines(graph.derive("w1"), colors=True)
    frame = next(f for f in frames(tex) if "\\frametitle{With respect to $w_{1}$}" in f)
    steps = [l for l in lines if l.op not in ("+", "-")]
    # every step on its own overlay, 1, 2, ... k, both cells of its row on the same one
    shown = [int(k) for k in OVERLAY.findall(frame)]
    assert sorted(set(shown)) == list(range(1, len(steps) + 1)) and len(steps) >= 4
    assert shown == sorted(shown)
    cells = [c for row in frame.splitlines() for c in row.split(" & \\qquad \\uncover")]
    assert all(len(set(OVERLAY.findall(c))) == 1 for c in cells if "uncover" in c)
    assert "\\pause" not in tex
    for name in ("red", "blue", "green", "teal"):   # the notes' colours, by the same names
        assert f"\\definecolor{{{name}}}{{HTML}}" in tex
    assert "\\color{" in frame
    info = subprocess.run(["pdfinfo", str(tmp_path / "talk.pdf")], capture_output=True,
                          text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    # the page count grows with the overlays: a page for each of a frame's
    assert count == sum(overlays(f) for f in frames(tex)) > len(frames(tex))


def test_lines_are_broken_again_for_the_frame():
    term = r"w_{1\to 2}^{[3]} \frac{\partial \mathcal{L}}{\partial z_{2}^{[3]}}"
    wide = Line(r"\frac{\partial \mathcal{L}}{\partial a_{1}^{[2]}}", " + ".join([term] * 6),
                "sum over the units")
    broken = slide_lines([wide])
    assert len(broken) > 2 and all(_line_em(b) <= SLIDE_EM for b in broken)
    assert [b.op for b in broken[1:-1]] == ["+"] * (len(broken) - 2)
    assert broken[-1].op == "note" and broken[-1].note == "sum over the units"


def test_the_title_is_screened_as_the_notes_screen_it():
    graph = mlp([1, 1])
    title = "\\input{/etc/passwd} 50% & $x$ #1 ^_~ {}\x00\x1b end"
    article, slides = (notes(graph, numbers=False, title=title),
                       notes(graph, numbers=False, title=title, format="slides"))
    line = re.search(r"^\\title\{.*\}$", article, re.M).group(0)
    assert line in slides.splitlines() and "\\input{" not in line
    assert slides.startswith("\\documentclass[11pt]{beamer}")
    assert document("", title).count("\\title{") == 1


def test_the_python_api_writes_slides_by_name(tmp_path):
    graph = load_spec(CHAIN).graph
    text = notes(graph, tmp_path / "talk.tex", format="slides")
    assert (tmp_path / "talk.tex").read_text(encoding="utf-8") == text
    assert text.startswith("\\documentclass[11pt]{beamer}")
    assert notes(graph, tmp_path / "notes.tex").startswith("\\documentclass[11pt]{article}")
    for name in ("talk.md", "talk.html", "talk.ipynb"):
        with pytest.raises(SympropError, match="slides are written as .tex or .pdf"):
            notes(graph, tmp_path / name, format="slides")
    assert not any(tmp_path.glob("talk.[mhi]*"))


def test_the_command_writes_slides_in_tex(tmp_path):
    done = in_process("notes", CHAIN, "-o", "talk.tex", "--slides", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    tex = (tmp_path / "talk.tex").read_text(encoding="utf-8")
    assert tex.startswith("\\documentclass[11pt]{beamer}")
    assert tex == notes(load_spec(CHAIN).graph, format="slides",
                        values=load_spec(CHAIN).values or None)


@pytest.mark.parametrize("name", ["talk.md", "talk.html"])
def test_the_command_refuses_slides_in_markdown_or_html(tmp_path, name):
    done = in_process("notes", CHAIN, "-o", name, "--slides", cwd=tmp_path)
    assert done.returncode == 2
    error = done.stderr.decode().strip().splitlines()
    assert error == [f"symprop: error: cannot write slides to {name}: slides are written "
                     "as .tex or .pdf"]
    assert not (tmp_path / name).exists()
