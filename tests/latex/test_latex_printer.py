"""The printer speaks the seeds' notation (DESIGN.md, "Notation")."""
import pytest
import sympy

import corpus
from symprop import Graph, SympropError, mlp, relu, sigmoid, softmax, step
from symprop.latex.printer import colored, latex, partial_fraction


@pytest.fixture(scope="module")
def net():
    return mlp([1, 2, 1])


def test_layer_symbols_in_the_seed_notation(net, katex):
    # Seed 000: w_1^{[2]} (short form: one side of the layer has one node), a, b, z, L.
    assert katex.add(latex(net.symbol("w2_1_1"), net)) == r"w_{1}^{[2]}"
    assert katex.add(latex(net.symbol("w1_1_2"), net)) == r"w_{2}^{[1]}"
    assert katex.add(latex(net.symbol("b2_1"), net)) == r"b_{1}^{[2]}"
    assert katex.add(latex(net.symbol("a1_2"), net)) == r"a_{2}^{[1]}"
    assert katex.add(latex(net.symbol("L"), net)) == r"\mathcal{L}"
    wide = mlp([2, 3, 1])
    assert katex.add(latex(wide.symbol("w1_2_3"), wide)) == r"w_{2\to 3}^{[1]}"


def test_yhat_and_linear_combination_as_the_seed_writes_them(katex):
    g = corpus.logistic_regression()
    assert katex.add(latex(g.symbol("yhat"), g)) == r"\hat{y}"
    # z = w1 x1 + w2 x2 + b: weights before the values they weigh, bias last.
    assert katex.add(latex(g.expr("z"), g)) == r"w_{1} x_{1} + w_{2} x_{2} + b"


def test_seed_forward_equation_of_the_output_node(net, katex):
    # Seed: z_1^{[2]} = w_1^{[2]}a_1^{[1]} + w_2^{[2]}a_2^{[1]} + b_1^{[2]}
    tex = katex.add(latex(net.expr("z2_1"), net))
    assert tex == r"w_{1}^{[2]} a_{1}^{[1]} + w_{2}^{[2]} a_{2}^{[1]} + b_{1}^{[2]}"


def test_registry_functions_by_their_latex_names(katex):
    z1, z2, z3 = sympy.symbols("z1 z2 z3")
    assert katex.add(latex(sigmoid(z1))) == r"\sigma(z_{1})"
    assert katex.add(latex(relu(z1))) == r"\operatorname{ReLU}(z_{1})"
    assert katex.add(latex(softmax(2, z1, z2, z3))) == (
        r"\operatorname{softmax}_{2}(z_{1}, z_{2}, z_{3})")
    assert katex.add(latex(step(z1))) == r"H(z_{1})"
    assert katex.add(latex(sigmoid(z1) ** 2)) == r"(\sigma(z_{1}))^{2}"
    many = katex.add(latex(softmax(1, *sympy.symbols("z1:9"))))
    assert r"\dots" in many and "z_{8}" in many and "z_{5}" not in many


def test_a_layer_symbol_squared_is_never_a_double_superscript(net, katex):
    a = net.symbol("a1_1")
    assert katex.add(latex(1 - a**2, net)) == r"1 - \left(a_{1}^{[1]}\right)^{2}"


def test_sums_put_positive_terms_first(net, katex):
    a, y = net.symbol("a2_1"), net.symbol("y")
    assert katex.add(latex(a - y, net)) == r"a_{1}^{[2]} - y"
    assert katex.add(latex(a * (1 - a), net)) == r"a_{1}^{[2]} \left(1 - a_{1}^{[2]}\right)"


def test_partial_fraction_with_and_without_colours(net, katex):
    assert katex.add(partial_fraction(net, "z2_1", "b2_1")) == (
        r"\frac{\partial z_{1}^{[2]}}{\partial b_{1}^{[2]}}")
    assert katex.add(partial_fraction(net, "L", "a2_1", colors={"L": "red", "a2_1": "green"})) == (
        r"\frac{\color{red}{\partial \mathcal{L}}}{\color{green}{\partial a_{1}^{[2]}}}")


def test_users_rename_a_symbol(katex):
    g = corpus.logistic_regression()
    g.set_latex("yhat", r"\hat{y}_{\text{pred}}")
    assert katex.add(latex(g.expr("L"), g)).count(r"\hat{y}_{\text{pred}}") == 2
    # ... or for one printout only
    assert katex.add(latex(g.expr("z"), g, names={"b": r"\beta"})) == (
        r"w_{1} x_{1} + w_{2} x_{2} + \beta")


def test_a_colour_must_be_an_xcolor_name():
    assert colored("x", "red!50") == r"\color{red!50}{x}"
    with pytest.raises(SympropError, match="xcolor"):
        colored("x", "red}{\\evil")


def test_every_corpus_graph_prints(katex):
    for name, build in corpus.CORPUS.items():
        g = build()
        for node in g.node_symbols:
            katex.add(latex(g.expr(node), g), f"{name}:{node}")
        for edge in g.edges:
            katex.add(latex(edge.partial, g), f"{name}:{edge.parent}->{edge.child}")


def test_undeclared_symbols_print_as_sympy_does(katex):
    g = Graph()
    assert katex.add(latex(sympy.Symbol("x1") + 1, g)) == "x_{1} + 1"


def _luminance(hex_colour):
    """WCAG relative luminance of ``RRGGBB``: 0 black, 1 white."""
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(int(hex_colour[i:i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_the_palette_is_readable_css_colours_the_pdf_defines_alike(katex):
    """KaTeX sets \\color{green} as CSS's #008000 (the lesson's); xcolor's green is #00FF00.
    The preamble defines every colour to its CSS value, so PDF and HTML agree."""
    from symprop.latex.derivation import CSS_COLORS, PALETTE
    from symprop.latex.document import PREAMBLE

    assert CSS_COLORS["green"] == "008000"
    for name in ("red", "blue", *PALETTE):
        assert rf"\definecolor{{{name}}}{{HTML}}{{{CSS_COLORS[name]}}}" in PREAMBLE
        assert (1.05) / (_luminance(CSS_COLORS[name]) + 0.05) >= 2.5, name  # contrast on white
        katex.add(colored("x", name))


def test_a_derivative_too_long_to_read_in_a_product_prints_as_the_functions_prime():
    from symprop import mlp

    g = mlp([2, 2, 1], activation="gelu")
    tex = g.derive("w1_1_1").latex()
    assert r"\operatorname{GELU}'(z_{1}^{[1]})" in tex and r"\tanh" not in tex
    assert g.verify("w1_1_1", tex.split(r"\\")[-1].split("&=")[1].split(r"\qquad")[0])
    # short derivatives stay written out: the logistic's a(1 - a), tanh's 1 - a^2
    assert r"\sigma'" not in mlp([2, 2, 1]).derive("w1_1_1").latex()
