"""A scalar node in a graph of matrices: ``t = exp(r)``, a learned temperature scaling the logits.

Its adjoint is a scalar, sent on to ``r`` by the chain rule (dt/dr = t, in node values, as a
scalar graph writes it); every gradient is checked against PyTorch autograd and the three
generated programs agree."""
import pytest
import sympy

from corpus import assert_programs_agree, tempered_matrix_network
from symprop import Graph, SympropError
from symprop.ir.forms import MATRIX


def test_the_temperature_is_a_scalar_node_of_a_graph_in_matrix_form():
    g = tempered_matrix_network()
    assert g.form is MATRIX and g.kind("t") == "node" and g.shape("t") == ()


def test_the_gradient_reaches_r_through_t_in_node_values():
    g = tempered_matrix_network()
    m, t, A1, A2, W2, Y = g.batch, *(g.symbol(n) for n in ("t", "A1", "A2", "W2", "Y"))
    # By hand: dL/dt = (1/m) tr((A2 - Y)(W2 A1)^T), and dt/dr = exp(r) = t.
    trace = sympy.Trace(sympy.MatMul(A2 - Y, sympy.Transpose(W2 * A1)))
    assert g.derive("r").result == t * trace / m
    (edge,) = g.in_edges("t")      # the step sends dL/dt times dt/dr back to r
    assert edge.parent == g.symbol("r") and edge.pullback(sympy.Integer(1)) == t
    assert t in g.derive("W2").result.free_symbols


def test_every_gradient_agrees_with_torch_autograd():
    report = tempered_matrix_network().check(points=3)
    assert report.ok, report
    assert "r" in {row.parameter for row in report.rows}


@pytest.mark.parametrize("backend", ["torch", "jax"])
def test_the_three_programs_agree(backend):
    assert_programs_agree(tempered_matrix_network(), backend, seed=2, batch=4)


def test_the_program_spells_the_scalar_function_in_its_library():
    g = tempered_matrix_network()
    for backend, spelling in (("numpy", "np.exp(r)"), ("torch", "torch.exp(r)"),
                              ("jax", "jnp.exp(r)")):
        source = g.form.module_source(g, None, backend, None)
        assert f"t = {spelling}" in source


def test_a_scalar_node_may_not_hold_a_matrix():
    g = Graph()
    W = g.param("W", 2, 2)
    with pytest.raises(SympropError, match="node 't' is a scalar of the matrix W: not built yet"):
        g.node("t", sympy.Trace(W))


def test_claims_on_it_are_verified():
    g = tempered_matrix_network()
    trace = r"\operatorname{tr}\left((A_2 - Y)(W_2 A_1)^{\top}\right)"
    assert g.verify("t", r"\frac{1}{m} " + trace)                # dL/dt, by hand
    assert g.verify("r", r"\frac{t}{m} " + trace)                # dt/dr = t
    assert g.verify("W2", r"\frac{t}{m} (A_2 - Y) A_1^{\top}")
    left_out = g.verify("r", r"\frac{1}{m} " + trace)           # t's chain rule left out
    assert not left_out and left_out.diagnosis.startswith("the factor t is missing")
    assert not g.verify("W2", r"\frac{1}{m} (A_2 - Y) A_1^{\top}")
