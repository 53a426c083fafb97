r"""Primes in component form, as Nielsen and most courses write them: \sigma'(z) is the
derivative of the registry's function, read whatever way the prime is written; a prime
anywhere else is refused with one line, never guessed."""
import pytest
import sympy

from symprop import SympropError, mlp
from symprop.parse.latex import read_latex

SIGMOID = mlp([1, 2, 1])
TANH = mlp([1, 2, 1], activation="tanh", output="identity", loss="mse")


@pytest.mark.parametrize("prime", ["'", r"^{\prime}", r"^\prime", "^{'}"])
def test_every_spelling_of_a_prime_reads_as_the_derivative(prime):
    claim = rf"x w_{{1}}^{{[2]}} \sigma{prime}(z_{{1}}^{{[1]}}) (a_{{1}}^{{[2]}} - y)"
    assert SIGMOID.verify("w1_1_1", claim).equivalent is True


def test_tanh_prime_and_bare_superscript_layers():
    claim = r"2 x w^2_1 \tanh'(z^1_1) (a^2_1 - y)"
    assert TANH.verify("w1_1_1", claim).equivalent is True


def test_a_second_derivative_is_the_registrys_differentiated_twice():
    z = SIGMOID.symbol("z1_1")
    read = read_latex(r"\sigma''(z_{1}^{[1]})", SIGMOID)
    t = sympy.Symbol("t")
    expected = sympy.diff(SIGMOID.expr("a1_1").func(t), t, 2).subs(t, z)
    assert abs(float((read - expected).subs(z, 0.37))) < 1e-12   # the same function


@pytest.mark.parametrize("claim, fragment", [
    (r"x a' (a_{1}^{[2]} - y)", "is read only after a function's name"),
    (r"\max'(0, z_{1}^{[1]})", "a prime is read on a function of one argument"),
])
def test_a_prime_that_names_no_derivative_is_refused(claim, fragment):
    with pytest.raises(SympropError, match=fragment.replace("(", r"\(").replace("'", "'")):
        read_latex(claim, SIGMOID)


class _Swish(sympy.Function):
    """x sigmoid(x), registered here as a user's function spelled s."""
    nargs = 1

    def fdiff(self, argindex=1):
        from symprop.registry.functions import CALLABLE

        s = CALLABLE["sigmoid"](self.args[0])
        return s * (1 + self.args[0] * (1 - s))

    def _eval_evalf(self, prec):
        x = self.args[0]
        return (x / (1 + sympy.exp(-x)))._eval_evalf(prec)


@pytest.fixture
def user_function():
    from symprop.front.spec import loads_spec
    from symprop.registry.functions import Entry, register, unregister

    register(Entry("swish", _Swish, None, None, "s", activation=True))
    try:
        yield loads_spec('[graph]\ninputs = ["x", "y"]\nparams = ["w"]\nloss = "L"\n'
                         '[graph.nodes]\nz = "w*x"\na = "swish(z)"\nL = "(a - y)**2"\n').graph
    finally:
        unregister("swish")


def test_a_user_functions_prime_is_its_derivative(user_function):
    assert user_function.verify("w", r"2 (a - y) s'(z) x").equivalent is True
    assert user_function.verify("w", r"2 (a - y) \operatorname{swish}'(z) x").equivalent is True
    slip = user_function.verify("w", r"2 (a - y) s(z) x")        # the function, not its slope
    assert slip.equivalent is False
