"""Engine defects of issue 10: gradients symprop derives must evaluate, compile and check.

Every expected gradient here comes from PyTorch autograd (float64) on the same
function written directly in torch, never from symprop's own output.
"""
import math

import numpy as np
import pytest
import sympy

from symprop import Graph, SympropError, leaky_relu, relu, sigmoid, step

torch = pytest.importorskip("torch")


def autograd(fn, **values):
    """``(loss, {name: gradient})`` of ``fn(**tensors)`` by torch autograd, float64.

    Every value becomes a leaf tensor that requires a gradient; arrays give the
    gradient of the summed loss, as the reduced compiled functions do.
    """
    leaves = {k: torch.tensor(np.asarray(v, dtype=np.float64), requires_grad=True)
              for k, v in values.items()}
    loss = fn(**leaves)
    loss.sum().backward()
    return (loss.detach().numpy(),
            {k: (t.grad.numpy() if t.grad is not None else np.zeros_like(t.detach().numpy()))
             for k, t in leaves.items()})


def three_ways(graph, point):
    """The gradients by Derivation.evaluate, the compiled function, and check()'s verdict."""
    evaluated = {p.name: graph.derive(p).evaluate(**point) for p in graph.param_symbols}
    loss, compiled = graph.compile()(**point)
    return evaluated, loss, compiled, graph.check(point)


def assert_gradients(graph, point, reference_fn, params):
    evaluated, loss, compiled, report = three_ways(graph, point)
    ref_loss, ref = autograd(reference_fn, **point)
    assert float(loss) == pytest.approx(float(ref_loss), rel=1e-12, abs=1e-12)
    for name in params:
        assert evaluated[name] == pytest.approx(float(ref[name]), rel=1e-12, abs=1e-12), name
        assert compiled[name] == pytest.approx(float(ref[name]), rel=1e-12, abs=1e-12), name
    assert report.ok, str(report)


# ----------------------------------------------------------------- Max and Min
def test_max_compiles_with_no_missing_import():
    g = Graph()
    w = g.params("w")
    g.loss("L", sympy.Max(w, 0) * w)
    assert "functools" not in g.compile().source
    assert_gradients(g, {"w": 2.0}, lambda w: torch.maximum(w, torch.zeros(())) * w, ["w"])
    assert_gradients(g, {"w": -1.5}, lambda w: torch.maximum(w, torch.zeros(())) * w, ["w"])


def test_min_of_three_and_batches():
    g = Graph()
    x = g.inputs("x")
    w, b = g.params("w b")
    g.loss("L", sympy.Min(w * x, b, 1) ** 2)

    def ref(x, w, b):
        return torch.minimum(torch.minimum(w * x, b), torch.ones(())) ** 2

    assert_gradients(g, {"x": 0.5, "w": 0.4, "b": 0.7}, ref, ["w", "b"])
    f = g.compile(reduce="sum")
    xs = np.array([0.5, 2.0, 3.0])
    loss, grads = f(x=xs, w=0.4, b=0.7)
    _, expected = autograd(lambda x, w, b: ref(x, w, b), x=xs, w=0.4, b=0.7)
    assert grads["w"] == pytest.approx(float(expected["w"]))
    assert grads["b"] == pytest.approx(float(expected["b"]))


# ----------------------------------------------------------------- nodes the loss does not use
def test_a_node_that_does_not_reach_the_loss_is_never_named_in_a_gradient():
    g = Graph()
    p = g.params("p")
    g.node("unused", sympy.cos(p))
    n = g.node("n", sympy.sin(p))
    g.loss("L", 2 * n)
    assert "unused" not in str(g.derive(p).result)
    assert_gradients(g, {"p": 0.3}, lambda p: 2 * torch.sin(p), ["p"])


# ----------------------------------------------------------------- DiracDelta: flat functions
@pytest.mark.parametrize("build, reference", [
    (lambda w, x: sympy.sign(w * x) * w, lambda w, x: torch.sign(w * x) * w),
    (lambda w, x: step(w * x) * w + relu(w), lambda w, x: (w * x > 0).double() * w + torch.relu(w)),
    (lambda w, x: sympy.Abs(w) * sympy.sign(w - x),
     lambda w, x: torch.abs(w) * torch.sign(w - x)),
    (lambda w, x: sympy.floor(w * x) + sympy.ceiling(w) * w,
     lambda w, x: torch.floor(w * x) + torch.ceil(w) * w),
], ids=["sign", "step", "abs-times-sign", "floor-ceiling"])
@pytest.mark.parametrize("w", [0.75, -1.25])
def test_flat_functions_differentiate_to_zero_as_in_pytorch(build, reference, w):
    g = Graph()
    x = g.inputs("x")
    wp = g.params("w")
    g.loss("L", build(wp, x))
    assert not g.derive(wp).result.has(sympy.DiracDelta)
    assert_gradients(g, {"x": 0.5, "w": w}, lambda x, w: reference(w, x), ["w"])


