r"""Conventions made explicit: what dZ, dW and \delta denote is the convention's, stated,
never guessed.  The cases are the courses' own formulas (deeplearning.ai's week-3 and
week-4 backward pass, CS231n's dscores), and the slips the issue names: a course's right
formula judged under another convention, and a dropped 1/m never called equivalent.
"""
import re

import pytest

from command import in_process
from symprop import SympropError, mlp
from symprop.verify.conventions import CONVENTIONS, preset

NG_DZ2 = r"dZ^{[2]} = A^{[2]} - Y"
NG_DW2 = r"dW^{[2]} = \frac{1}{m} dZ^{[2]} A^{[1]T}"
DROPPED_1_OVER_M = r"dW^{[2]} = dZ^{[2]} A^{[1]T}"


@pytest.fixture(scope="module")
def net():
    return mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True,
               form="matrix")


@pytest.mark.parametrize("wrt, claim", [("Z2", NG_DZ2), ("W2", NG_DW2)])
def test_the_courses_own_formulas_are_right_under_its_convention(net, wrt, claim):
    verdict = net.verify(wrt, claim, convention="deeplearning.ai")
    assert verdict.equivalent is True and verdict.convention == "deeplearning.ai"
    assert "right under deeplearning.ai's convention" in verdict.reading
    assert "would not be under symprop's convention" in verdict.reading   # never only "equivalent"


@pytest.mark.parametrize("wrt, claim", [("Z2", NG_DZ2), ("W2", NG_DW2)])
def test_under_another_convention_the_verdict_says_which_would_make_it_right(net, wrt, claim):
    verdict = net.verify(wrt, claim)                      # symprop's: dZ carries the 1/m
    assert verdict.equivalent is False
    assert verdict.diagnosis.startswith("right if dZ means dL/dZ of the summed cost")
    assert "as in deeplearning.ai's convention" in verdict.diagnosis


def test_dropping_the_1_over_m_is_never_equivalent_under_the_course_convention(net):
    verdict = net.verify("W2", DROPPED_1_OVER_M, convention="deeplearning.ai")
    assert verdict.equivalent is False
    assert "under this spec's convention (deeplearning.ai's" in verdict.diagnosis


def test_a_claim_in_symbols_of_the_graph_needs_no_convention(net):
    assert net.verify("W2", r"\frac{1}{m} (A_2 - Y) A_1^T", convention="deeplearning.ai")
    wrong = net.verify("W2", r"(A_2 - Y) A_1^T", convention="deeplearning.ai")
    assert wrong.equivalent is False and "the 1/m of the batch mean is missing" in wrong.diagnosis


def test_cs231n_dscores_carries_the_1_over_n(net):
    assert net.verify("Z2", r"\frac{1}{m}(A_2 - Y)", convention="cs231n").equivalent is True
    slip = net.verify("Z2", r"A_2 - Y", convention="cs231n")
    assert slip.equivalent is False and "as in deeplearning.ai's convention" in slip.diagnosis


def test_every_preset_and_alias_is_known_and_an_unknown_one_is_refused():
    assert {c.name for c in CONVENTIONS} == {"symprop", "deeplearning.ai", "cs231n", "nielsen"}
    assert preset("ng").name == preset("coursera").name == "deeplearning.ai"
    assert preset("seeds").name == "symprop" and preset("nndl").name == "nielsen"
    with pytest.raises(SympropError, match="bishop"):
        preset("bishop")


def test_the_spec_and_the_command_state_the_convention(tmp_path):
    spec = tmp_path / "ng.toml"
    spec.write_text('[mlp]\nlayers = [3, 4, 2]\nactivation = "relu"\noutput = "softmax"\n'
                    'loss = "ce"\none_hot = true\nform = "matrix"\n\n'
                    '[verify]\nconvention = "deeplearning.ai"\n')
    by_spec = in_process("verify", spec, "--wrt", "Z2", "--claim", NG_DZ2, cwd=tmp_path)
    assert by_spec.returncode == 0, by_spec.stdout + by_spec.stderr
    overridden = in_process("verify", spec, "--wrt", "Z2", "--claim", NG_DZ2,
                            "--convention", "symprop", cwd=tmp_path)
    assert overridden.returncode == 1 and b"as in deeplearning.ai's convention" in overridden.stdout
    spec.write_text(spec.read_text().replace('"deeplearning.ai"', '"bishop"'))
    refused = in_process("verify", spec, "--wrt", "Z2", "--claim", NG_DZ2, cwd=tmp_path)
    assert refused.returncode == 2 and b"[verify] convention" in refused.stderr


