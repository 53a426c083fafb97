"""`Derivation`: one parameter's gradient, as paths, path sum, result and closed form.

One class for both forms: what differs (how expressions print, which printer
writes the LaTeX) the graph's form supplies (see :mod:`symprop.ir.forms`).

>>> from symprop import mlp, matrix_mlp
>>> d = mlp([2, 1]).derive("w1_1_1")   # a sigmoid unit with binary cross-entropy
>>> d.result
x1*(a1_1 - y)
>>> round(d.evaluate(x1=1.5, x2=2.5, w1_1_1=-4, w1_2_1=3, b1_1=-1, y=1), 4)
-0.5663
>>> matrix_mlp([3, 2], output="softmax", loss="ce", one_hot=True).derive("W1").result
1/m*(A1 - Y)*X.T
"""
from __future__ import annotations

from functools import cached_property
from typing import Iterator

import numpy as np
import sympy

from ..ir import numeric
from ..errors import SympropError
from .paths import Path, count_paths, iter_paths, longest_path, reaches_loss
from .backprop import Adjoints
from .simplify import Step, tidy_closed_form
from .sizes import fold, substitute, tree_size

MAX_LISTED_PATHS = 10_000  # beyond this, .paths and .path_sum refuse; iter_paths() still works
MAX_LISTED_FACTORS = 20_000  # ... and beyond this many local partials in all
INLINE_LIMIT = 1_000  # tree nodes: a larger result is written with the shared adjoint symbols
CLOSED_FORM_LIMIT = 20_000  # tree nodes of the closed form, counted before it is built
EVALUATED_NESTING = 6  # deeper nested functions: the closed form is built unevaluated, since
#                        sympy's assumption queries on tanh(2*tanh(...)) double with each level
SHOWN_PATHS = 20  # text() lists this many paths with their factors, or none
SHOWN_STEPS = 12  # text() and latex() show this many rules, then say how many more
SHOWN_DEFINITIONS = 6  # ... and this many shared adjoints the result is written with


