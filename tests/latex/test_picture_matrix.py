"""Pictures of matrix graphs: one node per matrix, one edge per layer-level edge labelled
with its vector-Jacobian step in seed 001's notation, the paths of a parameter highlighted."""
import os
import re
import shutil

import pytest
import sympy
from sympy import MatrixSymbol, OneMatrix

from symprop import SympropError
from symprop.registry.functions import sigmoid
from symprop.latex.labels import label
from symprop.ir import matrix_ops as ops
from symprop import matrix_mlp
from symprop.ir.graph import MatrixGraph
from symprop.latex.picture import HIGHLIGHT, draw

IN_CI = os.environ.get("CI") == "true"
EDGE = re.compile(r"^\s*(\w+) -> (\w+) \[(.*)\]$", re.MULTILINE)
NODE = re.compile(r"^\s*(\w+) \[label=<(.*?)> (.*)\]$", re.MULTILINE)
SYMPY_NAMES = ("HadamardProduct", "HadamardPower", "Lambda", "Apply", "Dummy", "MatMul",
               "OneMatrix", "Transpose", "Heaviside", ".T", "_d", "dL_")
# The seed's network [4, 5, 3] by hand: Z1 = W1 X + b1, A1 = f(Z1), Z2 = W2 A1 + b2,
# A2 = softmax(Z2), L = ce(A2, Y).
SEED_EDGES = {("X", "Z1"), ("W1", "Z1"), ("b1", "Z1"), ("Z1", "A1"), ("A1", "Z2"),
              ("W2", "Z2"), ("b2", "Z2"), ("Z2", "A2"), ("A2", "L"), ("Y", "L")}


def require_dot():
    if shutil.which("dot") is None:
        if IN_CI:
            pytest.fail("graphviz's dot program must be installed in CI")
        pytest.skip("graphviz's dot program is not installed (apt-get install graphviz)")


def seed_network(**options):
    options = {"activation": "relu", "output": "softmax", "loss": "ce", "one_hot": True,
               **options}
    return matrix_mlp([4, 5, 3], **options)


def edge_labels(picture):
    """``{(parent, child): (label, attributes)}`` of the labelled edges (the data's have none)."""
    return {(m[1], m[2]): (re.search(r"label=<(.*)>", m[3])[1], m[3])
            for m in EDGE.finditer(picture.source) if "label=<" in m[3]}


def test_one_labelled_edge_per_layer_level_edge():
    g = seed_network()
    edges = [(m[1], m[2]) for m in EDGE.finditer(draw(g).source)]
    assert len(edges) == len(set(edges)) == len(g.edges) == len(SEED_EDGES)
    assert set(edges) == SEED_EDGES
    assert {(str(e.parent), str(e.child)) for e in g.edges} == SEED_EDGES
    assert all(text for text, _ in edge_labels(draw(g)).values())


def test_one_node_per_declared_matrix_under_its_latex_name():
    g = seed_network()
    g.set_latex("A2", "P")
    nodes = {m[1]: m[2] for m in NODE.finditer(draw(g).source)}
    assert nodes == {"X": "X", "Y": "Y", "W1": "W<SUB>1</SUB>", "b1": "b<SUB>1</SUB>",
                     "Z1": "Z<SUB>1</SUB>", "A1": "A<SUB>1</SUB>", "W2": "W<SUB>2</SUB>",
                     "b2": "b<SUB>2</SUB>", "Z2": "Z<SUB>2</SUB>", "A2": "P",
                     "L": "ℒ"}


def test_edge_labels_are_seed_001s_backward_steps():
    labels = {k: text for k, (text, _) in edge_labels(draw(seed_network())).items()}
    # Seed 001 by hand: dW = dZ X^T, dA_prev = W^T dZ, dZ1 = dA1 o relu'(Z1) (H, the step),
    # db = dZ 1 (the sum over the batch).
    assert labels["W1", "Z1"] == "∂ℒ/∂Z<SUB>1</SUB> · Xᵀ"
    assert labels["W2", "Z2"] == "∂ℒ/∂Z<SUB>2</SUB> · A<SUB>1</SUB>ᵀ"
    assert labels["A1", "Z2"] == "W<SUB>2</SUB>ᵀ · ∂ℒ/∂Z<SUB>2</SUB>"
    assert labels["Z1", "A1"] == "∂ℒ/∂A<SUB>1</SUB> ⊙ H(Z<SUB>1</SUB>)"
    assert labels["b2", "Z2"] == "∂ℒ/∂Z<SUB>2</SUB> · <B>1</B>"
    # L = (1/m) sum -Y log A2, so dL/dA2 = -(1/m) Y / A2 entry by entry.
    assert labels["A2", "L"] == "−1/m · (A<SUB>2</SUB><SUP>∘−1</SUP> ⊙ Y)"
    # The data's edges (X, Y) carry no label: no gradient flows back to them.
    assert ("Y", "L") not in labels and ("X", "Z1") not in labels
    assert 'color="#999999" style=dashed' in draw(seed_network()).source


