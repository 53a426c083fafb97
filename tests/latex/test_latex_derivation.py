"""Derivations as the seed writes them: golden tests from seed 000's Examples 1 and 2.

Expected fragments are copied by hand from the seed's text
(../shared/seeds/000_df76b5f188aba2c7.txt) and compared after a normalisation
that only removes spelling differences (``z_1`` vs ``z_{1}``, ``\\left(`` vs ``(``).
"""
import re

import pytest

import corpus
from symprop import Graph, SympropError, mlp, sigmoid

SEED_COLORS_1 = {"L": "red", "b2_1": "blue", "a2_1": "green"}
SEED_COLORS_2 = {"L": "red", "w1_1_2": "magenta", "z1_2": "gray", "a1_2": "orange",
                 "a2_1": "green"}


def norm(tex):
    tex = tex.replace(r"\rightarrow", r"\to").replace(r"\left", "").replace(r"\right", "")
    tex = tex.replace("&", "").replace(r"\\", "")
    tex = re.sub(r"\s+", "", tex)
    return re.sub(r"([_^])\{(\w)\}", r"\1\2", tex)


def lines_of(tex):
    body = tex.split(r"\begin{aligned}")[1].split(r"\end{aligned}")[0]
    return [norm(line) for line in body.split("\\\\\n")]


@pytest.fixture(scope="module")
def net():
    return mlp([1, 2, 1])


def test_example_1_bias_of_the_output_node(net, katex):
    d = net.derive("b2_1")
    tex = katex.add(d.latex(steps=("chain", "adjoint", "substitute", "simplify"),
                            colors=SEED_COLORS_1), "example 1")
    lines = lines_of(tex)
    # The chain rule, coloured as the seed colours it, factors in the seed's order.
    assert lines[0] == norm(r"""
        \frac{\color{red}{\partial \mathcal{L}}}{\color{blue}{\partial b_1^{[2]}}} =
        \frac{\partial z_1^{[2]}}{\color{blue}{\partial b_1^{[2]}}}
        \frac{\color{green}{\partial a_1^{[2]}}}{\partial z_1^{[2]}}
        \frac{\color{red}{\partial \mathcal{L}}}{\color{green}{\partial a_1^{[2]}}}""")
    # "... = \frac{\partial L}{\partial z_1^{[2]}}": the suffix of the chain is an adjoint.
    assert lines[1].endswith(norm(r"= \frac{\color{red}{\partial \mathcal{L}}}{\partial z_1^{[2]}}"))
    # Substituted: dz/db = 1, da/dz = a(1 - a), dL/da = -y/a + (1 - y)/(1 - a), in that order.
    substituted = lines[2]
    pieces = [norm("= 1"), norm(r"a_1^{[2]} (1 - a_1^{[2]})"),
              norm(r"\frac{1-y}{1-a_1^{[2]}}"), norm(r"\frac{y}{a_1^{[2]}}")]
    positions = [substituted.find(p) for p in pieces]
    assert -1 not in positions and positions[:3] == sorted(positions[:3]), substituted
    # The textbook step, named, and the simplified result a - y (= yhat - y).
    assert any(norm(r"= a_1^{[2]} - y \qquad \text{(sigmoid with binary cross-entropy)}") in l
               for l in lines)
    assert lines[-1] == norm(r"""\frac{\color{red}{\partial \mathcal{L}}}{\color{blue}{\partial b_1^{[2]}}}
                                 = a_1^{[2]} - y""")


