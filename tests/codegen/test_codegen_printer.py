"""The NumPy printer: np. prefixes, registry functions by name, float-safe arithmetic."""
import inspect

import numpy as np
import pytest
import sympy

from symprop import leaky_relu, relu, sigmoid, softmax, softplus, step
from symprop.registry import numpy_forms
from symprop.codegen.compiled import load_module
from symprop.codegen.printer import NumpyFormPrinter, print_numpy
from symprop.codegen.stable import logsumexp
from symprop.codegen import stable_forms
from symprop.codegen.stable_forms import logsumexp as np_logsumexp

x, y, z, d = sympy.symbols("x y z dL_dz")


@pytest.mark.parametrize("expr, text", [
    (sympy.exp(x), "np.exp(x)"),
    (sympy.log(x), "np.log(x)"),
    (sympy.tanh(x), "np.tanh(x)"),
    (sympy.sin(x) + sympy.cos(y), "np.sin(x) + np.cos(y)"),
    (sympy.sqrt(x), "np.sqrt(x)"),
    (sympy.Abs(x), "np.abs(x)"),
    (sigmoid(z), "sigmoid(z)"),
    (relu(z), "relu(z)"),
    (softplus(z), "softplus(z)"),
    (leaky_relu(z), "leaky_relu(z, 1/100)"),
    (softmax(2, x, y, z), "softmax(2, x, y, z)"),
    (step(z), "step(z)"),                      # at_zero=0 is the NumPy form's default
    (sympy.Heaviside(z), "step(z, 1/2)"),       # sympy's own convention kept explicit
    (logsumexp(x, y), "logsumexp(x, y)"),
    (1 / x, "1/x"),
    (x ** -2, "x**(-2)"),
])
def test_prints(expr, text):
    assert print_numpy(expr) == text


def test_records_only_the_helpers_it_printed():
    p = NumpyFormPrinter()
    p.doprint(sigmoid(x) + step(y) * logsumexp(x, y) + sympy.exp(z))
    assert set(p.helpers) == {numpy_forms.sigmoid, numpy_forms.step, np_logsumexp,
                              stable_forms.masked}


def test_a_product_with_a_step_is_masked_as_pytorch_masks_relu_gradients():
    text = print_numpy(step(y) * 2 * x)
    assert text == "masked(step(y), 2*x)"
    # sqrt(relu(y)) at y < 0: the upstream 1/(2 sqrt(0)) is inf; torch's gradient is 0.
    with np.errstate(divide="ignore"):
        assert stable_forms.masked(0.0, float("inf")) == 0.0
        assert list(stable_forms.masked(np.array([0.0, 1.0]), np.array([np.inf, 2.0]))) == [0, 2]
    assert stable_forms.masked(0.5, 4.0) == 2.0  # Heaviside(0) = 1/2 (Max's ties) still scales


def test_aliases_helpers_on_request():
    p = NumpyFormPrinter(helper_names={numpy_forms.sigmoid: "_sigmoid"})
    assert p.doprint(sigmoid(x)) == "_sigmoid(x)"


@pytest.mark.parametrize("expr, text", [
    (x * d, "x*dL_dz"),
    (-x * d, "-x*dL_dz"),
    (x * (1 - x) * d, "x*(1 - x)*dL_dz"),
    ((x + y) * d, "(x + y)*dL_dz"),
    (d / x, "dL_dz/x"),
    (-d, "-dL_dz"),
])
def test_adjoints_print_last_in_products(expr, text):
    assert NumpyFormPrinter(trailing={d}).doprint(expr) == text


def test_rationals_stay_float64():
    text = print_numpy(sympy.Rational(99, 100) * x + sympy.Rational(1, 3))
    value = eval_printed(text, x=np.int64(2))
    assert value.dtype == np.float64 and value == pytest.approx(1.98 + 1 / 3, rel=1e-15)


def eval_printed(text, **names):
    """Run one printed expression through a real module (the package never evaluates strings)."""
    args = ", ".join(names)
    module = load_module(f"import numpy as np\n\ndef f({args}):\n    return {text}\n",
                         "printer_check")
    return module.f(**names)


def test_printed_registry_forms_match_sympy_values():
    u = 0.7
    expr = sigmoid(x) + relu(x - 1) + leaky_relu(x - 1) + softmax(1, x, y)
    helpers = "\n\n".join(inspect.getsource(f) for f in (
        numpy_forms.sigmoid, numpy_forms.relu, numpy_forms.leaky_relu, numpy_forms.softmax))
    module = load_module(f"import math\nimport numpy as np\n\n{helpers}\n\ndef f(x, y):\n"
                         f"    return {print_numpy(expr)}\n", "registry_check")
    exact = float(expr.subs({x: u, y: -0.2}).evalf())
    assert module.f(u, -0.2) == pytest.approx(exact, rel=1e-12)


def test_cot_sec_csc_print_as_helpers_with_a_real_argument():
    # sympy's own printing rewrites the call in tan, and a tanh in the argument
    # then becomes tan of an imaginary number: the module returned complex values.
    u = sympy.Symbol("u")
    for fn in (sympy.cot, sympy.sec, sympy.csc):
        text = print_numpy(u / fn(1 + sympy.tanh(u)))
        assert "1j" not in text
        assert text == f"u/{fn.__name__}(np.tanh(u) + 1)"
        value = float(getattr(numpy_forms, fn.__name__)(1.3))
        assert value == pytest.approx(float(fn(sympy.Float(1.3)).evalf()), rel=1e-14)


def test_max_and_min_print_as_helpers_with_no_functools():
    u, v = sympy.symbols("u v")
    p = NumpyFormPrinter()
    assert p.doprint(sympy.Max(u, v, 0) + sympy.Min(u, 1)) == "maximum(0, u, v) + minimum(1, u)"
    assert sorted(f.__name__ for f in p.helpers) == ["maximum", "minimum"]


def test_piecewise_prints_as_nested_where_calls_of_the_registry_form():
    u, v = sympy.symbols("u v")
    p = NumpyFormPrinter()
    text = p.doprint(sympy.Piecewise((u, u > 0), (v, v > 1), (u * v, True)))
    assert text == "where(np.greater(u, 0), u, where(np.greater(v, 1), v, u*v))"
    assert [f.__name__ for f in p.helpers] == ["where"]
    # Without a default branch, NaN where no condition holds (as sympy's own printer).
    assert print_numpy(sympy.Piecewise((u, u > 0))) == "where(np.greater(u, 0), u, np.nan)"
    assert numpy_forms.where(np.greater(2.0, 0), 1.5, 2.5) == 1.5  # floats stay floats
    assert list(numpy_forms.where(np.array([1.0, -1.0]) > 0, 1.0, 2.0)) == [1.0, 2.0]


def test_integers_beyond_float64_precision_print_as_floats():
    # NumPy refuses Python integers past int64 in np.where; generated code is float64.
    u = sympy.Symbol("u")
    assert print_numpy(sympy.Integer(7) ** 31 * u) == "1.577753820348458e+26*u"
    assert print_numpy(sympy.Integer(2) ** 53 * u) == "9007199254740992*u"
    body = print_numpy(sympy.Piecewise((7 ** 31, u > 0), (1, True)))
    f = load_module("import numpy as np\n" + inspect.getsource(numpy_forms.where)
                    + f"\n\ndef g(u):\n    return {body}\n", "big_integers")
    assert float(f.g(np.array([1.0]))[0]) == pytest.approx(7.0 ** 31)


def test_a_masked_gradient_keeps_the_batch_shape():
    assert stable_forms.masked(0.0, np.array([1.0, 2.0])).shape == (2,)
