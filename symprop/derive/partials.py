"""A scalar node's local partials (the scalar form's local rule, as matrix_rules is the matrix's).

>>> import sympy
>>> x, w = sympy.symbols("x w")
>>> partials(w*x + sympy.Abs(w)) == {w: x + sympy.sign(w), x: w}
True
"""
from __future__ import annotations

import sympy

from ..registry.functions import entry_for


def partials(expr) -> dict:
    """``{symbol: d expr / d symbol}`` for every free symbol of ``expr``.

    A sum is differentiated term by term, each term only with respect to its
    own symbols: a node summing n products then costs O(n), not O(n^2).
    """
    terms = expr.args if expr.is_Add else (expr,)
    by_symbol: dict = {}
    for term in terms:
        for symbol in term.free_symbols:
            by_symbol.setdefault(symbol, []).append(term)
    return {s: sympy.Add(*(_term_partial(t, s) for t in ts)) for s, ts in by_symbol.items()}


# Graph symbols carry no assumptions (they compare equal to the user's plain
# Symbols), but |u| differentiates to sign(u) only for real u: such terms are
# differentiated through real twins of their symbols.
_NEEDS_REAL = (sympy.Abs, sympy.sign, sympy.re, sympy.im, sympy.arg)


def _diff_real(term, symbol):
    twins = {s: sympy.Symbol(s.name, real=True) for s in term.free_symbols}
    back = {t: s for s, t in twins.items()}
    return sympy.diff(term.xreplace(twins), twins[symbol]).xreplace(back)


def _is_constant_for_torch(expr) -> bool:
    """A flat function (sign, step, floor) or a power of zero: PyTorch's gradient through it is 0.

    ``0**y`` differentiates to ``0**y * log(0)``, NaN in floating point, where
    PyTorch (and the limit from above) give 0.
    """
    entry = entry_for(expr)
    if entry is not None and entry.flat:
        return True
    return expr.is_Pow and expr.base.is_number and expr.base.is_zero


def _frozen(term, symbol):
    """``term`` with each part whose derivative is 0 replaced by a constant, and the way back."""
    parts = [p for p in sympy.preorder_traversal(term)
             if _is_constant_for_torch(p) and p.has(symbol)]
    if not parts:
        return term, None
    constants = {p: sympy.Dummy(f"c{i}") for i, p in enumerate(parts)}
    return term.xreplace(constants), {c: p for p, c in constants.items()}


def _term_partial(term, symbol):
    """d term / d symbol, PyTorch's conventions where the function is flat (``Entry.flat``)."""
    term, back = _frozen(term, symbol)
    partial = _plain_partial(term, symbol)
    if back:
        partial = partial.xreplace(back)
    if partial.has(sympy.DiracDelta):  # from a Heaviside sympy formed itself (Max's)
        partial = partial.replace(sympy.DiracDelta, lambda *args: sympy.Integer(0))
    return partial


def _plain_partial(term, symbol):
    """d term / d symbol; a product with ``symbol`` as one plain factor needs no diff."""
    if term == symbol:
        return sympy.Integer(1)
    if symbol not in term.free_symbols:  # it was only inside a flat function
        return sympy.Integer(0)
    if term.is_Mul:
        others = [f for f in term.args if f != symbol]
        if len(others) == len(term.args) - 1 and not any(f.has(symbol) for f in others):
            return sympy.Mul(*others)
    if term.has(*_NEEDS_REAL):
        return _diff_real(term, symbol)
    if term.is_Function:
        # An activation: sympy's chain rule for functions (fdiff, in the function's
        # own output), without the Derivative() wrapper's assumption queries,
        # which cost ten times as much on a sigmoid.
        partial = term._eval_derivative(symbol)
        if partial is not None:
            return partial
    return sympy.diff(term, symbol)


__all__ = ["partials"]
