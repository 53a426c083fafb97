"""Notes of matrix graphs (seed 001): complete documents that pdflatex compiles and whose
every equation KaTeX renders; expected forms are seed 001's, written by hand."""
import pytest

from symprop import SympropError
from symprop.latex.document import notes
from symprop import matrix_mlp

W2_SEED = r"\frac{1}{m} \left(A_{2} - Y\right) A_{1}^{\top}"  # dW2 = (1/m)(A2 - Y) A1^T


def seed_network(**options):
    options = {"activation": "relu", "output": "softmax", "loss": "ce", "one_hot": True,
               **options}
    return matrix_mlp([4, 5, 3], **options)


def adjoint(node):
    return rf"\frac{{\partial \mathcal{{L}}}}{{\partial {node}}}"


def section(tex, heading):
    start = tex.index(rf"\section*{{{heading}}}")
    end = tex.find(r"\section*", start + 1)
    return tex[start:end if end > 0 else len(tex)]


def test_seed_network_notes_compile_and_render(katex, pdflatex):
    g = seed_network()
    tex = katex.add_document(notes(g, title="Seed 001 in matrix form"), "matrix notes")
    assert tex.startswith(r"\documentclass[11pt]{article}") and tex.endswith("\\end{document}\n")
    forward = section(tex, "Forward pass")
    assert r"Z_{1} &= W_{1} X + b_{1} \mathbf{1}" in forward
    assert r"A_{2} &= \operatorname{softmax}(Z_{2})" in forward
    assert r"W_{1} \in \mathbb{R}^{5 \times 4}" in forward
    gradients = section(tex, "Gradients")
    for name in ("W_{1}", "b_{1}", "W_{2}", "b_{2}"):
        assert rf"\subsection*{{With respect to ${name}$}}" in gradients
    assert W2_SEED in gradients
    assert adjoint("W_{1}") + r" &= " + adjoint("Z_{1}") + r" X^{\top}" in gradients
    pdflatex(tex, "matrix")


def test_backward_pass_is_the_shared_adjoints_loss_end_first_with_their_rules(katex):
    tex = katex.add_document(notes(seed_network(), numbers=False), "matrix backprop")
    backward = section(tex, "Back propagation")
    rows = [line for line in backward.splitlines() if "&=" in line]
    order = [row.split(" &=")[0] for row in rows]
    # Seed 001's backward pass: dA2, dZ2 (the fused rule), then layer 2's weights,
    # dA1 = W2^T dZ2, dZ1 = dA1 o relu'(Z1), then layer 1's.
    assert order.index(adjoint("Z_{2}")) < order.index(adjoint("A_{1}")) \
        < order.index(adjoint("Z_{1}")) < order.index(adjoint("W_{1}"))
    assert order[0] == adjoint("A_{2}") and len(order) == 8
    by_node = dict(zip(order, rows))
    assert r"\frac{1}{m} \left(A_{2} - Y\right)" in by_node[adjoint("Z_{2}")]
    assert "softmax with cross-entropy" in by_node[adjoint("Z_{2}")]
    assert r"W_{2}^{\top} " + adjoint("Z_{2}") in by_node[adjoint("A_{1}")]
    assert r"\odot H(Z_{1})" in by_node[adjoint("Z_{1}")]
    assert "relu" in by_node[adjoint("Z_{1}")]
    assert "matrix product" in by_node[adjoint("W_{1}")]
    assert "sum over the batch" in by_node[adjoint("b_{1}")]
    assert "Check against autograd" not in tex


@pytest.mark.parametrize("options", [
    {"activation": "sigmoid", "output": "sigmoid", "loss": "bce", "one_hot": False},
    {"activation": "tanh", "output": "identity", "loss": "mse", "one_hot": False},
])
def test_other_networks_render(katex, pdflatex, options):
    tex = katex.add_document(notes(seed_network(**options), params=["W1"]), str(options))
    assert r"\subsection*{With respect to $W_{1}$}" in tex
    assert r"\subsection*{With respect to $W_{2}$}" not in tex
    pdflatex(tex, options["output"])


def test_the_autograd_check_is_summarised(katex):
    tex = katex.add_document(notes(seed_network()), "matrix check")
    check = section(tex, "Check against autograd")
    assert "torch autograd" in check and "they agree" in check
    rows = [line for line in check.splitlines() if line.endswith(r"\\") and "$" in line]
    assert len(rows) == 5  # the loss and four gradients
    assert rows[0].startswith(r"$\mathcal{L}$ & scalar")


def test_without_pytorch_the_notes_say_so(monkeypatch):
    g = seed_network()

    def no_torch(*args, **kwargs):
        raise ImportError("No module named 'torch'")

    monkeypatch.setattr(g, "check", no_torch)
    assert "PyTorch is not installed" in section(notes(g), "Check against autograd")


def test_writes_tex_and_pdf(tmp_path, pdflatex):
    g = seed_network()
    source = notes(g, tmp_path / "seed.tex", numbers=False)
    assert (tmp_path / "seed.tex").read_text(encoding="utf-8") == source
    notes(g, tmp_path / "seed.pdf", numbers=False)
    assert (tmp_path / "seed.pdf").read_bytes().startswith(b"%PDF")


