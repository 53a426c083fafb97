"""The lesson's functions section: each function defined, and its derivative derived, by sympy."""
import pytest
import sympy

from symprop import mlp
from symprop.latex.lesson import DEFINED_BY, functions_blocks
from symprop.latex.to_latex import latex_body
from symprop.registry.functions import REGISTRY, activations

Z = sympy.Symbol("z")
POINTS = (-1.7, -0.3, 0.4, 2.2)


def section(activation):
    g = mlp([1, 2, 1], activation=activation, output="identity", loss="mse")
    return latex_body(functions_blocks(g))


@pytest.mark.parametrize("name", [a for a in activations() if REGISTRY[a].latex])
def test_every_definition_shown_is_the_function_and_every_derivative_its_slope(name):
    f = REGISTRY[name].sympy_class(Z)
    for target in DEFINED_BY:
        defined = f.rewrite(target)
        if defined == f:
            continue
        for z in POINTS:   # the definition equals the function; its slope, by finite differences
            value = float(f.subs(Z, z).evalf(30))
            assert abs(float(defined.subs(Z, z).evalf(30)) - value) < 1e-12
            slope = sympy.diff(defined, Z).replace(sympy.Heaviside,
                                                   lambda x, *at: sympy.Heaviside(x, 0))
            h = 1e-6
            numeric = (float(f.subs(Z, z + h).evalf(30)) - float(f.subs(Z, z - h).evalf(30))) / (2 * h)
            assert abs(float(slope.subs(Z, z).evalf(30)) - numeric) < 1e-6
        break


def test_relu_is_defined_as_a_maximum_and_its_derivative_written_in_z_then_in_its_output():
    tex = section("relu")
    assert r"\operatorname{ReLU}(z) &= \max(0, z)" in tex
    # H(z), as a lecturer writes it, then H(ReLU(z)): the form the edges' partials use (H(a))
    assert r"\operatorname{ReLU}'(z) &= H(z) = H(\operatorname{ReLU}(z))" in tex


@pytest.mark.parametrize("name, definition", [
    ("softplus", r"\operatorname{softplus}(z) &= \log(e^{z} + 1)"),
    ("gelu", r"\operatorname{GELU}(z) &= \frac{z \left(\tanh"),
    ("sigmoid", r"\sigma(z) &= \frac{1}{e^{- z} + 1}"),
])
def test_each_function_is_defined_in_elementary_terms(name, definition):
    assert definition in section(name)
