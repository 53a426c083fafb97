"""``[graph]`` with ``form = "matrix"``: a graph of matrices written in a spec file, its nodes
in the notes' LaTeX, scalars declared with the shape ``[]``.

The graph a spec builds is compared with the same graph built in Python (the corpus's),
gradient by gradient, and the command derives, checks, verifies and writes notes of it."""
from pathlib import Path

import pytest

from command import in_process
from corpus import scaled_matrix_network
from symprop import SympropError
from symprop.front.spec import load_spec, loads_spec

EXAMPLE = Path(__file__).parents[2] / "examples" / "scaled_matrix.toml"
SMALL = """
[graph]
form = "matrix"
inputs = { X = 2, Y = 1 }
params = { W = [1, 2], b = [1, 1] }
loss = "L"

[graph.nodes]
Z = 'W X + b \\mathbf{1}^{\\top}'
A = '\\sigma(Z)'
L = 'bce(A, Y)'
"""


def test_the_example_builds_the_corpus_graph():
    spec, built = load_spec(EXAMPLE), scaled_matrix_network()
    assert spec.graph.form.name == "matrix" and spec.graph.shape("s") == ()
    assert [str(s) for s in spec.graph.symbols] == [str(s) for s in built.symbols]
    for p in built.param_symbols:
        assert spec.graph.derive(p.name).result == built.derive(p.name).result, p
    assert spec.graph.check().ok          # at the spec's own values, s = 1.5 and c = 0.5


def test_the_command_derives_verifies_and_writes_notes(tmp_path):
    derived = in_process("derive", EXAMPLE, "--wrt", "s", cwd=tmp_path)
    assert derived.returncode == 0 and b"Trace((A2 - Y)*(W2*A1).T)/m" in derived.stdout
    claim = r"\frac{1}{m} \operatorname{tr}\left((A_2 - Y)(W_2 A_1)^{\top}\right)"
    assert in_process("verify", EXAMPLE, "--wrt", "s", "--claim", claim,
                      cwd=tmp_path).returncode == 0
    assert in_process("check", EXAMPLE, cwd=tmp_path).returncode == 0
    assert in_process("notes", EXAMPLE, "-o", tmp_path / "n.md", cwd=tmp_path).returncode == 0
    assert r"\operatorname{tr}" in (tmp_path / "n.md").read_text()


def test_a_weight_decay_on_the_listed_weights():
    spec = loads_spec(SMALL.replace('inputs = { X = 2, Y = 1 }', 'inputs = { X = 2, Y = 1, lam = [] }')
                      .replace('loss = "L"', 'loss = "L"\nweight_decay = { rate = "lam", weights = ["W"] }'))
    g = spec.graph
    lam, W = g.symbol("lam"), g.symbol("W")
    assert (lam / g.batch) * W in g.derive("W").result.args       # dW gains (lambda/m) W
    assert g.check(points=1).ok
    constant = loads_spec(SMALL.replace('loss = "L"', 'loss = "L"\nweight_decay = { rate = 0.1, weights = ["W"] }'))
    assert constant.graph.check(points=1).ok


@pytest.mark.parametrize("change, message", [
    (('form = "matrix"', 'form = "tensor"'), r"\[graph\] form: expected \"scalar\" or \"matrix\""),
    (("X = 2", "X = 0"), r"\[graph\] inputs X: expected its rows .* got 0"),
    (("X = 2", 'X = "2"'), r"\[graph\] inputs X: expected its rows .* got a string"),
    (("W = [1, 2]", "W = [1]"), r"\[graph\] params W: expected \[rows, cols\]"),
    (("W = [1, 2]", "W = [1, 100001]"), r"\[graph\] params W: expected \[rows, cols\] of positive"),
    (("W X", "V X"), r"\[graph.nodes\] Z: .*V"),
    (("W X + b", "W X + X"), r"\[graph.nodes\] Z: the sum W X \+ X.* adds a 1×m matrix and a 2×m"),
    (("bce(A, Y)", "bce(A)"), r"\[graph.nodes\] L: expected the loss as one of"),
    (("bce(A, Y)", "hinge(A, Y)"), r"\[graph.nodes\] L: expected the loss as one of"),
    (("bce(A, Y)", "bce(A, Q)"), r"\[graph.nodes\] L: 'Q' is not declared"),
    (('loss = "L"', 'loss = "L"\nweight_decay = { rate = "X", weights = ["W"] }'),
     r"\[graph\] weight_decay rate: X is a matrix"),
    (('loss = "L"', 'loss = "L"\nweight_decay = { rate = 0.1, weights = ["X"] }'),
     r"\[graph\] weight_decay weights: X is an input, not a parameter"),
    (('loss = "L"', 'loss = "L"\nweight_decay = { rate = 0.1 }'), r"missing key 'weights'"),
])
def test_a_wrong_matrix_graph_is_one_clear_error(change, message):
    with pytest.raises(SympropError, match=message):
        loads_spec(SMALL.replace(*change))


def test_a_weight_decay_in_scalar_form_says_where_it_goes():
    with pytest.raises(SympropError, match="a weight decay is for form = \"matrix\""):
        loads_spec('[graph]\nparams = ["w"]\nloss = "L"\nweight_decay = { rate = 0.1, '
                   'weights = ["w"] }\n[graph.nodes]\nL = "w**2"\n')
