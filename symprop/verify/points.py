r"""Random points where a claim and symprop's gradient are compared, and their values there.

Parameters, inputs and the batch size are drawn as exact three-decimal
rationals (a counterexample can be checked by hand); every node, and every
shared adjoint a deep network's gradient is written with, is evaluated there
with 60 digits, once.  Points near a kink (:mod:`symprop.registry.kinks`) are
redrawn, a claim is kept below 10^300 at each
(:func:`symprop.verify.claim_bounds.magnitude`), and where a claim changes form
(``|u|``, ``relu(u)``) points are drawn on both sides of 0.

>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> p = Points(g, [g.symbol("a2_1")])
>>> len(p.points) >= MIN_POINTS, all(0 < v[g.symbol("a2_1")] < 1 for v in p.values)
(True, True)
"""
from __future__ import annotations

import random

import sympy

from .claim_bounds import magnitude
from ..errors import SympropError
from ..registry import kinks

DIGITS = 50            # significant digits of every comparison
MIN_POINTS = 3         # fewer usable points than this and no verdict is given
KINK = sympy.Rational(1, 100)      # points closer than this to a kink are redrawn


class Points:
    """Random points where every expression of interest is finite, real and away from kinks.

    Parameters are drawn from [-1.5, -0.05] and [0.05, 1.5], inputs from [0.05, 0.95] (one-hot
    target groups normalized to sum 1), other symbols (the batch size ``m``)
    from 2..9; all as exact three-decimal rationals, so a counterexample point
    can be written down and checked by hand.  The shared adjoints a deep
    network's gradient is written with (``dL_dz1_1``) take their values there,
    each computed once from its children's, as ``compile()`` does.
    """

    symbolic = True      # a bounded symbolic comparison comes first

    def __init__(self, graph, exprs, count=8, seed=0, screened=()):
        """``screened``: the claims, sampled on both sides of where they change form."""
        if count < MIN_POINTS:
            raise SympropError(f"points={count}: at least {MIN_POINTS} points are needed")
        self.graph, self.screened, self._memo = graph, tuple(screened), {}
        adjoints = graph.adjoints()
        self.adjoint_steps = [(adjoints.symbol[n], adjoints.local[n]) for n in adjoints.order
                              if isinstance(adjoints.symbol.get(n), sympy.Symbol)]
        declared = set(graph.symbols) | {s for s, _ in self.adjoint_steps}
        self.extra = sorted({s for e in exprs for s in e.free_symbols if s not in declared},
                            key=lambda s: s.name)
        self.kinks = _kink_arguments(graph, exprs)
        rng = random.Random(seed)
        self.points, self.values = [], []
        for _ in range(count * 8):
            if len(self.points) == count:
                break
            point = self._draw(rng)
            values = self.values_at(point, DIGITS)
            if values is not None:
                self.points.append(point)
                self.values.append(values)
        self._both_sides(rng, _sign_changes(self.screened), count)

    def _both_sides(self, rng, arguments, count):
        """For a claim's |u|, relu(u) or sqrt(u^2): points on both sides of u = 0 where drawn.

        Eight points can all fall on one side (|yhat - y| would then pass for yhat - y).
        """
        for u in arguments:
            signs = {_sign(u, v) for v in self.values} - {None}
            for _ in range(2 * count if len(signs) == 1 else 0):
                point = self._draw(rng)
                values = self.values_at(point, DIGITS)
                if values is not None and _sign(u, values) not in signs | {None}:
                    self.points.append(point)
                    self.values.append(values)
                    break

    def _draw(self, rng):
        point = {p: sympy.Rational(rng.choice((-1, 1)) * rng.randint(50, 1500), 1000)
                 for p in self.graph.param_symbols}   # never 0, where claims may divide
        point.update({x: sympy.Rational(rng.randint(50, 950), 1000) for x in self.graph.input_symbols})
        for group in self.graph.one_hot_groups:
            total = sum(point[y] for y in group)
            point.update({y: point[y] / total for y in group})
        point.update({s: sympy.Integer(rng.randint(2, 9)) for s in self.extra})
        return point

    def values_at(self, point, digits):
        """Every symbol's value at ``point`` with ``digits`` digits; None if unusable there."""
        values = {s: sympy.Float(v, digits + 10) for s, v in point.items()}
        for node in self.graph.node_symbols:
            value = _number(self.graph.expr(node).xreplace(values), digits + 10)
            if value is None:
                return None
            values[node] = value
        for symbol, local in self.adjoint_steps:       # loss end first: children are known
            value = _number(local.xreplace(values), digits + 10)
            if value is None:
                return None
            values[symbol] = value
        for argument in self.kinks:
            value = _value(argument, values, digits)
            if value is None or abs(value) < KINK:
                return None
        return values

    def evaluate(self, expr, digits=DIGITS, at=None):
        """``expr`` at every point (or at point index ``at``); None where not a finite real.

        Each expression is evaluated once per point and precision, part by part
        (:func:`_value`), however many comparisons ask for it.
        """
        key = (expr, digits, at)
        if key not in self._memo:
            if at is None:
                self._memo[key] = [self._at(expr, v, digits) for v in self.values]
            else:
                if (at, digits) not in self._memo:
                    self._memo[(at, digits)] = self.values_at(self.points[at], digits)
                self._memo[key] = self._at(expr, self._memo[(at, digits)], digits)
        return self._memo[key]

    def _at(self, expr, values, digits):
        return _value(expr, values, digits)

    @staticmethod
    def error(a, b):
        """The relative difference of two values: ``|a - b| / max(1, |a|, |b|)``."""
        return abs(a - b) / max(1, abs(a), abs(b))

    def named(self, i) -> dict:
        """Point ``i`` by identifier, as floats (exact: three decimals)."""
        return {s.name: float(v) for s, v in sorted(self.points[i].items(), key=lambda kv: kv[0].name)}


