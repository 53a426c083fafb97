r"""The LaTeX reader: the seeds' notation, names matched to the graph, derivative fractions.

Expected expressions are built here from the graph's symbols, by hand.
"""
import pytest
import sympy

from corpus import chain_rule_case2, logistic_regression, multiple_paths, seed_network
from hand_derivations import seed001_logistic
from symprop import SympropError, relu, sigmoid, softplus, step
from symprop.parse.latex import LatexReadError, read_derivation, read_latex

NET = seed_network()
LR = logistic_regression()
S = {name: NET.symbol(name) for name in NET.namespace()}


def same(a, b):
    return sympy.expand(a - b) == 0


@pytest.mark.parametrize("text, expected", [
    (r"a_1^{[2]}", S["a2_1"]),                      # a name, never a power
    (r"a_{1}^{[2]}", S["a2_1"]),
    (r"a^{[2]}_1", S["a2_1"]),
    (r"a_1^{(2)}", S["a2_1"]),
    (r"a_1^{[2]}^2", S["a2_1"] ** 2),
    (r"{a_1^{[2]}}^{2}", S["a2_1"] ** 2),
    (r"w_{2\to 1}^{[2]}", S["w2_2_1"]),               # long form
    (r"w_{2 \rightarrow 1}^{[2]}", S["w2_2_1"]),
    (r"w_2^{[2]}", S["w2_2_1"]),                      # the seed's short form
    (r"w_{1\to 2}^{[1]}", S["w1_1_2"]),
    (r"w_2^{[1]}", S["w1_1_2"]),
    (r"b_1^{[2]}", S["b2_1"]),
    (r"z_2^{[1]}", S["z1_2"]),
    (r"a_1^{[0]}", S["x"]),                           # the seed's relabelling x = a_1^{[0]}
    (r"\hat{y}", S["a2_1"]),                          # the network output
    (r"\mathcal{L}", S["L"]),
    (r"w2_2_1 a1_2", S["w2_2_1"] * S["a1_2"]),        # identifiers
    (r"x y", S["x"] * S["y"]),                        # implicit multiplication
    (r"a_1^{[1]}(1 - a_1^{[1]})", S["a1_1"] * (1 - S["a1_1"])),
    (r"a_1^{[1]} \cdot x", S["a1_1"] * S["x"]),
    (r"a_1^{[1]} \times x", S["a1_1"] * S["x"]),
    (r"1 . x", S["x"]),                               # the seed's "1 ." product
    (r"0.5 x", S["x"] / 2),
    (r"\left( x + y \right) x", (S["x"] + S["y"]) * S["x"]),
    (r"\sigma(z_1^{[2]})", sigmoid(S["z2_1"])),
    (r"\sigma\left(w_1^{[2]} a_1^{[1]} + b_1^{[2]}\right)",
     sigmoid(S["w2_1_1"] * S["a1_1"] + S["b2_1"])),
    (r"\tanh(x)", sympy.tanh(S["x"])),
    (r"\log(x)", sympy.log(S["x"])),                  # natural log, as in the seeds
    (r"\ln x", sympy.log(S["x"])),
    (r"\exp(-x)", sympy.exp(-S["x"])),
    (r"e^{-x}", sympy.exp(-S["x"])),
    (r"\frac{1}{1 + e^{-z_1^{[2]}}}", 1 / (1 + sympy.exp(-S["z2_1"]))),
    (r"\mathrm{ReLU}(x)", relu(S["x"])),
    (r"\operatorname{ReLU}(x)", relu(S["x"])),
    (r"\mathrm{softplus}(x)", softplus(S["x"])),
    (r"\mathrm{step}(x)", step(S["x"])),
    (r"\sqrt{x}", sympy.sqrt(S["x"])),
    (r"\frac{1}{m} x", S["x"] / sympy.Symbol("m", positive=True)),
    (r"$\displaystyle x\,y$", S["x"] * S["y"]),
    (r"\color{red}{x} y", S["x"] * S["y"]),
])
def test_notation(text, expected):
    assert same(read_latex(text, NET), expected)


def test_subscripted_inputs_and_hat():
    x1, y, yhat = LR.symbol("x1"), LR.symbol("y"), LR.symbol("yhat")
    assert same(read_latex(r"x_1 (\hat{y} - y)", LR), x1 * (yhat - y))
    assert same(read_latex(r"x_{1}\hat{y}", LR), x1 * yhat)


