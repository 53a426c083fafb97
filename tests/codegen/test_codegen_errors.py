"""Bad arguments, bad options and awkward names: clear errors, correct code."""
import math

import numpy as np
import pytest
import sympy

from corpus import SEED_POINT, logistic_regression
from symprop import Graph, SympropError, sigmoid
from symprop.codegen import CompiledGradient


@pytest.fixture(scope="module")
def f():
    return logistic_regression().compile()


def test_missing_argument_is_named(f):
    point = dict(SEED_POINT)
    del point["b"]
    with pytest.raises(SympropError, match=r"missing value\(s\) for b"):
        f(**point)


def test_unknown_argument_is_named(f):
    with pytest.raises(SympropError, match="w9"):
        f(**SEED_POINT, w9=1.0)


def test_node_passed_as_argument_is_named(f):
    with pytest.raises(SympropError, match=r"^z is a node, not an input or parameter"):
        f(**SEED_POINT, z=1.0)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, np.array([1.0, np.nan]),
                                 np.float64(np.inf)])
def test_non_finite_argument_is_named(f, bad):
    with pytest.raises(SympropError, match="value of x2 is not finite"):
        f(**{**SEED_POINT, "x2": bad})


@pytest.mark.parametrize("bad", ["1.5", None, [1, "a"]])
def test_non_number_is_named(f, bad):
    with pytest.raises(SympropError, match="value of w1 is not a number"):
        f(**{**SEED_POINT, "w1": bad})


def test_accepts_ints_numpy_scalars_and_lists(f):
    loss, grads = f(x1=np.float64(1.5), x2=[2.5, 2.5], y=1, w1=-4, w2=np.int64(3), b=-1)
    assert np.allclose(loss, 0.4741, atol=5e-5) and np.shape(grads["w1"]) == (2,)


@pytest.mark.parametrize("reduce", ["median", "Mean", 0, True])
def test_reduce_is_validated(reduce):
    with pytest.raises(SympropError, match="reduce="):
        logistic_regression().compile(reduce=reduce)


def test_graph_without_loss():
    g = Graph()
    g.params("w")
    with pytest.raises(SympropError, match="no loss"):
        g.compile()


def test_adjoint_names_do_not_clash_with_declared_names():
    g = Graph()
    x, dL_dz = g.inputs("x dL_dz")  # an input that looks like an adjoint
    w = g.params("w")
    z = g.node("z", w * x + dL_dz)
    g.loss("L", z ** 2)
    f = g.compile()
    assert "dL_dz_ = 2*z" in f.source
    _, grads = f(x=3.0, dL_dz=0.5, w=2.0)
    assert grads["w"] == pytest.approx(2 * (2 * 3 + 0.5) * 3)  # d/dw (w x + c)^2 = 2 z x


def test_nodes_named_like_helpers():
    g = Graph()
    x, y = g.inputs("x y")
    w = g.params("w")
    s = g.node("sigmoid", sigmoid(w * x))  # a node called sigmoid
    softplus = g.node("softplus", s * 2)
    g.loss("L", (softplus - y) ** 2)
    f = g.compile()
    _, grads = f(x=0.5, y=1.0, w=0.3)
    u = sympy.Symbol("u")
    expected = sympy.diff((2 * sigmoid(u * 0.5) - 1) ** 2, u).subs(u, 0.3)
    assert grads["w"] == pytest.approx(float(expected.rewrite(sympy.exp)))
    assert "_sigmoid = sigmoid" in f.source


def test_graph_without_inputs_or_batch():
    g = Graph()
    a, b = g.params("a b")
    g.loss("L", a ** 2 * b + sympy.sqrt(b) + 1 / b)
    loss, grads = g.compile()(a=-2.0, b=4.0)
    assert loss == pytest.approx(16 + 2 + 0.25)
    assert grads["a"] == pytest.approx(2 * -2.0 * 4)
    assert grads["b"] == pytest.approx(4 + 0.25 - 1 / 16)


def test_values_whose_shapes_do_not_broadcast_are_a_clear_error():
    import numpy as np
    from symprop import Graph

    g = Graph()
    x, y = g.inputs("x y")
    w = g.params("w")
    g.loss("L", w * x)  # y is used by nothing, but it is still part of the batch
    with pytest.raises(SympropError, match=r"do not broadcast together: x \(2,\), y \(3,\)"):
        g.compile()(x=np.ones(2), y=np.ones(3), w=1.0)


# ----------------------------------------------------------------- the float entry
def test_the_float_entry_gives_what_the_generated_function_gives(f):
    loss, grads = f(**SEED_POINT)
    expected_loss, expected = f.function(**SEED_POINT)
    assert type(loss) is float and loss == expected_loss and grads == expected
    assert isinstance(f, CompiledGradient)
    assert repr(f).startswith("CompiledGradient(") and f.__doc__


def test_arguments_named_like_the_entrys_own_names_and_builtins():
    g = Graph()
    x, float_, type_ = g.inputs("x float type")
    missing, total = g.params("missing_ sum")
    g.loss("L", (missing * x + total * float_ - type_) ** 2)
    f = g.compile()
    values = {"x": 2.0, "float": 3.0, "type": 1.0, "missing_": 0.5, "sum": -1.0}
    loss, grads = f(**values)
    assert loss == pytest.approx((0.5 * 2 - 3 - 1) ** 2)
    assert grads["sum"] == pytest.approx(2 * (0.5 * 2 - 3 - 1) * 3)
    with pytest.raises(SympropError, match=r"missing value\(s\) for sum"):
        f(**{k: v for k, v in values.items() if k != "sum"})


def test_an_overflow_in_plain_floats_is_answered_in_float64():
    g = Graph()
    w = g.params("w")
    g.loss("L", sympy.exp(w))
    with np.errstate(over="ignore"):
        loss, grads = g.compile()(w=1000.0)
    assert loss == math.inf and grads["w"] == math.inf
