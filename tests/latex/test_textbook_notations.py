r"""``--notation``: a network's symbols and adjoints as the textbooks write them.

The expected names are written here by hand from the books' conventions, never from
symprop's output:

- Nielsen, *Neural Networks and Deep Learning*, ch. 2: ``w^l_{jk}`` is the weight *to*
  neuron j of layer l *from* neuron k of layer l-1; the input layer is layer 1, so a
  [2, 3, 2] network has layers 1, 2, 3; the cost is C and ``\delta^l_j = dC/dz^l_j``.
  His matrix form (tests/latex/test_nielsen_matrix.py) is read back here too.
- deeplearning.ai: ``w^{[l]}_{kj}`` is row k (unit of layer l), column j (unit of layer
  l-1) of ``W^{[l]}``; the input layer is layer 0; ``dz`` is Ng's dL/dz.

symprop's identifier ``w{l}_{j}_{k}`` joins unit j of layer l-1 to unit k of layer l.
"""
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from command import in_process
from symprop import SympropError, mlp
from symprop.front.spec import loads_spec
from symprop.latex.document import notes
from symprop.latex.notations import NOTATIONS, adjoint_latex, renamed
from symprop.latex.printer import partial_fraction

sys.path.insert(0, str(Path(__file__).parents[1] / "parse"))
from test_round_trip import _lines  # noqa: E402  (the round-trip tests' reading of a block)

SPEC = "[mlp]\nlayers = [2, 3, 2]\n"
OWN = '[graph]\ninputs = ["x", "y"]\nparams = ["w"]\nloss = "L"\n[graph.nodes]\nL = "(w*x - y)**2"\n'


@pytest.fixture(scope="module")
def net():
    return mlp([2, 3, 2])


@pytest.fixture(scope="module")
def matrix():
    return mlp([2, 3, 2], form="matrix")


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "net.toml"
    path.write_text(SPEC)
    return path


def test_the_notations(net):
    assert list(NOTATIONS) == ["seed", "nielsen", "deeplearning.ai"]
    assert renamed(net, "seed") is net and renamed(net, None) is net


def test_nielsens_names_of_a_2_3_2_network(net):
    g = renamed(net, "nielsen")
    name = g.latex_name
    # w^{3}_{12}: to neuron 1 of layer 3 (the output) from neuron 2 of layer 2 (the hidden)
    assert name("w2_2_1") == "w^{3}_{12}"
    # to neuron 3 of layer 2 from neuron 1 of layer 1 (the inputs)
    assert name("w1_1_3") == "w^{2}_{31}"
    assert (name("b1_3"), name("z2_2"), name("a1_1"), name("a2_2")) == \
        ("b^{2}_{3}", "z^{3}_{2}", "a^{2}_{1}", "a^{3}_{2}")
    assert (name("x1"), name("y2"), name("L")) == ("x_{1}", "y_{2}", "C")
    # the error delta^l_j for dC/dz^l_j; other adjoints in full
    assert adjoint_latex(g, "z2_1") == r"\delta^{3}_{1}"
    assert partial_fraction(g, "L", "z1_2") == r"\delta^{2}_{2}"
    assert partial_fraction(g, "L", "a1_2") == r"\frac{\partial C}{\partial a^{2}_{2}}"
    assert partial_fraction(g, "L", "w2_2_1") == r"\frac{\partial C}{\partial w^{3}_{12}}"
    assert partial_fraction(g, "z2_1", "a1_2") == r"\frac{\partial z^{3}_{1}}{\partial a^{2}_{2}}"
    legend = dict(g.legend)
    assert r"\partial C / \partial z^{l}_{j}" in legend[r"\delta^{l}_{j}"]
    assert "to neuron $j$ of layer $l$ from neuron $k$" in legend[r"w^{l}_{jk}"]


