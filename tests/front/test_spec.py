"""Spec files: the examples load as the seeds' graphs; every mistake names file, key and expectation."""
from pathlib import Path

import pytest
import sympy

from symprop import mlp, sigmoid
from symprop.errors import SympropError
from symprop.front.spec import MAX_NAMES, load_spec, loads_spec

from corpus import SEED_POINT

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_logistic_regression_is_the_seeds_graph():
    spec = load_spec(EXAMPLES / "logistic_regression.toml")
    g = spec.graph
    assert spec.values == SEED_POINT == g.values
    x1, y, yhat, z = (g.symbol(n) for n in ("x1", "y", "yhat", "z"))
    assert g.expr("yhat") == sigmoid(z)
    assert g.latex_name("L") == r"\mathcal{L}"
    assert sympy.expand(g.derive("w1").result - x1 * (yhat - y)) == 0
    # The seed: dL/dw1 = -0.5663 at its point.
    assert round(g.derive("w1").evaluate(**spec.values), 4) == -0.5663


def test_seed_network_is_mlp_121():
    spec = load_spec(EXAMPLES / "seed_network.toml")
    reference = mlp([1, 2, 1])
    assert spec.form == "mlp"
    assert spec.graph.symbols == reference.symbols
    assert [spec.graph.expr(n) for n in reference.node_symbols] == \
        [reference.expr(n) for n in reference.node_symbols]


@pytest.mark.parametrize("name, loss", [
    ("chain_rule_case1", lambda x: (sympy.exp(x) + x) ** 2),
    ("chain_rule_case2", lambda x: x ** 2 * (3 * x + 1) - sympy.sin(x ** 2)),
])
def test_chain_rule_cases_match_sympy_diff(name, loss):
    g = load_spec(EXAMPLES / f"{name}.toml").graph
    x = g.symbol("x")
    assert sympy.expand(g.derive("x").closed_form - sympy.diff(loss(x), x)) == 0


def test_softmax_onehot_network():
    spec = load_spec(EXAMPLES / "softmax_ce_onehot.toml")
    g = spec.graph
    assert g.one_hot_groups == ((g.symbol("y1"), g.symbol("y2"), g.symbol("y3")),)
    adjoints = g.adjoints().adjoint
    for k in (1, 2, 3):
        assert adjoints[g.symbol(f"z2_{k}")] == g.symbol(f"a2_{k}") - g.symbol(f"y{k}")


GRAPH = """
[graph]
inputs = ["x", "y"]
params = ["w"]
loss = "L"
[graph.nodes]
z = "w*x"
L = "(z - y)**2"
"""


def test_graph_form_with_optional_parts():
    spec = loads_spec(GRAPH + '[graph.latex]\nz = "\\\\zeta"\n[values]\nx = [1, 2]\nw = 0.5\n')
    assert spec.graph.latex_name("z") == r"\zeta"
    assert spec.values == {"x": [1.0, 2.0], "w": 0.5}


