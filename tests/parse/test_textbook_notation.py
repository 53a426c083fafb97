r"""The notations of the textbooks the corpus quotes (tests/verify/textbook/), one rule each."""
import pytest

from symprop import matrix_mlp
from symprop.front.spec import loads_spec
from symprop.parse.indices import bind_indices, split_name
from symprop.parse.latex import read_latex
from symprop.parse.latex_names import name_key
from symprop.parse.matrix_latex import read_matrix_derivation
from symprop.parse.numpy_claims import numpy_to_latex

NET = '''[graph]
inputs = ["x1", "y1"]
params = ["w2_1_1", "w3_1_1", "b3_1"]
loss = "C"
[graph.nodes]
z2_1 = "w2_1_1*x1"
a2_1 = "sigmoid(z2_1)"
z3_1 = "w3_1_1*a2_1 + b3_1"
a3_1 = "sigmoid(z3_1)"
C = "(a3_1 - y1)**2/2"
[graph.latex]
w2_1_1 = 'w^{2}_{11}'
w3_1_1 = 'w^{3}_{11}'
'''
MAZUR = '''[graph]
inputs = ["i1", "target_o1"]
params = ["w5"]
loss = "E_total"
[graph.nodes]
net_o1 = "w5*i1"
out_o1 = "sigmoid(net_o1)"
E_total = "(target_o1 - out_o1)**2/2"
[graph.latex]
target_o1 = 'target_{o1}'
net_o1 = 'net_{o1}'
out_o1 = 'out_{o1}'
E_total = 'E_{total}'
'''


@pytest.fixture(scope="module")
def net():
    return loads_spec(NET).graph


@pytest.fixture(scope="module")
def mazur():
    return loads_spec(MAZUR).graph


def test_a_names_scripts_in_either_order_and_any_brackets_are_one_name(net):
    assert name_key(r"w^{3}_{11}") == name_key(r"w_{11}^{[3]}") == name_key(r"w^{(3)}_{11}")
    assert split_name(r"w^{3}_{12}") == ("w", "12", "3")
    assert str(read_latex(r"w_{11}^{(3)} + w^3_{11}", net)) == "2*w3_1_1"


def test_the_cost_is_read_under_its_usual_letters(net):
    assert str(read_latex(r"\frac{\partial C}{\partial a^3_1}", net)) == "a3_1 - y1"
    assert str(read_latex(r"\frac{\partial E}{\partial a^3_1}", net)) == "a3_1 - y1"


def test_names_of_several_letters_with_scripts_and_delta_of_a_net_input(mazur):
    assert str(read_latex(r"-(target_{o1} - out_{o1})", mazur)) == "out_o1 - target_o1"
    assert mazur.verify("net_o1", r"\delta_{o1} = (out_{o1} - target_{o1}) out_{o1}(1 - out_{o1})")


def test_deeplearning_ai_shorthand_dz_is_the_losss_derivative():
    g = loads_spec('[graph]\ninputs = ["x", "y"]\nparams = ["w"]\nloss = "L"\n[graph.nodes]\n'
                   'z = "w*x"\na = "sigmoid(z)"\nL = "-(y*log(a) + (1 - y)*log(1 - a))"\n').graph
    assert g.verify("w", r"dw = x dz") and g.verify("z", r"dz = a - y")
    assert not g.verify("z", r"dz = y - a")


def test_f_g_h_are_the_graphs_one_activation(net):
    assert read_latex(r"f'(z^2_1)", net) == read_latex(r"\sigma'(z^2_1)", net)
    assert read_latex(r"h(z^2_1)", net) == read_latex(r"\sigma(z^2_1)", net)


def test_generic_indices_are_bound_by_the_quantity_stated(net):
    bound = bind_indices(r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j", net,
                         net.symbol("w3_1_1"))
    assert bound == r"\frac{\partial C}{\partial w^{3}_{11}} = a^{2}_{1} \delta^{3}_{1}"
    assert net.verify("w3_1_1", r"\frac{\partial C}{\partial w^l_{jk}} = a^{l-1}_k \delta^l_j")
    assert net.verify("z3_1", r"\delta^L_j = (a^L_j - y_j) \sigma'(z^L_j)")
    # a script that is a word, not indices, is left alone
    assert bind_indices(r"\delta^l_j = E_{total}", net, net.symbol("z2_1")).endswith("E_{total}")


def test_sums_are_written_out_over_the_graphs_units(net, mazur):
    assert net.verify("z2_1", r"\delta^l_j = \sum_k w^{l+1}_{kj} \delta^{l+1}_k \sigma'(z^l_j)")
    assert mazur.verify("w5", r"\frac{\partial E_{total}}{\partial w_{5}} = "
                        r"\sum\limits_{o}{\frac{\partial E_{total}}{\partial net_{o}}} i_{1}")
    # Nielsen's 1/n sum_x: the mean over the examples of a graph of one example
    g = loads_spec('[graph]\ninputs = ["x", "y"]\nparams = ["w"]\nloss = "C"\n[graph.nodes]\n'
                   'z = "w*x"\na = "sigmoid(z)"\nC = "-(y*log(a) + (1 - y)*log(1 - a))"\n').graph
    assert g.verify("w", r"\frac{\partial C}{\partial w} = \frac{1}{n} \sum_x x(\sigma(z)-y)")