@pytest.mark.parametrize("claim", [
    r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * g^{[1]\prime}(Z^{[1]})",     # the course's own line
    r"dZ^{[1]} = W^{[2]T} dZ^{[2]} \odot g^{[1]'}(Z^{[1]})",
    r"dZ^{[1]} = W^{[2]T} dZ^{[2]} \odot g'(Z^{[1]})",              # the one hidden activation
])
def test_deeplearning_ai_writes_a_layers_activation_g_and_its_derivative(net, claim):
    assert net.verify("Z1", claim, convention="deeplearning.ai").equivalent is True


def test_g_without_its_prime_is_the_activation_not_its_derivative(net):
    claim = r"dZ^{[1]} = W^{[2]T} dZ^{[2]} \odot g^{[1]}(Z^{[1]})"
    assert net.verify("Z1", claim, convention="deeplearning.ai").equivalent is False


@pytest.mark.parametrize("claim, words", [
    (r"W^{[2]T} dZ^{[2]} \odot g^{[2]\prime}(Z^{[1]})", "layer 2 has no one activation"),
    (r"W^{[2]T} dZ^{[2]} \odot g^{x}(Z^{[1]})", r"g^{[l]}(Z) or g^{[l]\prime}(Z)"),
])
def test_a_g_that_names_no_layers_activation_is_refused_by_name(net, claim, words):
    from symprop.parse.latex_text import LatexReadError

    with pytest.raises(LatexReadError, match=re.escape(words)):
        net.verify("Z1", claim, convention="deeplearning.ai")


QUADRATIC = ('[graph]\ninputs = ["x", "y"]\nparams = ["w"]\nloss = "C"\n[graph.nodes]\n'
             'z = "w*x"\na = "sigmoid(z)"\nC = "%s"\n')
NIELSEN_DW = r"\frac{\partial C}{\partial w} = (a-y)\sigma'(z) x"


def test_a_quadratic_cost_without_its_half_is_read_with_it_under_nielsens_convention():
    from symprop.front.spec import loads_spec

    graph = loads_spec(QUADRATIC % "(a - y)**2").graph            # the spec has no 1/2
    right = graph.verify("w", NIELSEN_DW, convention="nielsen")
    assert right.equivalent is True and "the quadratic cost has its 1/2" in right.reading
    assert "would not be under symprop's convention" in right.reading
    plain = graph.verify("w", NIELSEN_DW)
    assert plain.equivalent is False
    assert plain.diagnosis.startswith("right if the quadratic cost has its 1/2, as in Nielsen's")


def test_a_quadratic_cost_declared_with_its_half_needs_no_convention():
    from symprop.front.spec import loads_spec

    graph = loads_spec(QUADRATIC % "(a - y)**2/2").graph
    assert graph.verify("w", NIELSEN_DW).equivalent is True
    assert graph.verify("w", NIELSEN_DW, convention="nielsen").equivalent is True
    doubled = graph.verify("w", r"2(a-y)\sigma'(z) x", convention="nielsen")
    assert doubled.equivalent is False and "twice the gradient" in doubled.diagnosis


def test_matrix_form_states_the_half_of_the_quadratic_cost():
    graph = mlp([3, 4, 2], activation="sigmoid", output="sigmoid", loss="mse", form="matrix")
    claim = r"\delta^L = (a^L-y) \odot \sigma'(z^L)"
    right = graph.verify("Z2", claim, convention="nielsen")
    assert right.equivalent is True and "the quadratic cost has its 1/2" in right.reading
    plain = graph.verify("Z2", claim)
    assert plain.equivalent is False and plain.diagnosis.startswith("right if δ^l = ∂C_x/∂z^l")
