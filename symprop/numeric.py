"""Numbers from symbols: checked input values, the forward pass, expressions at a point.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph(); x = g.inputs("x"); w = g.params("w")
>>> a = g.node("a", sigmoid(w*x)); L = g.loss("L", -sympy.log(a))
>>> round(float(forward(g, {"x": 1.0, "w": 0.0})[L]), 4)
0.6931
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy

from . import numpy_forms
from .errors import SympropError

_NAMESPACE = {name: getattr(numpy_forms, name) for name in numpy_forms.__all__}
# sympy's NumPy printer rewrites Heaviside as a Piecewise that fails on scalars;
# print it as a call of our step() (same value, PyTorch's convention at 0).
_STEP = sympy.Function("step")


def check_values(graph, values, names=None) -> dict:
    """Values for ``names`` (default: every input and parameter), as finite float arrays.

    Missing, unknown and non-finite values are errors naming the culprit.
    """
    names = [s.name for s in (names or graph.input_symbols + graph.param_symbols)]
    unknown = sorted(set(values) - {s.name for s in graph.symbols})
    if unknown:
        raise SympropError(f"unknown value name(s) {', '.join(unknown)}; "
                           f"expected {', '.join(names)}")
    missing = [n for n in names if n not in values]
    if missing:
        raise SympropError(f"missing value(s) for {', '.join(missing)}")
    checked = {}
    for name in names:
        try:
            array = np.asarray(values[name], dtype=np.float64)
        except (TypeError, ValueError):
            raise SympropError(f"value of {name} is not a number: {values[name]!r}") from None
        if not np.all(np.isfinite(array)):
            raise SympropError(f"value of {name} is not finite: {values[name]!r}")
        checked[name] = array
    return checked


@lru_cache(maxsize=4096)
def _lambdified(args: tuple, expr):
    return sympy.lambdify(args, expr, modules=[_NAMESPACE, "numpy"], cse=False)


def evaluate_expr(expr, point: dict):
    """``expr`` evaluated with NumPy at ``point`` (``{Symbol: value}``)."""
    args = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
    missing = [s.name for s in args if s not in point]
    if missing:
        raise SympropError(f"missing value(s) for {', '.join(missing)}")
    expr = expr.replace(sympy.Heaviside, _STEP)
    with np.errstate(all="ignore"):
        return _lambdified(args, expr)(*(point[s] for s in args))


def forward(graph, values) -> dict:
    """Every symbol's value at ``values`` (inputs and parameters by name), node by node."""
    checked = check_values(graph, values)
    point = {s: checked[s.name] for s in graph.input_symbols + graph.param_symbols}
    for node in graph.node_symbols:
        point[node] = evaluate_expr(graph.expr(node), point)
    return point


def as_number(value):
    """A Python float for a 0-d result, else the array."""
    array = np.asarray(value, dtype=np.float64)
    return float(array) if array.ndim == 0 else array
