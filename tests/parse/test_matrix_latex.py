r"""The matrix-form LaTeX reader: seed 001's derivations, order of products, hostile input.

Expected values are computed here with NumPy from the same random matrices
(never by the reader), and compared with the reader's expressions evaluated
entry by entry through sympy.
"""

import numpy as np
import pytest
import sympy
import sympy.parsing.sympy_parser
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import ImmutableMatrix, MatrixSymbol

from hypothesis_profiles import examples
from symprop import matrix_mlp
from symprop.parse.latex_text import MAX_LENGTH, LatexReadError
from symprop.parse.matrix_latex import (MatrixDerivation, MatrixShapeError, MatrixStep,
                                        read_matrix_derivation)

BATCH = 3      # the concrete m the expressions are evaluated at


@pytest.fixture(scope="module")
def relu_net():
    g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    g.set_latex("A2", "P")
    return g


@pytest.fixture(scope="module")
def sigmoid_net():
    return matrix_mlp([4, 5, 3], activation="sigmoid", output="sigmoid", loss="bce")


def _values(graph, seed=0):
    """Small nonzero random integers for every matrix of the graph and every dL/d placeholder."""
    rng = np.random.default_rng(seed)
    values = {}
    for s in graph.symbols:
        if isinstance(s, MatrixSymbol):
            rows, cols = s.shape
            shape = (int(rows), BATCH if cols == graph.batch else int(cols))
            draw = rng.choice([-3, -2, -1, 1, 2, 3], size=shape)
            values[s.name] = draw
            values["dL_d" + s.name] = rng.choice([-2, -1, 1, 2], size=shape)
    return values


def evaluate(expr, graph, values):
    """``expr`` with every matrix symbol replaced by its value and m by BATCH, as floats."""
    mapping = {s: ImmutableMatrix(values[s.name]) for s in expr.free_symbols
               if isinstance(s, MatrixSymbol)}
    explicit = expr.xreplace(mapping).xreplace({graph.batch: sympy.Integer(BATCH)})
    if isinstance(explicit, sympy.MatrixExpr):
        explicit = explicit.doit().as_explicit()
    return np.array(sympy.Matrix(explicit).evalf() if hasattr(explicit, "shape")
                    else explicit.evalf(), dtype=float)


def read_one(text, graph):
    derivation = read_matrix_derivation(text, graph)
    assert len(derivation.steps) == 1
    return derivation.steps[0].expr


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def assert_reads_as(text, graph, expected):
    values = _values(graph)
    got = evaluate(read_one(text, graph), graph, values)
    np.testing.assert_allclose(got, expected(**values), rtol=1e-12, atol=1e-12)


# ------------------------------------------------------------------ seed 001
def test_seed_001_gradient_of_w2(relu_net):
    text = r"\frac{\partial \mathcal{L}}{\partial W_2} = \frac{1}{m}(P - Y) A_1^{\top}"
    derivation = read_matrix_derivation(text, relu_net)
    assert isinstance(derivation, MatrixDerivation)
    assert derivation.about == (relu_net.loss_symbol, relu_net.symbol("W2"))
    (step,) = derivation.steps
    assert isinstance(step, MatrixStep)
    assert step.latex == r"\frac{1}{m}(P - Y) A_1^{\top}"
    assert step.expr.shape == (3, 5)
    values = _values(relu_net)
    expected = (values["A2"] - values["Y"]) @ values["A1"].T / BATCH
    np.testing.assert_allclose(evaluate(step.expr, relu_net, values), expected)


def test_seed_001_gradient_of_w1(relu_net):
    assert_reads_as(r"\frac{1}{m}\left(W_2^{\top}(P - Y) \odot H(Z_1)\right) X^{\top}", relu_net,
                    lambda W2, A2, Y, Z1, X, **_: (W2.T @ (A2 - Y) * (Z1 > 0)) @ X.T / BATCH)


def test_the_order_of_a_product_is_kept(relu_net):
    with pytest.raises(MatrixShapeError) as caught:
        read_matrix_derivation(r"A_1^T (P - Y)", relu_net)
    error = caught.value
    assert (error.operation, error.left_latex, error.right_latex) == ("product", "A_1^T", "(P - Y)")
    assert error.left_shape == (relu_net.batch, 5) and error.right_shape == (3, relu_net.batch)
    assert "m×5" in str(error) and "3×m" in str(error)


