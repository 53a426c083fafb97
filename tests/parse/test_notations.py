r"""The notations of the standard texts, read by both readers.

Nielsen's bare-superscript layers (``a^2_1``, ``a^L_j``) and errors ``\delta^l_j``,
Ng's ``\delta^{[l]}``, ``eqnarray`` with ``&=&``, ``\text{...}`` annotations, evaluation
bars and Unicode operators.  Expected values are the graph's own symbols and its
derivation's results, never the reader's output.
"""
import pytest
import sympy

from symprop import mlp
from symprop.parse.latex import read_derivation, read_latex
from symprop.parse.latex_text import LatexReadError
from symprop.parse.matrix_latex import read_matrix_derivation


@pytest.fixture(scope="module")
def net():
    return mlp([1, 2, 1])


@pytest.fixture(scope="module")
def matrix():
    return mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True,
               form="matrix")


def _s(graph, *names):
    return [graph.symbol(n) for n in names]


@pytest.mark.parametrize("text, names", [
    (r"a^2_1", ("a2_1",)), (r"a^{2}_{1}", ("a2_1",)), (r"a^L_1", ("a2_1",)),
    (r"a^1_2 z^1_1", ("a1_2", "z1_1")), (r"a_1^{(2)}", ("a2_1",)),
])
def test_bare_superscript_layers_are_names(net, text, names):
    assert read_latex(text, net) == sympy.Mul(*_s(net, *names))


def test_a_superscript_that_names_nothing_is_a_power(net):
    x, = _s(net, "x")
    assert read_latex("x^2", net) == x ** 2


@pytest.mark.parametrize("text", [r"\delta^{[2]}", r"\delta^{[2]}_1", r"\delta^2_1", r"\delta^L",
                                  r"\delta_1^{(2)}"])
def test_delta_is_the_error_of_a_node(net, text):
    a, y = _s(net, "a2_1", "y")
    assert sympy.expand(read_latex(text, net) - (a - y)) == 0


def test_delta_on_the_left_names_the_node(net):
    derivation = read_derivation(r"\delta^1_1 = w^2_1 \delta^2 a^1_1 (1 - a^1_1)", net)
    assert derivation.about == (net.loss_symbol, net.symbol("z1_1"))
    assert net.verify("z1_1", r"\delta^1_1 = w^2_1 \delta^2 a^1_1 (1 - a^1_1)").equivalent


def test_a_chain_of_errors_then_a_gradient(net):
    claim = r"""\begin{eqnarray}
    \delta^2 &=& a^2_1 - y \nonumber \\
    \frac{\partial \mathcal{L}}{\partial w_{1}^{[2]}} &=& \delta^2 a^1_1 \quad \text{(by BP4)}
    \end{eqnarray}"""
    derivation = read_derivation(claim, net)
    assert [about[1].name for about, _ in derivation.chains()] == ["z2_1", "w2_1_1"]


def test_unicode_operators_and_evaluation_bars(net):
    a, y, a1 = _s(net, "a2_1", "y", "a1_1")
    assert read_latex("(a_1^{[2]} − y) ⋅ a_1^{[1]}", net) == (a - y) * a1
    assert read_latex(r"\left. (a_1^{[2]} - y) \right|_{x = 0.5}", net) == a - y


def test_an_unknown_layer_error_is_refused_clearly(net):
    with pytest.raises(LatexReadError, match="unknown name"):
        read_latex(r"\delta^7_1", net)


@pytest.mark.parametrize("text", [r"\delta^{[2]} A_1^{\top}", r"\delta^L A_1^T", r"\delta_2 A_1^T",
                                  "δ", r"\delta^2 A_1ᵀ"])
def test_matrix_delta_is_the_layer_error(matrix, text):
    if "δ" in text and "delta" not in text:
        with pytest.raises(LatexReadError, match="GREEK SMALL LETTER DELTA"):
            read_matrix_derivation(text, matrix)
        return
    assert matrix.verify("W2", text).equivalent


def test_matrix_block_names_each_quantity(matrix):
    derivation = read_matrix_derivation(
        r"\begin{align} \delta^{[2]} &= \frac{1}{m}(A_2 - Y) \\ dW_2 &= \delta^{[2]} A_1^T"
        r" \qquad \text{(outer product)} \end{align}", matrix)
    assert [s.about[1].name for s in derivation.steps] == ["Z2", "W2"]
