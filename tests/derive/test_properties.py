"""Properties over random networks: every form of symprop's gradient agrees with the others.

- the derivation and the compiled function agree with PyTorch autograd;
- the path sum, the backprop result and sympy's own diff of the composed loss
  agree numerically;
- counting paths by dynamic programming matches enumerating them.
"""
import importlib.util
import os

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from symprop import mlp
from symprop.check.graph_check import check_graph
from symprop.registry.functions import ACTIVATIONS
from symprop.ir.numeric import evaluate_expr, forward

requires_torch = pytest.mark.skipif(
    importlib.util.find_spec("torch") is None and os.environ.get("CI") != "true",
    reason="PyTorch is not installed (pip install symprop[torch])")

# (output, loss, one_hot): the combinations that make sense.
HEADS = [("sigmoid", "bce", False), ("sigmoid", "mse", False), ("identity", "mse", False),
         ("softmax", "ce", False), ("softmax", "ce", True)]

BOUNDED = settings(max_examples=examples(30))


@st.composite
def networks(draw, max_width=4):
    """``(layers, activation, output, loss, one_hot)`` of a 2- or 3-layer MLP."""
    depth = draw(st.integers(2, 3))
    layers = draw(st.lists(st.integers(1, max_width), min_size=depth + 1, max_size=depth + 1))
    activation = draw(st.sampled_from(ACTIVATIONS))
    output, loss, one_hot = draw(st.sampled_from(HEADS))
    return layers, activation, output, loss, one_hot


def _random_point(graph, seed):
    """Inputs in (0.05, 0.95), parameters in (-1.5, 1.5), one-hot groups one-hot."""
    rng = np.random.default_rng(seed)
    point = {s.name: rng.uniform(0.05, 0.95) for s in graph.input_symbols}
    point.update({s.name: rng.uniform(-1.5, 1.5) for s in graph.param_symbols})
    for group in graph.one_hot_groups:
        hot = rng.integers(len(group))
        point.update({s.name: float(i == hot) for i, s in enumerate(group)})
    return point


def _close(value, reference, rtol=1e-9):
    return abs(value - reference) <= rtol * max(abs(reference), 1.0)


@requires_torch
@BOUNDED
@given(net=networks(), seed=st.integers(0, 2**32 - 1))
def test_derivation_and_compiled_gradients_agree_with_autograd(net, seed):
    layers, activation, output, loss, one_hot = net
    graph = mlp(layers, activation=activation, output=output, loss=loss, one_hot=one_hot)
    report = check_graph(graph, points=2, seed=seed, rtol=1e-9)
    assert report.method == "torch autograd" and report.compiled
    assert report.ok, str(report)
    assert len(report.rows) == 2 * (1 + len(graph.param_symbols))


@BOUNDED
@given(net=networks(max_width=3), seed=st.integers(0, 2**32 - 1), pick=st.integers(0, 10**6))
def test_path_sum_result_and_sympy_diff_agree(net, seed, pick):
    layers, activation, output, loss, one_hot = net
    graph = mlp(layers, activation=activation, output=output, loss=loss, one_hot=one_hot)
    params = graph.param_symbols
    # One parameter per example keeps sympy.diff of the composed loss affordable;
    # the first layer's weights (longest paths) are drawn as often as any other.
    wrt = params[pick % len(params)]
    derivation = graph.derive(wrt)
    assert graph.count_paths(wrt) == len(derivation.paths) == derivation.path_count

    point = _random_point(graph, seed)
    values = forward(graph, point)  # every node's value: path sum and result are in node values
    leaves = {s: point[s.name] for s in graph.input_symbols + params}
    composed_loss = graph.composed(graph.expr(graph.loss_symbol))
    expected = float(evaluate_expr(sympy.diff(composed_loss, wrt), leaves))
    path_sum = float(evaluate_expr(derivation.path_sum, values))
    result = float(evaluate_expr(derivation.result, values))
    closed = float(evaluate_expr(derivation.closed_form, leaves))
    assert np.isfinite(expected)
    assert _close(path_sum, expected), (path_sum, expected)
    assert _close(result, expected), (result, expected)
    assert _close(closed, expected), (closed, expected)