def test_the_seeds_loose_line_is_a_product_of_3_by_m_and_5_by_m(relu_net):
    with pytest.raises(MatrixShapeError) as caught:
        read_matrix_derivation(r"\frac{\partial J}{\partial W_2} = 1/m*(Z_2-y).Z_1", relu_net)
    error = caught.value
    m = relu_net.batch
    assert error.operation == "product"
    assert (error.left_shape, error.right_shape) == ((3, m), (5, m))
    assert (error.left_latex, error.right_latex) == ("1/m*(Z_2-y)", "Z_1")
    assert str(error).startswith("the product 1/m*(Z_2-y).Z_1 multiplies a 3×m matrix by a "
                                 "5×m matrix")


def test_the_seeds_line_with_the_transpose_reads(relu_net):
    # y for Y: this graph has no lower-case y, so the seed's y can only mean Y.
    assert_reads_as(r"1/m*(Z_2-y).Z_1^T", relu_net,
                    lambda Z2, Y, Z1, **_: (Z2 - Y) @ Z1.T / BATCH)


def test_case_matters_where_the_graph_has_both_cases():
    from symprop import MatrixGraph

    g = MatrixGraph()
    g.input("Y", 2)
    g.input("y", 2)
    values = _values(g)
    np.testing.assert_allclose(evaluate(read_one("Y - 2 y", g), g, values),
                               values["Y"] - 2 * values["y"])


# ------------------------------------------------------------------ products and precedence
def test_matrix_products_bind_tighter_than_entrywise_ones(relu_net):
    r"""``\odot``, ``\circ``, ``\ast`` are looser than the matrix product, as in Wikipedia's
    ``(f^{l})' \circ (W^{l+1})^T \delta^{l+1}``; NumPy's ``*`` stays left to right with ``@``."""
    assert_reads_as(r"W_2^T (P - Y) \odot H(Z_1)", relu_net,
                    lambda W2, A2, Y, Z1, **_: (W2.T @ (A2 - Y)) * (Z1 > 0))
    assert_reads_as(r"H(Z_1) \odot W_2^T (P - Y)", relu_net,
                    lambda W2, A2, Y, Z1, **_: (Z1 > 0) * (W2.T @ (A2 - Y)))
    assert_reads_as(r"H(Z_1) \circ W_2^T \cdot (P - Y)", relu_net,
                    lambda W2, A2, Y, Z1, **_: (Z1 > 0) * (W2.T @ (A2 - Y)))
    with pytest.raises(MatrixShapeError) as caught:      # NumPy's (H(Z_1) * W_2^T) (P - Y)
        read_matrix_derivation(r"H(Z_1) * W_2^T (P - Y)", relu_net)
    assert caught.value.operation == "Hadamard product"
    assert caught.value.right_latex == "W_2^T"


@pytest.mark.parametrize("text", [r"(P - Y) \cdot A_1^T", r"(P - Y).A_1^T", r"(P - Y)\times A_1^T",
                                  r"(P-Y) A_1^T", r"\left[P - Y\right] A_1^T",
                                  r"\bigl(P - Y\bigr) A_1^T", r"{(P - Y)} {A_1}^T"])
def test_matrix_product_spellings(relu_net, text):
    assert_reads_as(text, relu_net, lambda A2, Y, A1, **_: (A2 - Y) @ A1.T)


@pytest.mark.parametrize("text", [r"(P - Y) \odot A_2", r"(P - Y) \circ A_2", r"(P - Y) * A_2"])
def test_hadamard_product_spellings(relu_net, text):
    assert_reads_as(text, relu_net, lambda A2, Y, **_: (A2 - Y) * A2)


def test_a_scalar_times_a_matrix_is_scaling(relu_net):
    assert_reads_as(r"0.5 (P - Y) + 2*Y - Y/m + \frac{A_2}{m}", relu_net,
                    lambda A2, Y, **_: 0.5 * (A2 - Y) + 2 * Y - Y / BATCH + A2 / BATCH)


def test_a_scalar_added_to_a_matrix_is_added_to_every_entry(relu_net):
    assert_reads_as(r"1 - A_1^2", relu_net, lambda A1, **_: 1 - A1 ** 2)
    assert_reads_as(r"-A_1^{3} + 2", relu_net, lambda A1, **_: 2 - A1 ** 3)


@pytest.mark.parametrize("sup", [r"^{\top}", r"^\top", "^T", "^{T}", r"^{\intercal}",
                                 r"^{\mathsf{T}}", r"^{\mathrm{T}}"])
