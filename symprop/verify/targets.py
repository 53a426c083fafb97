r"""What a claim may be about: dL/d(parameter), or dL/d(node), a node's adjoint.

A layer's error δ is dL/dz of that layer: backprop computes it anyway
(:mod:`symprop.derive.backprop`), so a claim about ``z1_2``, ``Z1`` or ``a2_1``
is judged as one about a parameter is, against that node's derivation.

>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> target(g, "z2_1"), derivation(g, target(g, "z2_1")).result
(z2_1, a2_1 - y)
>>> target(g, "x")
Traceback (most recent call last):
...
symprop.errors.SympropError: x is an input, not a parameter or a node: nothing is learned about it; a claim can be about the parameters w1_1_1, w1_1_2, b1_1, b1_2, w2_1_1, w2_2_1, b2_1 or the nodes z1_1, z1_2, a1_1, a1_2, z2_1, a2_1
"""
from __future__ import annotations

from ..derive.derivation import Derivation
from ..errors import SympropError, printable

MAX_LISTED = 16     # names listed in an error; a big network has thousands


def _listed(names) -> str:
    names = [str(n) for n in names]
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f" (and {len(names) - MAX_LISTED} more)" if len(names) > MAX_LISTED else "")


def nodes(graph) -> tuple:
    """The nodes a claim may be about: every node with an adjoint, in declaration order."""
    adjoints = graph.adjoints().adjoint
    return tuple(n for n in graph.node_symbols if n in adjoints and n != graph.loss_symbol)


def allowed(graph) -> str:
    """The parameters and nodes a claim may be about, for error messages."""
    return (f"a claim can be about the parameters {_listed(graph.param_symbols)} "
            f"or the nodes {_listed(nodes(graph))}")


def target(graph, wrt):
    """Resolve ``wrt`` (a symbol, an identifier or a LaTeX name) to a parameter or a node."""
    try:
        symbol = graph.symbol(wrt)
    except SympropError:
        raise SympropError(printable(f"{str(wrt)[:80]!r} is not a parameter or a node of "
                                     f"this graph; {allowed(graph)}")) from None
    if symbol in graph.param_symbols:
        return symbol
    if symbol == graph.loss_symbol:
        raise SympropError(f"{symbol} is the loss: dL/d{symbol} = 1; {allowed(graph)}")
    if symbol in graph.input_symbols:
        raise SympropError(f"{symbol} is an input, not a parameter or a node: nothing is "
                           f"learned about it; {allowed(graph)}")
    if symbol not in nodes(graph):
        raise SympropError(f"{symbol} does not reach the loss: d{graph.loss_symbol}/d{symbol} "
                           f"is 0; {allowed(graph)}")
    return symbol


def derivation(graph, symbol) -> Derivation:
    """The derivation of dL/d``symbol``: the graph's own for a parameter, one over its adjoints
    for a node (cached on the graph, as the parameters' are)."""
    if symbol in graph.param_symbols:
        return graph.derive(symbol)
    adjoints = graph.adjoints()
    return graph._cached(("node derivation", symbol),
                         lambda: Derivation(graph, symbol, adjoints))


def is_parameter(graph, symbol) -> bool:
    return symbol in graph.param_symbols


__all__ = ["target", "derivation", "nodes", "allowed", "is_parameter"]
