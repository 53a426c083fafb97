"""What a scalar node's expression may hold, checked as it is declared.

A scalar node is a sympy expression over symbols declared before it, built from
the arithmetic, numbers and the registry's functions: anything else could be
neither compiled nor checked, so it is refused here with the reason.

>>> import sympy
>>> from symprop import Graph
>>> g = Graph(); x = g.inputs("x")
>>> checked_scalar_expr(g, "z", "2*x + 1")
2*x + 1
"""
from __future__ import annotations

import sympy
from sympy.core.function import AppliedUndef

from ..errors import SympropError
from ..registry.functions import BY_CLASS, TWINS

# What an expression may hold besides the registry's functions: the arithmetic,
# numbers and constants symprop compiles and checks, and a Piecewise's conditions.
_KNOWN = (sympy.Symbol, sympy.Number, sympy.NumberSymbol, sympy.Add, sympy.Mul, sympy.Pow,
          sympy.logic.boolalg.BooleanAtom, sympy.core.relational.Relational, sympy.And,
          sympy.Or, sympy.Not, sympy.functions.elementary.piecewise.ExprCondPair)


def checked_scalar_expr(graph, name: str, expr) -> sympy.Expr:
    """``expr`` (a sympy expression, a number, or a string read by symprop's own reader)
    as node ``name`` of ``graph`` may hold it, or a clear error."""
    if isinstance(expr, str):
        from ..parse.expression import parse_expression

        expr = parse_expression(expr, graph.namespace())
    elif isinstance(expr, (int, float)) and not isinstance(expr, bool):
        expr = sympy.Float(expr) if isinstance(expr, float) else sympy.Integer(expr)
    if not isinstance(expr, sympy.Expr) or isinstance(expr, sympy.MatrixBase):
        raise SympropError(f"node {name!r}: expected a sympy expression, "
                           f"got {type(expr).__name__}")
    declared = graph.namespace()
    undeclared = sorted(str(s) for s in expr.free_symbols if declared.get(s.name) != s)
    if undeclared:
        raise SympropError(f"node {name!r} uses {', '.join(undeclared)}, "
                           "not declared before it")
    unknown = sorted({type(f).__name__ for f in expr.atoms(AppliedUndef)})
    if unknown:
        raise SympropError(f"node {name!r} uses unknown function(s) {', '.join(unknown)}")
    unregistered = sorted({type(f).__name__ for f in sympy.preorder_traversal(expr)
                           if not isinstance(f, _KNOWN) and type(f) not in BY_CLASS
                           and type(f) not in TWINS})
    if unregistered:
        raise SympropError(
            f"node {name!r} uses {', '.join(unregistered)}, which symprop's function "
            "registry does not describe, so it could be neither compiled nor checked "
            "(symprop.REGISTRY lists the functions it knows)")
    if expr.has(sympy.Derivative, sympy.Integral):
        raise SympropError(f"node {name!r}: unevaluated derivatives or integrals "
                           "are not supported")
    if expr.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise SympropError(f"node {name!r} contains an infinite or undefined constant")
    complex_part = next((c for c in sympy.preorder_traversal(expr)
                         if c.is_number and c.is_real is False), None)
    if complex_part is not None:  # sqrt(-1), log(-1), acosh(0): graphs are real
        raise SympropError(f"node {name!r} contains the non-real number {complex_part}")
    for cls, twin in TWINS.items():  # sympy's Mod has no derivative; its twin does
        if expr.has(cls):
            expr = expr.replace(cls, twin)
    return expr
