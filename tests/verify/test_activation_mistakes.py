r"""The wrong activation derivative, named: the activation itself where its derivative
belongs (\sigma(z) for \sigma'(z)), the derivative written in the input rather than the
output (1 - z^2 for 1 - a^2), and the logistic's a(1 - a) used for tanh (and tanh's for
the logistic).  Each diagnosis names the factor, what the claim has, and which slip it is.
The truth comes from the graph's derivation; each claim is a hand derivation."""
import pytest

from symprop import mlp

SIGMOID = mlp([1, 2, 1])                                                  # sigmoid, log loss
TANH = mlp([1, 2, 1], activation="tanh", output="identity", loss="mse")
S_HEAD = r"x w_{1}^{[2]} \left(a_{1}^{[2]} - y\right)"
T_HEAD = r"2 w_{1}^{[2]} x \left(a_{1}^{[2]} - y\right)"


@pytest.mark.parametrize("graph, claim, has, slip", [
    (SIGMOID, S_HEAD + r" a_{1}^{[1]}", "a1_1 in its place", "the activation a1_1 itself"),
    (SIGMOID, S_HEAD + r" z_{1}^{[1]} (1 - z_{1}^{[1]})", "z1_1*(1 - z1_1) in its place",
     "its derivative written in z1_1, not in a1_1"),
    (SIGMOID, S_HEAD + r" (1 - (a_{1}^{[1]})^2)", "1 - a1_1**2 in its place",
     "tanh's derivative"),
    (TANH, T_HEAD + r" a_{1}^{[1]} (1 - a_{1}^{[1]})", "a1_1*(1 - a1_1) in its place",
     "the logistic's derivative a(1 - a)"),
    (TANH, T_HEAD + r" (1 - (z_{1}^{[1]})^2)", "1 - z1_1**2 in its place",
     "its derivative written in z1_1"),
    (TANH, T_HEAD + r" \tanh(z_{1}^{[1]})", "a1_1 in its place", "not its derivative"),
])
def test_the_wrong_activation_derivative_is_named(graph, claim, has, slip):
    verdict = graph.verify("w1_1_1", claim)
    assert verdict.equivalent is False
    assert verdict.diagnosis.startswith("the factor da1_1/dz1_1 is "), verdict.diagnosis
    assert has in verdict.diagnosis and slip in verdict.diagnosis, verdict.diagnosis


@pytest.mark.parametrize("graph, claim", [
    (SIGMOID, S_HEAD + r" a_{1}^{[1]} (1 - a_{1}^{[1]})"),
    (TANH, T_HEAD + r" (1 - (a_{1}^{[1]})^2)"),
])
def test_the_right_derivative_is_right(graph, claim):
    assert graph.verify("w1_1_1", claim).equivalent is True


def test_a_dropped_derivative_is_still_a_missing_factor():
    verdict = TANH.verify("w1_1_1", T_HEAD)
    assert verdict.diagnosis == "the factor da1_1/dz1_1 = 1 - a1_1**2 is missing"


M_TANH = mlp([3, 4, 1], activation="tanh", output="sigmoid", loss="bce", form="matrix")
M_RELU = mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True,
             form="matrix")
BACK = r"\frac{1}{m}\left(W_2^{\top}(A_2 - Y) \odot %s\right) X^{\top}"


@pytest.mark.parametrize("graph, local, written, slip", [
    (M_TANH, r"(1 - Z_1^{\circ 2})", r"\mathbf{1} - Z_{1}^{\circ {2}}",
     "its derivative written in Z_{1}, not in A_{1}"),
    (M_TANH, r"A_1", "A_{1}", "the activation A_{1} itself, not its derivative"),
    (M_RELU, r"\operatorname{relu}(Z_1)", "A_{1}", "the activation A_{1} itself"),
])
def test_matrix_form_names_the_wrong_activation_derivative(graph, local, written, slip):
    verdict = graph.verify("W1", BACK % local)
    assert verdict.equivalent is False
    assert f"is written {written}: {slip}" in verdict.diagnosis, verdict.diagnosis


def test_matrix_form_right_derivative_and_missing_one_are_as_before():
    assert M_TANH.verify("W1", BACK % r"(1 - A_1^{\circ 2})").equivalent is True
    missing = M_RELU.verify("W1", r"\frac{1}{m} W_2^{\top}(A_2 - Y) X^{\top}")
    assert missing.diagnosis.startswith("the factor H(Z_{1}) is missing")


def test_a_weight_with_its_indices_swapped_is_named():
    g = mlp([2, 2, 2], activation="sigmoid", output="softmax", loss="ce", one_hot=True)
    right = (r"x_{1} a_{2}^{[1]} (1 - a_{2}^{[1]}) (w_{2\to 1}^{[2]} (a_{1}^{[2]} - y_{1})"
             r" + w_{2\to 2}^{[2]} (a_{2}^{[2]} - y_{2}))")
    assert g.verify("w1_1_2", right).equivalent is True
    swapped = g.verify("w1_1_2", right.replace(r"w_{2\to 1}^{[2]}", r"w_{1\to 2}^{[2]}"))
    assert swapped.equivalent is False
    assert swapped.diagnosis == ("the weight w2_2_1 is written with its indices swapped: "
                                 "the claim has w2_1_2 where the gradient has w2_2_1")


M_SIGMOID = mlp([3, 4, 1], activation="sigmoid", output="sigmoid", loss="bce", form="matrix")


@pytest.mark.parametrize("graph, local, sentence", [
    (M_TANH, r"(A_1 \odot (1 - A_1))",
     r"is written A_{1} \odot \left(\mathbf{1} - A_{1}\right): the logistic's derivative"),
    (M_SIGMOID, r"(1 - A_1^{\circ 2})", "tanh's derivative 1 - A^2"),
    (M_TANH, r"(1 - A_1^{\circ 2}) \odot (1 - A_1^{\circ 2})",
     "is taken twice: one activation derivative too many on the way back through Z_{1}"),
])
def test_matrix_form_names_the_logistic_tanh_confusion_and_a_derivative_taken_twice(
        graph, local, sentence):
    verdict = graph.verify("W1", BACK % local)
    assert verdict.equivalent is False
    assert sentence in verdict.diagnosis, verdict.diagnosis
