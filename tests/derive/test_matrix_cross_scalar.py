"""The matrix-form gradient equals the scalar engine's, entry by entry, on small networks.

The scalar engine's loss is per example; the matrix loss is the mean over the
batch, so its gradient is the mean of the scalar engine's per-example gradients.
"""
import numpy as np
import pytest
import sympy

from symprop import mlp
from symprop.ir.graph import BATCH as m
from symprop import matrix_mlp

CASES = [
    ([2, 3, 2], "relu", "softmax", "ce", True),
    ([2, 3, 2], "tanh", "softmax", "ce", False),
    ([2, 3, 1], "sigmoid", "sigmoid", "bce", False),
    ([2, 2, 2], "softplus", "identity", "mse", False),
    ([1, 3, 2, 2], "leaky_relu", "sigmoid", "mse", False),
]


def _names(letter, n):
    return [letter] if n == 1 else [f"{letter}{i}" for i in range(1, n + 1)]


def scalar_values(layers, matrices):
    """The scalar engine's named values for the same point (inputs carry the batch axis)."""
    values = {}
    for letter, key, n in (("x", "X", layers[0]), ("y", "Y", layers[-1])):
        for i, name in enumerate(_names(letter, n)):
            values[name] = matrices[key][i]
    for l in range(1, len(layers)):
        for j in range(layers[l - 1]):
            for k in range(layers[l]):
                values[f"w{l}_{j + 1}_{k + 1}"] = matrices[f"W{l}"][k, j]
        for k in range(layers[l]):
            values[f"b{l}_{k + 1}"] = matrices[f"b{l}"][k, 0]
    return values


def random_point(layers, batch, one_hot, rng):
    point = {"X": rng.normal(size=(layers[0], batch))}
    if one_hot:
        point["Y"] = np.eye(layers[-1])[:, rng.integers(0, layers[-1], batch)]
    else:
        point["Y"] = rng.uniform(0.05, 0.95, size=(layers[-1], batch))
    for l in range(1, len(layers)):
        point[f"W{l}"] = rng.normal(size=(layers[l], layers[l - 1]))
        point[f"b{l}"] = rng.normal(size=(layers[l], 1))
    return point


@pytest.mark.parametrize("layers, activation, output, loss, one_hot", CASES)
@pytest.mark.parametrize("batch", [1, 3])
def test_matrix_gradient_is_mean_of_scalar_gradients(layers, activation, output, loss, one_hot, batch):
    rng = np.random.default_rng(sum(layers) + batch)
    point = random_point(layers, batch, one_hot, rng)
    matrix = matrix_mlp(layers, activation=activation, output=output, loss=loss, one_hot=one_hot)
    scalar = mlp(layers, activation=activation, output=output, loss=loss, one_hot=one_hot)
    values = scalar_values(layers, point)
    total, grads = matrix.compile()(**point)
    per_example = scalar.compile()(**values)[0]
    assert total == pytest.approx(float(np.mean(per_example)), rel=1e-10)
    for d in scalar.gradients().values():
        name = str(d.wrt)
        expected = float(np.mean(d.evaluate(**values)))
        l, *rest = name[1:].split("_")
        if name.startswith("w"):
            got = grads[f"W{l}"][int(rest[1]) - 1, int(rest[0]) - 1]
        else:
            got = grads[f"b{l}"][int(rest[0]) - 1, 0]
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12), name


def test_symbolic_entries_equal_scalar_results():
    """W1's matrix-form gradient, written out for m = 1, is the scalar engine's result."""
    layers = [2, 2, 1]
    matrix = matrix_mlp(layers, activation="sigmoid", output="sigmoid", loss="bce")
    scalar = mlp(layers, activation="sigmoid", output="sigmoid", loss="bce")
    explicit = matrix.derive("W1").result.subs(m, 1).as_explicit()
    names = {}
    for node, letter, n in (("A1", "a1", 2), ("A2", "a2", 1), ("X", "x", 2), ("Y", "y", 1)):
        for i in range(n):
            name = _names(letter, n)[i] if letter in "xy" else f"{letter}_{i + 1}"
            names[sympy.MatrixSymbol(node, n, 1)[i, 0]] = sympy.Symbol(name)
    names.update({sympy.MatrixSymbol("W2", 1, 2)[0, j]: sympy.Symbol(f"w2_{j + 1}_1")
                  for j in range(2)})
    for j in range(2):
        for k in range(2):
            got = explicit[k, j].xreplace(names)
            expected = scalar.derive(f"w1_{j + 1}_{k + 1}").result
            assert sympy.expand(got - expected) == 0
