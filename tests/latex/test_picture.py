"""Pictures of the graph: one labelled edge per edge, the paths of a parameter highlighted."""
import os
import re
import shutil

import pytest

import corpus
from symprop import SympropError, mlp
from symprop.latex import picture as drawmod
from symprop.latex.picture import HIGHLIGHT, draw, layers
from symprop.latex.labels import label, latex_to_html

IN_CI = os.environ.get("CI") == "true"
EDGE = re.compile(r"^\s*(\w+) -> (\w+) \[(.*)\]$", re.MULTILINE)


def require_dot():
    if shutil.which("dot") is None:
        if IN_CI:
            pytest.fail("graphviz's dot program must be installed in CI")
        pytest.skip("graphviz's dot program is not installed (apt-get install graphviz)")


def dot_edges(source):
    return [(m[1], m[2], m[3]) for m in EDGE.finditer(source)]


def test_png_of_the_seed_network_with_one_labelled_edge_per_edge(tmp_path):
    require_dot()
    g = mlp([1, 2, 1])
    picture = draw(g, wrt="w1_1_2")
    png = picture.save(tmp_path / "network.png")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png.stat().st_size > 5000
    edges = dot_edges(picture.source)
    assert sorted((a, b) for a, b, _ in edges) == sorted((e.parent.name, e.child.name)
                                                         for e in g.edges)
    assert len(edges) == len(g.edges) == 16
    # Every edge a gradient flows back along is labelled; the data's (x, y) carry none.
    inputs = {s.name for s in g.input_symbols}
    assert all(("label=<" in attrs) == (a not in inputs) for a, _, attrs in edges)
    assert sum(a in inputs for a, _, _ in edges) == 3      # x -> z1_1, x -> z1_2, y -> L


def test_edge_labels_are_the_local_partials_written_by_hand():
    g = mlp([1, 2, 1])
    labels = {(a, b): re.search(r"label=<(.*)>", attrs)[1]
              for a, b, attrs in dot_edges(draw(g).source) if "label=<" in attrs}
    assert ("y", "L") not in labels and ("x", "z1_1") not in labels   # no gradient to data
    # The seed's figure 03_backprop_example_diffs: dz/db = 1, da/dz = a(1 - a), dz/da = w.
    assert labels["b2_1", "z2_1"] == "1"
    assert labels["z2_1", "a2_1"] == "a<SUB>1</SUB><SUP>[2]</SUP>(1 − a<SUB>1</SUB><SUP>[2]</SUP>)"
    assert labels["a1_2", "z2_1"] == "w<SUB>2</SUB><SUP>[2]</SUP>"
    assert labels["w1_1_2", "z1_2"] == "x"
    assert labels["a2_1", "L"] == "(1 − y)/(1 − a<SUB>1</SUB><SUP>[2]</SUP>) − y/a<SUB>1</SUB><SUP>[2]</SUP>"


def test_the_paths_of_wrt_are_highlighted():
    g = corpus.multiple_paths()
    edges = dot_edges(draw(g, wrt="w").source)
    hot = {(a, b) for a, b, attrs in edges if HIGHLIGHT in attrs}
    # By hand: w -> h -> p -> yhat -> L, w -> h -> q -> yhat -> L, w -> q -> yhat -> L.
    assert hot == {("w", "h"), ("h", "p"), ("h", "q"), ("w", "q"), ("p", "yhat"),
                   ("q", "yhat"), ("yhat", "L")}
    assert not any(HIGHLIGHT in attrs for a, b, attrs in dot_edges(draw(g).source))


def test_layers_follow_the_seed_rows():
    g = corpus.logistic_regression()
    column = {s.name: c for s, c in layers(g).items()}
    # Seed 000's computation graph: inputs and weights, then z, then yhat beside y, then L.
    assert column["x1"] == column["w1"] == column["b"] == 0
    assert column["z"] == 1 and column["yhat"] == column["y"] == 2 and column["L"] == 3