def test_deeplearning_ais_names_of_a_2_3_2_network(net, matrix):
    g = renamed(net, "deeplearning.ai")
    name = g.latex_name
    # row 1 (unit 1 of layer 2), column 2 (unit 2 of layer 1) of W^{[2]}
    assert name("w2_2_1") == "w^{[2]}_{12}"
    assert name("w1_1_3") == "w^{[1]}_{31}"
    assert matrix.shape("W2") == (2, 3)            # W^{[2]} is n^{[2]} x n^{[1]}: rows are layer 2
    assert (name("b1_3"), name("z2_2"), name("a1_1")) == \
        ("b^{[1]}_{3}", "z^{[2]}_{2}", "a^{[1]}_{1}")
    assert (name("a2_1"), name("x2"), name("L")) == (r"\hat{y}_{1}", "x_{2}", r"\mathcal{L}")
    assert [partial_fraction(g, "L", s) for s in ("z2_1", "w2_2_1", "b1_3", "a1_2")] == \
        ["dz^{[2]}_{1}", "dw^{[2]}_{12}", "db^{[1]}_{3}", "da^{[1]}_{2}"]
    assert partial_fraction(g, "L", "a2_1") == r"\frac{\partial \mathcal{L}}{\partial \hat{y}_{1}}"
    assert r"\partial \mathcal{L} / \partial z^{[l]}_{k}" in dict(g.legend)[r"dz^{[l]}_{k}"]

    m = renamed(matrix, "deeplearning.ai")
    assert [m.latex_name(s) for s in ("W1", "b2", "Z1", "A2", "X", "Y", "L")] == \
        ["W^{[1]}", "b^{[2]}", "Z^{[1]}", "A^{[2]}", "X", "Y", "J"]
    assert [adjoint_latex(m, s) for s in ("Z2", "W1", "b1", "A1")] == \
        ["dZ^{[2]}", "dW^{[1]}", "db^{[1]}", "dA^{[1]}"]
    assert r"\partial J / \partial Z^{[l]}" in dict(m.legend)[r"dZ^{[l]}"]


def test_the_default_is_unchanged(net, matrix):
    d = net.derive("w1_2_1")
    assert d.latex() == d.latex(notation="seed") == d.latex(notation=None)
    assert r"\frac{\partial \mathcal{L}}{\partial w_{2\to 1}^{[1]}}" in d.latex()
    assert matrix.derive("W1").latex() == matrix.derive("W1").latex(notation="seed")
    assert net.latex_name("w2_2_1") == r"w_{2\to 1}^{[2]}"   # the graph itself is never renamed
    small = mlp([1, 2, 1])
    assert notes(small, numbers=False, notation="seed") == notes(small, numbers=False)


def test_derivations_in_each_notation(net, matrix, katex):
    nielsen = net.derive("w2_2_1").latex(notation="nielsen")
    assert nielsen.startswith("\\begin{aligned}\n\\frac{\\partial C}{\\partial w^{3}_{12}} &=")
    assert r"\delta^{3}_{1} &=" in nielsen and r"\mathcal{L}" not in nielsen
    ng = net.derive("w2_2_1").latex(notation="deeplearning.ai", steps=("chain", "simplify"))
    assert ng.startswith("\\begin{aligned}\ndw^{[2]}_{12} &=") and "dz^{[2]}_{1} &=" in ng
    dW = matrix.derive("W1").latex(notation="deeplearning.ai")
    assert dW.startswith(r"dW^{[1]} = dZ^{[1]} X^{\top} = ")
    assert r"{W^{[2]}}^{\top}" in dW
    for tex in (nielsen, ng, dW):
        katex.add(tex, "a derivation in a textbook's notation")


def test_deeplearning_ai_derivations_read_back(net, matrix):
    """Every line symprop prints in Ng's notation verifies, read in that notation."""
    for graph, wrt in ((net, "w1_1_2"), (net, "b2_2"), (matrix, "W1"), (matrix, "b2")):
        shown = renamed(graph, "deeplearning.ai")
        printed = graph.derive(wrt).latex(notation="deeplearning.ai")
        lines = _lines(shown, printed)
        assert lines
        for quantity, claim in lines:
            assert shown.verify(quantity, claim).equivalent, (quantity, claim)


