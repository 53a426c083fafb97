"""Properties over random matrix-form networks: every program agrees with PyTorch autograd.

Random depth, widths, batch size, hidden activation and output head: the
compiled NumPy gradient equals autograd on the original node expressions
(``MatrixGraph.check``), and the torch and jax programs equal the NumPy one.
"""
import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from symprop.registry.functions import ACTIVATIONS
from symprop import matrix_mlp
from symprop.check.points import random_point

# (output, loss, one_hot): the combinations that make sense.
HEADS = [("sigmoid", "bce", False), ("sigmoid", "mse", False), ("identity", "mse", False),
         ("softmax", "ce", False), ("softmax", "ce", True)]

BOUNDED = settings(max_examples=examples(40))
# jax traces every new program on its first call (~0.5 s each): fewer examples there.
TRACED = settings(max_examples=examples(12))


@st.composite
def networks(draw):
    """``(graph, batch, seed)`` for a random 1- to 3-layer matrix MLP."""
    depth = draw(st.integers(1, 3))
    layers = draw(st.lists(st.integers(1, 6), min_size=depth + 1, max_size=depth + 1))
    activation = draw(st.sampled_from(ACTIVATIONS))
    output, loss, one_hot = draw(st.sampled_from(HEADS))
    graph = matrix_mlp(layers, activation=activation, output=output, loss=loss, one_hot=one_hot)
    return graph, draw(st.integers(1, 5)), draw(st.integers(0, 2**32 - 1))


@BOUNDED
@given(net=networks())
def test_compiled_gradients_agree_with_autograd(net):
    graph, batch, seed = net
    report = graph.check(points=1, batch=batch, seed=seed)
    assert report.ok, str(report)


@TRACED
@given(net=networks())
def test_torch_and_jax_programs_equal_the_numpy_one(net):
    graph, batch, seed = net
    values = random_point(graph, np.random.default_rng(seed), batch)
    loss, grads = graph.compile()(**values)
    loss_t, grads_t = graph.compile(backend="torch")(
        **{k: torch.tensor(v) for k, v in values.items()})
    loss_j, grads_j = graph.compile(backend="jax")(**values)
    assert np.isclose(float(loss_t), loss, rtol=1e-12) and np.isclose(float(loss_j), loss, rtol=1e-12)
    for name, grad in grads.items():
        np.testing.assert_allclose(grads_t[name].numpy(), grad, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(np.asarray(grads_j[name]), grad, rtol=1e-10, atol=1e-14)
