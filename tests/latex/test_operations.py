"""The lesson's computation graph of operations, with the lesson's own numbers."""
import re

import pytest

from symprop import SympropError, mlp
from symprop.front.seeds import logistic_regression, multiple_paths
from symprop.latex.operations import MOST_VERTICES, operations
from symprop.latex.picture import draw


def _labels(source):
    """{vertex: label text} and {(tail, head): edge label} from the DOT text."""
    vertices = dict(re.findall(r"^\t(\w+) \[label=<(.*)> \w+=", source, re.M))
    edges = {(a, b): l for a, b, l in re.findall(r"^\t(\w+) -> (\w+) \[label=<(.*?)>\]",
                                                 source, re.M)}
    return vertices, edges


def test_logistic_regression_is_drawn_as_the_lesson_draws_it():
    g = logistic_regression()
    kinds = {v.name: v.operation for v in operations(g)}
    assert kinds["w1x1"] == kinds["w2x2"] == "×" and kinds["z"] == "+"
    vertices, edges = _labels(draw(g, operations=True).source)
    # The lesson's cells: w1x1 = -6, w2x2 = 7.5, yhat = 0.6225, L = 0.4741 forward;
    # dL/dz = -0.3775, dL/dyhat = -1.6065, dL/dw1 = -0.5663, dL/dw2 = -0.9439 backward.
    for vertex, numbers in {"w1x1": ("−6", "−0.3775"), "w2x2": ("7.5", "−0.3775"),
                            "z": ("0.5", "−0.3775"), "yhat": ("0.6225", "−1.6065"),
                            "w1": ("−4", "−0.5663"), "w2": ("3", "−0.9439"),
                            "L": ("0.4741",)}.items():
        for number in numbers:
            assert number in vertices[vertex], (vertex, number)
    # a product takes the other value; a sum passes the gradient through
    assert edges["w1", "w1x1"] == "1.5" and edges["w2", "w2x2"] == "2.5"
    assert edges["w1x1", "z"] == edges["w2x2", "z"] == edges["b", "z"] == "1"
    assert edges["z", "yhat"] == "0.235"        # dyhat/dz = 0.2350
    assert edges["yhat", "L"] == "−1.6065"      # dL/dyhat
    assert ("x1", "w1x1") not in edges          # data: dashed, no gradient flows to it


def test_a_graph_of_functions_is_one_vertex_a_node_and_renders():
    g = multiple_paths()
    vertices = operations(g)
    assert {v.name for v in vertices if v.operation} == {str(n) for n in g.node_symbols}
    picture = draw(g, operations=True, values={"x": 0.5, "y": 1.0, "w": 0.3, "v": -0.2,
                                               "u": 0.7})
    assert picture.pipe("svg").startswith(b"<?xml")


def test_a_matrix_graph_or_a_large_one_is_refused_by_name():
    with pytest.raises(SympropError, match="scalar graph"):
        operations(mlp([2, 3, 2], form="matrix"))
    with pytest.raises(SympropError, match=f"at most {MOST_VERTICES}"):
        operations(mlp([4, 8, 8, 2]))


def test_the_graph_command_draws_the_operations_or_refuses_a_matrix_spec(tmp_path):
    from pathlib import Path

    from command import in_process

    examples = Path(__file__).parents[2] / "examples"
    done = in_process("graph", str(examples / "logistic_regression.toml"), "--operations",
                      "-o", "ops.dot", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "−0.3775" in (tmp_path / "ops.dot").read_text(encoding="utf-8")
    refused = in_process("graph", str(examples / "seed_001_matrix.toml"), "--operations",
                         "-o", "ops.dot", cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.decode().count("\n") == 1 and "scalar graph" in refused.stderr.decode()


def test_the_notes_figure_of_operations_carries_the_lessons_numbers_in_tex():
    from test_picture import require_dot

    from symprop import notes
    from symprop.latex.operations_figure import operations_layout

    require_dot()
    layout = operations_layout(logistic_regression())
    tex = {n.tex for n in layout.nodes}
    # The lesson's cells again, as the notes' TeX sets them (an ASCII minus in math).
    for line in (r"w_{1} x_{1} = -6", r"w_{2} x_{2} = 7.5", r"\hat{y} = 0.6225",
                 r"\mathcal{L} = 0.4741", r"\partial \mathcal{L} / \partial v = -0.3775",
                 r"\partial \mathcal{L} / \partial v = -1.6065",
                 r"\partial \mathcal{L} / \partial v = -0.5663",
                 r"\partial \mathcal{L} / \partial v = -0.9439"):
        assert any(line in t for t in tex), line
    assert sum(r"\times" in t for t in tex) == 2 and sum(t.startswith(r"\begin{array}{c} +")
                                                         for t in tex) == 1
    # Edges: x1 and x2 into the products, 1 out of each product and b into the sum,
    # dyhat/dz = 0.235, dL/dyhat = -1.6065; x1, x2 and y are data: dashed, bare.
    assert sorted(e.label for e in layout.edges if e.label) == sorted(
        ["1.5", "2.5", "1", "1", "1", "0.235", "-1.6065"])
    assert sum(e.dashed for e in layout.edges) == 3
    document = notes(logistic_regression())
    assert document.count(r"\begin{tikzpicture}") == 2      # the graph's and the operations'
    assert operations_layout(mlp([2, 3, 2])) is None         # a network: its figure is enough


def test_the_operations_section_is_the_table_and_the_lessons_figure():
    from test_picture import require_dot

    from symprop.latex import lesson_document
    from symprop.latex.blocks import Figure, Table

    require_dot()
    graph = logistic_regression()
    shown = lesson_document.operations_blocks(graph)
    kinds = [type(b) for b in shown]
    assert Table in kinds and kinds[-1] is Figure
    # The figure's vertices carry the lesson's numbers: w1 x1 = -6 and its gradient -0.3775.
    texts = [n.tex for n in shown[-1].layout.nodes]
    assert any("w_{1} x_{1} = -6" in t and "-0.3775" in t for t in texts)
