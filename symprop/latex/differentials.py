r"""Which d a derivative is written with: ``\mathrm{d}`` for a function of one variable, as the
lesson *Back Propagation* writes its chain-rule cases (df/dg, dg/dx), and ``\partial``
everywhere else, every partial of its network included.

A node's derivative by its parent is total where the node is a function of one variable
both locally (its expression holds that parent alone) and through the graph (it depends
on one input or parameter).  The loss's derivative by a vertex is total where the graph
has one variable and the loss depends on the vertex alone: the vertex is that variable,
or each node from it to the loss has one argument.

>>> from symprop.front.seeds import chain_rule_case2, seed_network
>>> case = Differentials(chain_rule_case2())
>>> case.local("g"), case.local("f"), case.adjoint("x"), case.adjoint("g")
('\\mathrm{d}', '\\partial', '\\mathrm{d}', '\\partial')
>>> Differentials(seed_network()).local("a1_1")   # sigma(z): one argument, many variables
'\\partial'
"""
from __future__ import annotations

from .printer import PARTIAL, TOTAL


class Differentials:
    """``local(child)`` and ``adjoint(vertex)``: the d of d child / d parent and of dL / d vertex."""

    def __init__(self, graph):
        self.graph = graph
        # Each vertex's one leaf, or None where it has several (or none): one pass in
        # declaration order, a set of at most a few per node.
        leaf_of = {s: s for s in (*graph.input_symbols, *graph.param_symbols)}
        self._users: dict = {}
        for node in graph.node_symbols:
            arguments = graph.expr(node).free_symbols
            found = {leaf_of.get(s) for s in arguments}
            leaf_of[node] = found.pop() if len(found) == 1 else None
            for s in arguments:
                self._users.setdefault(s, []).append(node)
        self._leaf_of = leaf_of

    def one_variable(self, vertex) -> bool:
        """Whether ``vertex`` is, through the graph, a function of one input or parameter."""
        return self._leaf_of.get(self.graph.symbol(vertex)) is not None

    def _one_argument(self, vertex) -> bool:
        expr = self.graph.expr(vertex)
        return expr is not None and len(expr.free_symbols) == 1

    def local(self, child) -> str:
        """The d of ``d child / d parent``."""
        single = self._one_argument(child) and self.one_variable(child)
        return TOTAL if single else PARTIAL

    def adjoint(self, vertex) -> str:
        """The d of ``dL / d vertex``, L the graph's loss."""
        loss = self.graph.loss_symbol
        if not self.one_variable(loss):
            return PARTIAL
        symbol = self.graph.symbol(vertex)
        if self.graph.kind(symbol) in ("input", "parameter"):
            return TOTAL
        while symbol != loss:
            users = self._users.get(symbol, [])
            if len(users) != 1 or not self._one_argument(users[0]):
                return PARTIAL
            symbol = users[0]
        return TOTAL


__all__ = ["Differentials"]