@pytest.mark.parametrize("options", [
    {},
    {"activation": "sigmoid", "output": "sigmoid", "loss": "bce", "one_hot": False},
    {"activation": "tanh", "output": "identity", "loss": "mse", "one_hot": False},
    {"activation": "leaky_relu", "output": "softmax", "loss": "ce", "one_hot": False},
])
def test_no_sympy_class_names_in_labels(options):
    g = seed_network(**options)
    for (parent, child), (text, _) in edge_labels(draw(g)).items():
        assert not any(name in text for name in SYMPY_NAMES), (parent, child, text)


def test_sigmoid_derivative_is_written_in_the_layers_output():
    g = seed_network(activation="sigmoid", output="sigmoid", loss="bce", one_hot=False)
    labels = {k: text for k, (text, _) in edge_labels(draw(g)).items()}
    # sigma'(Z1) = A1 o (1 - A1): the three factors, in any order.
    factors = set(labels["Z1", "A1"].split(" ⊙ "))
    assert factors == {"∂ℒ/∂A<SUB>1</SUB>", "A<SUB>1</SUB>", "(<B>1</B> − A<SUB>1</SUB>)"}


@pytest.mark.parametrize("wrt, path", [
    ("W2", ["W2", "Z2", "A2", "L"]),
    ("b1", ["b1", "Z1", "A1", "Z2", "A2", "L"]),
])
def test_the_paths_of_wrt_are_highlighted(wrt, path):
    picture = draw(seed_network(), wrt=wrt)
    hot = {k for k, (_, attrs) in edge_labels(picture).items() if HIGHLIGHT in attrs}
    assert hot == set(zip(path, path[1:]))
    lit = {m[1] for m in NODE.finditer(picture.source) if HIGHLIGHT in m[3]}
    assert lit == set(path)
    assert repr(picture) == f"Picture(10 edges, paths of {wrt} highlighted)"


def test_a_node_used_twice_gets_an_edge_to_each_user():
    g = MatrixGraph()
    X, Y = g.input("X", 2), g.input("Y", 2)
    W = g.param("W", 2, 2)
    Z = g.node("Z", W * X)
    A = g.node("A", ops.apply(sigmoid, Z))
    S = g.node("S", ops.hadamard(A, Z) + A.T.T)  # a skip: A and Z both feed S
    g.loss("L", ops.Loss("mse", S, Y))
    labels = {k: text for k, (text, _) in edge_labels(draw(g, wrt="W")).items()}
    assert set(labels) == {("W", "Z"), ("Z", "A"), ("Z", "S"), ("A", "S"), ("S", "L")}
    assert labels["Z", "S"] == "∂ℒ/∂S ⊙ A"
    for text in labels.values():
        assert not any(name in text for name in SYMPY_NAMES), text


def test_bad_wrt_is_a_clear_error():
    with pytest.raises(SympropError, match="Z1 is a node, not a parameter"):
        draw(seed_network(), wrt="Z1")


def test_svg_and_png_render(tmp_path):
    require_dot()
    picture = draw(seed_network(), wrt="W1")
    svg = picture.save(tmp_path / "net.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert svg.count('class="edge"') == 10
    assert "⊙" in svg and "ᵀ" in svg and "∂ℒ/∂Z" in svg
    png = picture.save(tmp_path / "net.png")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and png.stat().st_size > 5000


def test_label_printer_matrix_pieces_without_a_graph():
    m = sympy.Symbol("m")
    A, B = MatrixSymbol("A", 2, m), MatrixSymbol("B", 2, m)
    assert label(sympy.Transpose(A + B)) == "(A + B)ᵀ"
    assert label(sympy.HadamardPower(A - B, 2)) == "(A − B)<SUP>∘2</SUP>"
    assert label(ops.Softmax(A)) == "softmax(A)"
    assert label(ops.scale(2, A) - B) == "2A − B"
    assert label(ops.matmul(A, OneMatrix(m, 1))) == "A · <B>1</B>"
