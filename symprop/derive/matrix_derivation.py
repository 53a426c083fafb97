"""Matrix-form derivation: reverse accumulation over layer-level paths with vector-Jacobian rules.

``dL/dv = sum over nodes c using v of VJP_c(dL/dc)``, visited from the loss
backwards, each adjoint formed once.  Textbook rules fuse an output
activation with its loss (softmax with cross-entropy gives ``(A - Y)/m``), as
the seed does; every use of one is recorded as a step.

>>> from symprop import matrix_mlp
>>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> d = g.derive("W1")
>>> d.result
1/m*(HadamardProduct(W2.T*(A2 - Y), Apply(Lambda(_d, Heaviside(_d, 0)), Z1)))*X.T
>>> [str(p) for p in d.paths]
['W1 -> Z1 -> A1 -> Z2 -> A2 -> L']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import sympy
from sympy import HadamardProduct, MatAdd, MatMul, MatrixSymbol, OneMatrix
from sympy.printing.precedence import PRECEDENCE

from ..registry.functions import entry_for
from ..latex.text import TextPrinter
from ..ir import matrix_ops as ops
from .matrix_rules import vjp

MAX_TEXT_PATHS = 20  # text() lists the paths and their steps up to this many


@dataclass(frozen=True)
class LayerPath:
    """One chain-rule path over layer-level nodes, parameter first, loss last.

    ``factors[i]`` is the vector-Jacobian step of the edge ``nodes[i] -> nodes[i+1]``:
    what ``nodes[i+1]`` sends back to ``nodes[i]``, written over the upstream
    adjoint's symbol (``W2.T*dL_dZ2``); see :func:`edge_step`.
    """

    nodes: tuple
    factors: tuple = ()

    def __str__(self):
        return " -> ".join(map(str, self.nodes))


class MatrixTextPrinter(TextPrinter):
    """Plain text for matrix expressions: ``.*`` Hadamard products, ``step(Z1)``, ``ones(m, 1)``.

    >>> m = sympy.Symbol("m")
    >>> A, G = MatrixSymbol("A", 2, m), MatrixSymbol("dL_dA", 2, m)
    >>> from symprop.registry.functions import relu
    >>> matrix_text(ops.hadamard(G, ops.apply(relu, A)) * OneMatrix(m, 1))
    '(relu(A).*dL_dA)*ones(m, 1)'
    """

    def _wrapped(self, expr, level=PRECEDENCE["Mul"]) -> str:
        compound = isinstance(expr, (MatAdd, HadamardProduct)) or (
            isinstance(expr, MatMul) and len(expr.args) > 1)
        return f"({self._print(expr)})" if compound else self.parenthesize(expr, level,
                                                                               strict=True)

    def _print_HadamardProduct(self, expr):
        return ".*".join(self._wrapped(a) for a in expr.args)

    def _print_HadamardPower(self, expr):
        base, exponent = expr.args
        return f"{self._wrapped(base, PRECEDENCE['Pow'])}.^{self._wrapped(exponent, PRECEDENCE['Pow'])}"

    def _print_OneMatrix(self, expr):
        return f"ones({self._print(expr.shape[0])}, {self._print(expr.shape[1])})"

    def _print_Heaviside(self, expr):
        if expr.args[1:] in ((), (sympy.Integer(0),)):
            return f"step({self._print(expr.args[0])})"
        return f"step({', '.join(self._print(a) for a in expr.args)})"

    def _print_Function(self, expr):
        entry = entry_for(expr)
        if entry is None:
            return super()._print_Function(expr)
        return f"{entry.name}({', '.join(self._print(a) for a in expr.args)})"

    def _print_Apply(self, expr):
        d, body = expr.function.variables[0], expr.function.expr
        arg = self._print(expr.arg)
        if body == d:
            return arg
        called = isinstance(body, sympy.Function) and body.args[0] == d  # relu(Z), not relu((Z))
        if not (called or isinstance(expr.arg, MatrixSymbol)):
            arg = f"({arg})"
        return self._print(body.xreplace({d: sympy.Symbol(arg)}))

    def _print_Softmax(self, expr):
        return f"softmax({self._print(expr.arg)})"

    def _print_Loss(self, expr):
        return f"{expr.name}({self._print(expr.outputs)}, {self._print(expr.targets)})"


def matrix_text(expr) -> str:
    """``expr`` as plain text (see :class:`MatrixTextPrinter`)."""
    return MatrixTextPrinter().doprint(expr)


@dataclass(frozen=True)
class Step:
    """A textbook rule: ``rule`` turned dL/d``node`` from ``before`` into ``after``."""

    rule: str
    node: sympy.Basic
    before: sympy.Basic
    after: sympy.Basic


@dataclass
class MatrixAdjoints:
    """``adjoint[v]`` in node values; ``local[v]`` over the adjoint symbols ``symbol[c]``."""

    adjoint: dict = field(default_factory=dict)
    local: dict = field(default_factory=dict)
    symbol: dict = field(default_factory=dict)
    steps: dict = field(default_factory=dict)
    order: tuple = ()


# ------------------------------------------------------------------ textbook rules
def activation_name(expr) -> str | None:
    """The registry name of an output activation node's definition (``softmax``, ``sigmoid``)."""
    if isinstance(expr, ops.Softmax):
        return "softmax"
    if isinstance(expr, ops.Apply):
        d = expr.function.variables[0]
        body = expr.function.expr
        if body == d:
            return "identity"
        entry = entry_for(body)
        if entry is not None and body.args[0] == d:
            return entry.name
    return None