def test_the_sign_a_node_holds_is_differentiated_once_more():
    # |w|' = sign(w); a node that is sign(w) itself is then differentiated by the loss.
    g = Graph()
    w = g.params("w")
    s = g.node("s", sympy.sign(w))
    g.loss("L", s * w + sympy.Abs(w))
    assert_gradients(g, {"w": 0.6}, lambda w: torch.sign(w) * w + torch.abs(w), ["w"])


# ----------------------------------------------------------------- Mod
@pytest.mark.parametrize("w, y", [(5.3, 2.0), (-2.2, 1.5), (2.5, -0.7)])
def test_mod_has_torch_remainders_derivatives(w, y):
    g = Graph()
    wp, yp = g.params("w y")
    g.loss("L", sympy.Mod(wp, yp) * wp)
    assert not g.derive(wp).result.has(sympy.Derivative)
    assert_gradients(g, {"w": w, "y": y}, lambda w, y: torch.remainder(w, y) * w, ["w", "y"])


# ----------------------------------------------------------------- 0 ** y
@pytest.mark.parametrize("zero", [sympy.Float(0.0), sympy.Integer(0)])
def test_zero_to_a_parameter_power_has_gradient_zero(zero):
    g = Graph()
    y = g.params("y")
    g.loss("L", zero ** y + 3 * y)
    assert_gradients(g, {"y": 2.0}, lambda y: torch.zeros(()) ** y + 3 * y, ["y"])


# ----------------------------------------------------------------- reduce
@pytest.mark.parametrize("reduce", ["sum", "mean"])
def test_reduce_counts_every_example_when_the_loss_uses_no_batched_input(reduce):
    g = Graph()
    g.inputs("x")
    w = g.params("w")
    g.loss("L", w ** 2)
    xs = np.array([1.0, 2.0, 3.0])
    loss, grads = g.compile(reduce=reduce)(x=xs, w=0.5)
    ref_loss, ref = autograd(lambda w, x: (w ** 2 + 0 * x).sum() if reduce == "sum"
                             else (w ** 2 + 0 * x).mean(), w=0.5, x=xs)
    assert loss == pytest.approx(float(ref_loss))
    assert grads["w"] == pytest.approx(float(ref["w"]))
    assert grads["w"] == pytest.approx(3.0 if reduce == "sum" else 1.0)


def test_reduce_none_gives_one_value_per_example_even_for_a_constant_gradient():
    g = Graph()
    x = g.inputs("x")
    w, b = g.params("w b")
    g.loss("L", w * x + b)
    loss, grads = g.compile()(x=np.array([1.0, 2.0, 3.0]), w=0.5, b=0.0)
    assert np.shape(grads["b"]) == (3,) and list(grads["b"]) == [1.0, 1.0, 1.0]


# ----------------------------------------------------------------- a log loss by hand
def hand_bce_graph(spelling):
    g = Graph()
    x, y = g.inputs("x y")
    w = g.params("w")
    a = g.node("a", sigmoid(w * x))
    g.loss("L", spelling(a, y))
    return g


SPELLINGS = {
    "textbook": lambda a, y: -y * sympy.log(a) - (1 - y) * sympy.log(1 - a),
    "negated-sum": lambda a, y: -(y * sympy.log(a) + (1 - y) * sympy.log(1 - a)),
    "reordered": lambda a, y: (y - 1) * sympy.log(1 - a) - y * sympy.log(a),
    "logs-of-reciprocals": lambda a, y: y * sympy.log(1 / a) + (1 - y) * sympy.log(1 / (1 - a)),
    "log-of-a-product": lambda a, y: -sympy.log(a ** y * (1 - a) ** (1 - y)),
    "expanded": lambda a, y: -y * sympy.log(a) - sympy.log(1 - a) + y * sympy.log(1 - a),
}


@pytest.mark.parametrize("spelling", SPELLINGS.values(), ids=SPELLINGS)
@pytest.mark.parametrize("w, y", [(37.0, 0.0), (40.0, 0.0), (-50.0, 1.0), (800.0, 1.0),
                                  (0.3, 1.0)])
