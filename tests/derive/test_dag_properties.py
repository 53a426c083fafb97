"""Property: on random DAGs, derive, evaluate, compile and check agree with torch autograd.

Each random graph has 1-2 inputs, 1-3 parameters and up to 6 nodes; a node
applies one operation to symbols declared before it, so nodes are shared
(used by several later nodes) and some are unused (the loss sums a random
subset).  The operations cover every registry function and sympy's
elementary functions, each beside the same operation written in torch, so
the reference gradient owes nothing to symprop (its oracle included).
Arguments are squashed into each function's domain (``log(1 + u**2)``,
``asin(tanh(u)/2)``), and the point is drawn by NumPy from a seed, not by
hypothesis, whose favourite values (0, 1, 0.5) sit on kinks.
"""
import math

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from symprop import Graph, leaky_relu, relu, sigmoid, softplus, step
from symprop.registry.functions import REGISTRY, TWINS

torch = pytest.importorskip("torch")


def _t(value):
    return torch.tensor(value, dtype=torch.float64)


# name: (arity, sympy builder, torch builder)
OPERATIONS = {
    "add": (2, lambda a, b: a + b, lambda a, b: a + b),
    "mul": (2, lambda a, b: a * b, lambda a, b: a * b),
    "sub-square": (2, lambda a, b: (a - b) ** 2, lambda a, b: (a - b) ** 2),
    "sigmoid": (1, sigmoid, torch.sigmoid),
    "tanh": (1, sympy.tanh, torch.tanh),
    "relu": (1, relu, torch.relu),
    "leaky_relu": (1, leaky_relu,
                   lambda u: torch.nn.functional.leaky_relu(u, 0.01)),
    "leaky_relu-param-slope": (2, lambda a, b: leaky_relu(a, sigmoid(b)),
                               lambda a, b: torch.where(a > 0, a, torch.sigmoid(b) * a)),
    "softplus": (1, softplus, torch.nn.functional.softplus),
    "gelu": (1, REGISTRY["gelu"].sympy_class,
             lambda u: torch.nn.functional.gelu(u, approximate="tanh")),
    "silu": (1, REGISTRY["silu"].sympy_class, torch.nn.functional.silu),
    "softmax": (2, lambda a, b: REGISTRY["softmax"].sympy_class(1, a, b),
                lambda a, b: torch.softmax(torch.stack(torch.broadcast_tensors(a, b)), 0)[0]),
    "exp": (1, lambda u: sympy.exp(sympy.tanh(u)), lambda u: torch.exp(torch.tanh(u))),
    "log": (1, lambda u: sympy.log(1 + u ** 2), lambda u: torch.log(1 + u ** 2)),
    "sqrt": (1, lambda u: sympy.sqrt(1 + u ** 2), lambda u: torch.sqrt(1 + u ** 2)),
    "sin": (1, sympy.sin, torch.sin),
    "cos": (1, sympy.cos, torch.cos),
    "tan": (1, lambda u: sympy.tan(sympy.tanh(u)), lambda u: torch.tan(torch.tanh(u))),
    "abs": (1, sympy.Abs, torch.abs),
    "step": (1, lambda u: step(u) * u, lambda u: (u > 0).double() * u),
    "sign": (1, lambda u: sympy.sign(u) * u ** 2, lambda u: torch.sign(u) * u ** 2),
    "floor": (1, lambda u: sympy.floor(2 * u) + u, lambda u: torch.floor(2 * u) + u),
    "ceiling": (1, lambda u: sympy.ceiling(2 * u) * u, lambda u: torch.ceil(2 * u) * u),
    "mod": (2, lambda a, b: sympy.Mod(a, 2 + b ** 2),
            lambda a, b: torch.remainder(a, 2 + b ** 2)),
    "max": (2, sympy.Max, torch.maximum),
    "min": (2, lambda a, b: sympy.Min(a, b, sympy.Float(0.25)),
            lambda a, b: torch.minimum(torch.minimum(a, b), _t(0.25))),
    "where": (2, lambda a, b: sympy.Piecewise((a * b, a > b), (a - b, True)),
              lambda a, b: torch.where(a > b, a * b, a - b)),
    "sinh": (1, sympy.sinh, torch.sinh),
    "cosh": (1, sympy.cosh, torch.cosh),
    "asin": (1, lambda u: sympy.asin(sympy.tanh(u) / 2), lambda u: torch.asin(torch.tanh(u) / 2)),
    "acos": (1, lambda u: sympy.acos(sympy.tanh(u) / 2), lambda u: torch.acos(torch.tanh(u) / 2)),
    "atan": (1, sympy.atan, torch.atan),
    "atan2": (2, lambda a, b: sympy.atan2(a, 1 + b ** 2), lambda a, b: torch.atan2(a, 1 + b ** 2)),
    "asinh": (1, sympy.asinh, torch.asinh),
    "acosh": (1, lambda u: sympy.acosh(2 + u ** 2), lambda u: torch.acosh(2 + u ** 2)),
    "atanh": (1, lambda u: sympy.atanh(sympy.tanh(u) / 2),
              lambda u: torch.atanh(torch.tanh(u) / 2)),
    "sinc": (1, lambda u: sympy.sinc(u + sympy.Rational(1, 7)),
             lambda u: torch.sinc((u + 1 / 7) / math.pi)),
    "cot": (1, lambda u: sympy.cot(1 + sympy.tanh(u) / 2),
            lambda u: 1 / torch.tan(1 + torch.tanh(u) / 2)),
    "sec": (1, lambda u: sympy.sec(sympy.tanh(u)), lambda u: 1 / torch.cos(torch.tanh(u))),
    "csc": (1, lambda u: sympy.csc(2 + sympy.tanh(u)), lambda u: 1 / torch.sin(2 + torch.tanh(u))),
    "pi": (1, lambda u: sympy.pi * u + sympy.E, lambda u: math.pi * u + math.e),
}


