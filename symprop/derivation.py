"""`Derivation`: one parameter's gradient, as paths, path sum, result and closed form.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph()
>>> x1, x2, y = g.inputs("x1 x2 y")
>>> w1, w2, b = g.params("w1 w2 b")
>>> z = g.node("z", w1*x1 + w2*x2 + b)
>>> yhat = g.node("yhat", sigmoid(z))
>>> L = g.loss("L", -y*sympy.log(yhat) - (1 - y)*sympy.log(1 - yhat))
>>> d = g.derive(w1)
>>> d.result
x1*(-y + yhat)
>>> round(d.evaluate(x1=1.5, x2=2.5, w1=-4, w2=3, b=-1, y=1), 4)
-0.5663
"""
from __future__ import annotations

from functools import cached_property
from typing import Iterator

import numpy as np
import sympy

from . import numeric
from .errors import SympropError
from .paths import Path, count_paths, iter_paths, reaches_loss
from .text import text
from .simplify import Applied, SimplifiedAdjoints, tidy_closed_form

MAX_LISTED_PATHS = 10_000  # beyond this, .paths and .path_sum refuse; iter_paths() still works


class Derivation:
    """The derivative of the loss with respect to one parameter.

    ``paths`` (every chain-rule path, with its local partials), ``path_sum``
    (their products summed, unsimplified), ``result`` (simplified, in node
    values), ``closed_form`` (inputs and parameters only), ``steps`` (the
    textbook rules applied, in order), ``latex()`` and ``evaluate(**values)``.
    """

    def __init__(self, graph, wrt: sympy.Symbol, adjoints: SimplifiedAdjoints):
        self.graph = graph
        self.wrt = wrt
        self.loss = graph.loss_symbol
        self._adjoints = adjoints
        self.result: sympy.Expr = adjoints.adjoint.get(wrt, sympy.Integer(0))

    # ----------------------------------------------------------- paths
    @cached_property
    def path_count(self) -> int:
        """How many chain-rule paths lead from the parameter to the loss."""
        return count_paths(self.graph, self.wrt)

    def iter_paths(self) -> Iterator[Path]:
        """The paths, one at a time: safe however many there are."""
        return iter_paths(self.graph, self.wrt)

    @cached_property
    def paths(self) -> tuple[Path, ...]:
        """Every path, as a tuple (refused beyond MAX_LISTED_PATHS; use iter_paths())."""
        if self.path_count > MAX_LISTED_PATHS:
            raise SympropError(
                f"{self.path_count} paths lead from {self.wrt} to {self.loss}, too many "
                f"to list (limit {MAX_LISTED_PATHS}); use iter_paths() or path_count. "
                "The result itself is computed by backprop without enumerating them.")
        return tuple(self.iter_paths())

    @cached_property
    def path_sum(self) -> sympy.Expr:
        """The sum over paths of the product of local partials, unsimplified."""
        return sympy.Add(*(p.product for p in self.paths))

    @property
    def is_zero(self) -> bool:
        """True when no path leads from the parameter to the loss."""
        return self.wrt not in reaches_loss(self.graph)

    @property
    def note(self) -> str | None:
        """A sentence for the user when something about this gradient is special."""
        if self.is_zero:
            return (f"no path leads from {self.wrt} to {self.loss}: "
                    f"the gradient with respect to {self.wrt} is exactly 0")
        return None

    # ----------------------------------------------------------- simplified forms
    @property
    def downstream(self) -> tuple[sympy.Symbol, ...]:
        """Nodes on some path from the parameter to the loss, loss end first."""
        below = {self.wrt}
        for node in self.graph.node_symbols:
            if any(e.parent in below for e in self.graph.in_edges(node)):
                below.add(node)
        live = reaches_loss(self.graph)
        return tuple(n for n in self._adjoints.order if n in below and n in live)

    @property
    def steps(self) -> tuple[Applied, ...]:
        """The textbook rules applied to the adjoints this gradient uses, loss end first."""
        return tuple(a for node in self.downstream for a in self._adjoints.applied.get(node, ()))

    def adjoint(self, node) -> sympy.Expr:
        """dL/dnode, simplified, in node values (shared by every parameter below it)."""
        return self._adjoints.adjoint.get(self.graph.symbol(node), sympy.Integer(0))

    @cached_property
    def closed_form(self) -> sympy.Expr:
        """The result in inputs and parameters only."""
        return tidy_closed_form(self.graph.composed(self.result))

    # ----------------------------------------------------------- output
    def evaluate(self, **values):
        """The gradient's value at a point: every input and parameter by name.

        Returns a float (or an array when inputs carry a batch axis).
        """
        point = numeric.forward(self.graph, values)
        return numeric.as_number(self._evaluate_at(point))

    def _evaluate_at(self, point):
        if self.is_zero:
            return np.zeros(np.shape(point[self.loss]))
        return adjoint_values(self._adjoints, point, self.downstream + (self.wrt,))[self.wrt]

    def latex(self, **options) -> str:
        """The derivation as LaTeX, step by step; see :mod:`symprop.latex.derivation`."""
        from .latex.derivation import derivation_latex

        return derivation_latex(self, **options)

    def _repr_latex_(self):
        return f"$\\displaystyle {self.latex()}$"

    def text(self) -> str:
        """A plain-text account: paths, path sum, rules applied, result, closed form."""
        lines = [f"d{self.loss}/d{self.wrt}: {self.path_count} path(s)"]
        if self.note:
            lines.append(self.note)
        if self.path_count <= 20:
            for p in self.paths:
                factors = " * ".join(f"({text(f)})" for f in p.factors)
                lines.append(f"  {p}: {factors}")
        for step in self.steps:
            lines.append(f"  [{step.rule}] d{self.loss}/d{step.node} = {text(step.after)}")
        lines.append(f"result:      {text(self.result)}")
        lines.append(f"closed form: {text(self.closed_form)}")
        return "\n".join(lines)

    def __repr__(self):
        return f"Derivation(d{self.loss}/d{self.wrt} = {self.result})"


def adjoint_values(adjoints: SimplifiedAdjoints, point: dict, nodes=None) -> dict:
    """``{node: dL/dnode}`` at a forward-pass point (``{Symbol: value}``).

    Evaluates the adjoints' local forms in backprop order (loss end first), so
    each shared adjoint is computed once; the inlined ``result`` of a deep
    network would repeat it once per path.  ``nodes`` restricts the work to
    those nodes (in ``adjoints.order``), by default every node.
    """
    wanted = set(adjoints.order if nodes is None else nodes)
    point, values = dict(point), {}
    for node in adjoints.order:
        if node not in wanted:
            continue
        symbol = adjoints.symbol[node]
        value = numeric.evaluate_expr(adjoints.local[node], point)
        if symbol.is_Symbol:  # the loss's adjoint symbol is the number 1
            point[symbol] = value
        values[node] = value
    return values


def gradient_values(graph, values) -> tuple:
    """The loss and every parameter's gradient at ``values``, from the derivation.

    >>> from symprop import mlp
    >>> loss, grads = gradient_values(mlp([1, 1]), {"x": 1.0, "y": 1.0, "w1_1_1": 0.0, "b1_1": 0.0})
    >>> round(grads["w1_1_1"], 4)
    -0.5
    """
    point = numeric.forward(graph, values)
    found = adjoint_values(graph.adjoints(), point)
    zero = numeric.as_number(np.zeros(np.shape(point[graph.loss_symbol])))
    grads = {p.name: numeric.as_number(found[p]) if p in found else zero
             for p in graph.param_symbols}
    return numeric.as_number(point[graph.loss_symbol]), grads