def test_transpose_spellings(relu_net, sup):
    assert_reads_as("X" + sup, relu_net, lambda X, **_: X.T)


@pytest.mark.parametrize("name", ["W2", "W_2", "W_{2}", "W^{[2]}", "W^{(2)}", r"\mathbf{W}_2",
                                  r"\boldsymbol{W}_{2}"])
def test_name_spellings(relu_net, name):
    assert read_one(name, relu_net) == relu_net.symbol("W2")


def test_a_renamed_symbol_reads_by_its_latex_and_its_identifier(relu_net):
    assert read_one("P", relu_net) == read_one("A_2", relu_net) == relu_net.symbol("A2")


def test_andrew_ngs_layer_superscripts(relu_net):
    derivation = read_matrix_derivation(r"dW^{[2]} = \frac{1}{m} dZ^{[2]} A^{[1]T}", relu_net)
    assert derivation.about == (relu_net.loss_symbol, relu_net.symbol("W2"))
    assert_reads_as(r"\frac{1}{m} dZ^{[2]} A^{[1]T}", relu_net,
                    lambda dL_dZ2, A1, **_: dL_dZ2 @ A1.T / BATCH)


# ------------------------------------------------------------------ chains and derivatives
def test_an_aligned_block_is_a_chain(relu_net):
    text = (r"\begin{aligned} \frac{\partial \mathcal{L}}{\partial W_1} &= \frac{1}{m}"
            r"\left(W_2^T (P - Y) \odot \mathbb{1}[Z_1 > 0]\right) X^T \\ &= dZ_1 X^\top."
            r"\end{aligned}")
    derivation = read_matrix_derivation(text, relu_net)
    assert derivation.about == (relu_net.loss_symbol, relu_net.symbol("W1"))
    assert len(derivation.steps) == 2
    assert [s.latex for s in derivation.steps] == [
        r"\frac{1}{m}\left(W_2^T (P - Y) \odot \mathbb{1}[Z_1 > 0]\right) X^T", r"dZ_1 X^\top"]
    m = relu_net.batch
    assert derivation.steps[1].expr == MatrixSymbol("dL_dZ1", 5, m) * relu_net.symbol("X").T
    values = _values(relu_net)
    expected = (values["W2"].T @ (values["A2"] - values["Y"]) * (values["Z1"] > 0)) \
        @ values["X"].T / BATCH
    np.testing.assert_allclose(evaluate(derivation.steps[0].expr, relu_net, values), expected)


@pytest.mark.parametrize("environment", ["align", "align*", "split"])
def test_other_environments(relu_net, environment):
    text = rf"\begin{{{environment}}} dZ_2 &= P - Y \\ &= A_2 - Y \end{{{environment}}}"
    derivation = read_matrix_derivation(text, relu_net)
    assert derivation.about == (relu_net.loss_symbol, relu_net.symbol("Z2"))
    assert [s.expr for s in derivation.steps] == [relu_net.symbol("A2") - relu_net.symbol("Y")] * 2


def test_a_plain_chain_without_a_leading_derivative_has_no_about(relu_net):
    derivation = read_matrix_derivation(r"(P - Y) A_1^T = (A_2 - Y) A_1^T", relu_net)
    assert derivation.about is None and len(derivation.steps) == 2


@pytest.mark.parametrize("text", ["dZ_2", "dZ^{[2]}", r"\mathrm{d}Z_2", "dZ2",
                                  r"\frac{\partial J}{\partial Z_2}",
                                  r"\dfrac{\partial L}{\partial Z_{2}}",
                                  r"\frac{\partial \mathcal{J}}{\partial Z^{[2]}}"])
def test_derivative_placeholders(relu_net, text):
    assert read_one(text, relu_net) == MatrixSymbol("dL_dZ2", 3, relu_net.batch)


def test_a_placeholder_inside_an_expression(relu_net):
    assert_reads_as(r"W_2^T \frac{\partial \mathcal{L}}{\partial Z_2} \odot H(Z_1)", relu_net,
                    lambda W2, dL_dZ2, Z1, **_: (W2.T @ dL_dZ2) * (Z1 > 0))


