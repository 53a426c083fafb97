"""Reference gradients that owe nothing to symprop's own derivatives, for both forms.

The graph is rebuilt from its ORIGINAL node expressions by the one forward pass of
:class:`symprop.ir.numeric.ForwardPass` (sympy trees, or matrix expressions).
:class:`TorchOracle` runs it over PyTorch tensors (float64; scalar trees through
torch combinators and the registry's ``.torch`` forms) and ``backward()`` gives every
gradient; :class:`FiniteDifferenceOracle` runs it over NumPy arrays and takes
central differences, without PyTorch.  Each is ``oracle(point) -> (loss, {param
name: gradient})``: numbers for a scalar graph (:meth:`batch`: many points at
once), 2-d arrays for a matrix graph.

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

from ..errors import SympropError
from ..ir import numeric
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


# ------------------------------------------------------------------ the oracles
class TorchOracle(numeric.ForwardPass):
    """The graph rebuilt in PyTorch from its node expressions; gradients by autograd.

    Raises :class:`SympropError` when PyTorch is not installed or a node uses a
    function the registry gives no torch form.
    """

    name, rtol = "torch autograd", 1e-9     # the check's default tolerance with this oracle

    def __init__(self, graph):
        try:
            import torch
        except ImportError:
            raise SympropError("PyTorch is not installed, so the autograd oracle cannot run; "
                               "install symprop[torch] or use method='fd'") from None
        super().__init__(graph)
        self._torch = torch

    def batch(self, arrays: dict):
        """Loss and gradients at many points at once: ``arrays`` maps names to equal-length
        1-d arrays, one entry per point; every parameter gets its own copy per point, so
        one ``backward()`` of the summed loss gives each point's gradients.  A matrix
        graph's ``arrays`` are one point's 2-d arrays, and its loss a 0-d array.

        >>> from symprop import Graph
        >>> g = Graph(); x = g.inputs("x"); w = g.params("w"); L = g.loss("L", w**2 * x)
        >>> points = {"x": np.array([1.0, 3.0]), "w": np.array([2.0, 2.0])}
        >>> loss, grads = TorchOracle(g).batch(points)
        >>> loss.tolist(), grads["w"].tolist()
        ([4.0, 12.0], [4.0, 12.0])
        """
        torch, graph = self._torch, self.graph
        env = {s: self._tensor(arrays[s.name]) for s in graph.input_symbols}
        params = {s: self._tensor(arrays[s.name], True) for s in graph.param_symbols}
        env.update(params)
        loss = self.loss(env)
        if loss.requires_grad:
            try:
                loss.sum().backward()
            except RuntimeError as error:
                raise SympropError(f"PyTorch cannot differentiate the graph: {error}") from None
        return loss.detach().numpy(), {
            s.name: (t.grad.numpy() if t.grad is not None else np.zeros(t.shape))
            for s, t in params.items()}

    def _tensor(self, value, grad=False):
        return self._torch.tensor(np.asarray(value, dtype=np.float64), requires_grad=grad)

    def fill(self, value, shape):
        return self._torch.full(shape, value, dtype=self._torch.float64)

    def softmax(self, x):
        return self._torch.softmax(x, dim=0)

    def scalar(self, expr, env, node):
        return self._scalar(expr, env, node, {})

    def _scalar(self, expr, env, node, memo):
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
            base = self._scalar(expr.base, env, node, memo)
            value = base ** (int(expr.exp) if expr.exp.is_Integer else float(expr.exp))
        else:
            value = self._combinator(expr, node)(
                *(self._scalar(arg, env, node, memo) for arg in expr.args))
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


class FiniteDifferenceOracle(numeric.NumpyForward):
    """Central differences of the NumPy forward pass, float64.

    Each parameter entry ``p`` is stepped by ``h = eps**(1/3) * max(|p|, 1)``;
    the result is accurate to roughly ``1e-10`` relative, far looser than
    autograd, and wrong near a kink (ReLU at 0), so use it only without PyTorch.
    """

    name, rtol = "finite differences", 1e-6

    def loss_at(self, arrays: dict):
        """The loss at ``arrays`` (by name) by the forward pass alone."""
        env = {s: np.asarray(arrays[s.name], dtype=np.float64)
               for s in self.graph.input_symbols + self.graph.param_symbols}
        with np.errstate(all="ignore"):
            return self.loss(env)

    def batch(self, arrays: dict):
        """Loss and gradients, as :meth:`TorchOracle.batch`."""
        arrays = {name: np.asarray(a, dtype=np.float64) for name, a in arrays.items()}
        loss = self.loss_at(arrays)
        return loss, {p.name: self._gradient(arrays, p.name, np.ndim(loss) > 0)
                      for p in self.graph.param_symbols}

    def _gradient(self, arrays, name, per_point):
        """``per_point``: the loss has one value per point (a scalar graph's batch), so every
        point's entry is stepped at once; else (one loss) one entry at a time."""
        value = arrays[name]
        entries = [...] if per_point else list(np.ndindex(value.shape))
        gradient = np.zeros(value.shape)
        for at in entries:
            h = _FD_STEP * np.maximum(np.abs(value[at]), 1.0)
            up, down = value.copy(), value.copy()
            up[at] += h
            down[at] -= h
            # The step actually taken, as represented in floating point.
            with np.errstate(all="ignore"):
                gradient[at] = ((self.loss_at({**arrays, name: up})
                                 - self.loss_at({**arrays, name: down}))
                                / (up[at] - down[at]))
        return gradient



def oracle_for(graph, method: str = "auto"):
    """The oracle ``method`` names (``"torch"``, ``"fd"`` or ``"auto"``) and a note on the choice.

    ``"auto"`` is autograd, or finite differences when PyTorch is missing.

    >>> from symprop import mlp
    >>> oracle_for(mlp([1, 1]), "fd")[0].name
    'finite differences'
    """
    fd = f"central finite differences (rtol default {FiniteDifferenceOracle.rtol:g})"
    if method in ("torch", "autograd"):
        return TorchOracle(graph), []
    if method == "fd":
        return FiniteDifferenceOracle(graph), [f"compared with {fd}, as asked"]
    if method != "auto":
        raise SympropError(f"unknown check method {method!r}; choose 'auto', 'torch' or 'fd'")
    try:
        return TorchOracle(graph), []
    except SympropError:
        return FiniteDifferenceOracle(graph), [
            f"PyTorch is not installed: compared with {fd} instead of autograd"]
