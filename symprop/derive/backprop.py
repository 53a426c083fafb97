"""Reverse accumulation: each node's adjoint dL/dnode, computed once and shared.

``adjoint[v] = sum over edges v -> c of pullback(adjoint[c])``, visited from the
loss backwards, so the work grows with the number of edges, never with the
number of paths.  An edge's pullback is ``(dc/dv) * adjoint[c]`` in a scalar
graph and its vector-Jacobian step in a matrix graph; the graph's form adds the
terms (see :mod:`symprop.ir.forms`).  An optional ``combine`` hook lets the simplifier rewrite each
adjoint as it is formed (keeping expressions small, locally).

>>> import sympy
>>> from symprop import Graph
>>> g = Graph(); x = g.params("x")
>>> gx = g.node("g", 3*x + 1); h = g.node("h", x**2)
>>> f = g.loss("f", h*gx - sympy.sin(h))
>>> reverse_accumulate(g).adjoint[x]
3*h + 2*x*(g - cos(h))
>>> from symprop import matrix_mlp
>>> m = matrix_mlp([2, 1], activation="relu", output="identity", loss="mse")
>>> reverse_accumulate(m).adjoint[m.symbol("W1")]
1/m*(2*A1 - 2*Y)*X.T
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy

from .paths import reaches_loss


@dataclass
class Adjoints:
    """Every adjoint reaching the loss; ``order``: the visiting order, loss first.

    ``adjoint[v]``: dL/dv in node values (everything inlined).  After
    :func:`~symprop.derive.simplify.simplify_adjoints`, also ``local[v]``: the
    same over the children's adjoint symbols ``symbol[c]`` (``dL_dc``) wherever
    no rule merged a term, the form a backward pass computes line by line;
    ``steps[v]``: the textbook rules used at ``v``.
    """

    adjoint: dict = field(default_factory=dict)
    order: tuple = ()
    local: dict = field(default_factory=dict)
    symbol: dict = field(default_factory=dict)
    steps: dict = field(default_factory=dict)


def accumulation_terms(graph, node, adjoint) -> list[tuple]:
    """``[(edge, its pullback of adjoint[child])]`` for the edges out of ``node`` that carry
    a gradient from the loss."""
    return [(e, e.pullback(adjoint[e.child])) for e in graph.out_edges(node)
            if e.child in adjoint and e.partial is not None]


def reverse_accumulate(graph, combine: Callable | None = None) -> Adjoints:
    """Every adjoint of the graph, visiting nodes from the loss backwards.

    ``combine(node, terms, adjoint) -> Expr`` forms an adjoint from its terms (default:
    their sum).  Inputs get no adjoint: nothing is learned about them; nor does a
    node whose only ways to the loss carry no gradient.
    """
    loss, live = graph.loss_symbol, reaches_loss(graph)
    adjoint = {loss: sympy.Integer(1)}
    order = [loss]
    for node in reversed(graph.symbols):
        if node == loss or node not in live or graph.kind(node) == "input":
            continue
        terms = accumulation_terms(graph, node, adjoint)
        if not terms:
            continue
        adjoint[node] = (combine(node, terms, adjoint) if combine
                         else graph.form.add(*(t for _, t in terms)))
        order.append(node)
    return Adjoints(adjoint, tuple(order))
