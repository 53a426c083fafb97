"""Numbers from symbols: checked input values, the forward pass of both forms, expressions.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph(); x = g.inputs("x"); w = g.params("w")
>>> a = g.node("a", sigmoid(w*x)); L = g.loss("L", -sympy.log(a))
>>> round(float(forward(g, {"x": 1.0, "w": 0.0})[L]), 4)
0.6931
"""
from __future__ import annotations

import functools
import math
import operator
from functools import lru_cache

import numpy as np
import sympy
from sympy import (HadamardPower, HadamardProduct, MatAdd, MatMul, MatrixExpr, MatrixSymbol,
                   OneMatrix, Trace, Transpose, ZeroMatrix)
from sympy.core.sympify import _sympify  # objects only: a string is refused, never parsed

from ..errors import SympropError, name_list
from . import matrix_ops as ops


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
    NumpyForward(graph).loss(point)
    return point


# ------------------------------------------------------------------ the forward pass
class ForwardPass:
    """The forward pass from the original node expressions, over a kit's arrays.

    A kit says how arrays are made (``array``, ``fill``), how a scalar sympy
    tree is evaluated over them (``scalar``) and what the column softmax is;
    the matrix rules below use only operators both torch and NumPy define.
    A scalar holding traces (``tr(G M^T)/m``, a scalar vertex's adjoint) has
    each trace built from its matrix and summed down the diagonal, then the
    scalar tree evaluated over those numbers (:meth:`_traced`).
    """

    def __init__(self, graph):
        self.graph, self._trace_symbols = graph, {}
        self._rules = {
            MatrixSymbol: lambda e, env, node: env[e], MatMul: self._matmul,
            MatAdd: lambda e, env, node: self._fold(operator.add, e, env, node),
            HadamardProduct: lambda e, env, node: self._fold(operator.mul, e, env, node),
            HadamardPower: self._power, ops.Apply: self._apply, ops.Loss: self._loss,
            Transpose: lambda e, env, node: self.build(e.arg, env, node).T,
            ops.Softmax: lambda e, env, node: self.softmax(self.build(e.arg, env, node)),
            OneMatrix: lambda e, env, node: self.fill(1.0, self.shape_of(e)),
            ZeroMatrix: lambda e, env, node: self.fill(0.0, self.shape_of(e))}

    def __call__(self, point: dict):
        """Loss and gradients at one point: floats for a scalar graph, arrays for a matrix one."""
        loss, grads = self.batch({name: np.asarray(v, dtype=np.float64)
                                  for name, v in point.items()})
        return as_number(loss), {name: as_number(g) for name, g in grads.items()}

    def loss(self, env):
        """The loss from ``env`` (inputs and parameters by symbol, as the kit's arrays)."""
        graph = self.graph
        self._m = _batch_size(graph, env)
        for node in graph.node_symbols:
            env[node] = self.build(graph.expr(node), env, node)
        return env[graph.loss_symbol]

    def build(self, expr, env, node):
        if not isinstance(expr, (MatrixExpr, ops.Loss)):
            if isinstance(expr, sympy.Basic) and expr.has(Trace):
                return self._traced(expr, env, node)
            return self.scalar(expr, env, node)
        rule = self._rules.get(type(expr))
        if rule is None:
            raise SympropError(f"node {node} uses {type(expr).__name__}, which the oracle "
                               "cannot rebuild")
        return rule(expr, env, node)

    def _traced(self, expr, env, node):
        """A scalar with traces in it: each outermost trace the sum of its built matrix's
        diagonal (in the kit's arithmetic), stood for by a dummy in the scalar tree.

        >>> from symprop import matrix_mlp
        >>> g = matrix_mlp([2, 1], output="sigmoid", loss="bce")
        >>> W, kit = g.symbol("W1"), NumpyForward(g)
        >>> kit._m = 4                                   # the batch size, as loss() sets it
        >>> float(kit.build(sympy.Trace(W * W.T) / g.batch, {W: np.array([[3.0, 4.0]])}, "t"))
        6.25
        """
        traces = {t: self._trace_symbols.setdefault(t, sympy.Dummy("tr"))
                  for t in _outer_traces(expr)}
        values = {d: self.build(t.arg, env, node).diagonal().sum() for t, d in traces.items()}
        scalar = expr.xreplace(traces).subs(self.graph.batch, self._m)
        return self.scalar(scalar, {**env, **values}, node)

    def _coefficient(self, coeff, env, node):
        """A product's scalar factor: a number, or a tree of scalar vertices (and traces)."""
        if coeff.has(Trace):
            return self._traced(coeff, env, node)
        if coeff.free_symbols - {self.graph.batch}:   # a scalar vertex's value scales it
            return self.scalar(coeff.subs(self.graph.batch, self._m), env, node)
        return self._number(coeff, node)

    def _number(self, c, node) -> float:
        value = _sympify(c).subs(self.graph.batch, self._m)
        if not value.is_number or not value.is_real:
            raise SympropError(f"node {node}: the factor {c} is not a real number")
        return float(value)

    def _matmul(self, expr, env, node):
        coeff, matrices = expr.as_coeff_matrices()
        product = functools.reduce(operator.matmul, (self.build(a, env, node) for a in matrices))
        return product if coeff == 1 else self._coefficient(coeff, env, node) * product

    def _fold(self, combine, expr, env, node):
        return functools.reduce(combine, (self.build(a, env, node) for a in expr.args))

    def _power(self, expr, env, node):
        base, exponent = expr.args
        exponent = int(exponent) if exponent.is_Integer else self._number(exponent, node)
        return self.build(base, env, node) ** exponent

    def shape_of(self, expr) -> tuple:
        """``expr``'s shape at the batch size ``m`` of the point evaluated (``()``: a number)."""
        return tuple(self._m if n == self.graph.batch else int(n)
                     for n in getattr(expr, "shape", ()))

    def _apply(self, expr, env, node):
        return self.scalar(expr.function.expr,
                           {expr.function.variables[0]: self.build(expr.arg, env, node)}, node)

    def _loss(self, loss, env, node):
        """The registry's per-entry loss over every entry, summed, divided by the batch size."""
        per_entry, a, y = loss.per_entry()
        entries = {a: self.build(loss.outputs, env, node), y: self.build(loss.targets, env, node)}
        value = self.scalar(per_entry, entries, node).sum() / self._m
        if loss.weights:   # weight decay: (c/2) sum ||W||^2, each norm the sum of W o W
            squares = functools.reduce(operator.add, ((w * w).sum() for w in
                                                      (self.build(v, env, node) for v in loss.weights)))
            value = value + self._coefficient(loss.decay, env, node) * squares / 2
        return value


