r"""Claims about any node, not only parameters, and chains that state several gradients in turn.

``--wrt`` takes a node (``z1_2``, ``a2_1``, ``Z1``): Nielsen's ``\delta^l_j`` and
deeplearning.ai's ``dZ^{[1]}`` are checked as the quantities they are.  A chain that
states ``\delta^L``, then ``\delta^l``, then ``\partial C/\partial w`` has each line
checked against the quantity its left side names, and a wrong line is named by its
number, the quantity it is about, the factor and the slip (the first line too).
"""
import tomllib
from pathlib import Path

import pytest

from command import in_process
from symprop.front.spec import loads_spec

NIELSEN = Path(__file__).parent / "textbook" / "nielsen.toml"
EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="module")
def nndl():
    with open(NIELSEN, "rb") as f:
        return loads_spec(tomllib.load(f)["specs"]["nndl_net"]["text"])


CHAIN = (r"\begin{aligned} \delta^3_1 &= (a^3_1 - y_1)\sigma'(z^3_1) \\ "
         r"\delta^3_2 &= (a^3_2 - y_2)\sigma'(z^3_2) \\ "
         r"\delta^2_1 &= (w^3_{11}\delta^3_1 + w^3_{21}\delta^3_2)\sigma'(z^2_1) \\ "
         r"\frac{\partial C}{\partial w^2_{11}} &= a^1_1 \delta^2_1 \end{aligned}")


def test_a_chain_of_errors_then_a_weight_is_right_line_by_line(nndl):
    verdict = nndl.graph.verify("w2_1_1", CHAIN, convention=nndl.convention)
    assert verdict.equivalent is True and len(verdict.steps) == 4


@pytest.mark.parametrize("slip, line, about, words", [
    ((r"\sigma'(z^3_1)", r"\sigma(z^3_1)"), "the first line is already wrong", "dC/dz3_1",
     "the activation a3_1 itself, not its derivative"),
    ((r"w^3_{21}", r"w^3_{12}"), "line 3 is wrong", "dC/dz2_1",
     "the weight w3_2_1 is written with its indices swapped"),
    ((r"a^1_1 \delta^2_1", r"a^1_2 \delta^2_1"), "line 4 is wrong", "dC/dw2_1_1",
     "the gradient with respect to w2_1_2, not w2_1_1"),
])
def test_each_line_is_judged_as_the_quantity_it_names(nndl, slip, line, about, words):
    verdict = nndl.graph.verify("w2_1_1", CHAIN.replace(*slip, 1), convention=nndl.convention)
    assert verdict.equivalent is False
    assert verdict.diagnosis.startswith(line) and f"about {about}" in verdict.diagnosis
    assert words in verdict.diagnosis, verdict.diagnosis


@pytest.mark.parametrize("wrt, claim", [
    ("z1_2", r"\delta^{[1]}_2 = a_{2}^{[1]} (1 - a_{2}^{[1]}) w_{2}^{[2]} (a_{1}^{[2]} - y)"),
    ("a1_1", r"\frac{\partial L}{\partial a_{1}^{[1]}} = w_{1}^{[2]} (a_{1}^{[2]} - y)"),
    ("z2_1", r"dz^{[2]} = a^{[2]}_1 - y"),
])
def test_the_command_checks_a_claim_about_a_node(tmp_path, wrt, claim):
    done = in_process("verify", EXAMPLES / "seed_network.toml", "--wrt", wrt, "--claim", claim,
                      cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith(b"equivalent"), done.stdout + done.stderr


def test_the_command_names_a_wrong_claim_about_a_node(tmp_path):
    done = in_process("verify", EXAMPLES / "seed_network.toml", "--wrt", "z1_2", "--claim",
                      r"\delta^{[1]}_2 = w_{2}^{[2]} (a_{1}^{[2]} - y)", cwd=tmp_path)
    assert done.returncode == 1 and b"is missing" in done.stdout, done.stdout


def test_the_command_checks_a_matrix_nodes_error(tmp_path):
    done = in_process("verify", EXAMPLES / "seed_001_matrix.toml", "--wrt", "Z1", "--claim",
                      r"\delta^{[1]} = W_2^T \delta^{[2]} \odot A_1 \odot (1 - A_1)", cwd=tmp_path)
    assert done.returncode in (0, 1) and done.stdout, done.stderr
