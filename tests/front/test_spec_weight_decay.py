"""``[mlp] weight_decay = true``: the matrix network with L2 regularization, through spec and command."""
import pytest

from command import in_process
from symprop import SympropError
from symprop.front.spec import loads_spec

SPEC = """
[mlp]
layers = [2, 2, 1]
form = "matrix"
weight_decay = true

[values]
X = [[0.5, -1.0, 1.5], [1.0, 0.0, -0.5]]
Y = [[1, 0, 1]]
lam = 0.7
W1 = [[0.2, -0.3], [0.4, 0.1]]
b1 = [[0.1], [0.0]]
W2 = [[0.3, -0.2]]
b2 = [[0.0]]
"""


def test_the_spec_declares_the_rate_and_takes_its_value_as_a_number():
    spec = loads_spec(SPEC)
    assert spec.graph.kind("lam") == "input" and spec.graph.latex_name("lam") == r"\lambda"
    assert spec.values["lam"] == 0.7
    assert spec.graph.check().ok


def test_the_command_derives_and_checks_it(tmp_path):
    path = tmp_path / "decay.toml"
    path.write_text(SPEC)
    derived = in_process("derive", path, "--wrt", "W2", cwd=tmp_path)
    assert derived.returncode == 0 and b"(lam/m)*W2" in derived.stdout
    assert in_process("check", path, cwd=tmp_path).returncode == 0
    claim = r"\frac{1}{m} (A_2 - Y) A_1^T + \frac{\lambda}{m} W_2"
    assert in_process("verify", path, "--wrt", "W2", "--claim", claim, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("change, message", [
    (("weight_decay = true", 'weight_decay = "yes"'), r"\[mlp\] weight_decay: expected true or false"),
    (('form = "matrix"', 'form = "scalar"'), "weight_decay is built for the matrix form"),
    (("lam = 0.7", "lam = [[0.7]]"), r"\[values\]: lam has shape \(1, 1\); expected one number"),
])
def test_a_wrong_weight_decay_is_one_clear_error(change, message):
    with pytest.raises(SympropError, match=message):
        loads_spec(SPEC.replace(*change))
