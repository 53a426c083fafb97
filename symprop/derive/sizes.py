"""Sizes of shared expression DAGs, measured without writing them out, and substitution on them.

>>> import sympy
>>> x = sympy.Symbol("x")
>>> is_small(sympy.sin(x) + 1), tree_size(sympy.sin(x) + 1)
(True, 4)
"""
from __future__ import annotations

from itertools import islice

import sympy

SMALL = 80  # sympy nodes: the most any rule rewrites at once
CANCEL_TERMS = 32  # sympy.cancel only where the expanded numerator has at most this many terms


def is_small(expr, limit: int = SMALL) -> bool:
    """True when ``expr`` has at most ``limit`` nodes; stops counting at the limit.

    Not cached: a cache keyed by expressions compares a new adjoint with an
    equal one of an earlier graph node by node, which on a deep network's
    shared DAG walks every path; counting to the limit costs at most ``limit`` steps.
    """
    return sum(1 for _ in islice(sympy.preorder_traversal(expr), limit + 1)) <= limit


def expanded_terms(expr) -> int:
    """An upper estimate of the terms ``expr`` has once multiplied out, counted without expanding.

    ``sympy.cancel`` expands numerator and denominator first; on a product of
    sums that is the product of their lengths, which a 44-op term can turn into
    a thousand ops.  The estimate stops growing past :data:`CANCEL_TERMS`.

    >>> a, b, c = sympy.symbols("a b c")
    >>> expanded_terms((a + b)*(a + c)/(a - 1)), expanded_terms(a*b)
    (8, 1)
    """
    if expr.is_Add:
        return min(sum(expanded_terms(a) for a in expr.args), CANCEL_TERMS + 1)
    if expr.is_Mul:
        total = 1
        for factor in expr.args:
            total = min(total * expanded_terms(factor), CANCEL_TERMS + 1)
        return total
    if expr.is_Pow and expr.exp.is_Integer:
        base = expanded_terms(expr.base)
        return base if base == 1 else min(base ** min(abs(int(expr.exp)), 8), CANCEL_TERMS + 1)
    return 1


def cheap_to_cancel(expr) -> bool:
    """Whether ``sympy.cancel(expr)`` stays small: few nodes and few expanded terms."""
    return is_small(expr) and expanded_terms(expr) <= CANCEL_TERMS


def fold(expr, visit, memo=None):
    """``visit(e, [values of e's arguments])`` for each distinct subexpression of ``expr``, once.

    Bottom up and without recursion (a node nested 1,000 deep must not hit the
    recursion limit); ``memo`` may be shared between calls with the same ``visit``.

    >>> x = sympy.Symbol("x")
    >>> fold(sympy.sin(x) + x, lambda e, args: 1 + sum(args))
    4
    """
    memo = {} if memo is None else memo
    stack = [expr]
    while stack:
        e = stack[-1]
        if id(e) in memo:
            stack.pop()
            continue
        pending = [a for a in e.args if id(a) not in memo]
        if pending:
            stack.extend(pending)
            continue
        memo[id(e)] = (e, visit(e, [memo[id(a)][1] for a in e.args]))  # e kept: ids stay unique
        stack.pop()
    return memo[id(expr)][1]


def tree_size(expr, leaves=None, memo=None) -> int:
    """The number of nodes of ``expr`` written out as a tree, counted on the shared DAG.

    An adjoint of a deep network shares its subexpressions, so it is small in
    memory while its tree (what a printer writes) grows with the number of
    paths; this counts each distinct subexpression once, never walking the
    tree.  ``leaves`` counts a symbol as the size of what it stands for.

    >>> x = sympy.Dummy("x"); e = x + 1   # a Dummy: see tests/test_simplify.py
    >>> for _ in range(40): e = sympy.sin(e) * sympy.cos(e)
    >>> tree_size(e) > 10**12
    True
    """
    leaves = leaves or {}
    return fold(expr, lambda e, sizes: leaves[e] if e.is_Symbol and e in leaves
                else 1 + sum(sizes), memo)


def substitute(expr, mapping, memo=None):
    """``expr.xreplace(mapping)`` for a ``{Symbol: Expr}`` mapping, each shared subexpression once.

    ``xreplace`` walks the tree, so on a deep network's DAG it takes time
    growing with the number of paths; this rebuilds each distinct
    subexpression once.

    >>> x, y = sympy.symbols("x y")
    >>> substitute(sympy.sin(x) + x*y, {x: y + 1})
    y*(y + 1) + sin(y + 1)
    """
    def rebuilt(e, args):
        if e.is_Symbol or not e.args:
            return mapping.get(e, e) if e.is_Symbol else e
        return e.func(*args) if any(n is not o for n, o in zip(args, e.args)) else e
    return fold(expr, rebuilt, memo)


__all__ = ["SMALL", "CANCEL_TERMS", "is_small", "expanded_terms", "cheap_to_cancel", "fold",
           "tree_size", "substitute"]
