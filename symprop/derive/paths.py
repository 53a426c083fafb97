"""Chain-rule paths from a parameter to the loss: lazy enumeration, counting by DP.

A path lists its nodes from the parameter to the loss; ``factors[i]`` is the
local partial of ``nodes[i+1]`` with respect to ``nodes[i]``, the order of the
seed's products (parameter end first, loss end last).

>>> import sympy
>>> from symprop import Graph
>>> g = Graph(); x = g.params("x")
>>> gx = g.node("g", 3*x + 1); h = g.node("h", x**2)
>>> f = g.loss("f", h*gx - sympy.sin(h))
>>> [p.factors for p in iter_paths(g, x)]
[(3, h), (2*x, g - cos(h))]
>>> count_paths(g, x), longest_path(g, x)
(2, 2)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import sympy


@dataclass(frozen=True)
class Path:
    """One chain-rule path: ``nodes`` from the parameter to the loss, ``factors`` between them."""

    nodes: tuple[sympy.Symbol, ...]
    factors: tuple[sympy.Expr, ...]

    @property
    def product(self) -> sympy.Expr:
        """The product of the local partials along the path."""
        return sympy.Mul(*self.factors)

    def __str__(self):
        return " -> ".join(map(str, self.nodes))


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
        node, nodes, factors = stack.pop()
        if node == loss:
            yield Path(nodes, factors)
            continue
        for edge in reversed(graph.out_edges(node)):
            if edge.child in live:
                stack.append((edge.child, nodes + (edge.child,), factors + (edge.partial,)))


def count_paths(graph, wrt) -> int:
    """Number of paths from ``wrt`` to the loss, by dynamic programming over the edges."""
    counts = {graph.loss_symbol: 1}
    for node in reversed(graph.symbols):
        if node != graph.loss_symbol:
            counts[node] = sum(counts.get(e.child, 0) for e in graph.out_edges(node))
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