# ------------------------------------------------------------------ sums over the batch
@pytest.mark.parametrize("text", [r"\frac{1}{m}(P - Y)\mathbf{1}",
                                  r"\frac{1}{m}(P - Y)\mathbf{1}_m",
                                  r"\frac{1}{m}\sum_{i=1}^{m} (P - Y)", r"\frac{1}{m} \sum_i dZ_2"])
def test_bias_gradients_sum_over_the_batch(relu_net, text):
    got = read_one(text, relu_net)
    assert got.shape == (3, 1)
    values = _values(relu_net)
    column = values["dL_dZ2"] if "dZ" in text else values["A2"] - values["Y"]
    np.testing.assert_allclose(evaluate(got, relu_net, values),
                               column.sum(axis=1, keepdims=True) / BATCH)


def test_a_row_of_ones_broadcasts_a_bias(relu_net):
    assert_reads_as(r"W_2 A_1 + b_2 \mathbf{1}^{\top}", relu_net,
                    lambda W2, A1, b2, **_: W2 @ A1 + b2 @ np.ones((1, BATCH)))


# ------------------------------------------------------------------ functions
def test_sigmoid_prime_is_the_registrys_derivative(sigmoid_net):
    for text in (r"\sigma'(Z_1)", r"\sigma^{\prime}(Z_1)", r"\sigma(Z_1) \odot (1 - \sigma(Z_1))"):
        assert_reads_as(text, sigmoid_net,
                        lambda Z1, **_: sigmoid(Z1) * (1 - sigmoid(Z1)))


def test_the_sigmoid_networks_gradient(sigmoid_net):
    text = r"\frac{1}{m}\left(W_2^T (A_2 - Y) \odot A_1 \odot (1 - A_1)\right) X^T"
    assert_reads_as(text, sigmoid_net, lambda W2, A2, Y, A1, X, **_:
                    (W2.T @ (A2 - Y) * A1 * (1 - A1)) @ X.T / BATCH)


@pytest.mark.parametrize("text", [r"\operatorname{relu}'(Z_1)", r"\text{ReLU}'(Z_1)",
                                  r"\mathrm{relu}'(Z_1)", "H(Z_1)", r"\mathbb{1}[Z_1 > 0]",
                                  r"\mathbb{1}(Z_1 > 0)", r"\mathbb{1}_{Z_1 > 0}"])
def test_the_relu_derivative_is_a_step_at_zero(relu_net, text):
    got = read_one(text, relu_net)
    (d,) = got.function.variables
    assert got.function.expr == sympy.Heaviside(d, 0)
    assert got.arg == relu_net.symbol("Z1")


@pytest.mark.parametrize("text, expected", [
    (r"\tanh(Z_1)", np.tanh), (r"\exp(Z_1)", np.exp), (r"\log(A_1^2)", lambda z: np.log(z ** 2)),
    (r"\ln(A_1^2)", lambda z: np.log(z ** 2)), (r"\operatorname{relu}(Z_1)", lambda z: z * (z > 0)),
    (r"\text{ReLU}(Z_1)", lambda z: z * (z > 0)),
    (r"\mathrm{softplus}(Z_1)", lambda z: np.log1p(np.exp(z))),
    (r"1 - \tanh^2(Z_1)", lambda z: 1 - np.tanh(z) ** 2)])
def test_registry_functions_apply_entry_by_entry(relu_net, text, expected):
    values = _values(relu_net)
    source = values["A1"] if "A_1" in text else values["Z1"]
    np.testing.assert_allclose(evaluate(read_one(text, relu_net), relu_net, values),
                               expected(source.astype(float)), rtol=1e-12)


def test_softmax_is_over_each_column(relu_net):
    values = _values(relu_net)
    z = values["Z2"].astype(float)
    expected = np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
    got = read_one(r"\operatorname{softmax}(Z_2) - Y", relu_net)
    np.testing.assert_allclose(evaluate(got, relu_net, values), expected - values["Y"])


