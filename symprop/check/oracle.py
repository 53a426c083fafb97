"""Reference gradients that owe nothing to symprop's own derivatives.

Two oracles, each a callable ``oracle(point) -> (loss, {param name: gradient})``
over one point (``{name: float}`` for every input and parameter):

- :class:`TorchOracle` rebuilds the graph in PyTorch (float64) from the
  original node expressions, walking each sympy tree: ``Add``, ``Mul`` and
  ``Pow`` through a small table of torch combinators, applied functions through
  the registry's ``.torch`` forms.  It runs ``backward()`` and reads every
  parameter's ``.grad``.
- :class:`FiniteDifferenceOracle` needs no PyTorch: central differences of the
  forward pass (NumPy, float64), one step per parameter scaled to its size.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph(); x, y = g.inputs("x y"); w = g.params("w")
>>> a = g.node("a", sigmoid(w*x)); L = g.loss("L", (a - y)**2)
>>> loss, grads = FiniteDifferenceOracle(g)({"x": 2.0, "y": 1.0, "w": 0.0})
>>> round(loss, 6), round(grads["w"], 6)       # d/dw (s(2w) - 1)^2 = 2 (s-1) s (1-s) 2
(0.25, -0.5)
"""
from __future__ import annotations

import functools
import operator

import numpy as np
import sympy

from ..ir import numeric
from ..errors import SympropError
from ..registry.functions import entry_for

# sympy's core classes, which the registry does not describe (they are not
# functions a user calls), as torch combinators over already built arguments:
# arithmetic, and the comparisons and logic of a Piecewise's conditions.
_COMBINATORS = {
    sympy.Add: lambda *args: functools.reduce(operator.add, args),
    sympy.Mul: lambda *args: functools.reduce(operator.mul, args),
    sympy.Pow: operator.pow,
    sympy.StrictGreaterThan: operator.gt,
    sympy.GreaterThan: operator.ge,
    sympy.StrictLessThan: operator.lt,
    sympy.LessThan: operator.le,
    sympy.Eq: operator.eq,
    sympy.Ne: operator.ne,
    sympy.And: lambda *args: functools.reduce(operator.and_, args),
    sympy.Or: lambda *args: functools.reduce(operator.or_, args),
    sympy.Not: operator.invert,
    sympy.Xor: lambda *args: functools.reduce(operator.xor, args),
    # One branch of a Piecewise: (value, condition), for the registry's torch form.
    sympy.functions.elementary.piecewise.ExprCondPair: lambda value, condition: (value,
                                                                                condition),
}

# Central differences: the step that balances truncation (h^2) against
# rounding (eps / h) is about eps^(1/3) times the parameter's scale.
_FD_STEP = float(np.finfo(np.float64).eps) ** (1 / 3)