def _difference(A, Y, coeff):
    return ops.scale(coeff, ops.add(A, -Y))


def _softmax_ce(graph, A, Y, m):
    if Y in graph.one_hot_targets:
        return _difference(A, Y, 1 / m)
    # Without one-hot targets each column's total weighs the softmax: A o (1 1^T Y) - Y.
    totals = ops.matmul(OneMatrix(Y.shape[0], Y.shape[0]), Y)
    return ops.scale(1 / m, ops.add(ops.hadamard(A, totals), -Y))


FUSED_RULES = {
    ("softmax", "ce"): ("softmax with cross-entropy", _softmax_ce),
    ("sigmoid", "bce"): ("sigmoid with binary cross-entropy",
                         lambda graph, A, Y, m: _difference(A, Y, 1 / m)),
    ("identity", "mse"): ("identity with squared error",
                          lambda graph, A, Y, m: _difference(A, Y, 2 / m)),
}


def fused_rule(graph, node):
    """``(rule name, adjoint)`` when ``node`` feeds only an output activation feeding only the loss."""
    users = graph.consumers(node)
    if len(users) != 1 or graph.kind(users[0]) != "node":
        return None
    activation = users[0]
    definition = graph.expr(activation)
    if getattr(definition, "arg", None) != node:
        return None
    loss_users = graph.consumers(activation)
    if len(loss_users) != 1 or loss_users[0] != graph.loss_symbol:
        return None
    loss = graph.expr(graph.loss_symbol)
    if loss.outputs != activation or graph.kind(loss.targets) != "input":
        return None
    found = FUSED_RULES.get((activation_name(definition), loss.name))
    if found is None:
        return None
    name, build = found
    return name, build(graph, activation, loss.targets, graph.batch)


# ------------------------------------------------------------------ accumulation
def substitute(expr, mapping):
    """``expr`` with ``mapping`` applied, products and sums rebuilt so scalars come to the front."""
    if expr in mapping:
        return mapping[expr]
    if not expr.args or not (expr.free_symbols & set(mapping)) and not expr.has(*mapping):
        return expr
    args = [substitute(a, mapping) for a in expr.args]
    if isinstance(expr, MatMul):
        return ops.matmul(*args)
    if isinstance(expr, MatAdd):
        return ops.add(*args)
    if isinstance(expr, HadamardProduct):
        return ops.hadamard(*args)
    return expr.func(*args)


def adjoint_symbol(graph, node):
    """The symbol for dL/dnode in local forms: ``dL_dZ1``, shaped as the node."""
    return MatrixSymbol(f"d{graph.loss_symbol}_d{node}", *graph.shape(node))


def _node_values(graph):
    return {graph.expr(n): n for n in graph.node_symbols
            if isinstance(graph.expr(n), (ops.Apply, ops.Softmax))}


def matrix_adjoints(graph) -> MatrixAdjoints:
    """Every adjoint of ``graph``, loss first; inputs get none."""
    result = MatrixAdjoints()
    loss = graph.loss_symbol
    leaves = set(graph.symbols) - {loss}
    values = _node_values(graph)
    result.adjoint[loss] = result.local[loss] = result.symbol[loss] = sympy.Integer(1)
    sent = {}  # child -> {parent: contribution over the child's adjoint symbol}
    order = [loss]
    for node in reversed(graph.symbols):
        if node == loss or graph.kind(node) == "input":
            continue
        terms = []
        for child in graph.consumers(node):
            if child not in result.symbol:
                continue
            if child not in sent:
                sent[child] = {p: substitute(c, values) for p, c in
                               vjp(graph.expr(child), result.symbol[child], leaves).items()}
            if node in sent[child]:
                terms.append(sent[child][node])
        if not terms:
            continue
        local = ops.add(*terms)
        inlined = substitute(local, {result.symbol[c]: result.adjoint[c] for c in result.adjoint})
        fused = fused_rule(graph, node)
        if fused is not None:
            name, after = fused
            result.steps[node] = (Step(name, node, inlined, after),)
            local = inlined = after
        result.local[node], result.adjoint[node] = local, inlined
        result.symbol[node] = adjoint_symbol(graph, node)
        order.append(node)
    result.order = tuple(order)
    return result