@pytest.fixture(scope="module")
def matrix():
    return matrix_mlp([3, 4, 2], activation="tanh", output="sigmoid", loss="bce")


def test_matrix_names_with_bare_layers_nabla_and_the_courses_aliases(matrix):
    read = lambda t: read_matrix_derivation(t, matrix).steps[-1].expr   # noqa: E731
    assert read(r"a^L - y") == read(r"A_2 - Y")
    assert read(r"\nabla_a C") == read(r"dA_2")
    assert read(r"A^{[0]}") == read("X") and read("AL") == read("A_2")
    assert read(r"A_1 \ast A_1") == read(r"A_1 \odot A_1")
    assert read(r"(f^{1})' \circ A_1") == read(r"\tanh'(Z_1) \odot A_1")


def test_numpy_divide_and_column_sums():
    assert numpy_to_latex("np.divide(Y, AL)") == r"((Y) \odot (AL)^{\circ -1})"
    assert numpy_to_latex("np.sum(dZ1, axis=0, keepdims=True)") == r"(\mathbf{1}^{\top} (dZ1))"


def test_index_binding_in_matrix_form(matrix):
    assert matrix.verify("W2", r"dW^{[l]} = \frac{1}{m} dZ^{[l]} A^{[l-1]T}",
                         convention="deeplearning.ai")


def test_a_display_name_set_after_a_reading_is_read_at_once():
    g = loads_spec('[graph]\ninputs = ["x"]\nparams = ["w"]\nloss = "L"\n[graph.nodes]\n'
                   'q = "w*x"\nL = "q**2"\n').graph
    assert str(read_latex("2 q x", g)) == "2*q*x"
    g.set_latex("q", "u")
    assert str(read_latex("2 u x", g)) == "2*q*x"


def test_a_sum_whose_terms_are_not_the_graphs_units_is_not_written_out(net):
    from symprop.parse.latex_text import LatexReadError

    with pytest.raises(LatexReadError, match=r"\\sum"):
        net.verify("w3_1_1", r"\sum_{i=1}^{1000000} a^2_1")
    with pytest.raises(LatexReadError, match=r"\\sum"):       # three terms said, one unit there
        net.verify("z2_1", r"\delta^l_j = \sum_{k=1}^{3} w^{l+1}_{kj} \delta^{l+1}_k")


@pytest.fixture(scope="module")
def logistic():
    return loads_spec('[graph]\ninputs = ["x", "y"]\nparams = ["w", "b"]\nloss = "J"\n'
                      '[graph.nodes]\nz = "w*x + b"\na = "sigmoid(z)"\n'
                      'J = "-(y*log(a) + (1 - y)*log(1 - a))"\n').graph


@pytest.mark.parametrize("claim", [
    r"\frac{\partial J}{\partial w} = \frac{1}{m}\sum_{i=1}^m x^{(i)}(a^{(i)} - y^{(i)})",
    r"\frac{1}{m}\sum_{i=1}^{m} (a^{(i)} - y^{(i)}) x^{(i)}",       # Ng's, in either order
    r"\frac{1}{N}\sum_{i=1}^{N} x (a - y)",                          # CS231n's N
    r"\frac{1}{n} \sum_x x(\sigma(z)-y)",                            # Nielsen's
])
def test_a_mean_over_the_examples_is_one_example_in_a_scalar_graph(logistic, claim):
    assert logistic.verify("w", claim).equivalent is True


def test_a_mean_over_the_examples_keeps_the_mistake_inside_it(logistic):
    slip = logistic.verify("w", r"\frac{1}{m}\sum_{i=1}^m x^{(i)}(y^{(i)} - a^{(i)})")
    assert slip.equivalent is False and "sign error" in slip.diagnosis
    # a bound that is not the mean's count is not a mean over the examples
    from symprop.parse.latex_text import LatexReadError
    with pytest.raises(LatexReadError, match=r"\\sum"):
        logistic.verify("w", r"\frac{1}{m}\sum_{i=1}^{n} x^{(i)}(a^{(i)} - y^{(i)})")


@pytest.fixture(scope="module")
def ng_tanh():
    return matrix_mlp([3, 4, 2], activation="tanh", output="sigmoid", loss="bce")


@pytest.mark.parametrize("claim", [
    r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - A^{[1]2})",          # Ng's A^{[1]2}: np.power(A1, 2)
    r"dZ^{[l]} = W^{[l+1]T} dZ^{[l+1]} * (1 - A^{[l]2})",      # written for layer l
    "dZ^{[1]} = W^{[2]ᵀ} dZ^{[2]} ⊙ (1 − A^{[1]2})",           # Unicode, ᵀ inside the layer
    "dZ^{[1]} = W^{[2]ᵀ} dZ^{[2]} ∘ (1 – A^{[1]2})",
])
def test_ngs_squared_activation_and_a_unicode_transpose_in_the_layer(ng_tanh, claim):
    assert ng_tanh.verify("Z1", claim, convention="deeplearning.ai").equivalent is True


def test_ngs_squared_input_is_the_derivative_written_in_z(ng_tanh):
    slip = ng_tanh.verify("Z1", r"dZ^{[1]} = W^{[2]T} dZ^{[2]} * (1 - Z^{[1]2})",
                          convention="deeplearning.ai")
    assert slip.equivalent is False and "its derivative written in Z_{1}" in slip.diagnosis