def test_example_2_weight_of_the_hidden_layer(net, katex):
    d = net.derive("w1_1_2")
    tex = katex.add(d.latex(steps=("chain", "adjoint", "substitute", "simplify"),
                            colors=SEED_COLORS_2), "example 2")
    lines = lines_of(tex)
    assert lines[0] == norm(r"""
        \frac{\color{red}{\partial \mathcal{L}}}{\color{magenta}{\partial w_2^{[1]}}} =
        \frac{\color{gray}{\partial z_2^{[1]}}}{\color{magenta}{\partial w_2^{[1]}}}
        \frac{\color{orange}{\partial a_2^{[1]}}}{\color{gray}{\partial z_2^{[1]}}}
        \frac{\partial z_1^{[2]}}{\color{orange}{\partial a_2^{[1]}}}
        \frac{\color{green}{\partial a_1^{[2]}}}{\partial z_1^{[2]}}
        \frac{\color{red}{\partial \mathcal{L}}}{\color{green}{\partial a_1^{[2]}}}""")
    # The seed's grouping: dz/dw times dL/dz, and dz_2^{[1]}/dw_2^{[1]} = x.
    assert lines[1] == norm(r"""
        = \frac{\color{gray}{\partial z_2^{[1]}}}{\color{magenta}{\partial w_2^{[1]}}}
        \frac{\color{red}{\partial \mathcal{L}}}{\color{gray}{\partial z_2^{[1]}}}
        = x \frac{\color{red}{\partial \mathcal{L}}}{\color{gray}{\partial z_2^{[1]}}}""")
    # Local partials in the seed's order: x, a(1-a), w, a(1-a), dL/da.
    pieces = [r"=x\cdot", norm(r"a_2^{[1]} (1 - a_2^{[1]})"), norm(r"w_2^{[2]}"),
              norm(r"a_1^{[2]} (1 - a_1^{[2]})"), norm(r"\frac{1-y}{1-a_1^{[2]}}")]
    positions = [lines[2].find(p) for p in pieces]
    assert -1 not in positions and positions == sorted(positions), lines[2]
    # By hand: dL/dz_2^{[1]} = w_2^{[2]} a_2^{[1]} (1 - a_2^{[1]}) (a_1^{[2]} - y).
    assert lines[-1].endswith(norm(r"= x a_2^{[1]} (1 - a_2^{[1]}) w_2^{[2]} (a_1^{[2]} - y)"))


def test_relabel_x_as_the_seed_does(net, katex):
    # "We can relabel x = a_1^{[0]}": a per-derivation rename.
    d = net.derive("w1_1_2")
    tex = katex.add(d.latex(steps=("adjoint",), colors=SEED_COLORS_2, names={"x": "a_{1}^{[0]}"}))
    assert norm(r"= a_1^{[0]}\frac{\color{red}{\partial \mathcal{L}}}{\color{gray}{\partial z_2^{[1]}}}") in norm(tex)


def test_gradient_descent_update_line(net, katex):
    tex = katex.add(net.derive("w1_1_1").latex(update=True))
    # Seed: w_1^{[1]} = w_1^{[1]} - \alpha\frac{\partial \mathcal{L}}{\partial w_1^{[1]}}
    assert lines_of(tex)[-1] == norm(
        r"w_1^{[1]} := w_1^{[1]} - \alpha \frac{\partial \mathcal{L}}{\partial w_1^{[1]}}")
    assert r"\eta" in katex.add(net.derive("b1_1").latex(update=True, learning_rate=r"\eta"))


