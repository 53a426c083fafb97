"""The notes' figure: the graph laid out by dot, every edge labelled by its partial derivative,
drawn by TikZ in the PDF (math font, vector) and as SVG in the page; none where it cannot be read."""
import re
import shutil
import subprocess

import pytest
from test_picture import require_dot

import corpus
from symprop import matrix_mlp, mlp, notes
from symprop.latex import figure as figure_module
from symprop.latex.blocks import Figure
from symprop.latex.figure import _size, figure_blocks, figure_layout
from symprop.latex.to_tikz import scale, tikz_picture
from symprop.latex.to_svg import svg_picture

SMALL = ["logistic_regression", "chain_rule_case1", "chain_rule_case2", "multiple_paths",
         "seed_network", "tanh_mse", "softplus_sigmoid_bce", "relu_softmax_onehot"]


def fraction(graph, top, bottom):
    return r"\frac{\partial %s}{\partial %s}" % (graph.latex_name(top), graph.latex_name(bottom))


def test_every_vertex_once_and_every_edge_its_partial_derivative():
    require_dot()
    g = mlp([1, 2, 1])
    layout = figure_layout(g)
    assert sorted(n.tex for n in layout.nodes) == sorted(g.latex_name(s) for s in g.symbols)
    assert len(layout.edges) == len(g.edges) == 16
    labels = sorted(e.label for e in layout.edges if e.label is not None)
    # The 13 edges a gradient flows back along, each d(child)/d(parent) as the lesson's figure
    # writes it; the three out of the data (x twice, y once) are dashed and bare.
    assert labels == sorted(fraction(g, e.child, e.parent) for e in g.edges
                            if g.kind(e.parent) != "input")
    assert len(labels) == 13
    assert sum(e.dashed and e.label is None for e in layout.edges) == 3


def test_the_paths_of_the_parameter_are_red_and_nothing_else_is():
    require_dot()
    g = mlp([1, 2, 1])
    layout = figure_layout(g, wrt="b2_1")
    # b_1^[2] -> z_1^[2] -> a_1^[2] -> L: three edges and four vertices, by hand.
    hot = sorted(e.label for e in layout.edges if e.hot)
    assert hot == sorted([fraction(g, "z2_1", "b2_1"), fraction(g, "a2_1", "z2_1"),
                          fraction(g, "L", "a2_1")])
    assert sorted(n.tex for n in layout.nodes if n.hot) == sorted(
        g.latex_name(s) for s in ("b2_1", "z2_1", "a2_1", "L"))


