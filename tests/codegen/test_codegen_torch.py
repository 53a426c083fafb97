"""Compiled gradients against Derivation.evaluate and PyTorch autograd, on the whole corpus.

The torch side is built independently of symprop's derivatives: each node's
expression is walked and evaluated with torch operations (the registry's torch
forms for activations), and autograd differentiates the result.
"""
import os

import numpy as np
import pytest

from corpus import CORPUS
from symprop.registry.functions import entry_for

try:
    import torch
except ImportError:  # pragma: no cover - CI installs torch
    if os.environ.get("CI") == "true":
        raise
    pytest.skip("torch is not installed (pip install torch==2.13.0)", allow_module_level=True)

RTOL, ATOL = 1e-9, 1e-12


def torch_value(expr, env):
    """``expr`` evaluated with torch over ``env`` ({Symbol: tensor})."""
    if expr in env:
        return env[expr]
    if expr.is_Number:
        return float(expr)
    args = [torch_value(a, env) for a in expr.args]
    if expr.is_Add:
        return sum(args[1:], args[0])
    if expr.is_Mul:
        out = args[0]
        for a in args[1:]:
            out = out * a
        return out
    if expr.is_Pow:
        return args[0] ** args[1]
    entry = entry_for(expr)
    assert entry is not None, f"no torch form for {expr.func}"
    return entry.torch(*args)


def torch_gradients(graph, values):
    """(loss summed over the batch, {param: d summed loss / d param}) by torch autograd."""
    env = {}
    for s in graph.input_symbols:
        env[s] = torch.as_tensor(values[s.name], dtype=torch.float64)
    params = {}
    for s in graph.param_symbols:
        params[s.name] = torch.tensor(float(values[s.name]), dtype=torch.float64,
                                      requires_grad=True)
        env[s] = params[s.name]
    for node in graph.node_symbols:
        env[node] = torch_value(graph.expr(node), env)
    loss = env[graph.loss_symbol].sum()
    grads = torch.autograd.grad(loss, list(params.values()), allow_unused=True)
    return loss.item(), {name: (0.0 if g is None else g.item())
                         for name, g in zip(params, grads)}


def random_point(graph, rng, batch=None):
    point = {}
    for s in graph.input_symbols:
        point[s.name] = rng.uniform(0.05, 0.95, size=batch) if batch else float(rng.uniform(0.05, 0.95))
    for group in graph.one_hot_groups:  # declared one-hot: targets sum to 1 per example
        weights = rng.uniform(0.1, 1.0, size=(len(group),) + ((batch,) if batch else ()))
        for s, row in zip(group, weights / weights.sum(axis=0)):
            point[s.name] = row if batch else float(row)
    for s in graph.param_symbols:
        point[s.name] = float(rng.normal())
    return point


@pytest.fixture(scope="module")
def compiled():
    cache = {}

    def get(name, reduce=None):
        if (name, reduce) not in cache:
            graph = CORPUS[name]()
            cache[name, reduce] = (graph, graph.compile(reduce=reduce))
        return cache[name, reduce]

    return get


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_compiled_equals_derivation_evaluate(name, compiled):
    graph, f = compiled(name)
    rng = np.random.default_rng(7)
    for _ in range(3):
        point = random_point(graph, rng)
        loss, grads = f(**point)
        assert list(grads) == [p.name for p in graph.param_symbols]
        for param in graph.param_symbols:
            expected = graph.derive(param).evaluate(**point)
            np.testing.assert_allclose(grads[param.name], expected, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_compiled_equals_torch_autograd(name, compiled):
    graph, f = compiled(name)
    rng = np.random.default_rng(11)
    for _ in range(3):
        point = random_point(graph, rng)
        loss, grads = f(**point)
        torch_loss, torch_grads = torch_gradients(graph, point)
        np.testing.assert_allclose(loss, torch_loss, rtol=RTOL, atol=ATOL)
        for name_, value in torch_grads.items():
            np.testing.assert_allclose(grads[name_], value, rtol=RTOL, atol=ATOL,
                                       err_msg=f"dL/d{name_}")


@pytest.mark.parametrize("name", ["logistic_regression", "multiple_paths", "relu_softmax_ce",
                                  "tanh_mse", "chain_rule_case2"])
def test_batch_broadcasts_per_example(name, compiled):
    graph, f = compiled(name)
    rng = np.random.default_rng(3)
    point = random_point(graph, rng, batch=4)
    loss, grads = f(**point)
    for i in range(4):
        one = {k: (v[i] if isinstance(v, np.ndarray) else v) for k, v in point.items()}
        loss_i, grads_i = f(**one)
        np.testing.assert_allclose(np.broadcast_to(loss, (4,))[i], loss_i, rtol=RTOL)
        for k in grads:
            np.testing.assert_allclose(np.broadcast_to(grads[k], (4,))[i], grads_i[k],
                                       rtol=RTOL, atol=ATOL)
    if graph.input_symbols:
        assert np.shape(loss) == (4,)
        assert all(np.shape(g) == (4,) for g in grads.values())


@pytest.mark.parametrize("name", ["logistic_regression", "seed_network", "relu_softmax_onehot",
                                  "leaky_relu_mse"])
@pytest.mark.parametrize("reduce", ["sum", "mean"])
def test_reduce_is_the_gradient_of_the_reduced_loss(name, reduce, compiled):
    graph, f = compiled(name, reduce)
    rng = np.random.default_rng(5)
    m = 6
    point = random_point(graph, rng, batch=m)
    loss, grads = f(**point)
    torch_loss, torch_grads = torch_gradients(graph, point)  # of the summed loss
    scale = 1.0 if reduce == "sum" else 1.0 / m
    assert np.ndim(loss) == 0
    np.testing.assert_allclose(loss, scale * torch_loss, rtol=RTOL, atol=ATOL)
    for k, value in torch_grads.items():
        assert np.ndim(grads[k]) == 0
        np.testing.assert_allclose(grads[k], scale * value, rtol=RTOL, atol=ATOL)


def test_gradient_without_batch_dependence_still_has_the_batch_shape():
    from symprop import Graph

    g = Graph()
    x, y = g.inputs("x y")
    w, b, c = g.params("w b c")
    g.loss("L", (w * x - y) ** 2 + b ** 2)  # dL/db = 2b: no input in it; c: no path at all
    point = {"x": np.array([1.0, 2.0, 3.0]), "y": np.array([0.5, 0.0, -1.0]),
             "w": 0.3, "b": 0.7, "c": 1.1}
    loss, grads = g.compile()(**point)
    assert grads["b"].shape == (3,) and np.all(grads["b"] == 1.4)
    assert grads["c"].shape == (3,) and np.all(grads["c"] == 0.0)
    total, summed = g.compile(reduce="sum")(**point)
    torch_loss, torch_grads = torch_gradients(g, point)
    np.testing.assert_allclose(total, torch_loss, rtol=RTOL)
    for k in ("w", "b", "c"):
        np.testing.assert_allclose(summed[k], torch_grads[k], rtol=RTOL, atol=ATOL)
    assert summed["b"] == pytest.approx(3 * 1.4)