def test_chain_rule_case_2_as_the_lesson_writes_it(katex):
    # The lesson, case 2: df/dx = (df/dg)(dg/dx) + (df/dh)(dh/dx) = 3h + 2x(g - cos h)
    #                           = 3x^2 + 2x(3x + 1 - cos(x^2)), outer factor first, d where
    # a function of one variable is differentiated, and a two-term sum on one line.
    d = corpus.chain_rule_case2().derive("x")
    tex = katex.add(d.latex(steps=("locals", "chain", "substitute", "simplify"),
                            closed_form=True))
    lines = lines_of(tex)
    assert lines[:4] == [norm(r"\frac{\partial f}{\partial g} = h"),
                         norm(r"\frac{\mathrm{d} g}{\mathrm{d} x} = 3"),
                         norm(r"\frac{\partial f}{\partial h} = g - \cos(h)"),
                         norm(r"\frac{\mathrm{d} h}{\mathrm{d} x} = 2x")]
    assert lines[4] == norm(r"\frac{\mathrm{d} f}{\mathrm{d} x} = \frac{\partial f}{\partial g}"
                            r"\frac{\mathrm{d} g}{\mathrm{d} x} + \frac{\partial f}{\partial h}"
                            r"\frac{\mathrm{d} h}{\mathrm{d} x}")
    assert lines[5] == norm(r"= h \cdot 3 + (g - \cos(h)) \cdot 2 x")
    assert norm(r"= 3 h + 2 x (g - \cos(h))") in lines
    assert lines[-1].startswith(norm(r"= 3 x^{2} + 2 x (3 x + 1 - \cos(x^{2}))"))


def test_differential_partial_writes_a_rounded_d_everywhere():
    tex = corpus.chain_rule_case2().derive("x").latex(differential="partial")
    assert r"\mathrm{d}" not in tex and r"\frac{\partial f}{\partial x}" in tex


def test_a_networks_partials_stay_rounded_where_a_node_has_one_argument():
    # sigma(z) has one argument, but a network's nodes are functions of many variables:
    # the lesson writes da/dz with a rounded d, as every partial of its network.
    tex = corpus.seed_network().derive("w1_1_1").latex(steps=("locals", "chain"))
    assert r"\mathrm{d}" not in tex
    assert r"\frac{\partial a_{1}^{[1]}}{\partial z_{1}^{[1]}}" in tex


def test_chain_rule_case_1(katex):
    # Seed, case 1: df/dg = 2g, dg/dx = e^x + 1, df/dx = 2(e^x + x)(e^x + 1).
    d = corpus.chain_rule_case1().derive("x")
    tex = katex.add(d.latex(steps=("locals", "chain"), closed_form=True, differential="auto"))
    lines = lines_of(tex)
    assert norm(r"\frac{\mathrm{d} f}{\mathrm{d} g} = 2g") in lines
    assert norm(r"\frac{\mathrm{d} g}{\mathrm{d} x} = e^{x} + 1") in lines
    assert lines[-1].startswith(norm(r"= 2 (e^{x} + x) (e^{x} + 1)"))


def test_several_paths_underbraced(katex):
    d = corpus.multiple_paths().derive("w")
    tex = katex.add(d.latex(underbrace=True))
    assert tex.count(r"\underbrace") == 2 * d.path_count
    assert r"_{w \to h \to p \to \hat{y} \to \mathcal{L}}" in tex


def test_many_paths_are_grouped_by_adjoints(katex):
    g = mlp([2, 3, 3, 1])
    d = g.derive("w1_1_1")
    assert d.path_count == 3
    tex = katex.add(d.latex(max_paths=2))
    assert "3 paths, grouped by the adjoints" in tex
    first = lines_of(tex)[0]
    assert first == norm(r"\frac{\partial \mathcal{L}}{\partial w_{1\to 1}^{[1]}} = "
                         r"\frac{\partial z_{1}^{[1]}}{\partial w_{1\to 1}^{[1]}}"
                         r"\frac{\partial \mathcal{L}}{\partial z_{1}^{[1]}}"
                         r"\qquad\text{(3 paths, grouped by the adjoints)}")


def test_zero_gradient_says_so(katex):
    g = Graph()
    x, y = g.inputs("x y")
    w, unused = g.params("w unused")
    a = g.node("a", sigmoid(w * x))
    g.loss("L", (a - y) ** 2)
    tex = katex.add(g.derive("unused").latex(update=True))
    assert lines_of(tex) == [norm(r"\frac{\partial \mathcal{L}}{\partial unused} = 0"
                                  r"\qquad \text{(no path leads from unused to L)}")]