def test_the_operations_cover_every_registry_function():
    x = sympy.Symbol("x")
    covered = set()
    for arity, build, _ in OPERATIONS.values():
        expr = build(*[x] * arity) if arity == 1 else build(x, sympy.Symbol("y"))
        covered |= {TWINS.get(type(f), type(f)) for f in sympy.preorder_traversal(expr)}
    missing = {e.name for e in REGISTRY.values() if e.sympy_class not in covered}
    assert missing <= {"identity"}, missing  # identity(x) evaluates to x


@st.composite
def graphs(draw):
    """(Graph, torch forward function, parameter names, seed for the point)."""
    g = Graph()
    n_inputs = draw(st.integers(1, 2))
    n_params = draw(st.integers(1, 3))
    inputs = list(g.inputs([f"x{i}" for i in range(n_inputs)])) if n_inputs > 1 else [
        g.inputs("x0")]
    params = list(g.params([f"w{i}" for i in range(n_params)])) if n_params > 1 else [
        g.params("w0")]
    symbols = inputs + params
    recipe = []  # (node name, operation, argument names)
    for i in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(sorted(OPERATIONS)))
        arity, build, _ = OPERATIONS[name]
        args = [draw(st.sampled_from(symbols)) for _ in range(arity)]
        node = g.node(f"n{i}", build(*args))
        recipe.append((node.name, name, [a.name for a in args]))
        symbols.append(node)
    nodes = symbols[len(inputs) + len(params):]
    used = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=len(nodes), unique=True))
    g.loss("L", sum(used, params[0] ** 2))

    def forward(env):
        env = dict(env)
        for node, name, args in recipe:
            env[node] = OPERATIONS[name][2](*(env[a] for a in args))
        return sum((env[u.name] for u in used), env[params[0].name] ** 2)

    seed = draw(st.integers(0, 2 ** 32 - 1))
    return g, forward, [p.name for p in params], seed


def _torch_reference(forward, point, params):
    env = {k: torch.tensor(v, dtype=torch.float64, requires_grad=k in params)
           for k, v in point.items()}
    loss = forward(env)
    loss.backward()
    return float(loss.detach()), {p: float(env[p].grad) if env[p].grad is not None else 0.0
                         for p in params}


def _close(value, reference):
    return abs(float(value) - reference) <= 1e-9 * max(1.0, abs(reference))