BAD = [
    # (spec text, fragments the one-line message must contain)
    ("[graph\n", ["malformed TOML", "line 1"]),
    ("x = 1\n[graph]\n", ["top level", "'x'"]),
    ("", ["[graph] or an [mlp]", "neither"]),
    (GRAPH + "[mlp]\nlayers = [1, 1]\n", ["both"]),
    ("graph = 3\n", ["[graph]", "expected a table"]),
    (GRAPH.replace('params = ["w"]', ""), ["[graph]", "missing key 'params'"]),
    (GRAPH.replace('params = ["w"]', 'params = "w"'), ["[graph] params", "list of names"]),
    (GRAPH.replace('params = ["w"]', "params = []"), ["[graph] params", "at least one"]),
    (GRAPH.replace('loss = "L"', "loss = 1"), ["[graph] loss", "expected a string"]),
    (GRAPH.replace('loss = "L"', 'loss = "Q"'), ["[graph] loss", "not among [graph.nodes]"]),
    (GRAPH + "colour = 1\n".replace("colour", "[graph.extra]\ncolour"),
     ["[graph]", "unknown key", "'extra'"]),
    (GRAPH.replace('z = "w*x"', 'z = 3'), ["[graph.nodes] z", "expected a string"]),
    (GRAPH.replace('z = "w*x"', 'z = "w*v"'), ["[graph.nodes] z", "'v' is not declared"]),
    (GRAPH.replace('z = "w*x"', 'z = "w*z"'), ["[graph.nodes] z", "refers to itself"]),
    (GRAPH.replace('z = "w*x"', 'z = "w*q"\nq = "x"'),
     ["[graph.nodes] z", "'q', which is defined below it"]),
    (GRAPH.replace('z = "w*x"', 'z = "w*x"\nz = "x"'), ["malformed TOML", "line"]),
    (GRAPH.replace('z = "w*x"', 'x = "w"'), ["[graph.nodes] x", "already declared"]),
    (GRAPH.replace('inputs = ["x", "y"]', 'inputs = ["x", "y", "x"]'),
     ["[graph] inputs", "already declared"]),
    (GRAPH.replace('inputs = ["x", "y"]', 'inputs = ["x", "y", "import os"]'),
     ["[graph] inputs", "not a valid identifier"]),
    (GRAPH + 'after = "L"\n'.replace("after", "[graph.nodes.after]\nk"), ["[graph.nodes]"]),
    (GRAPH.replace('L = "(z - y)**2"', 'L = "(z - y)**2"\nextra = "z"'),
     ["[graph.nodes]", "must be the last node"]),
    (GRAPH.replace('z = "w*x"', 'z = "foo(w)"'), ["[graph.nodes] z", "'foo' is not a function"]),
    (GRAPH + "[graph.latex]\nq = 'q'\n", ["[graph.latex] q", "not declared"]),
    (GRAPH + '[graph.latex]\nz = 1\n', ["[graph.latex] z", "expected a string"]),
    (GRAPH.replace('loss = "L"', 'loss = "L"\none_hot = ["w"]'),
     ["[graph] one_hot", "must be inputs"]),
    (GRAPH + "[values]\nx = inf\n", ["[values] x", "finite"]),
    (GRAPH + "[values]\nx = nan\n", ["[values] x", "finite"]),
    (GRAPH + "[values]\nx = [1, -inf]\n", ["[values] x", "finite"]),
    (GRAPH + "[values]\nx = true\n", ["[values] x", "expected a number, got a boolean"]),
    (GRAPH + '[values]\nx = "1"\n', ["[values] x", "expected a number, got a string"]),
    (GRAPH + "[values]\nx = []\n", ["[values] x", "expected 1 to"]),
    (GRAPH + "[values]\nz = 1\n", ["[values] z", "not an input or parameter"]),
    (GRAPH + "[values]\nnobody = 1\n", ["[values] nobody", "not an input or parameter"]),
    (GRAPH + "values = 1\n".replace("values", "[values.inner]\nv"), ["[values] inner"]),
    ("[mlp]\n", ["[mlp]", "missing key 'layers'"]),
    ("[mlp]\nlayers = [1]\n", ["[mlp] layers", "at least two positive integers"]),
    ("[mlp]\nlayers = [1, true]\n", ["[mlp] layers", "positive integers"]),
    ("[mlp]\nlayers = [1, -2]\n", ["[mlp] layers", "positive integers"]),
    ("[mlp]\nlayers = [1000, 1000]\n", ["[mlp] layers", f"the limit is {MAX_NAMES}"]),
    ("[mlp]\nlayers = [1, 1]\nactivation = \"swish\"\n", ["[mlp]", "unknown activation 'swish'"]),
    ("[mlp]\nlayers = [1, 1]\nactivation = 1\n", ["[mlp] activation", "expected a string"]),
    ("[mlp]\nlayers = [1, 1]\none_hot = \"yes\"\n", ["[mlp] one_hot", "true or false"]),
    ("[mlp]\nlayers = [1, 1]\nshape = 1\n", ["[mlp]", "unknown key", "'shape'"]),
]