def test_textbook_rules_are_named_steps(katex):
    g = corpus.CORPUS["relu_softmax_onehot"]()
    tex = katex.add(g.derive("b2_1").latex())
    assert r"\text{(softmax with cross-entropy)}" in tex
    assert r"\text{(one-hot targets)}" in tex


def test_automatic_colours_one_per_node(net, katex):
    tex = katex.add(net.derive("w1_1_1").latex(colors=True))
    by_node = {}
    for chunk in tex.split(r"\color{")[1:]:
        colour, rest = chunk.split("}{", 1)
        depth, end = 1, 0
        while depth:  # the coloured group, braces balanced
            depth += {"{": 1, "}": -1}.get(rest[end], 0)
            end += 1
        by_node.setdefault(rest[:end - 1].replace(r"\partial ", ""), set()).add(colour)
    assert all(len(c) == 1 for c in by_node.values()), by_node
    assert by_node[r"\mathcal{L}"] == {"red"} and by_node["w_{1}^{[1]}"] == {"blue"}
    assert len({c for cs in by_node.values() for c in cs}) == len(by_node)


def test_bad_options_are_clear_errors(net):
    d = net.derive("b2_1")
    with pytest.raises(SympropError, match="unknown derivation step.*'chains'"):
        d.latex(steps=("chains",))
    with pytest.raises(SympropError, match="differential"):
        d.latex(differential="total")
    with pytest.raises(SympropError, match="colors"):
        d.latex(colors="red")
    with pytest.raises(SympropError, match="not declared"):
        d.latex(colors={"nope": "red"})


def test_notebook_display(net, katex):
    shown = net.derive("b2_1")._repr_latex_()
    assert shown.startswith("$") and shown.endswith("$")
    katex.add(shown.strip("$"))


def test_every_gradient_of_the_corpus_renders(katex):
    for name, build in corpus.CORPUS.items():
        g = build()
        for p in g.param_symbols:
            katex.add(g.derive(p).latex(steps=("locals", "chain", "adjoint", "substitute",
                                               "simplify"), colors=True), f"{name}:{p}")


def test_closed_forms_render(katex):
    for name in ("logistic_regression", "seed_network", "tanh_mse", "relu_softmax_ce"):
        g = corpus.CORPUS[name]()
        for p in g.param_symbols[:3]:
            katex.add(g.derive(p).latex(closed_form=True, update=True), f"{name}:{p}")


def test_a_deep_network_is_written_with_the_shared_adjoints(katex):
    # 6**11 paths: the result is x times the adjoint of z_1^{[1]}, each adjoint once.
    d = mlp([1] + [6] * 12 + [1], activation="tanh").derive("w1_1_1")
    tex = katex.add(d.latex(closed_form=True))
    assert len(tex) < 20_000
    lines = lines_of(tex)
    dz = r"\frac{\partial \mathcal{L}}{\partial z_{1}^{[1]}}"
    assert norm(r"\frac{\partial \mathcal{L}}{\partial w_{1\to 1}^{[1]}} = x " + dz) in lines
    assert norm(dz + r" = \frac{\partial \mathcal{L}}{\partial a_{1}^{[1]}} "
                r"\left(1 - \left(a_{1}^{[1]}\right)^{2}\right) \qquad \text{(shared adjoint)}") \
        in lines
    assert any(line.endswith(norm(r"\text{(97 more shared adjoints)}")) for line in lines)
    assert norm(r"\text{(in inputs and parameters: not written out") in lines[-1]


def test_rules_beyond_the_shown_number_are_counted_not_printed(katex):
    d = mlp([3, 3, 30]).derive("w1_1_1")  # sigmoid with cross-entropy at each of 30 outputs
    assert len(d.steps) == 30
    tex = katex.add(d.latex(steps=("simplify",)))
    assert tex.count("(sigmoid with binary cross-entropy)") == 12
    assert r"\text{(18 more rules applied)}" in tex