@settings(max_examples=examples(40),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(graphs())
def test_derive_evaluate_compile_and_check_agree_with_torch(case):
    g, forward, params, seed = case
    rng = np.random.default_rng(seed)
    point = {s.name: float(rng.uniform(-1.5, 1.5)) for s in g.input_symbols + g.param_symbols}
    ref_loss, ref = _torch_reference(forward, point, params)
    shown = ([f"{n} = {g.expr(n)}" for n in g.node_symbols], point, ref_loss, ref)
    assert math.isfinite(ref_loss) and all(math.isfinite(v) for v in ref.values())

    derivations = {p: g.derive(p) for p in params}
    for p, d in derivations.items():
        assert not d.result.has(sympy.Derivative, sympy.DiracDelta), d.result
        assert _close(d.evaluate(**point), ref[p]), (p, d.result, shown)

    loss, grads = g.compile()(**point)
    assert _close(loss, ref_loss), (loss, shown)
    for p in params:
        assert _close(grads[p], ref[p]), (p, grads, shown)

    report = g.check(point)
    assert report.ok, str(report)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_each_operation_in_a_dag_with_a_shared_and_an_unused_node(name):
    # Hypothesis's 40 graphs need not use every operation; this DAG does, once each:
    # n0 is shared by n1 and the loss, and "unused" reaches nothing.
    arity, build, torch_build = OPERATIONS[name]
    g = Graph()
    x = g.inputs("x")
    w, b = g.params("w b")
    first = (w * x + b,) if arity == 1 else (w * x + b, b)
    n0 = g.node("n0", build(*first))
    g.node("unused", sympy.cos(n0) + w)
    n1 = g.node("n1", sympy.tanh(n0) * w)
    g.loss("L", n0 * n1 + n0)

    def forward(env):
        args = (env["w"] * env["x"] + env["b"],) + (() if arity == 1 else (env["b"],))
        n0 = torch_build(*args)
        return n0 * (torch.tanh(n0) * env["w"]) + n0

    for seed in (3, 4):
        rng = np.random.default_rng(seed)
        point = {s: float(rng.uniform(-1.5, 1.5)) for s in ("x", "w", "b")}
        ref_loss, ref = _torch_reference(forward, point, ["w", "b"])
        loss, grads = g.compile()(**point)
        assert _close(loss, ref_loss)
        for p in ("w", "b"):
            assert _close(g.derive(p).evaluate(**point), ref[p]), (name, p)
            assert _close(grads[p], ref[p]), (name, p)
        assert g.check(point).ok


# ----------------------------------------------------------------- any spec expression
_ATOMS = ["w", "x", "y", "0", "1", "2", "0.0", "0.5", "-1", "pi", "E", "1e-300", "1e300", "0x1f"]


@st.composite
def spec_expressions(draw, depth=3):
    """Text a spec file could hold: every function the parser knows, where(), odd numbers."""
    from symprop.registry.functions import CALLABLE
    from symprop.parse.expression import _arity

    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(_ATOMS))
    kind = draw(st.sampled_from(["binary", "where", "call", "call"]))
    sub = spec_expressions(depth=depth - 1)
    if kind == "binary":
        op = draw(st.sampled_from(["+", "-", "*", "/", "**"]))
        return f"({draw(sub)} {op} {draw(sub)})"
    if kind == "where":
        op = draw(st.sampled_from(["<", ">", "<=", ">=", "==", "!="]))
        return f"where({draw(sub)} {op} {draw(sub)}, {draw(sub)}, {draw(sub)})"
    name = draw(st.sampled_from(sorted(set(CALLABLE) - {"bce", "mse", "ce"})))
    low, high = _arity(name)
    count = draw(st.integers(max(low, 1), min(high or 3, 3)))
    return f"{name}({', '.join(draw(sub) for _ in range(count))})"


@settings(max_examples=examples(40),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec_expressions(), spec_expressions())
def test_any_spec_expression_is_refused_clearly_or_derives_evaluates_compiles_and_checks(a, b):
    from symprop import SympropError

    g = Graph()
    g.inputs("x y")
    g.params("w")
    try:
        z = g.node("z", a)
        g.loss("L", f"({b}) + z*w")
    except SympropError:
        return  # refused with one clear sentence: fine
    point = {"x": 0.7, "y": 0.0, "w": 0.3}
    with np.errstate(all="ignore"):
        g.derive("w").evaluate(**point)
        g.compile()(**point)
        g.compile()(x=np.array([0.7, 0.2]), y=1.0, w=0.3)
    try:
        g.check(points=1)
    except SympropError as error:  # no point where the loss and gradient are finite
        assert "could not draw" in str(error)
