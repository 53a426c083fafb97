"""Chain-rule paths from a parameter to the loss: lazy enumeration, counting by DP.

A path lists its nodes from the parameter to the loss and the edges between
them; ``factors[i]`` is the local factor of the edge ``nodes[i] -> nodes[i+1]``
(a scalar graph's partial, a matrix graph's vector-Jacobian step), the order
of the lesson's products (parameter end first, loss end last).  The same
enumeration and count serve both forms.

>>> import sympy
>>> from symprop import Graph
>>> g = Graph(); x = g.params("x")
>>> gx = g.node("g", 3*x + 1); h = g.node("h", x**2)
>>> f = g.loss("f", h*gx - sympy.sin(h))
>>> [p.factors for p in iter_paths(g, x)]
[(3, h), (2*x, g - cos(h))]
>>> count_paths(g, x), longest_path(g, x)
(2, 2)
>>> from symprop import matrix_mlp
>>> m = matrix_mlp([2, 1], output="identity", loss="mse")
>>> [str(p) for p in iter_paths(m, m.symbol("W1"))], count_paths(m, m.symbol("W1"))
(['W1 -> Z1 -> A1 -> L'], 1)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import sympy


@dataclass(frozen=True)
class Path:
    """One chain-rule path: ``nodes`` from the parameter to the loss, ``edges`` between them."""

    nodes: tuple
    edges: tuple

    @property
    def factors(self) -> tuple:
        """The local factor of each edge, parameter end first."""
        return tuple(e.partial for e in self.edges)

    @property
    def product(self):
        """The path's term of the gradient: its edges' pullbacks composed from dL/dL = 1.

        A scalar path's is the product of its local partials.
        """
        term = sympy.Integer(1)
        for edge in reversed(self.edges):
            term = edge.pullback(term)
        return term

    def __str__(self):
        return " -> ".join(map(str, self.nodes))

    def __repr__(self):
        return f"Path(nodes={self.nodes}, factors={self.factors})"


def reaches_loss(graph) -> frozenset:
    """The symbols with at least one path to the loss (the loss included)."""
    reach = {graph.loss_symbol}
    for node in reversed(graph.node_symbols):
        if node in reach:
            reach.update(e.parent for e in graph.in_edges(node))
    return frozenset(reach)


def iter_paths(graph, wrt) -> Iterator[Path]:
    """Yield every path from ``wrt`` to the loss, one at a time (depth first).

    Only branches that reach the loss are followed, so each step makes progress
    toward a path and memory stays proportional to the depth.
    """
    loss, live = graph.loss_symbol, reaches_loss(graph)
    if wrt not in live:
        return
    stack = [(wrt, (wrt,), ())]
    while stack:
        node, nodes, edges = stack.pop()
        if node == loss:
            yield Path(nodes, edges)
            continue
        for edge in reversed(graph.out_edges(node)):
            if edge.child in live and edge.partial is not None:
                stack.append((edge.child, nodes + (edge.child,), edges + (edge,)))


def count_paths(graph, wrt) -> int:
    """Number of paths from ``wrt`` to the loss, by dynamic programming over the edges."""
    counts = {graph.loss_symbol: 1}
    for node in reversed(graph.symbols):
        if node != graph.loss_symbol:
            counts[node] = sum(counts.get(e.child, 0) for e in graph.out_edges(node)
                               if e.partial is not None)
    return counts.get(wrt, 0)


def longest_path(graph, wrt) -> int:
    """Edges on the longest path from ``wrt`` to the loss (0 when none), by dynamic programming."""
    live = reaches_loss(graph)
    lengths = {graph.loss_symbol: 0}
    for node in reversed(graph.symbols):
        if node != graph.loss_symbol and node in live:
            lengths[node] = max((lengths[e.child] + 1 for e in graph.out_edges(node)
                                 if e.child in lengths), default=0)
    return lengths.get(graph.symbol(wrt), 0)