class Derivation:
    """The derivative of the loss with respect to one parameter.

    ``paths`` (every chain-rule path, with its local partials), ``path_sum``
    (their products summed, unsimplified), ``result`` (simplified, in node
    values), ``closed_form`` (inputs and parameters only), ``steps`` (the
    textbook rules applied, in order), ``latex()`` and ``evaluate(**values)``.
    """

    def __init__(self, graph, wrt: sympy.Symbol, adjoints: Adjoints):
        self.graph = graph
        self.wrt = wrt
        self.loss = graph.loss_symbol
        self._adjoints = adjoints
        self._sizes: dict = {}  # tree_size's memo, shared by every size this derivation counts

    # ----------------------------------------------------------- paths
    @cached_property
    def path_count(self) -> int:
        """How many chain-rule paths lead from the parameter to the loss."""
        return count_paths(self.graph, self.wrt)

    def iter_paths(self) -> Iterator[Path]:
        """The paths, one at a time: safe however many there are."""
        return iter_paths(self.graph, self.wrt)

    @property
    def listable(self) -> bool:
        """Whether ``paths`` can be listed: at most MAX_LISTED_PATHS paths and
        MAX_LISTED_FACTORS local partials along them (counted, not enumerated)."""
        count = self.path_count
        return (count <= MAX_LISTED_PATHS
                and count * longest_path(self.graph, self.wrt) <= MAX_LISTED_FACTORS)

    @cached_property
    def paths(self) -> tuple[Path, ...]:
        """Every path, as a tuple (refused unless ``listable``; use iter_paths())."""
        if not self.listable:
            raise SympropError(
                f"{_about(self.path_count)} paths lead from {self.wrt} to {self.loss}, too many "
                f"to list (limits: {MAX_LISTED_PATHS} paths, {MAX_LISTED_FACTORS} local "
                "partials); use iter_paths() or path_count. "
                "The result itself is computed by backprop without enumerating them.")
        return tuple(self.iter_paths())

    @cached_property
    def path_sum(self) -> sympy.Expr:
        """The sum over paths of each path's term (its local partials' product), unsimplified."""
        return self.graph.form.add(*(p.product for p in self.paths))

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
    def steps(self) -> tuple[Step, ...]:
        """The textbook rules applied to the adjoints this gradient uses, loss end first."""
        return tuple(a for node in self.downstream for a in self._adjoints.steps.get(node, ()))

    def adjoint(self, node) -> sympy.Expr:
        """dL/dnode, simplified, in node values (shared by every parameter below it)."""
        node = self.graph.symbol(node)
        return self._adjoints.adjoint.get(node, self.graph.form.zero(node))

    @property
    def local(self):
        """dL/dwrt over the adjoint symbols of the nodes it feeds (``dL_dZ1*X.T``)."""
        return self._adjoints.local.get(self.wrt, self.result)

    def local_of(self, node) -> sympy.Expr:
        """dL/dnode over the adjoint symbols of the nodes ``node`` feeds (``local`` of any node).

        >>> from symprop import mlp
        >>> mlp([1, 2, 1]).derive("w1_1_1").local_of("a1_1")
        dL_dz2_1*w2_1_1
        """
        node = self.graph.symbol(node)
        return self._adjoints.local.get(node, self.adjoint(node))

    # ----------------------------------------------------------- bounded forms
    def _size(self, expr, leaves=None) -> int:
        if leaves is not None:
            return tree_size(expr, leaves)
        return tree_size(expr, memo=self._sizes)

    @cached_property
    def result(self) -> sympy.Expr:
        """dL/dwrt, simplified, in node values (the lesson's ``x1*(yhat - y)``).

        Written out in full when that takes at most INLINE_LIMIT tree nodes,
        as for every derivation a person writes by hand.  A deep network's
        gradient grows with its number of paths when written out; it is then
        written as a textbook writes it, with the shared adjoints of the nodes
        downstream as named quantities: ``x*dL_dz1_1`` is ``x`` times the
        adjoint dL/dz1_1, each such symbol defined in ``definitions`` (as
        ``sympy.cse`` returns its replacements) and in full by ``adjoint()``.

        >>> from symprop import mlp
        >>> d = mlp([1] + [6] * 4 + [1], activation="tanh").derive("w1_1_1")
        >>> d.result
        dL_dz1_1*x
        >>> d.definitions[-1]
        (dL_dz1_1, dL_da1_1*(1 - a1_1**2))
        """
        return self._bounded(self.wrt)

    def _bounded(self, node) -> sympy.Expr:
        """The adjoint of ``node`` in full when small, else with its large children's symbols."""
        full = self.adjoint(node)
        if node == self.loss or self._size(full) <= INLINE_LIMIT:
            return full
        local = self._adjoints.local[node]
        node_of = {s: n for n, s in self._adjoints.symbol.items() if getattr(s, "is_Symbol", False)}
        children = sorted((n for n in map(node_of.get, local.free_symbols) if n is not None),
                          key=lambda n: (self._size(self._adjoints.adjoint[n]), str(n)))
        budget, inline = INLINE_LIMIT - self._size(local), {}
        for child in children:  # the smallest children written out while the budget lasts
            size = self._size(self._adjoints.adjoint[child])
            if size > budget:
                break
            inline[self._adjoints.symbol[child]] = self._adjoints.adjoint[child]
            budget -= size
        return substitute(local, inline)

    @cached_property
    def definitions(self) -> tuple[tuple[sympy.Symbol, sympy.Expr], ...]:
        """``((dL_dz, its expression), ...)`` for each shared adjoint ``result`` is written with.

        Each is written the way ``result`` is (in full when small), the loss
        end first, so substituting them in reverse order gives the result
        written out; empty when the result is written out already.
        """
        node_of = {s: n for n, s in self._adjoints.symbol.items() if getattr(s, "is_Symbol", False)}
        found, todo, seen = {}, [self.result], set()
        while todo:
            for symbol in todo.pop().free_symbols:
                if symbol in node_of and symbol not in seen:
                    seen.add(symbol)
                    found[node_of[symbol]] = self._bounded(node_of[symbol])
                    todo.append(found[node_of[symbol]])
        return tuple((self._adjoints.symbol[n], found[n]) for n in self._adjoints.order
                     if n in found)

    @cached_property
    def closed_form_size(self) -> int:
        """Tree nodes of the closed form written out, counted on the graph before building it."""
        leaves = {}
        for node in self.graph.node_symbols:
            leaves[node] = self._size(self.graph.expr(node), leaves)
        full = self.adjoint(self.wrt)
        return self._size(full, leaves)  # one walk over the shared DAG, whatever the tree

    @property
    def has_closed_form(self) -> bool:
        """Whether ``closed_form`` is small enough to write out (CLOSED_FORM_LIMIT tree nodes)."""
        return self.closed_form_size <= CLOSED_FORM_LIMIT

    @cached_property
    def closed_form(self) -> sympy.Expr:
        """The result in inputs and parameters only.

        Refused with a SympropError, before any work, when it would take more
        than CLOSED_FORM_LIMIT tree nodes (``has_closed_form`` says which):
        a deep network's closed form grows with its number of paths, and
        ``result``, ``evaluate()`` and ``Graph.compile()`` give the same
        gradient in bounded form.  Functions nested more than
        EVALUATED_NESTING deep are composed unevaluated
        (``sympy.evaluate(False)``): sympy's assumption queries on nested
        ``tanh`` take time exponential in the depth.
        """
        if not self.has_closed_form:
            raise SympropError(
                f"the closed form of d{self.loss}/d{self.wrt} would take "
                f"{_about(self.closed_form_size)} "
                f"sympy nodes written out (limit {CLOSED_FORM_LIMIT}); result gives it in node "
                "values with the shared adjoints, evaluate() and compile() compute it")
        full = self.adjoint(self.wrt)
        depth = {}
        for node in self.graph.node_symbols:
            depth[node] = _nesting(self.graph.expr(node), depth)
        if _nesting(full, depth) <= EVALUATED_NESTING:
            return tidy_closed_form(self.graph.composed(full))
        with sympy.evaluate(False):
            composed = {}
            for node in self.graph.node_symbols:
                composed[node] = substitute(self.graph.expr(node), composed)
            return tidy_closed_form(substitute(full, composed))

    def step_forms(self, step: Step) -> tuple[sympy.Expr, sympy.Expr]:
        """``(before, after)`` of a rule as printed: in full when small, else in local form."""
        def shown(full, local):
            return full if local is None or self._size(full) <= INLINE_LIMIT else local
        return shown(step.before, step.local_before), shown(step.after, step.local_after)

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
        """The derivation as LaTeX, step by step, by the printer of the graph's form."""
        return self.graph.form.derivation_latex(self, **options)

    def _repr_latex_(self):
        return f"$\\displaystyle {self.latex()}$"

    def text(self) -> str:
        """A plain-text account: paths with their edges' factors, rules applied, result, closed form.

        Bounded however many paths there are: paths are listed up to
        SHOWN_PATHS, a large result is written with the shared adjoints
        (``x*dL_dz1_1``, the first SHOWN_DEFINITIONS of them defined below it),
        at most SHOWN_STEPS rules are listed, and a closed form beyond
        CLOSED_FORM_LIMIT is named, not written.

        >>> from symprop import matrix_mlp
        >>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce",
        ...                one_hot=True)
        >>> print(g.derive("W2").text())  # doctest: +NORMALIZE_WHITESPACE
        dL/dW2: 1 layer-level path(s), each step a vector-Jacobian product
          W2 -> Z2 -> A2 -> L
            W2 <- Z2:  dL_dZ2*A1.T
            Z2 <- A2:  A2.*(dL_dA2 - ones(2, 2)*(A2.*dL_dA2))
            A2 <- L:   (-1/m)*(A2.^(-1).*Y)
          [softmax with cross-entropy] dL/dZ2 = 1/m*(A2 - Y)
        local form:  dL_dW2 = dL_dZ2*A1.T
        result:      1/m*(A2 - Y)*A1.T
        closed form: 1/m*(softmax(W2*relu(W1*X + b1*ones(1, m)) + b2*ones(1, m)) - Y)*relu(W1*X
            + b1*ones(1, m)).T
        """
        show, count = self.graph.form.text, self.path_count
        lines = [f"d{self.loss}/d{self.wrt}: {_about(count)} {self.graph.form.paths_noun}"]
        if self.note:
            lines.append(self.note)
        if count <= SHOWN_PATHS and self.listable:
            for path in self.paths:
                edges = [f"{a} <- {b}:" for a, b in zip(path.nodes, path.nodes[1:])]
                width = max(map(len, edges), default=0) + 2
                lines += [f"  {path}"] + [f"    {edge.ljust(width)}{show(f)}"
                                          for edge, f in zip(edges, path.factors)]
        elif count:
            lines.append(f"  (more than {SHOWN_PATHS} paths: not listed)")
        steps = self.steps
        for step in steps[:SHOWN_STEPS]:
            after = self.step_forms(step)[1]
            lines.append(f"  [{step.rule}] d{self.loss}/d{step.node} = {show(after)}")
        if len(steps) > SHOWN_STEPS:
            lines.append(f"  ... and {len(steps) - SHOWN_STEPS} more rules applied (steps)")
        if self.wrt in self._adjoints.symbol:
            lines.append(f"local form:  {self._adjoints.symbol[self.wrt]} = {show(self.local)}")
        lines.append(f"result:      {show(self.result)}")
        definitions = self.definitions
        for symbol, expr in definitions[::-1][:SHOWN_DEFINITIONS]:
            lines.append(f"  where {symbol} = {show(expr)}")
        if len(definitions) > SHOWN_DEFINITIONS:
            lines.append(f"  ... and {len(definitions) - SHOWN_DEFINITIONS} more shared adjoints "
                         "(definitions)")
        if self.has_closed_form:
            lines.append(f"closed form: {show(self.closed_form)}")
        else:
            lines.append(f"closed form: not written out ({_about(self.closed_form_size)} "
                         f"sympy nodes, limit {CLOSED_FORM_LIMIT})")
        return "\n".join(lines)

    def __repr__(self):
        """``Derivation(dL/dw = result)``: bounded, since ``result`` is."""
        return f"Derivation(d{self.loss}/d{self.wrt} = {self.graph.form.text(self.result)})"


def _about(n: int) -> str:
    """``n`` as digits, or ``about 10^k`` when long (a count of paths can have 300 digits)."""
    return str(n) if n < 10**12 else f"about 10^{int(n.bit_length() * 0.30103)}"


def _nesting(expr, depth: dict) -> int:
    """How deep functions nest in ``expr``, a node symbol counting as ``depth[node]``."""
    return fold(expr, lambda e, inner: (depth.get(e, 0) if e.is_Symbol else max(inner, default=0))
                + isinstance(e, sympy.Function))


def adjoint_values(adjoints: Adjoints, point: dict, nodes=None) -> dict:
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