@pytest.mark.parametrize("text, fragments", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_errors_name_file_key_and_expectation(text, fragments):
    with pytest.raises(SympropError) as info:
        loads_spec(text, source="net.toml")
    message = str(info.value)
    assert message.startswith("net.toml: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_too_many_nodes_is_refused_before_building():
    nodes = "\n".join(f'n{i} = "w"' for i in range(MAX_NAMES))
    text = f'[graph]\nparams = ["w"]\nloss = "L"\n[graph.nodes]\n{nodes}\nL = "n0"\n'
    with pytest.raises(SympropError, match=f"the limit is {MAX_NAMES}"):
        loads_spec(text)


def test_file_errors(tmp_path):
    with pytest.raises(SympropError, match="no such file"):
        load_spec(tmp_path / "absent.toml")
    with pytest.raises(SympropError, match="is a directory"):
        load_spec(tmp_path)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe[graph]")
    with pytest.raises(SympropError, match="not UTF-8"):
        load_spec(binary)
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * 2_000_000)
    with pytest.raises(SympropError, match="at most"):
        load_spec(huge)
    broken = tmp_path / "broken.toml"
    broken.write_text("[graph]\nparams = [1,,]\n")
    with pytest.raises(SympropError, match=f"^{broken}: malformed TOML.*line 2"):
        load_spec(broken)
    with pytest.raises(SympropError, match="end of document, line 3"):
        loads_spec("[graph]\nparams = [\n")


# ----------------------------------------------------------- hostile files (issue 10)
import os as _os
import threading as _threading
import time as _time

from symprop.front import spec as _spec_module

LR = (Path(__file__).parents[2] / "examples" / "logistic_regression.toml").read_text()


def test_a_fifo_nobody_writes_to_is_refused_without_blocking(tmp_path, monkeypatch):
    monkeypatch.setattr(_spec_module, "PIPE_WAIT_S", 0.3)
    fifo = tmp_path / "spec.toml"
    _os.mkfifo(fifo)
    started = _time.monotonic()
    with pytest.raises(SympropError, match="within 0.3 s"):
        load_spec(fifo)
    assert _time.monotonic() - started < 5


def test_a_spec_arriving_through_a_fifo_is_read(tmp_path):
    fifo = tmp_path / "spec.toml"
    _os.mkfifo(fifo)

    def write():
        with open(fifo, "w") as out:
            out.write(LR)

    writer = _threading.Thread(target=write)
    writer.start()
    spec = load_spec(fifo)
    writer.join()
    assert str(spec.graph.derive("w1").result) == "x1*(-y + yhat)"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_is_refused_after_the_size_limit(device):
    with pytest.raises(SympropError, match="more than 1000000 bytes"):
        load_spec(device)


def test_a_nul_in_the_path_is_refused():
    with pytest.raises(SympropError, match="not a usable file name"):
        load_spec("spec\x00.toml")


@pytest.mark.parametrize("number, message", [
    ("9" * 5000, "more than 4300 digits"),
    ("0x" + "f" * 4000, "integer too long to print declares more than 10"),  # hex has no limit
])
def test_an_integer_beyond_pythons_digit_limit_is_refused(number, message):
    with pytest.raises(SympropError, match=message):
        loads_spec(f"[mlp]\nlayers = [1, {number}]\n")


@pytest.mark.parametrize("line", ["w = 1" + "0" * 309, "x = [1, 1" + "0" * 400 + "]"])
def test_an_integer_beyond_float_range_is_refused(line):
    spec = ("[graph]\ninputs = ['x']\nparams = ['w']\nloss = 'L'\n[graph.nodes]\n"
            f"L = 'w*x'\n[values]\n{line}\n")
    with pytest.raises(SympropError, match=r"\[values\] \w: the number is too large"):
        loads_spec(spec)


def test_terminal_escapes_in_keys_are_quoted_not_echoed():
    spec = ("[graph]\nparams = ['w']\nloss = 'L'\n[graph.nodes]\nL = 'w'\n"
            '[values]\n"\\u001b[2Jw" = 1\n')
    with pytest.raises(SympropError) as caught:
        loads_spec(spec)
    assert "\x1b" not in str(caught.value) and "\\x1b[2Jw" in str(caught.value)


def test_names_are_declared_as_python_reads_them():
    spec = loads_spec("[graph]\ninputs = ['ｘ']\nparams = ['ｗ']\nloss = 'L'\n"
                      "[graph.nodes]\nL = 'ｗ*x'\n[values]\n\"ｗ\" = 2\nx = 3\n")
    assert [s.name for s in spec.graph.symbols] == ["x", "w", "L"]
    assert spec.values == {"w": 2.0, "x": 3.0}
    assert spec.graph.derive("ｗ").result == spec.graph.symbol("x")


def test_a_wide_matrix_network_is_a_few_names_not_a_million():
    spec = loads_spec('[mlp]\nlayers = [784, 256, 256, 10]\nform = "matrix"\n')
    assert [s.name for s in spec.graph.param_symbols] == ["W1", "b1", "W2", "b2", "W3", "b3"]


def test_a_matrix_network_too_large_to_hold_is_refused_before_it_is_built():
    with pytest.raises(SympropError, match="more than 10,000,000 weights"):
        loads_spec('[mlp]\nlayers = [100000, 100000]\nform = "matrix"\n')


def test_a_long_list_of_missing_names_is_cut_short():
    spec = loads_spec("[mlp]\nlayers = [20, 20, 20]\n[values]\nx1 = 1\n")
    with pytest.raises(SympropError, match=r"missing value\(s\) for x2, .* and \d+ more$"):
        spec.graph.check(spec.values)