def test_nielsens_derivations_read_back_in_his_numbering_of_layers(net):
    """Every line printed in Nielsen's notation verifies on the network shown so: a^{2}_{1}
    is the symbol displayed so (symprop's a1_1, his layers numbered from the input's 1),
    and δ^{3}_{1} its error; on the network itself a bare superscript stays symprop's layer."""
    from symprop.parse.latex import read_latex

    shown = renamed(net, "nielsen")
    assert read_latex("a^{2}_{1}", shown) == net.symbol("a1_1")
    assert read_latex("a^{2}_{1}", net) == net.symbol("a2_1")
    for wrt in ("w1_1_2", "b2_2", "w2_2_1"):
        lines = _lines(shown, net.derive(wrt).latex(notation="nielsen"))
        assert lines
        for quantity, claim in lines:
            assert shown.verify(quantity, claim).equivalent, (quantity, claim)


@pytest.mark.parametrize("options", [
    {}, {"activation": "tanh", "output": "sigmoid", "loss": "mse"},
    {"activation": "relu", "output": "softmax", "loss": "ce", "one_hot": True}])
def test_nielsens_matrix_derivations_read_back_in_his_numbering_of_layers(options):
    """Every line printed in Nielsen's matrix form (w^{l}, a^{1} the inputs, \\delta^{l},
    \\nabla_a C) verifies on the network shown so, the adjoints' steps included."""
    graph = mlp([2, 3, 3, 2], form="matrix", **options)
    shown = renamed(graph, "nielsen")
    for wrt in ("W1", "b1", "W3", "b3"):
        for steps in (("chain", "substitute", "simplify"), ("chain", "adjoint", "simplify")):
            lines = _lines(shown, graph.derive(wrt).latex(notation="nielsen", steps=steps))
            assert lines
            for quantity, claim in lines:
                assert shown.verify(quantity, claim).equivalent, (quantity, claim)