def test_bad_parameter_is_a_clear_error():
    with pytest.raises(SympropError, match="Z1 is a node, not a parameter"):
        notes(seed_network(), params=["Z1"])


def test_a_skip_connection_names_each_operation(katex, pdflatex):
    from symprop.registry.functions import sigmoid
    from symprop.ir import matrix_ops as ops
    from symprop.ir.graph import MatrixGraph

    g = MatrixGraph()
    X, Y = g.input("X", 2), g.input("Y", 2)
    W = g.param("W", 2, 2)
    Z = g.node("Z", W * X)
    A = g.node("A", ops.apply(sigmoid, Z))
    g.node("S", ops.hadamard(A, Z) + A)  # A and Z both feed S
    g.loss("L", ops.Loss("mse", g.symbol("S"), Y))
    tex = katex.add_document(notes(g), "skip connection")
    rows = {line.split(" &=")[0]: line for line in section(tex, "Back propagation").splitlines()
            if "&=" in line}
    # By hand: dL/dZ = dL/dS o A + dL/dA o sigma'(Z), sigma'(Z) = A o (1 - A).
    assert "derivative of sigmoid, entry by entry, Hadamard product" in rows[adjoint("Z")]
    assert "sum, Hadamard product" in rows[adjoint("A")]
    assert "they agree" in tex
    pdflatex(tex, "skip")


def test_matrix_notes_carry_the_lessons_functions_and_update():
    from symprop import mlp, notes

    g = mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True,
            form="matrix")
    tex = notes(g, numbers=False)
    assert r"\section*{Functions and their derivatives}" in tex
    assert r"\operatorname{ReLU}'(z) &=" in tex
    assert r"W_{1} &:= W_{1} - \alpha \frac{\partial \mathcal{L}}{\partial W_{1}}" in tex


def test_the_notes_state_the_scalar_and_its_gradient(katex, tmp_path):
    from corpus import scaled_matrix_network
    from symprop import notes
    from symprop.latex.matrix_printer import derivation_latex

    g = scaled_matrix_network()
    text = notes(g, tmp_path / "notes.tex")
    assert r"s \in \mathbb{R}" in text and r"\operatorname{tr}" in text
    katex.add(derivation_latex(g.derive("s")), "dL/ds")


def test_a_scalars_gradient_has_its_coefficient_in_front_as_the_post_writes_1_over_m(katex):
    import sympy

    from corpus import scaled_matrix_network
    from symprop.latex.matrix_printer import matrix_latex

    g = scaled_matrix_network()
    trace = r"\operatorname{tr}\left(\left(A_{2} - Y\right) \left(W_{2} A_{1}\right)^{\top} \right)"
    assert g.derive("s").latex().endswith(r"= \frac{1}{m} " + trace)
    A2, Y, W2, A1 = (g.symbol(n) for n in ("A2", "Y", "W2", "A1"))
    T = sympy.Trace(sympy.MatMul(A2 - Y, sympy.Transpose(W2 * A1)))
    s, m = g.symbol("s"), g.batch
    shown = {e: matrix_latex(e, g) for e in (-T / m, (s + 1) * T, 2 * s * T / m, T)}
    assert list(shown.values()) == ["- \\frac{1}{m} " + trace, r"\left(s + 1\right) " + trace,
                                    r"\frac{2 s}{m} " + trace, trace]
    for expression, text in shown.items():
        katex.add(text, str(expression))


def test_a_scalar_nodes_adjoint_prints_as_a_fraction_and_the_notes_render(katex, tmp_path):
    from corpus import tempered_matrix_network
    from symprop import notes

    g = tempered_matrix_network()
    # dL/dr = dL/dt dt/dr, dt/dr = t in node values: the adjoint is the post's fraction.
    assert g.derive("r").latex().startswith(
        r"\frac{\partial \mathcal{L}}{\partial r} = \frac{\partial \mathcal{L}}{\partial t} t = ")
    text = notes(g, tmp_path / "notes.tex")
    assert "dL_{dt}" not in text and r"t &= e^{r}" in text
    # The back-propagation table names each step's rule: r's is t's chain rule.
    rows = {line.split(" &=")[0]: line for line in section(text, "Back propagation").splitlines()
            if "&=" in line}
    assert "chain rule" in rows[adjoint("r")]
    assert "scalar factor, summed over the entries" in rows[adjoint("t")]
    katex.add_document(text, "tempered network")


def test_weight_decay_notes_state_the_penalty_and_its_term(katex, pdflatex, tmp_path):
    from corpus import decayed_matrix_network

    text = notes(decayed_matrix_network(), tmp_path / "decay.tex")
    penalty = (r"\frac{\lambda}{2 m} \left(\lVert W_{1} \rVert_{F}^{2} + "
               r"\lVert W_{2} \rVert_{F}^{2}\right)")
    assert penalty in text and r"\lambda \in \mathbb{R}" in text
    rows = {line.split(" &=")[0]: line for line in section(text, "Back propagation").splitlines()
            if "&=" in line}
    assert rows[adjoint("W_{2}")].endswith(r"+ \frac{\lambda}{m} W_{2} \qquad "
                                        r"\text{(matrix product, weight decay)} \\")
    katex.add_document(text, "weight decay")
    pdflatex(text, "decay")
