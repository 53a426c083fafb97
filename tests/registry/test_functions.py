"""The registry: derivatives in the function's own output, NumPy forms, conventions."""
import numpy as np
import pytest
import sympy

from symprop import REGISTRY, leaky_relu, relu, sigmoid, softmax, softplus, step
from symprop.registry import numpy_forms
from symprop.registry.functions import ACTIVATIONS, BY_CLASS, entry_for

z = sympy.Symbol("z")


def test_sigmoid_derivative_is_in_its_output():
    assert sympy.diff(sigmoid(z), z) == sigmoid(z) * (1 - sigmoid(z))


def test_relu_derivative_at_zero_is_zero_as_in_pytorch():
    derivative = sympy.diff(relu(z), z)
    assert derivative.subs(z, 0) == 0
    assert step(0) == 0 and sympy.Heaviside(0) == sympy.S.Half  # sympy's own default differs
    assert numpy_forms.step(0.0) == 0.0


def test_leaky_relu_default_slope_and_derivative():
    assert leaky_relu(z).args[1] == sympy.Rational(1, 100)
    d = sympy.diff(leaky_relu(z), z)
    assert d.subs(z, 0) == sympy.Rational(1, 100)  # PyTorch: the slope at 0
    assert d.subs(z, 2) == 1


def test_softplus_derivative_is_sigmoid():
    assert sympy.diff(softplus(z), z) == sigmoid(z)


@pytest.mark.parametrize("fn", [sigmoid, relu, softplus, sympy.tanh, leaky_relu])
@pytest.mark.parametrize("x", [-3.5, -0.25, 0.0, 0.7, 4.0])
def test_numpy_forms_match_sympy_at_high_precision(fn, x):
    exact = float(fn(sympy.Float(x, 50)).evalf(50))
    entry = entry_for(fn(z))
    numpy_fn = entry.numpy or getattr(np, entry.name)
    args = (x, 0.01) if entry.name == "leaky_relu" else (x,)
    assert float(numpy_fn(*args)) == pytest.approx(exact, rel=1e-12, abs=1e-300)


def test_softmax_numpy_form_and_derivative():
    logits = [0.3, -1.2, 2.0]
    exps = np.exp(logits)
    for k in (1, 2, 3):
        assert numpy_forms.softmax(k, *logits) == pytest.approx(exps[k - 1] / exps.sum())
    z1, z2 = sympy.symbols("z1 z2")
    assert sympy.diff(softmax(2, z1, z2), z2) == softmax(2, z1, z2) * (1 - softmax(2, z1, z2))


def test_stable_forms_do_not_overflow():
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert numpy_forms.sigmoid(np.float64(-1000.0)) == 0.0
        assert numpy_forms.sigmoid(np.float64(1000.0)) == 1.0
        assert numpy_forms.softplus(np.float64(1000.0)) == 1000.0
        assert numpy_forms.softmax(1, 1000.0, 0.0) == 1.0


def test_registry_entries_are_complete():
    for name, entry in REGISTRY.items():
        assert entry.name == name and entry.latex is not None and callable(entry.torch)
        assert BY_CLASS[entry.sympy_class] is entry
    assert set(ACTIVATIONS) == {"sigmoid", "tanh", "relu", "leaky_relu", "softplus", "gelu", "silu",
                                "identity"}


def test_softmax_index_is_checked():
    with pytest.raises(ValueError, match="softmax index"):
        softmax(3, z, z)


@pytest.mark.parametrize("name", ["sigmoid", "relu", "softplus", "step"])
def test_float_path_equals_array_path(name):
    # One example as a Python float takes the math path; arrays take NumPy's.
    fn = getattr(numpy_forms, name)
    xs = [-1000.0, -40.0, -1.5, -1e-300, 0.0, 1e-300, 0.3, 2.0, 40.0, 1000.0]
    by_array = fn(np.array(xs))
    for x, expected in zip(xs, by_array):
        value = fn(x)
        assert type(value) is float
        assert value == pytest.approx(float(expected), rel=1e-15, abs=1e-300)


def test_float_paths_of_two_argument_forms():
    xs = [-3.0, 0.0, 2.5]
    assert [numpy_forms.leaky_relu(x, 0.01) for x in xs] == pytest.approx(
        list(numpy_forms.leaky_relu(np.array(xs), 0.01)))
    assert numpy_forms.step(0.0, 0.5) == 0.5
    for k in (1, 2, 3):
        assert numpy_forms.softmax(k, 1000.0, 0.0, -5.0) == pytest.approx(
            float(numpy_forms.softmax(k, np.float64(1000.0), np.float64(0.0), np.float64(-5.0))))


