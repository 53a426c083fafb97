"""Numbers from symbols: checked input values, the forward pass, expressions at a point.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph(); x = g.inputs("x"); w = g.params("w")
>>> a = g.node("a", sigmoid(w*x)); L = g.loss("L", -sympy.log(a))
>>> round(float(forward(g, {"x": 1.0, "w": 0.0})[L]), 4)
0.6931
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy

from ..errors import SympropError, name_list


def check_values(graph, values, names=None) -> dict:
    """Values for ``names`` (default: every input and parameter), as finite float arrays.

    Missing, unknown and non-finite values are errors naming the culprit.
    """
    names = [s.name for s in (names or graph.input_symbols + graph.param_symbols)]
    unknown = sorted(set(values) - {s.name for s in graph.symbols})
    if unknown:
        raise SympropError(f"unknown value name(s) {name_list(unknown)}; "
                           f"expected {name_list(names)}")
    missing = [n for n in names if n not in values]
    if missing:
        raise SympropError(f"missing value(s) for {name_list(missing)}")
    checked = {}
    for name in names:
        try:
            array = np.asarray(values[name], dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise SympropError(f"value of {name} is not a number: {_shown(values[name])}") \
                from None
        if not np.all(np.isfinite(array)):
            raise SympropError(f"value of {name} is not finite: {_shown(values[name])}")
        checked[name] = array
    return checked


def _shown(value) -> str:
    """A value as an error message shows it: short, whatever its size."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@lru_cache(maxsize=4096)
def _lambdified(count: int, expr):
    """A NumPy function of ``_v0, ..., _v<count-1>``, printed as generated modules print.

    The arguments get reserved names, so a graph's own names (a node called
    ``sigmoid``, ``exp`` or ``select``) can never hide a function the body calls.
    """
    from ..codegen.printer import NumpyFormPrinter  # codegen imports this module

    printer = NumpyFormPrinter()
    body = printer.doprint(expr)  # records the helpers it calls
    namespace = {"np": np, "math": math}
    namespace.update({f.__name__: f for f in printer.helpers})
    args = [sympy.Symbol(f"_v{i}") for i in range(count)]
    return sympy.lambdify(args, body, modules=[namespace], cse=False)


def evaluate_expr(expr, point: dict):
    """``expr`` evaluated with NumPy at ``point`` (``{Symbol: value}``)."""
    args = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
    missing = [s.name for s in args if s not in point]
    if missing:
        raise SympropError(f"missing value(s) for {name_list(missing)}")
    renamed = expr.xreplace({s: sympy.Symbol(f"_v{i}") for i, s in enumerate(args)})
    with np.errstate(all="ignore"):
        return _lambdified(len(args), renamed)(*(point[s] for s in args))


def broadcast(checked: dict) -> dict:
    """Checked values broadcast to one shape, or an error naming every shape.

    >>> {k: v.shape for k, v in broadcast({"x": np.zeros(3), "w": np.zeros(())}).items()}
    {'x': (3,), 'w': (3,)}
    """
    try:
        return dict(zip(checked, np.broadcast_arrays(*checked.values())))
    except ValueError:
        shapes = ", ".join(f"{k} {v.shape}" for k, v in checked.items())
        raise SympropError(f"values have shapes that do not broadcast together: {shapes}") \
            from None


def forward(graph, values) -> dict:
    """Every symbol's value at ``values`` (inputs and parameters by name), node by node."""
    checked = check_values(graph, values)
    broadcast(checked)   # only to refuse shapes that do not fit together
    point = {s: checked[s.name] for s in graph.input_symbols + graph.param_symbols}
    for node in graph.node_symbols:
        point[node] = evaluate_expr(graph.expr(node), point)
    return point


def as_number(value):
    """A Python float for a 0-d result, else the array."""
    array = np.asarray(value, dtype=np.float64)
    return float(array) if array.ndim == 0 else array