class TorchOracle:
    """The graph rebuilt in PyTorch from its node expressions; gradients by autograd.

    Raises :class:`SympropError` when PyTorch is not installed or a node uses a
    function the registry gives no torch form.
    """

    name = "torch autograd"

    def __init__(self, graph):
        try:
            import torch
        except ImportError:
            raise SympropError("PyTorch is not installed, so the autograd oracle cannot run; "
                               "install symprop[torch] or use method='fd'") from None
        self._torch = torch
        self.graph = graph

    def __call__(self, point: dict) -> tuple[float, dict[str, float]]:
        loss, grads = self.batch({name: np.array([float(v)]) for name, v in point.items()})
        return float(loss[0]), {name: float(g[0]) for name, g in grads.items()}

    def batch(self, arrays: dict) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Loss and gradients at many points at once: ``arrays`` maps names to equal-length
        1-d arrays, one entry per point; every parameter gets its own copy per point, so
        one ``backward()`` of the summed loss gives each point's gradients.

        >>> import sympy
        >>> from symprop import Graph
        >>> g = Graph(); x = g.inputs("x"); w = g.params("w"); L = g.loss("L", w**2 * x)
        >>> points = {"x": np.array([1.0, 3.0]), "w": np.array([2.0, 2.0])}
        >>> loss, grads = TorchOracle(g).batch(points)
        >>> loss.tolist(), grads["w"].tolist()
        ([4.0, 12.0], [4.0, 12.0])
        """
        torch, graph = self._torch, self.graph
        count = len(next(iter(arrays.values()))) if arrays else 1
        env = {s: torch.tensor(np.asarray(arrays[s.name], dtype=np.float64))
               for s in graph.input_symbols}
        params = {s: torch.tensor(np.asarray(arrays[s.name], dtype=np.float64),
                                  requires_grad=True) for s in graph.param_symbols}
        env.update(params)
        for node in graph.node_symbols:
            env[node] = self._build(graph.expr(node), env, node, {})
        loss = env[graph.loss_symbol]
        if loss.requires_grad:
            try:
                loss.sum().backward()
            except RuntimeError as error:
                raise SympropError(f"PyTorch cannot differentiate the graph: {error}") from None
        zeros = np.zeros(count)
        grads = {s.name: (t.grad.numpy() if t.grad is not None else zeros)
                 for s, t in params.items()}
        return np.broadcast_to(loss.detach().numpy(), (count,)), grads

    def _build(self, expr, env, node, memo):
        """The torch tensor of ``expr``; ``memo`` shares repeated subtrees within a node."""
        if expr in memo:
            return memo[expr]
        if expr.is_Symbol:
            value = env[expr]
        elif isinstance(expr, sympy.logic.boolalg.BooleanAtom):
            value = self._torch.tensor(bool(expr))
        elif isinstance(expr, (sympy.Number, sympy.NumberSymbol)):
            if not expr.is_real:
                raise SympropError(f"node {node} uses the non-real constant {expr}")
            value = self._torch.tensor(float(expr), dtype=self._torch.float64)
        elif isinstance(expr, sympy.Pow) and isinstance(expr.exp, sympy.Number):
            # A numeric exponent stays a Python number: x**2 is then exact for x < 0.
            base = self._build(expr.base, env, node, memo)
            value = base ** (int(expr.exp) if expr.exp.is_Integer else float(expr.exp))
        else:
            value = self._combinator(expr, node)(
                *(self._build(arg, env, node, memo) for arg in expr.args))
        memo[expr] = value
        return value

    @staticmethod
    def _combinator(expr, node):
        entry = entry_for(expr)
        if entry is not None:
            return entry.torch
        for cls, combine in _COMBINATORS.items():
            if isinstance(expr, cls):
                return combine
        raise SympropError(f"node {node} uses {type(expr).__name__}, which has no torch form "
                           "in symprop's function registry, so the autograd oracle cannot "
                           "rebuild it")


class FiniteDifferenceOracle:
    """Central differences of the NumPy forward pass, float64.

    Each parameter ``p`` is stepped by ``h = eps**(1/3) * max(|p|, 1)``; the
    result is accurate to roughly ``1e-10`` relative, far looser than autograd,
    and wrong near a kink (ReLU at 0), so use it only without PyTorch.
    """

    name = "finite differences"

    def __init__(self, graph):
        self.graph = graph

    def loss(self, point: dict):
        """The loss at ``point`` (floats, or equal-length arrays) by the forward pass alone."""
        return numeric.forward(self.graph, point)[self.graph.loss_symbol]

    def __call__(self, point: dict) -> tuple[float, dict[str, float]]:
        loss, grads = self.batch({name: np.array([float(v)]) for name, v in point.items()})
        return float(loss[0]), {name: float(g[0]) for name, g in grads.items()}

    def batch(self, arrays: dict) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Loss and gradients at many points at once (equal-length 1-d arrays by name)."""
        arrays = {name: np.asarray(a, dtype=np.float64) for name, a in arrays.items()}
        count = len(next(iter(arrays.values()))) if arrays else 1
        grads = {}
        for p in self.graph.param_symbols:
            value = arrays[p.name]
            h = _FD_STEP * np.maximum(np.abs(value), 1.0)
            # The step actually taken, as represented in floating point.
            up, down = value + h, value - h
            f_up = self.loss({**arrays, p.name: up})
            f_down = self.loss({**arrays, p.name: down})
            with np.errstate(all="ignore"):
                grads[p.name] = np.broadcast_to((f_up - f_down) / (up - down), (count,))
        return np.broadcast_to(self.loss(arrays), (count,)), grads