def test_svg_for_notebooks_and_other_formats(tmp_path):
    require_dot()
    picture = draw(corpus.logistic_regression(), wrt="b", rankdir="TB")
    svg = picture._repr_svg_()
    assert "<svg" in svg and "ŷ" in svg
    assert picture.save(tmp_path / "g.svg").read_text().count("<g id=\"edge") == 8
    assert picture.save(tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")


def test_dot_source_needs_no_program(tmp_path, monkeypatch):
    monkeypatch.setattr(drawmod.shutil, "which", lambda name: None)
    picture = draw(corpus.chain_rule_case2(), wrt="x")
    assert picture.save(tmp_path / "g.dot").read_text() == picture.source
    assert picture._repr_svg_() is None
    with pytest.raises(SympropError, match="dot program is not installed.*apt-get install graphviz"):
        picture.save(tmp_path / "g.png")


def test_bad_requests_are_clear_errors(tmp_path):
    g = corpus.logistic_regression()
    with pytest.raises(SympropError, match="not a parameter"):
        draw(g, wrt="nope")
    with pytest.raises(SympropError, match="input, not a parameter"):
        draw(g, wrt="x1")
    with pytest.raises(SympropError, match="rankdir"):
        draw(g, rankdir="sideways")
    with pytest.raises(SympropError, match=r"\.svg, \.png, \.pdf, \.tex or \.dot"):
        draw(g).save(tmp_path / "g.jpg")
    with pytest.raises(SympropError, match="does not exist"):
        draw(g).save(tmp_path / "no" / "g.dot")


def test_readable_labels_from_the_notation():
    assert latex_to_html(r"w_{1\to 2}^{[1]}") == "w<SUB>1→2</SUB><SUP>[1]</SUP>"
    assert latex_to_html(r"\hat{y}") == "ŷ" and latex_to_html(r"\mathcal{L}") == "ℒ"
    assert latex_to_html(r"\beta_{2}") == "β<SUB>2</SUB>"
    assert latex_to_html("a<b & c") == "a&lt;b&amp;c"   # HTML-escaped, spaces dropped
    g = mlp([2, 3, 1], activation="tanh")
    assert label(g.partial("z1_1", "a1_1"), g) == "1 − (a<SUB>1</SUB><SUP>[1]</SUP>)<SUP>2</SUP>"
    g2 = corpus.CORPUS["relu_softmax_ce"]()
    assert label(g2.partial("z1_1", "a1_1"), g2) == "H(a<SUB>1</SUB><SUP>[1]</SUP>)"


# ----------------------------------------------------------------- dot shut out, files whole
class BrokenDigraph:
    """A digraph whose DOT text dot rejects (as a graphviz bug or a bad attribute would)."""

    source = 'digraph { a -> b [label=<unclosed <B>bold>]; "\x1b[31mred" }\n'


def test_a_dot_failure_is_one_line_and_dot_prints_nothing(tmp_path, capfd):
    require_dot()
    target = tmp_path / "g.svg"
    target.write_text("old picture")
    with pytest.raises(SympropError) as failed:
        drawmod.Picture(BrokenDigraph()).save(target)
    message = str(failed.value)
    assert message.startswith("dot could not render the picture as svg (exit status")
    assert "\n" not in message and message.isprintable() and len(message) < 300
    assert capfd.readouterr() == ("", "")  # dot's own stderr is not passed through
    assert target.read_text() == "old picture"  # the failed render replaced nothing
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.svg"]


def test_dot_warnings_on_success_are_not_passed_through(tmp_path, capfd):
    require_dot()

    class Warns:
        source = 'digraph { a [shape=nosuchshape]; a -> b }\n'

    assert drawmod.Picture(Warns()).save(tmp_path / "g.svg").read_bytes().startswith(b"<?xml")
    assert capfd.readouterr() == ("", "")


def test_the_graph_command_checks_its_output_before_any_work(tmp_path, monkeypatch, capsys):
    from symprop.front.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.svg").mkdir()
    monkeypatch.setattr("symprop.front.spec.load_spec",
                        lambda *a: pytest.fail("the spec was read before -o was checked"))
    for output, reason in (("g.jpg", "must end in .svg, .png, .pdf, .tex or .dot"),
                           ("no/g.svg", "folder no does not exist"),
                           ("taken.svg", "it is a folder"), (".svg", "must end in")):
        assert main(["graph", "spec.toml", "-o", output]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and reason in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.svg"]


def test_without_dot_a_rendered_picture_is_refused_before_drawing(tmp_path, monkeypatch):
    monkeypatch.setattr(drawmod.shutil, "which", lambda name: None)
    with pytest.raises(SympropError, match="dot program is not installed"):
        drawmod.check_picture_path(tmp_path / "g.png")
    assert drawmod.check_picture_path(tmp_path / "g.dot") == tmp_path / "g.dot"


def test_a_saved_picture_replaces_the_old_one_whole(tmp_path):
    target = tmp_path / "g.dot"
    target.write_text("old")
    picture = draw(corpus.chain_rule_case1())
    assert picture.save(target).read_text() == picture.source
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.dot"]