# ------------------------------------------------------------------ errors
def _one_sentence(error):
    message = str(error)
    assert "\n" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize("text, words", [
    ("Q_2 A_1", ["'Q_2'", "at character 0"]),
    (r"(P - Y) A_1^T + \mathbf{V}_1", ["'\\mathbf{V}_1'", "at character 16"]),
    (r"\mathcal{L} A_1", ["the loss", "inside a derivative"]),
    (r"\frac{\partial Z_2}{\partial W_2}", ["only derivatives of the loss"]),
    (r"\partial Z_2", ["\\partial outside a derivative"]),
    (r"\frac{1}{A_1}", ["divides by a matrix"]),
    (r"\frac{A_1}{0}", ["divides by zero"]),
    (r"A_1' Z_1", ["prime"]),
    (r"A_1^{x}", ["superscript"]),
    (r"A_1^{99999}", ["superscript"]),
    (r"\operatorname{softmax}'(Z_2)", ["softmax"]),
    (r"(P - Y) = ", ["nothing on one side"]),
    (r"(P - Y) ? A_1", ["cannot read '? A_1'"]),
    (r"\sigma Z_1", ["parentheses"]),
    (r"\sum_{i=1}^{n} A_1", ["over the batch"]),
])
def test_bad_claims_say_what_and_where_in_one_sentence(relu_net, text, words):
    with pytest.raises(LatexReadError) as caught:
        read_matrix_derivation(text, relu_net)
    message = _one_sentence(caught.value)
    for word in words:
        assert word in message


def test_an_unknown_name_lists_close_matches(relu_net):
    with pytest.raises(LatexReadError) as caught:
        read_matrix_derivation("Z_3 + A_1", relu_net)
    assert "did you mean" in str(caught.value) and "Z_{1} (Z1)" in str(caught.value)


def test_a_shape_error_in_a_sum_names_both_terms(relu_net):
    with pytest.raises(MatrixShapeError) as caught:
        read_matrix_derivation(r"(P - Y) - A_1", relu_net)
    error = caught.value
    assert (error.operation, error.left_latex, error.right_latex) == ("sum", "(P - Y)", "A_1")