# ----------------------------------------------------------------- issue 10: the registry's reach
def test_every_entry_has_a_torch_form_and_a_latex_name():
    for entry in REGISTRY.values():
        assert callable(entry.torch), entry.name
        assert entry.latex or entry.name == "identity", entry.name


def test_leaky_relu_slope_may_be_a_symbol_of_either_sign():
    x, s = sympy.symbols("x s")
    f = leaky_relu(x, s)
    assert sympy.diff(f, s) == x * (1 - step(x))
    # In x, with a symbolic slope the step is of x (leaky_relu > 0 iff x > 0 needs s > 0).
    assert sympy.diff(f, x) == s + (1 - s) * step(x)
    assert sympy.diff(leaky_relu(x), x).has(leaky_relu)  # a positive slope: in its output


def test_mod_is_torch_remainder_and_differentiates_like_it():
    from symprop.registry.functions import mod

    x, y = sympy.symbols("x y")
    assert mod(sympy.Integer(-7), sympy.Integer(3)) == 2  # the sign of the divisor, as x % y
    assert numpy_forms.mod(-7.0, 3.0) == 2.0 and float(numpy_forms.mod(np.float64(-7), 3.0)) == 2.0
    assert (sympy.diff(mod(x, y), x), sympy.diff(mod(x, y), y)) == (1, -sympy.floor(x / y))
    with pytest.raises(ValueError, match="modulus is zero"):
        mod(x, sympy.Integer(0))


def test_where_builds_a_piecewise_and_wants_a_condition():
    from symprop.registry.functions import where

    x = sympy.Symbol("x")
    assert where(x > 1, x, -x) == sympy.Piecewise((x, x > 1), (-x, True))
    with pytest.raises(ValueError, match="comparison"):
        where(x, 1, 2)


@pytest.mark.parametrize("args", [(1.0, 2.0), (1, 2.5, -3.0), (np.array([1.0, 5.0]), 2.0)])
def test_maximum_and_minimum_numpy_forms(args):
    assert np.all(numpy_forms.maximum(*args) == np.maximum.reduce(np.broadcast_arrays(*args)))
    assert np.all(numpy_forms.minimum(*args) == np.minimum.reduce(np.broadcast_arrays(*args)))


def test_kinks_flat_functions_and_stable_logs_are_what_the_entries_say():
    from symprop.registry import kinks
    from symprop.registry.stable import logsumexp

    assert set(kinks.kinks()) == {relu, leaky_relu, sympy.Heaviside, sympy.Abs}
    assert set(kinks.zero_below()) == {relu, leaky_relu}
    assert set(kinks.form_changes()) == {relu, leaky_relu, sympy.Heaviside, sympy.Abs, sympy.sign}
    assert {e.sympy_class for e in REGISTRY.values() if e.flat} == {
        sympy.Heaviside, sympy.sign, sympy.floor, sympy.ceiling}
    z1, z2 = sympy.symbols("z1 z2")
    assert REGISTRY["sigmoid"].log_form(z) == -softplus(-z)
    assert REGISTRY["sigmoid"].log_complement_form(z) == -softplus(z)
    assert REGISTRY["softmax"].log_form(sympy.Integer(2), z1, z2) == z2 - logsumexp(z1, z2)
    assert {e.name for e in REGISTRY.values() if e.log_form or e.log_complement_form} == {
        "sigmoid", "softmax"}


def test_an_entry_registered_later_is_in_the_tables_read_from_the_registry():
    from symprop.registry import kinks
    from symprop.registry.functions import CALLABLE, Entry, register, unregister

    kinked_class = sympy.Function("kinked")
    kinked = register(Entry("kinked", kinked_class, None, abs, "", kink=True,
                            aliases=("kinky",)))
    try:
        assert kinked.kink and kinked.form_change and not kinked.zero_below
        assert kinked.torch_source is None
        assert kinked_class in kinks.kinks() and kinked_class in kinks.form_changes()
        assert kinked_class not in kinks.zero_below()
        assert CALLABLE["kinky"] is kinked_class
    finally:
        unregister("kinked")
    assert kinked_class not in kinks.kinks() and "kinky" not in CALLABLE


def test_zero_below_needs_a_kink():
    from symprop.registry.functions import Entry

    with pytest.raises(ValueError, match="kink"):
        Entry("half", sympy.Function("half"), None, abs, "", zero_below=True)
