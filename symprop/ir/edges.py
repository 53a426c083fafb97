"""A graph's edges and their local pullbacks, in each of the two forms.

Every edge ``parent -> child`` carries what dL/d``child`` sends back to
``parent``.  In scalar form that is the local partial, written in node values
as the lesson labels its figures (the pullback multiplies by it); in matrix
form it is the vector-Jacobian step of :mod:`symprop.derive.matrix_rules`,
written over the symbol of dL/d``child`` (the pullback puts the adjoint there).
A graph's form names which builder its edges come from (``Form.edges``).

>>> from symprop import mlp
>>> [(str(e.parent), e.partial) for e in mlp([1, 2, 1]).in_edges("a1_1")]
[('z1_1', a1_1*(1 - a1_1))]
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from . import matrix_ops as ops


@dataclass(frozen=True)
class Edge:
    """``parent -> child`` and its local pullback: what dL/d``child`` sends back to ``parent``.

    ``partial`` is the factor a path prints for the edge, in node values: for a
    scalar graph d child / d parent (the pullback multiplies by it); for a
    matrix graph the vector-Jacobian step written over ``upstream``, the
    symbol of dL/d``child`` (the pullback puts the adjoint in its place).
    None where no gradient flows back (a loss's targets).

    >>> x = sympy.Symbol("x")
    >>> Edge(x, sympy.Symbol("z"), 2*x).pullback(sympy.Symbol("G"))
    2*G*x
    """

    parent: sympy.Basic
    child: sympy.Basic
    partial: sympy.Basic | None
    upstream: sympy.Basic | None = None

    def pullback(self, adjoint):
        """The contribution of this edge to dL/d``parent``, given dL/d``child``."""
        if self.partial is None or adjoint == self.upstream:
            return self.partial
        if self.upstream is None:
            return self.partial * adjoint
        return ops.substitute(self.partial, {self.upstream: adjoint})


def scalar_edges(graph) -> list:
    """Each node's edges from the symbols its definition uses, labelled d node / d parent."""
    from ..derive.partials import partials as local_partials

    edges = []
    for child in graph.node_symbols:
        partials = local_partials(graph.expr(child))
        edges += [Edge(parent, child, graph.to_node_values(partials[parent]))
                  for parent in sorted(partials, key=graph.position)]
    return edges


def matrix_edges(graph) -> list:
    """Layer-level edges: ``partial`` the vector-Jacobian step over ``upstream``, dL/d``child``.

    The steps are the rules of :mod:`symprop.derive.matrix_rules`, in node
    values, the loss's upstream adjoint being 1; None where no gradient
    flows back (the targets of the loss).

    >>> from symprop import matrix_mlp
    >>> from symprop.derive.matrix_text import matrix_text
    >>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce")
    >>> [(str(e.parent), matrix_text(e.partial)) for e in g.in_edges("Z2")]
    [('A1', 'W2.T*dL_dZ2'), ('W2', 'dL_dZ2*A1.T'), ('b2', 'dL_dZ2*ones(m, 1)')]
    >>> matrix_text(g.in_edges("A1")[0].partial), g.out_edges("Y")[0].partial
    ('dL_dA1.*step(Z1)', None)
    """
    from ..derive.matrix_rules import vjp
    from ..derive.simplify import adjoint_symbol

    loss = graph.loss_symbol
    leaves = set(graph.symbols) - {loss}
    # Steps are written in node values: A1 for relu(Z1), t for a scalar node t = exp(r).
    values = {graph.expr(n): n for n in graph.node_symbols[:-1]
              if isinstance(graph.expr(n), (ops.Apply, ops.Softmax))
              or not ops.shape_of(n) and not graph.expr(n).is_Atom}
    edges = []
    for child in graph.node_symbols:
        definition = graph.expr(child)
        upstream = sympy.Integer(1) if child == loss else adjoint_symbol(graph, child)
        sent = vjp(definition, upstream, leaves)
        edges += [Edge(parent, child, ops.substitute(sent[parent], values)
                       if parent in sent else None, upstream)
                  for parent in graph.symbols
                  if parent != child and parent in definition.free_symbols]
    return edges