@pytest.mark.parametrize("text, words", [
    ("A_1 + " * (MAX_LENGTH // 6 + 1) + "A_1", ["characters long"]),
    (r"\def\x{A_1} \x", ["\\def", "never executed"]),
    (r"\input{/etc/passwd}", ["\\input"]),
    (r"\csname A_1\endcsname", ["\\csname"]),
    (r"(P - Y A_1^T", ["never closed"]),
    (r"P - Y) A_1^T", ["unbalanced"]),
    ("(" * 40 + "A_1" + ")" * 40, ["nested more than"]),
    (r"\begin{verbatim} A_1 \end{verbatim}", ["environment"]),
    (r"\foo{A_1}", ["unknown command \\foo"]),
    ("", ["empty"]),
    (r"10^{999}^{999}", ["too large"]),
])
def test_hostile_input_fails_fast(relu_net, text, words):
    with pytest.raises(LatexReadError) as caught:
        read_matrix_derivation(text, relu_net)
    message = _one_sentence(caught.value)
    for word in words:
        assert word in message


def test_a_claim_must_be_text(relu_net):
    with pytest.raises(LatexReadError, match="LaTeX text"):
        read_matrix_derivation(b"A_1", relu_net)


def test_a_long_valid_claim_still_reads(relu_net):
    text = " + ".join(["A_1"] * 500)
    assert_reads_as(text, relu_net, lambda A1, **_: 500 * A1)


# ----------------------------------------------------------------- never a crash, never code
MATRIX_TOKENS = ["P", "Y", "A_1", "Z_1", "W_2", "X", "m", "1", "2", r"\mathbf{1}", r"\mathbf{1}^T",
                 "(", ")", "{", "}", "^T", r"^{\top}", "^2", r"^{\circ 2}", "+", "-", "=", "*", ".",
                 r"\odot", r"\cdot", r"\frac{1}{m}", r"\frac", r"\sigma", "'", r"H", r"\sum_{i=1}^{m}",
                 "dZ_2", r"\partial", r"\mathcal{L}", r"\left(", r"\right)", r"\\", "&", ",",
                 r"\mathbb{1}[Z_1 > 0]", r"\operatorname{relu}", "q", "/"]


@settings(max_examples=examples(150))
@given(st.lists(st.sampled_from(MATRIX_TOKENS), min_size=1, max_size=12))
def test_any_token_soup_reads_or_raises_a_reader_error(tokens):
    """Whatever a student types, the reader answers with an expression or a LatexReadError."""
    graph = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    graph.set_latex("A2", "P")
    try:
        derivation = read_matrix_derivation(" ".join(tokens), graph)
    except LatexReadError:
        return
    assert all(isinstance(step.expr, sympy.Basic) for step in derivation.steps)


def test_nothing_is_evaluated_as_code(relu_net, monkeypatch):
    """No string of the claim reaches sympify or parse_expr."""
    def refuse(*args, **kwargs):
        raise AssertionError("a string reached sympify/parse_expr")

    monkeypatch.setattr(sympy, "sympify", refuse)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", refuse)
    for text in (r"\frac{1}{m}(P - Y) A_1^{\top}", r"(W_2^T dZ_2 \odot \sigma'(Z_1)) X^T",
                 r"\frac{\partial J}{\partial W_2} = (P - Y)\mathbf{1} \mathbf{1}^T A_1^T / m"):
        assert read_matrix_derivation(text, relu_net).steps


# ----------------------------------------------------------------- bounded before the work (issue 10)
def _refusal(call):
    """The LatexReadError ``call()`` raises (its CPU time is in benchmarks/bench_hostile.py)."""
    with pytest.raises(LatexReadError) as refused:
        call()
    return refused.value


@pytest.mark.parametrize("text, words", [
    (r"(P - Y) A_1^T" + r" W_2^T W_2" * 200, ["more than 24 factors"]),      # over 300 s before
    (r"\sigma" + "'" * 20 + "(Z_2)", ["more than 3 primes"]),                # over 20 s before
    (r"\tanh" + r"^{\prime}" * 5 + "(Z_1)", ["more than 3 primes"]),
    (" + ".join(["(P - Y) A_1^T W_2^T W_2"] * 120), ["more than 600 names"]),
    (" = ".join(["A_1"] * 30), ["at most 20"]),
    (" ".join(["10^{40}"] * 8) + " W_2", ["beyond 10^300"]),
    (r"10^{400} W_2", ["too large"]),
    (r"99999^{1000} W_2", ["too large"]),
    (r"\frac{1}{" + " ".join(["10^{40}"] * 8) + "} W_2", ["beyond 10^300"]),
    (r"\operatorname{relu}''(Z_1)", ["not a function of real numbers"]),
    (r"\operatorname{floor}'(Z_1)", ["not a function of real numbers"]),
    (r"\operatorname{abs}'(Z_1)", ["not a function of real numbers"]),
    (r"\operatorname{mod}(Z_1)", ["does not take 1 argument"]),
    (r"\operatorname{atan2}(Z_1)", ["does not take 1 argument"]),
    (r"\operatorname{where}(Z_1)", ["does not take 1 argument"]),
])
def test_expensive_claims_are_refused_quickly(relu_net, text, words):
    error = _refusal(lambda: read_matrix_derivation(text, relu_net))
    message = _one_sentence(error)
    for word in words:
        assert word in message


def test_three_primes_and_24_factors_still_read(relu_net):
    read_one(r"\sigma'''(Z_2)", relu_net)
    read_one(r"(P - Y) A_1^T" + r" W_2^T W_2" * 11, relu_net)


@pytest.mark.parametrize("text", [r"0 (P - Y) A_1^T", r"\frac{0}{m}(P - Y) A_1^T",
                                  r"(P - Y) 0 A_1^T", r"0 \odot A_1"])
def test_zero_times_a_matrix_is_a_zero_matrix_of_its_shape(relu_net, text):
    expr = read_one(text, relu_net)
    assert isinstance(expr, sympy.ZeroMatrix)


def test_a_side_records_the_adjoints_it_uses(relu_net):
    d = read_matrix_derivation(r"dW_2 = dZ_2 A_1^T = \frac{1}{m}(P - Y) A_1^T", relu_net)
    W2, Z2 = relu_net.symbol("W2"), relu_net.symbol("Z2")
    assert d.about == (relu_net.loss_symbol, W2)
    assert [s.adjoints for s in d.steps] == [frozenset({Z2}), frozenset()]


@pytest.mark.parametrize("text", [
    r"\sigma'''(\sigma'''(\sigma'''(\sigma'''(Z_2)))) A_1^T",        # 4^4 copies of Z_2 and more
    " + ".join([rf"\sigma''(\sigma''(\sigma''(\sigma''(Z_2 + {i})))) A_1^T" for i in range(30)]),
])
def test_functions_nested_past_what_code_can_write_out_are_refused(relu_net, text):
    error = _refusal(lambda: read_matrix_derivation(text, relu_net))
    assert "written out entry by entry" in str(error)


def test_a_derivative_of_a_function_is_computed_once(relu_net):
    first, second = (read_one(r"\sigma'''(Z_2)", relu_net) for _ in range(2))
    assert first == second          # the same formula: a repeated term is one term