def _outer_traces(expr):
    """The traces in ``expr`` that no other trace holds, in order, once each."""
    if isinstance(expr, Trace):
        return [expr]
    return list(dict.fromkeys(t for a in expr.args for t in _outer_traces(a)))


def _batch_size(graph, env) -> int:
    """``m`` of a matrix graph: the columns of an input that has one per example."""
    for s in graph.input_symbols:
        if isinstance(s, MatrixSymbol) and ops.holds_examples(s, graph.batch):
            return int(env[s].shape[1])
    return 1


class NumpyForward(ForwardPass):
    """The forward pass over NumPy arrays, scalar trees printed as generated modules print them.

    >>> from symprop import matrix_mlp
    >>> g = matrix_mlp([2, 1], output="sigmoid", loss="bce")
    >>> env = {s: np.zeros(tuple(4 if n == g.batch else int(n) for n in s.shape))
    ...        for s in g.input_symbols + g.param_symbols}
    >>> round(float(NumpyForward(g).loss(env)), 6)     # sigmoid(0) = 1/2 for targets 0
    0.693147
    """

    def fill(self, value, shape):
        return np.full(shape, value)

    def softmax(self, x):
        e = np.exp(x - x.max(axis=0, keepdims=True))
        return e / e.sum(axis=0, keepdims=True)

    def scalar(self, expr, env, node):
        return evaluate_expr(expr, env)


def as_number(value):
    """A Python float for a 0-d result, else the array."""
    array = np.asarray(value, dtype=np.float64)
    return float(array) if array.ndim == 0 else array