def boxes(layout):
    """Every vertex and every label as a rectangle (x0, y0, x1, y1), its TeX set at its size."""
    out = [("vertex " + n.tex, n.x - n.width / 2, n.y - n.height / 2, n.x + n.width / 2,
            n.y + n.height / 2) for n in layout.nodes]
    for e in layout.edges:
        if e.label is not None:
            w, h = _size(e.label, figure_module.LABEL_PT)
            x, y = e.label_at
            out.append(("label " + e.label, x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    return out


@pytest.mark.parametrize("name", SMALL)
def test_no_label_overlaps_another_or_a_vertex_and_the_figure_fits_the_page(name):
    require_dot()
    graph = corpus.CORPUS[name]()
    layout = figure_layout(graph)
    assert layout is not None
    placed = boxes(layout)
    for i, (a, *r) in enumerate(placed):
        for b, *s in placed[i + 1:]:
            overlap = min(r[2], s[2]) - max(r[0], s[0]), min(r[3], s[3]) - max(r[1], s[1])
            assert min(overlap) <= 1.0, (name, a, b, overlap)
    # At most a small shrink: the labels stay near the body's size on the page.
    assert scale(layout) >= 0.85, (name, layout.width, layout.height)


def test_a_matrix_graph_labels_its_edges_as_its_chain_writes_them():
    require_dot()
    g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce")
    layout = figure_layout(g, wrt="W1")
    labels = {e.label for e in layout.edges if e.label is not None}
    # Backprop Implementation's chain: dJ/dZ2 . dZ2/dZ1 ... dZ1/dW1, one fraction an edge.
    assert {fraction(g, "Z1", "W1"), fraction(g, "A1", "Z1"), fraction(g, "Z2", "A1"),
            fraction(g, "L", "A2")} <= labels
    assert all(e.label is None for e in layout.edges if e.dashed)   # X and Y: data


def test_a_larger_graph_leaves_its_parameters_out_and_a_large_one_has_no_figure(monkeypatch):
    require_dot()
    g = corpus.CORPUS["relu_softmax_onehot"]()                   # 2-3-3: 38 vertices
    layout = figure_layout(g, wrt="w1_1_1")
    drawn = {n.tex for n in layout.nodes}
    params = {g.latex_name(p) for p in g.param_symbols}
    assert drawn & params == {g.latex_name("w1_1_1")}              # only the one in red
    assert drawn - params == {g.latex_name(s) for s in g.symbols} - params
    # Many edges: each label on one line, the same partial derivative.
    assert r"\partial z_{1}^{[2]} / \partial a_{1}^{[1]}" in {e.label for e in layout.edges}
    caption = " ".join(s for s in figure_blocks(g)[0].caption if isinstance(s, str))
    assert "other parameters" in caption and "left out" in caption
    big = mlp([3, 6, 6, 2], output="softmax", loss="ce")
    assert figure_blocks(big) == []                             # 35 vertices without them
    monkeypatch.setattr(figure_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(figure_module.shutil, "which", lambda name: None)
    assert figure_blocks(mlp([1, 2, 1])) == []
    assert "tikzpicture" not in notes(mlp([1, 2, 1]))      # the notes are written all the same


def test_the_pdf_sets_the_labels_in_the_math_font_as_text_not_as_a_picture(tmp_path):
    require_dot()
    if shutil.which("pdflatex") is None or shutil.which("pdffonts") is None:
        pytest.skip("pdflatex and poppler's pdffonts are needed")
    pdf = tmp_path / "notes.pdf"
    notes(mlp([1, 2, 1]), pdf, params=["b2_1"], numbers=False)
    tex = (tmp_path / "notes.tex").read_text()
    assert tex.count(r"\begin{tikzpicture}") == 1
    assert not list(tmp_path.glob("*.png")) and sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.pdf", "notes.tex"]                       # nothing written beside them
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
    assert len(images.stdout.strip().splitlines()) <= 2  # the header only: no raster picture
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "CMMI" in fonts                               # TeX's math italic
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "partial derivative between the two nodes" in text


def test_without_tikz_the_notes_still_compile_and_say_what_is_missing(pdflatex):
    require_dot()
    tex = notes(mlp([1, 2, 1]), params=["b2_1"], numbers=False)
    assert r"\IfFileExists{tikz.sty}" in tex
    pdf = pdflatex(tex.replace(r"\IfFileExists{tikz.sty}", r"\IfFileExists{no-such-tikz.sty}"),
                   name="notikz")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "The figure needs TikZ" in " ".join(text.split())


def test_tikz_and_svg_draw_the_same_layout():
    require_dot()
    layout = figure_layout(corpus.CORPUS["logistic_regression"](), wrt="w1")
    tikz, svg = tikz_picture(layout), svg_picture(layout)
    assert tikz.count(r"\draw[") == svg.count("marker-end=") == len(layout.edges)
    assert tikz.count(r"\node[symprop ") - tikz.count(r"\node[symprop label") == len(layout.nodes)
    assert svg.count("<ellipse ") + svg.count("<rect ") == len(layout.nodes)
    labels = [e.label for e in layout.edges if e.label is not None]
    assert re.findall(r"\\displaystyle (.*?)\$\};", tikz) == labels
    assert len(re.findall(r'<span class="math">\\displaystyle ', svg)) == len(labels)


def test_the_notes_put_the_figure_after_the_forward_pass():
    require_dot()
    from symprop.latex.document import notes_blocks

    body = notes_blocks(mlp([1, 2, 1]), numbers=False)
    kinds = [type(b).__name__ for b in body]
    assert kinds.count("Figure") == 1
    at = kinds.index("Figure")
    assert isinstance(body[at], Figure) and kinds[at - 1] == "Display"


@pytest.mark.parametrize("output", [b"not json", b'{"bb": "0,0,10,10", "objects": [{"_gvid": 0}]}',
                                    b'{"objects": []}'])
def test_a_layout_dot_does_not_give_means_no_figure_not_a_crash(monkeypatch, output):
    require_dot()
    monkeypatch.setattr(figure_module.picture, "render_dot", lambda source, format: output)
    assert figure_layout(mlp([1, 2, 1])) is None
    assert "tikzpicture" not in notes(mlp([1, 2, 1]), numbers=False)