def _number(expr, digits):
    """A finite real Float, or None (undefined, infinite or complex)."""
    if isinstance(expr, sympy.Float):     # the usual case, already one
        return expr
    value = expr.evalf(digits)
    if not value.is_number or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    real, imaginary = value.as_real_imag()
    if imaginary != 0 and abs(imaginary) > sympy.Float(10) ** (-digits // 2):
        return None
    return real if real.is_Float or real.is_Number else None


def _value(expr, values, digits):
    """``expr`` at ``values`` to ``digits`` digits, each part from its parts' numbers (+20 digits).

    Bounded (:func:`symprop.verify.claim_bounds.magnitude`: nothing beyond 10^300 is
    evaluated); None where not a finite real.
    """
    if values is None:
        return None
    value = magnitude(expr, values, digits=digits + 20)
    return None if value is None or not isinstance(value, sympy.Expr) else _number(value, digits)


def _sign(u, values):
    value = _value(u, values, DIGITS)
    return None if value is None else value > 0


def _sign_changes(exprs):
    """Where a claim's value changes form: the registry's form changes, and sqrt(u^2)."""
    found, table = [], kinks.form_changes()
    for expr in exprs:
        found += kinks.arguments(expr, table)
        found += [p.base.base for p in expr.atoms(sympy.Pow) if not p.exp.is_Integer
                  and isinstance(p.base, sympy.Pow) and p.base.exp.is_even]
    return list(dict.fromkeys(u for u in found if u.free_symbols))


def _kink_arguments(graph, exprs):
    """Arguments of the registry's kinks, where a derivative jumps: points avoid their zeros."""
    found, zero_below = [], kinks.zero_below()
    sources = [graph.expr(n) for n in graph.node_symbols] + list(exprs)
    for expr in sources:
        for argument in kinks.arguments(expr):
            inner = graph.expr(argument) if argument in graph.node_symbols else argument
            if isinstance(inner, zero_below):
                argument = inner.args[0]
            if argument.free_symbols and argument not in found:
                found.append(argument)
    return found


__all__ = ["DIGITS", "MIN_POINTS", "Points"]
