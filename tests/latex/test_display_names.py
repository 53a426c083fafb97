"""Display names are data: every name symprop and the seeds use passes, TeX programs do not."""
from pathlib import Path

import pytest
import sympy

import corpus
from symprop import Graph, SympropError, mlp
from symprop.front import seeds
from symprop.latex import display_names as dn
from symprop.latex.display_names import check_display_name, default_display_name
from symprop import matrix_mlp
from symprop.ir.graph import MatrixGraph
from symprop.front.spec import load_spec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "softplus", "identity")


def every_name(graph):
    return [graph.latex_name(s) for s in graph.symbols]


def scalar_networks():
    yield mlp([1, 2, 1])
    yield mlp([2, 3, 2], output="softmax", loss="ce", one_hot=True)
    yield mlp([3, 1, 3, 1], activation="tanh", loss="mse")
    for activation in ACTIVATIONS:
        yield mlp([2, 2, 1], activation=activation)


def matrix_networks():
    yield matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce")
    for activation in ACTIVATIONS:
        yield mlp([2, 3, 3, 2], activation=activation, output="sigmoid", loss="bce",
                  form="matrix")


def seed_graphs():
    for name in ("logistic_regression", "chain_rule_case1", "chain_rule_case2",
                 "multiple_paths", "seed_network"):
        yield getattr(seeds, name)()
    for graph in corpus.CORPUS.values():
        yield graph()


@pytest.mark.parametrize("graphs", [scalar_networks, matrix_networks, seed_graphs],
                         ids=["mlp-scalar", "mlp-matrix", "seeds-and-corpus"])
def test_every_name_symprop_makes_passes(graphs):
    names = [n for g in graphs() for n in every_name(g)]
    assert names and all(check_display_name(n) == n for n in names)
    # The seeds' notation is kept as it was, not replaced by a fallback.
    assert r"w_{1\to 2}^{[1]}" in every_name(mlp([2, 2, 1]))
    assert r"\hat{y}" in every_name(seeds.logistic_regression())


@pytest.mark.parametrize("spec", corpus.example_specs(EXAMPLES), ids=lambda p: p.name)
def test_every_example_spec_loads_with_its_names(spec):
    graph = load_spec(spec).graph
    assert all(check_display_name(n) for n in every_name(graph))


# sympy's spellings of identifiers: accents, fonts, Greek letters, primes, |x|, <x>.
SYMPY_IDENTIFIERS = ["alpha", "Alpha", "lamda", "omicron", "varphi", "hbar", "ell", "aleph",
                     "x_1_2", "xdot_1", "foo_bar_baz", "x__y", "x___1", "xprime", "xprm",
                     "xddddot", "xmathring", "xcheck", "xbreve", "xacute", "xgrave", "xbm",
                     "xbold", "xcal", "xfrak", "xnorm", "xavg", "xabs", "xmag", "ahatbar",
                     "x_", "a__", "x_dot__hat", "Xi_0", "yhat", "xvec", "xscr", "L", "np1"]


@pytest.mark.parametrize("identifier", SYMPY_IDENTIFIERS)
def test_every_default_spelling_of_an_identifier_is_a_safe_name(identifier):
    g = Graph()
    g.inputs(identifier)
    name = g.latex_name(identifier)
    assert check_display_name(name) == name
    if identifier != "xscr":  # \mathscr's font is not installed with TeX Live's basics
        assert name == sympy.latex(sympy.Symbol(identifier)) or identifier == "L"


@pytest.mark.parametrize("identifier, expected", [
    ("α1", r"\alpha_{1}"), ("Ω", r"\Omega"), ("é1", "e_{1}"), ("ﬁ", "fi"),
    ("变量", "u53d8u91cf"), ("xscr", r"\mathrm{xscr}"),
])
def test_names_pdflatex_cannot_set_fall_back_to_ascii(identifier, expected):
    proposed = sympy.latex(sympy.Symbol(identifier))
    assert default_display_name(identifier, proposed) == expected


def test_a_matrix_name_with_an_underscore_gets_one_subscript():
    g = MatrixGraph()
    g.input("X_in1", 2)
    assert g.latex_name("X_in1") == "X_{in1}"  # not X_in_{1}, a double subscript


