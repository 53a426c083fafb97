r"""Both claim readers take every function spelling from the registry: ``\ln``, ``\mathrm{ReLU}``,
``\max(0, z)``, and a function's arguments counted against the registry's arities."""
import numpy as np
import pytest
import sympy

from symprop import mlp
from symprop.parse.latex import read_latex
from symprop.parse.latex_text import LatexReadError, function_commands
from symprop.parse.matrix_latex import read_matrix_derivation
from symprop.registry.functions import REGISTRY, mod, relu


@pytest.fixture(scope="module")
def scalar():
    return mlp([1, 1, 1], activation="relu")


@pytest.fixture(scope="module")
def matrix():
    return mlp([2, 3, 1], activation="relu", form="matrix")


def test_every_single_command_spelling_is_screened_in():
    spelled = {s[1:] for e in REGISTRY.values() for s in e.spellings
               if s[1:].isalpha() and s.startswith("\\")}
    assert spelled == function_commands() and {"sigma", "ln", "max"} <= spelled


@pytest.mark.parametrize("text", [r"\mathrm{ReLU}(z_{1}^{[1]})",
                                  r"\operatorname{relu}(z_{1}^{[1]})",
                                  r"\max(0, z_{1}^{[1]})", r"\max(z_{1}^{[1]}, 0)"])
def test_scalar_spellings_of_relu(scalar, text):
    z = scalar.symbol("z1_1")
    read = read_latex(text, scalar)
    assert [read.subs(z, v) for v in (-2, 0, 3)] == [relu(v) for v in (-2, 0, 3)]


def test_scalar_reader_reads_ln_and_two_arguments(scalar):
    x, z = scalar.symbol("x"), scalar.symbol("z1_1")
    assert read_latex(r"\ln(x)", scalar) == sympy.log(x)
    assert read_latex(r"\operatorname{mod}(x, 2)", scalar) == mod(x, 2)
    assert read_latex(r"\min(x, z_{1}^{[1]}, 1)", scalar) == sympy.Min(x, z, 1)
    assert scalar.verify("w2_1_1", r"(a_{1}^{[2]} - y) \max(0, z_{1}^{[1]})").equivalent


@pytest.mark.parametrize("text", [r"\operatorname{mod}(x)", r"\operatorname{where}(x, 1, 0)",
                                  r"\sigma(x, x)"])
def test_scalar_reader_counts_arguments(scalar, text):
    with pytest.raises(LatexReadError, match="does not take"):
        read_latex(text, scalar)


def test_matrix_reader_reads_max_of_zero_and_a_matrix(matrix):
    Z = matrix.symbol("Z1")
    for text in (r"\max(0, Z_1)", r"\max(Z_1, 0)", r"\mathrm{ReLU}(Z_1)"):
        expr = read_matrix_derivation(text, matrix).steps[0].expr
        values = np.array([[-1.5, 0.0, 2.0]] * 3)
        entries = expr.subs({Z: sympy.ImmutableMatrix(values), matrix.batch: 3}).doit()
        assert np.array_equal(np.array(entries, dtype=float), np.maximum(values, 0))


@pytest.mark.parametrize("text, words", [
    (r"\max(Z_1, Z_1)", "one matrix"),
    (r"\operatorname{mod}(Z_1)", "does not take 1 argument"),
    (r"\max(m, Z_1)", "batch size"),
])
def test_matrix_reader_refuses_what_it_cannot_apply(matrix, text, words):
    with pytest.raises(LatexReadError, match=words):
        read_matrix_derivation(text, matrix)