# ------------------------------------------------------------------ paths
def edge_step(graph, parent, child):
    """The vector-Jacobian step of the edge ``parent -> child``, over the symbol of dL/d``child``.

    What ``child``'s definition sends back to ``parent`` (the rules of
    :mod:`symprop.derive.matrix_rules`), in node values; the loss's own adjoint is 1.

    >>> from symprop import matrix_mlp
    >>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce")
    >>> matrix_text(edge_step(g, g.symbol("A1"), g.symbol("Z2")))
    'W2.T*dL_dZ2'
    >>> matrix_text(edge_step(g, g.symbol("Z1"), g.symbol("A1")))
    'dL_dA1.*step(Z1)'
    """
    def build():
        upstream = (sympy.Integer(1) if child == graph.loss_symbol
                    else adjoint_symbol(graph, child))
        leaves = set(graph.symbols) - {graph.loss_symbol}
        sent = vjp(graph.expr(child), upstream, leaves)
        return substitute(sent[parent], _node_values(graph))

    return graph._cached(("edge step", parent, child), build)


def iter_paths(graph, wrt):
    """Layer-level paths from ``wrt`` to the loss, depth first, each with its edges' steps."""
    stack = [(wrt, (wrt,))]
    while stack:
        node, nodes = stack.pop()
        if node == graph.loss_symbol:
            yield LayerPath(nodes, tuple(edge_step(graph, a, b)
                                         for a, b in zip(nodes, nodes[1:])))
            continue
        for child in reversed(graph.consumers(node)):
            stack.append((child, nodes + (child,)))


def count_paths(graph, wrt) -> int:
    """Number of layer-level paths from ``wrt`` to the loss, by dynamic programming."""
    counts = {graph.loss_symbol: 1}
    for node in reversed(graph.symbols):
        if node != graph.loss_symbol:
            counts[node] = sum(counts.get(c, 0) for c in graph.consumers(node))
    return counts.get(wrt, 0)


class MatrixDerivation:
    """dL/d``wrt`` in matrix form: ``paths``, ``result`` (node values), ``local``, ``steps``, ``latex()``."""

    def __init__(self, graph, wrt, adjoints: MatrixAdjoints):
        self.graph, self.wrt, self.loss = graph, wrt, graph.loss_symbol
        self._adjoints = adjoints
        self.result = adjoints.adjoint.get(wrt, sympy.ZeroMatrix(*wrt.shape))
        self.local = adjoints.local.get(wrt, self.result)

    @cached_property
    def paths(self) -> tuple:
        return tuple(iter_paths(self.graph, self.wrt))

    @property
    def path_count(self) -> int:
        return count_paths(self.graph, self.wrt)

    @property
    def downstream(self) -> tuple:
        """Nodes on the paths from the parameter, loss end first."""
        on_paths = {n for p in self.paths for n in p.nodes}
        return tuple(n for n in self._adjoints.order if n in on_paths)

    @property
    def steps(self) -> tuple:
        return tuple(s for n in self.downstream for s in self._adjoints.steps.get(n, ()))

    def adjoint(self, node):
        """dL/dnode in node values."""
        return self._adjoints.adjoint[self.graph.symbol(node)]

    @cached_property
    def closed_form(self):
        """The result with every node replaced by its definition: inputs and parameters only."""
        composed = {}
        for n in self.graph.node_symbols[:-1]:
            composed[n] = substitute(self.graph.expr(n), composed)
        return substitute(self.result, composed)

    def text(self) -> str:
        """A plain-text account: layer-level paths with their steps, rules applied, result.

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
        loss, count = self.loss, self.path_count
        lines = [f"d{loss}/d{self.wrt}: {count} layer-level path(s), "
                 "each step a vector-Jacobian product"]
        if count <= MAX_TEXT_PATHS:
            for path in self.paths:
                lines.append(f"  {path}")
                edges = [f"{a} <- {b}:" for a, b in zip(path.nodes, path.nodes[1:])]
                width = max(map(len, edges), default=0) + 2
                lines += [f"    {edge.ljust(width)}{matrix_text(f)}"
                          for edge, f in zip(edges, path.factors)]
        else:
            lines.append(f"  (more than {MAX_TEXT_PATHS} paths: not listed)")
        for step in self.steps:
            lines.append(f"  [{step.rule}] d{loss}/d{step.node} = {matrix_text(step.after)}")
        symbol = self._adjoints.symbol.get(self.wrt, f"d{loss}_d{self.wrt}")
        lines.append(f"local form:  {symbol} = {matrix_text(self.local)}")
        lines.append(f"result:      {matrix_text(self.result)}")
        lines.append(f"closed form: {matrix_text(self.closed_form)}")
        return "\n".join(lines)

    def latex(self, **options) -> str:
        """The chain of adjoints down to the parameter, in the seed's notation."""
        from ..latex.matrix_printer import derivation_latex

        return derivation_latex(self, **options)

    def _repr_latex_(self):
        return f"$\\displaystyle {self.latex()}$"

    def __repr__(self):
        return f"MatrixDerivation(d{self.loss}/d{self.wrt} = {matrix_text(self.result)})"


__all__ = ["MatrixAdjoints", "MatrixDerivation", "LayerPath", "Step", "matrix_adjoints",
           "count_paths", "iter_paths", "edge_step", "adjoint_symbol", "substitute",
           "FUSED_RULES", "activation_name", "MatrixTextPrinter", "matrix_text"]
