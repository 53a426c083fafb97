"""The quadratic cost with the 1/2 (``mse_half``): declared in mlp(), specs and both forms."""
import pytest
import sympy

from symprop import mlp
from symprop.front.spec import loads_spec
from symprop.verify.conventions import quadratic


@pytest.mark.parametrize("form, wrt", [("scalar", "w2_1_1"), ("matrix", "W2")])
def test_the_half_cancels_the_twos_of_the_derivative_and_torch_agrees(form, wrt):
    g = mlp([2, 2, 1], output="identity", loss="mse_half", form=form)
    full = mlp([2, 2, 1], output="identity", loss="mse", form=form)

    def scalar_factor(expr):   # the product's scalar factors (a matrix product's 1/m)
        return sympy.Mul(*(a for a in sympy.Mul.make_args(expr) if not a.is_Matrix)) \
            if not expr.is_Matrix else sympy.Mul(*(a for a in expr.args if not a.is_Matrix))

    half, whole = g.derive(wrt).result, full.derive(wrt).result
    assert scalar_factor(whole) == 2 * scalar_factor(half)     # (a - y) where mse has 2(a - y)
    assert g.check().ok
    assert quadratic(g) == "mse_half"
    assert quadratic(mlp([2, 2, 1], output="identity", loss="mse", form=form)) == "mse"


def test_a_spec_declares_it_and_nielsens_bp1_is_right_without_any_convention():
    spec = loads_spec('[mlp]\nlayers = [1, 1]\noutput = "sigmoid"\nloss = "mse_half"\n')
    g = spec.graph
    # Nielsen (BP1) for one output unit: delta = (a - y) sigma'(z), and dC/db = delta (BP3)
    assert g.verify("b1_1", r"(a_{1}^{[1]} - y) \sigma'(z_{1}^{[1]})")
    slip = g.verify("b1_1", r"2 (a_{1}^{[1]} - y) \sigma'(z_{1}^{[1]})")
    assert not slip and "2" in slip.diagnosis


def test_a_graph_spec_calls_it_per_output():
    spec = loads_spec('[graph]\ninputs = ["x", "y"]\nparams = ["w"]\nloss = "L"\n'
                      '[graph.nodes]\nL = "mse_half(w*x, y)"\n')
    x, y, w = sympy.symbols("x y w")
    assert sympy.expand(spec.graph.composed(spec.graph.derive("w").result) - x * (w * x - y)) == 0
