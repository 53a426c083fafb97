"""The function registry: every function symprop knows is described in one place.

Gradients here are compared with PyTorch autograd (float64) on the same
function written directly in torch, never with symprop's own output.
"""

import numpy as np
import pytest
import sympy

from symprop import Graph
from symprop.registry.functions import BY_CLASS, CALLABLE, REGISTRY, TWINS
from symprop.latex.printer import latex
from symprop.registry import hyperbolic

torch = pytest.importorskip("torch")

HYPERBOLIC = {"tanh": torch.tanh, "sinh": torch.sinh, "cosh": torch.cosh}


def _nested_graph(name, depth):
    """L = (f(f(...f(w*x)...)) - y)**2 with ``depth`` applications of the spec's ``name``."""
    g = Graph()
    x, y = g.inputs("x y")
    w = g.params("w")
    value = w * x
    for _ in range(depth):
        value = CALLABLE[name](value)
    z = g.node("z", value)
    g.loss("L", (z - y) ** 2)
    return g, w


def _torch_nested_gradient(fn, depth, w, x, y):
    wt = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    value = wt * x
    for _ in range(depth):
        value = fn(value)
    ((value - y) ** 2).backward()
    return wt.grad.item()


def test_a_30_nested_tanh_gradient_is_torchs():
    g, w = _nested_graph("tanh", 30)
    point = {"x": 0.7, "y": 0.2, "w": 1.3}
    derived = g.derive(w).evaluate(**point)
    _, compiled = g.compile()(**point)
    expected = _torch_nested_gradient(torch.tanh, 30, 1.3, 0.7, 0.2)
    assert derived == pytest.approx(expected, rel=1e-12)
    assert compiled["w"] == pytest.approx(expected, rel=1e-12)
    assert g.check(point).ok


@pytest.mark.parametrize("name", ["sinh", "cosh"])
def test_nested_sinh_and_cosh_gradients_are_torchs(name):
    g, w = _nested_graph(name, 3)
    point = {"x": 0.3, "y": 0.5, "w": 0.4}
    expected = _torch_nested_gradient(HYPERBOLIC[name], 3, 0.4, 0.3, 0.5)
    assert g.derive(w).evaluate(**point) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("name", ["tanh", "sinh", "cosh"])
def test_the_hyperbolic_twins_are_what_every_reader_of_the_registry_sees(name):
    twin = getattr(hyperbolic, name)
    sympy_class = getattr(sympy, name)
    z = sympy.Symbol("z")
    assert REGISTRY[name].sympy_class is twin and CALLABLE[name] is twin
    assert BY_CLASS[twin] is REGISTRY[name] and TWINS[sympy_class] is twin
    # printed exactly as sympy's own class
    assert str(twin(z)) == str(sympy_class(z))
    assert latex(twin(z)) == latex(sympy_class(z)) == rf"\{name}(z)"
    assert sympy.pycode(twin(z)) == sympy.pycode(sympy_class(z))


def test_a_users_sympy_tanh_becomes_the_twin_in_a_graph():
    g = Graph()
    x = g.inputs("x")
    w = g.params("w")
    h = g.node("h", sympy.tanh(w * x))
    g.loss("L", h ** 2)
    h_partial = g.partial(w, h)   # dh/dw = x (1 - h**2)
    assert g.derive(w).evaluate(x=0.5, w=2.0) == pytest.approx(
        2 * np.tanh(1.0) * (1 - np.tanh(1.0) ** 2) * 0.5, rel=1e-12)
    assert h_partial.has(h) and not h_partial.has(sympy.cosh)


def test_twin_assumptions_are_real_for_real_arguments_only():
    r, c = sympy.Symbol("r", real=True), sympy.Symbol("c")
    assert hyperbolic.tanh(r).is_real and hyperbolic.tanh(r).is_finite
    assert hyperbolic.cosh(r).is_positive
    assert hyperbolic.tanh(c).is_real is None and hyperbolic.sinh(c).is_zero is None
    p = sympy.Symbol("p", positive=True)
    assert hyperbolic.sinh(p).is_positive and hyperbolic.tanh(-p).is_negative
    assert np.isclose(float(hyperbolic.tanh(sympy.Float(0.5))), np.tanh(0.5))