def test_declared_latex_names_are_read():
    g = seed001_logistic()
    assert same(read_latex(r"(y_p - y) X", g),
                (g.symbol("yp") - g.symbol("y")) * g.symbol("X"))


def test_loss_derivative_fraction_is_the_adjoint():
    # dL/dz1^{[2]} = a - y for sigmoid with log loss (seed 000, Example 1)
    assert same(read_latex(r"\frac{\partial \mathcal{L}}{\partial z_1^{[2]}}", NET),
                S["a2_1"] - S["y"])
    a, y = S["a2_1"], S["y"]
    assert same(read_latex(r"\frac{\partial \mathcal{L}}{\partial a_1^{[2]}}", NET),
                -y / a + (1 - y) / (1 - a))


def test_edge_fraction_is_the_local_partial():
    assert read_latex(r"\frac{\partial z_1^{[2]}}{\partial a_2^{[1]}}", NET) == S["w2_2_1"]
    assert same(read_latex(r"\frac{\partial a_1^{[2]}}{\partial z_1^{[2]}}", NET),
                S["a2_1"] * (1 - S["a2_1"]))
    g = chain_rule_case2()
    assert read_latex(r"\frac{\partial f}{\partial g}", g) == g.symbol("h")
    assert read_latex(r"\frac{\mathrm{d} h}{\mathrm{d} x}", g) == 2 * g.symbol("x")
    assert read_latex(r"\frac{dg}{dx}", g) == 3


def test_fraction_without_an_edge_sums_the_paths():
    g = multiple_paths()
    yhat, h, u, v = (g.symbol(n) for n in ("yhat", "h", "u", "v"))
    # yhat depends on h through p = v h and through q = u h + w
    assert same(read_latex(r"\frac{\partial \hat{y}}{\partial h}", g),
                yhat * (1 - yhat) * (u + v))


def test_chains_and_aligned_blocks_are_split_into_steps():
    text = r"""\begin{align*}
    \frac{\partial \mathcal{L}}{\partial b_1^{[2]}} &= \frac{\partial \mathcal{L}}{\partial z_1^{[2]}} \\
    &= a_1^{[2]} - y
    \end{align*}"""
    derivation = read_derivation(text, NET)
    assert derivation.about == (S["L"], S["b2_1"])
    assert [s.latex for s in derivation.steps] == [
        r"\frac{\partial \mathcal{L}}{\partial z_1^{[2]}}", "a_1^{[2]} - y"]
    assert derivation.steps[1].expr == S["a2_1"] - S["y"]
    plain = read_derivation(r"x = y = x y", NET)
    assert plain.about is None and len(plain.steps) == 3


def test_unknown_name_lists_close_matches():
    with pytest.raises(LatexReadError) as error:
        read_latex(r"a_3^{[2]} - y", NET)
    assert "a_3^{[2]}" in str(error.value) and "a_{1}^{[2]} (a2_1)" in str(error.value)
    with pytest.raises(LatexReadError, match="yhat"):
        read_latex(r"x (yhat - y)", NET)
    with pytest.raises(LatexReadError, match=r"z \(z\)"):
        read_latex(r"\frac{\partial \mathcal{L}}{\partial z_2}", LR)


@pytest.mark.parametrize("text, phrase", [
    (r"u(x)", "unknown name 'u'"),       # f, g, h are the one activation (test_textbook_notation)
    (r"x = y", "expected one expression"),
    (r"x = ", "nothing on one side"),
    (r"\sigma x", "needs its argument in parentheses"),
    (r"\partial x", "outside a derivative fraction"),
    (r"x!", "factorial"),
    (r"\frac{1}{0}", "divides by zero"),
    (r"x' + 1", "prime"),
    (r"x, y", "comma"),
    (r"x +", "reading stopped"),
    (r"I x", "unknown name 'I'"),
])
def test_what_cannot_be_read_is_said(text, phrase):
    with pytest.raises(LatexReadError, match=phrase.replace("(", r"\(")):
        read_latex(text, NET)


def test_reader_errors_are_symprop_errors():
    assert issubclass(LatexReadError, SympropError)


def test_a_renamed_symbol_reads_by_its_new_name_after_a_claim_was_read():
    # The reader gathers the graph's names once; set_latex makes it gather them again.
    g = logistic_regression()
    assert read_latex(r"\hat{y} - y", g) == g.symbol("yhat") - g.symbol("y")
    g.set_latex("yhat", "p")
    assert read_latex(r"p - y", g) == g.symbol("yhat") - g.symbol("y")
    assert g.verify("b", r"p - y").equivalent