def test_the_cli_derives_in_a_notation(spec, tmp_path):
    run = in_process("derive", spec, "--wrt", "w2_2_1", "--format", "latex",
                     "--notation", "nielsen", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.decode().startswith("\\begin{aligned}\n\\frac{\\partial C}{\\partial w^{3}_{12}}")
    run = in_process("derive", spec, "--wrt", "w2_2_1", "--format", "markdown",
                     "--notation", "deeplearning.ai", "--steps", "chain", cwd=tmp_path)
    assert run.returncode == 0 and run.stdout.decode().startswith("$$\n\\begin{aligned}\ndw^{[2]}_{12}")
    plain = in_process("derive", spec, "--wrt", "w2_2_1", "--format", "latex", cwd=tmp_path)
    seed = in_process("derive", spec, "--wrt", "w2_2_1", "--format", "latex",
                      "--notation", "seed", cwd=tmp_path)
    assert plain.stdout == seed.stdout and b"w_{2\\to 1}^{[2]}" in plain.stdout


def test_the_cli_writes_notes_in_a_notation(spec, tmp_path, katex):
    out = tmp_path / "notes.tex"
    run = in_process("notes", spec, "-o", out, "--wrt", "b2_1", "--no-numbers",
                     "--notation", "deeplearning.ai", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    tex = katex.add_document(out.read_text(), "notes in deeplearning.ai's notation")
    assert "the course's shorthand for" in tex and r"db^{[2]}_{1}" in tex
    assert "w_{" not in tex and not re.search(r"\\to\b", tex)   # no name of symprop's own
    md = tmp_path / "notes.md"
    run = in_process("notes", spec, "-o", md, "--wrt", "b2_1", "--no-numbers",
                     "--notation", "nielsen", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    text = md.read_text()
    assert r"\delta^{3}_{1}" in text and r"\partial C / \partial z^{l}_{j}" in text


def test_refusals(spec, tmp_path):
    own = loads_spec(OWN).graph
    with pytest.raises(SympropError, match=r"built by mlp\(\).*only the notation 'seed'"):
        own.derive("w").latex(notation="nielsen")
    assert own.derive("w").latex(notation="seed") == own.derive("w").latex()
    named = mlp([2, 3, 2])
    named.set_latex("a2_1", "P")
    with pytest.raises(SympropError, match="a2_1 has its own display name 'P'"):
        notes(named, notation="deeplearning.ai")
    scalar_only = replace(NOTATIONS["nielsen"], matrix=None, no_matrix="it writes one example")
    with pytest.raises(SympropError, match="has no matrix form: it writes one example"):
        mlp([2, 3, 2], form="matrix").derive("W1").latex(notation=scalar_only)
    with pytest.raises(SympropError, match="unknown notation 'bishop'"):
        mlp([1, 1]).derive("b1_1").latex(notation="bishop")
    (tmp_path / "own.toml").write_text(OWN)
    run = in_process("derive", "own.toml", "--wrt", "w", "--format", "latex",
                     "--notation", "nielsen", cwd=tmp_path)
    assert run.returncode == 2 and b"built by mlp()" in run.stderr
    run = in_process("derive", spec, "--wrt", "w2_1_1", "--notation", "nielsen", cwd=tmp_path)
    assert run.returncode == 2 and b"--format latex or markdown" in run.stderr
    run = in_process("notes", spec, "-o", "n.md", "--notation", "bishop", cwd=tmp_path)
    assert run.returncode == 2 and b"invalid choice" in run.stderr


def test_symprop_verify_reads_deeplearning_ais_matrix_derivation_back(tmp_path):
    spec = Path(__file__).parents[2] / "examples" / "seed_001_matrix.toml"
    printed = in_process("derive", spec, "--wrt", "W2", "--format", "latex",
                         "--notation", "deeplearning.ai", cwd=tmp_path)
    claim = printed.stdout.decode().strip()
    assert claim.startswith(r"dW^{[2]} = dZ^{[2]} {A^{[1]}}^{\top} = ")
    run = in_process("verify", spec, "--wrt", "W2", "--claim", claim, cwd=tmp_path)
    assert run.returncode == 0, run.stdout.decode() + run.stderr.decode()


def test_deeplearning_ais_regularized_network_keeps_its_lambda_and_labels_the_decay_edge(katex):
    """Course 2 of deeplearning.ai: J = (1/m) sum L + lambda/(2m) sum ||W^{[l]}||_F^2, so
    dW^{[l]} = (1/m) dZ^{[l]} A^{[l-1]T} + (lambda/m) W^{[l]}."""
    from corpus import decayed_matrix_network
    from symprop.latex.figure import edge_label

    g = renamed(decayed_matrix_network(), "deeplearning.ai")
    assert g.latex_name("lam") == r"\lambda" and g.latex_name("W2") == "W^{[2]}"
    assert g.derive("W2").latex().endswith(r"+ \frac{\lambda}{m} W^{[2]}")
    claim = r"\frac{1}{m} dZ^{[2]} A^{[1]T} + \frac{\lambda}{m} W^{[2]}"
    assert g.verify("W2", claim, convention="deeplearning.ai")
    # W1's edge straight to J is the decay term's own partial, not the whole gradient dW1.
    direct, = (e for e in g.out_edges("W1") if e.child == g.loss_symbol)
    assert edge_label(g, direct) == r"\frac{\partial J}{\partial W^{[1]}}"
    into_loss, = g.out_edges("A2")
    assert edge_label(g, into_loss) == "dA^{[2]}"        # A2's one way: the shorthand still
    katex.add_document(notes(decayed_matrix_network(), notation="deeplearning.ai"),
                       "regularized network, deeplearning.ai")