def test_a_hand_written_log_loss_over_a_sigmoid_is_stable_when_compiled(spelling, w, y):
    f = hand_bce_graph(spelling).compile()

    def ref(x, y, w):  # PyTorch's own stable form of the same loss
        return torch.nn.functional.binary_cross_entropy_with_logits(w * x, y, reduction="none")

    ref_loss, ref_grads = autograd(ref, x=1.0, y=y, w=w)
    loss, grads = f(x=1.0, y=y, w=w)  # Python floats: a division by zero would raise
    assert loss == pytest.approx(float(ref_loss), rel=1e-12)
    assert grads["w"] == pytest.approx(float(ref_grads["w"]), rel=1e-12, abs=1e-300)
    with np.errstate(divide="raise", invalid="raise", over="raise"):
        loss, grads = f(x=np.array([1.0, -1.0]), y=y, w=w)
    assert np.all(np.isfinite(grads["w"]))


# ----------------------------------------------------------------- names like functions
@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu", "step", "exp", "select", "log",
                                  "math", "functools", "maximum", "where", "sign"])
def test_a_node_named_like_a_function_evaluates(name):
    g = Graph()
    x = g.inputs("x")
    w = g.params("w")
    a = g.node(name, sympy.tanh(w * x))
    g.loss("L", (sigmoid(a) + relu(a) + sympy.exp(a) + sympy.Max(a, 0)
                 + sympy.Piecewise((a, a > 0), (2 * a, True))) ** 2)

    def ref(x, w):
        a = torch.tanh(w * x)
        return (torch.sigmoid(a) + torch.relu(a) + torch.exp(a)
                + torch.maximum(a, torch.zeros(())) + torch.where(a > 0, a, 2 * a)) ** 2

    assert_gradients(g, {"x": 0.8, "w": 0.3}, ref, ["w"])


@pytest.mark.parametrize("names", ["exp log", "sigmoid tanh", "relu softplus"])
def test_parameters_named_like_functions_check(names):
    g = Graph()
    x = g.inputs("x")
    p, q = g.params(names)
    g.loss("L", sympy.tanh(p * x + q) ** 2)
    assert g.check(points=2).ok


# ----------------------------------------------------------------- leaky_relu and step
def test_leaky_relu_with_a_parameter_as_its_slope():
    g = Graph()
    x = g.inputs("x")
    w = g.params("w")
    g.loss("L", leaky_relu(w * x, w))

    def ref(x, w):
        return torch.where(w * x > 0, w * x, w * (w * x))

    for point in ({"x": 1.0, "w": 0.5}, {"x": -1.0, "w": 0.5}, {"x": 1.0, "w": -0.7},
                  {"x": -2.0, "w": -0.7}):
        assert_gradients(g, point, ref, ["w"])


def test_step_of_a_product_compiles_and_checks():
    g = Graph()
    x = g.inputs("x")
    w = g.params("w")
    g.loss("L", step(w * x) * x + w)
    assert_gradients(g, {"x": 0.5, "w": 0.25}, lambda x, w: (w * x > 0).double() * x + w, ["w"])


# ----------------------------------------------------------------- the oracle's coverage
def _tenth():
    return torch.tensor(0.1, dtype=torch.float64)


ELEMENTARY = {
    "tan": (sympy.tan, torch.tan), "sinh": (sympy.sinh, torch.sinh),
    "cosh": (sympy.cosh, torch.cosh), "asin": (sympy.asin, torch.asin),
    "acos": (sympy.acos, torch.acos), "atan": (sympy.atan, torch.atan),
    "asinh": (sympy.asinh, torch.asinh), "atanh": (sympy.atanh, torch.atanh),
    "acosh": (lambda u: sympy.acosh(u + 2), lambda u: torch.acosh(u + 2)),
    "cot": (sympy.cot, lambda u: 1 / torch.tan(u)), "sec": (sympy.sec, lambda u: 1 / torch.cos(u)),
    "csc": (sympy.csc, lambda u: 1 / torch.sin(u)),
    "sinc": (sympy.sinc, lambda u: torch.sinc(u / math.pi)),
    "atan2": (lambda u: sympy.atan2(u, 2 - u), lambda u: torch.atan2(u, 2 - u)),
    "piecewise": (lambda u: sympy.Piecewise((u ** 2, u > 0.2), (u, True)),
                  lambda u: torch.where(u > 0.2, u ** 2, u)),
    "max": (lambda u: sympy.Max(u, 0.1), lambda u: torch.maximum(u, _tenth())),
    "min": (lambda u: sympy.Min(u, 0.1), lambda u: torch.minimum(u, _tenth())),
    "sqrt": (lambda u: sympy.sqrt(u + 1), lambda u: torch.sqrt(u + 1)),
    "pi-and-E": (lambda u: sympy.pi * u + sympy.E, lambda u: math.pi * u + math.e),
}


