"""backend="auto": a rule over the graph's form, size, dtype and the installed libraries."""
import numpy as np

from symprop import matrix_mlp, mlp
from symprop.codegen.auto_backend import auto_backend, installed


def test_scalar_float64_graph_gets_numpy():
    g = mlp([1, 2, 1])
    f = g.compile(backend="auto")
    assert f.backend == "numpy"
    loss, grads = f(**{s.name: 0.5 for s in g.input_symbols + g.param_symbols})
    assert set(grads) == {p.name for p in g.param_symbols}


def test_matrix_graph_gets_the_rules_backend_and_computes_numpys_gradients():
    g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True)
    expected = "numpy"                     # a small network: the least overhead a call
    assert auto_backend(g) == expected
    rng = np.random.default_rng(0)
    values = dict(X=rng.normal(size=(3, 5)), Y=np.eye(2)[:, [0, 1, 1, 0, 1]],
                  W1=rng.normal(size=(4, 3)), b1=np.zeros((4, 1)),
                  W2=rng.normal(size=(2, 4)), b2=np.zeros((2, 1)))
    f = g.compile(backend="auto")
    assert f.backend == expected
    _, grads = f(**values)
    _, reference = g.compile()(**values)
    assert list(grads) == list(reference)  # declaration order, also under jax.jit
    for k in reference:
        np.testing.assert_allclose(np.asarray(grads[k]), reference[k], rtol=1e-10)


def test_a_large_matrix_network_gets_torch_when_it_is_installed():
    g = matrix_mlp([784, 256, 256, 10], activation="relu", output="softmax", loss="ce",
                   one_hot=True)
    assert auto_backend(g) == ("torch" if installed("torch") else "numpy")
    assert auto_backend(g, np.float32) == auto_backend(g)
