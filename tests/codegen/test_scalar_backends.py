"""Scalar graphs compiled to torch and jax: the NumPy program's loss and gradients, on any device.

The corpus and mlp([2, 3, 1]) with every activation, float64, per example over
a batch: torch and jax give what NumPy gives (rtol 1e-9).  torch's ``meta``
device stands in for a GPU: a program that made a tensor of its own on the CPU
would fail there.
"""
import subprocess
import sys

import jax
import numpy as np
import pytest
import torch

from corpus import CORPUS
from symprop import SympropError, mlp
from symprop.registry.functions import ACTIVATIONS

RTOL, ATOL, BATCH = 1e-9, 1e-12, 4

GRAPHS = {**CORPUS, **{f"mlp_{a}": (lambda a=a: mlp([2, 3, 1], activation=a)) for a in ACTIVATIONS}}


def point(graph, seed=0):
    rng = np.random.default_rng(seed)
    values = {s.name: rng.uniform(0.05, 0.95, size=BATCH) for s in graph.input_symbols}
    values.update({s.name: float(rng.normal()) for s in graph.param_symbols})
    return values


@pytest.fixture(scope="module")
def problem():
    cache = {}

    def get(name):
        if name not in cache:
            graph = GRAPHS[name]()
            values = point(graph)
            cache[name] = graph, values, graph.compile()(**values)
        return cache[name]

    return get


def same(result, expected, ordered=True):
    (loss, grads), (loss_np, grads_np) = result, expected
    np.testing.assert_allclose(np.asarray(loss), loss_np, rtol=RTOL, atol=ATOL)
    assert list(grads) == list(grads_np) if ordered else set(grads) == set(grads_np)
    for name, grad in grads_np.items():
        np.testing.assert_allclose(np.asarray(grads[name]), grad, rtol=RTOL, atol=ATOL,
                                   err_msg=f"dL/d{name}")


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_torch_program_equals_numpy(name, problem):
    graph, values, expected = problem(name)
    f = graph.compile(backend="torch")
    same(f(**{k: torch.as_tensor(v, dtype=torch.float64) for k, v in values.items()}), expected)
    same(f(**values), expected)  # NumPy arrays and floats are converted


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_jax_program_equals_numpy_also_under_jit(name, problem):
    graph, values, expected = problem(name)
    f = graph.compile(backend="jax")
    same(f(**values), expected)
    same(jax.jit(f.function)(**values), expected, ordered=False)  # jit sorts a dict's keys


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_torch_program_runs_on_the_meta_device(name, problem):
    graph, values, (loss_np, grads_np) = problem(name)
    loss, grads = graph.compile(backend="torch")(
        **{k: torch.as_tensor(v, device="meta") for k, v in values.items()})
    assert (loss.device.type, tuple(loss.shape)) == ("meta", np.shape(loss_np))
    assert {k: (g.device.type, tuple(g.shape)) for k, g in grads.items()} == {
        k: ("meta", np.shape(g)) for k, g in grads_np.items()}


@pytest.mark.parametrize("backend", ["torch", "jax"])
@pytest.mark.parametrize("reduce", ["mean", "sum"])
def test_reduced_programs_equal_numpy(backend, reduce):
    graph = CORPUS["seed_network"]()
    values = point(graph, seed=1)
    expected = graph.compile(reduce=reduce)(**values)
    same(graph.compile(backend=backend, reduce=reduce)(**values), expected)


@pytest.mark.parametrize("backend", ["torch", "jax"])
def test_float32_programs_compute_in_float32(backend):
    graph = CORPUS["logistic_regression"]()
    values = point(graph, seed=2)
    loss_np, grads_np = graph.compile()(**values)
    loss, grads = graph.compile(backend=backend, dtype=np.float32)(**values)
    assert {str(g.dtype).removeprefix("torch.") for g in grads.values()} == {"float32"}
    for k, g in grads_np.items():
        np.testing.assert_allclose(np.asarray(grads[k]), g, rtol=1e-4, atol=1e-6)


def test_options_and_values_are_checked_as_for_numpy():
    graph = CORPUS["logistic_regression"]()
    with pytest.raises(SympropError, match="unknown backend 'tensorflow'"):
        graph.compile(backend="tensorflow")
    with pytest.raises(SympropError, match="float32 needs backend='torch' or 'jax'"):
        graph.compile(dtype=np.float32)
    f = graph.compile(backend="torch")
    values = point(graph)
    with pytest.raises(SympropError, match=r"missing value\(s\) for b"):
        f(**{k: v for k, v in values.items() if k != "b"})
    with pytest.raises(SympropError, match="value of x1 is not finite"):
        f(**{**values, "x1": np.array([1.0, np.nan, 0.0, 0.0])})


def test_torch_is_imported_only_for_a_torch_program():
    script = ("import sys, symprop\n"
              "from symprop import mlp\n"
              "g = mlp([2, 2, 1]); g.compile(); mlp([2, 2, 1], form='matrix').compile()\n"
              "assert 'torch' not in sys.modules and 'jax' not in sys.modules, 'imported'\n"
              "g.compile(backend='torch'); assert 'torch' in sys.modules\n")
    subprocess.run([sys.executable, "-c", script], check=True)