@pytest.mark.parametrize("name", ELEMENTARY)
@pytest.mark.parametrize("w", [0.35, -0.45])
def test_check_covers_every_function_derive_and_compile_handle(name, w):
    ours, theirs = ELEMENTARY[name]
    g = Graph()
    x = g.inputs("x")
    wp = g.params("w")
    g.loss("L", ours(wp * x) * wp)
    assert_gradients(g, {"x": 0.9, "w": w}, lambda x, w: theirs(w * x) * w, ["w"])
    assert g.check(points=2).ok


# ----------------------------------------------------------------- check stays bounded
def test_check_at_the_largest_batch_a_spec_allows_is_bounded():
    from symprop.front.seeds import logistic_regression

    g = logistic_regression()
    rng = np.random.default_rng(0)
    values = {"x1": rng.uniform(size=100_000), "x2": rng.uniform(size=100_000), "y": 1.0,
              "w1": -4.0, "w2": 3.0, "b": -1.0}
    report = g.check(values)  # it took 347 s once: benchmarks/bench_hostile.py times it
    assert report.ok
    assert len(report.points) == 1000
    assert any("100000 examples: checked 1000" in note for note in report.notes)


def test_a_compiled_function_on_python_floats_divides_by_zero_as_torch_does():
    g = Graph()
    x, y = g.inputs("x y")
    w = g.params("w")
    g.loss("L", w * x / y)
    with np.errstate(divide="ignore", invalid="ignore"):
        loss, grads = g.compile()(x=1.0, y=0.0, w=0.5)  # 1/0.0 raises on Python floats
    ref_loss, ref = autograd(lambda x, y, w: w * x / y, x=1.0, y=0.0, w=0.5)
    assert (loss, grads["w"]) == (float(ref_loss), float(ref["w"])) == (math.inf, math.inf)


@pytest.mark.parametrize("build, named", [
    (lambda w: sympy.Sum(w ** sympy.Symbol("k", integer=True),
                         (sympy.Symbol("k", integer=True), 0, 3)), "Sum"),
    (lambda w: sympy.Subs(w ** 2, w, 2 * w), "Subs"),
    (lambda w: sympy.conjugate(w), "conjugate"),
    (lambda w: sympy.DiracDelta(w), "DiracDelta"),
    (lambda w: sympy.erf(w), "erf"),
])
def test_what_could_be_neither_compiled_nor_checked_is_refused_when_declared(build, named):
    g = Graph()
    w = g.params("w")
    with pytest.raises(SympropError, match=f"uses {named}"):
        g.loss("L", build(w))


def test_other_sympy_constants_check():
    g = Graph()
    w = g.params("w")
    g.loss("L", sympy.Catalan * w ** 2 + sympy.EulerGamma * w + sympy.GoldenRatio)
    assert_gradients(g, {"w": 0.4}, lambda w: 0.915965594177219 * w ** 2
                     + 0.5772156649015329 * w + 1.618033988749895, ["w"])


@pytest.mark.parametrize("w", [-0.5, 0.5])
def test_a_gradient_through_relu_is_masked_where_the_rest_is_infinite(w):
    # d/dw sqrt(relu(w x)) = step * x / (2 sqrt(relu)): 0 * inf at w x < 0, where torch
    # (whose ReLU backward masks) gives 0.
    g = Graph()
    x = g.inputs("x")
    wp = g.params("w")
    g.loss("L", sympy.sqrt(relu(wp * x)) + sympy.sqrt(sympy.Max(wp * x, 0)))
    with np.errstate(divide="ignore", invalid="ignore"):
        assert_gradients(g, {"x": 1.0, "w": w}, lambda x, w: torch.sqrt(torch.relu(w * x))
                         + torch.sqrt(torch.maximum(w * x, torch.zeros(()))), ["w"])


def test_evaluate_with_values_whose_shapes_do_not_broadcast_is_a_clear_error():
    g = Graph()
    x, y = g.inputs("x y")
    w = g.params("w")
    g.loss("L", w * x * y)
    with pytest.raises(SympropError, match="do not broadcast together"):
        g.derive(w).evaluate(x=np.ones(2), y=np.ones(3), w=1.0)