# ----------------------------------------------------------------- refusals
HOSTILE = {
    "openin": (r"\newread\r \openin\r=/etc/passwd \read\r to\x \text{\x}", r"\newread"),
    "csname-input": (r'\csname @@input\endcsname|"kpsewhich -var-value=TEXMFROOT"', r"\csname"),
    "input": (r"\input{/etc/passwd}", r"\input"),
    "include": (r"\include{secret}", r"\include"),
    "write18": (r"\immediate\write18{touch pwned}", r"\immediate"),
    "def-loop": (r"\def\x{\x}\x", r"\def"),
    "let": (r"\let\hat\input", r"\let"),
    "catcode": (r"\catcode`\^=13", r"\catcode"),
    "at-input": (r"\@@input secret", r"\@"),
    "makeatletter": (r"\makeatletter", r"\makeatletter"),
    "end-document": (r"\end{document}", r"\end"),
    "verb": (r"\verb|x|", r"\verb"),
    "newline": ("x \\\\ y", r"\\"),
    "hat-hat": ("x^^5cinput", "^^"),
    "percent": ("x % comment", "'%'"),
    "hash": ("x#1", "'#'"),
    "tilde": ("x~y", "'~'"),
    "ampersand": ("x & y", "'&'"),
    "dollar": ("x$ \\input{a} $", "'$'"),
    "open-brace": ("x_{1", "never closed"),
    "close-brace": ("x}_1{", "closes nothing"),
    "left-alone": (r"\left( x", r"\left has no \right"),
    "right-alone": (r"x \right)", r"\right has no \left"),
    "double-subscript": ("x_1_2", "double subscript"),
    "double-superscript": ("x^1^2", "double superscript"),
    "prime-after-power": ("x^2'", "double superscript"),
    "prime-after-subscript-and-prime": ("x'_1'", "subscript after a prime"),
    "power-after-prime-and-subscript": ("x'_1^2", "subscript after a prime"),
    "power-after-prime-and-space": ("x' ^2", "double superscript"),
    "subscript-after-prime": ("x'_1", "subscript after a prime"),
    "starts-with-a-prime": ("''", "starts with a symbol, not \"'\""),
    "starts-with-a-subscript": ("_1 x", "starts with a symbol, not '_'"),
    "starts-with-a-superscript": (" ^{2}", "starts with a symbol, not '^'"),
    "thin-space-as-subscript": (r"x_\,", r"takes \, only in braces"),
    "dots-as-superscript": (r"x^\dots", r"takes \dots only in braces"),
    "operatorname-star": (r"\operatorname*{x}", "in braces"),
    "nul": ("x\x00", "U+0000"),
    "escape": ("\x1b[31mx", "U+001B"),
    "line-break": ("x\n\n y", "U+000A"),
    "tab": ("x\ty", "U+0009"),
    "unicode": ("é", "U+00E9"),
    "bidi-override": ("x\u202ey", "U+202E"),
    "too-long": ("x" * (dn.MAX_LENGTH + 1), f"at most {dn.MAX_LENGTH}"),
    "too-deep": ("{" * 20 + "x" + "}" * 20, "nested more than"),
    "empty": ("", "empty"),
    "spaces": ("   ", "empty"),
    "lone-backslash": ("x\\", "lone backslash"),
    "script-without-argument": ("x_", "needs an argument"),
    "accent-of-command": (r"\hat\input x", r"\input"),
    "text-with-command": (r"\text{\input{x}}", "plain words only"),
    "text-with-underscore": (r"\text{a_b}", "plain words only"),
}


@pytest.mark.parametrize("text, named", HOSTILE.values(), ids=HOSTILE.keys())
def test_anything_else_is_refused_by_name(text, named):
    with pytest.raises(SympropError) as refused:
        check_display_name(text)
    message = str(refused.value)
    assert named in message and message.isprintable() and len(message) < 400


def test_a_non_string_is_refused():
    with pytest.raises(SympropError, match="expected a string, got int"):
        check_display_name(3)


def test_the_python_api_refuses_in_every_place_a_name_is_given():
    payload = r"\input{/etc/passwd}"
    g = Graph()
    with pytest.raises(SympropError, match=r"display name of x .*the command \\input"):
        g.inputs("x", latex={"x": payload})
    with pytest.raises(SympropError, match=r"display name of w .*the command \\input"):
        g.params("w", latex={"w": payload})
    w = g.params("w")
    with pytest.raises(SympropError, match=r"display name of z .*the command \\input"):
        g.node("z", 2 * w, latex=payload)
    with pytest.raises(SympropError, match=r"display name of w .*the command \\input"):
        g.set_latex("w", payload)
    assert g.latex_name("w") == "w"  # the refused name changed nothing
    m = MatrixGraph()
    with pytest.raises(SympropError, match=r"display name of X .*the command \\input"):
        m.input("X", 3, latex=payload)
    with pytest.raises(SympropError, match=r"display name of W .*the command \\input"):
        m.param("W", 2, 3, latex=payload)
    net = mlp([1, 2, 1], form="matrix")
    with pytest.raises(SympropError, match=r"display name of A2 .*the command \\def"):
        net.set_latex("A2", r"\def\x{\x}\x")


def test_a_spec_names_its_graph_latex_key(tmp_path):
    spec = tmp_path / "s.toml"
    spec.write_text('[graph]\ninputs = ["x", "y"]\nparams = ["w"]\nloss = "L"\n'
                    '[graph.nodes]\nz = "w*x"\nL = "(z - y)**2"\n'
                    "[graph.latex]\nz = 'z_{1}'\nw = '\\openin\\r=/etc/passwd'\n")
    with pytest.raises(SympropError, match=r"\[graph.latex\] w: .*the command \\openin"):
        load_spec(spec)
