r"""Random points for matrix claims, drawn and evaluated as :mod:`symprop.verify.points` does.

Inputs and parameters are exact three-decimal rationals (parameters divided by
``ceil(sqrt(columns))``: a wide layer's products stay moderate), at batch sizes 3
and 4 in turn, so that a factor following ``m`` is told from a constant.  Nodes and
adjoints are evaluated there with 60 digits by the oracle's forward pass
(:class:`symprop.ir.numeric.ForwardPass`), each elementwise function at each entry
bounded as a scalar claim is (:func:`symprop.verify.claim_bounds.magnitude`);
points near a kink of the network (:mod:`symprop.registry.kinks`) are redrawn.

A network whose one evaluation exceeds ``EXACT_WORK`` multiply-adds (its
parameter entries times the largest batch: 10^6 for a 784-256-256-10 network,
minutes in mpmath) is evaluated in float64 instead (:class:`FloatMatrixPoints`,
chosen by :func:`matrix_points` before any work): compared to ``FLOAT_RTOL``
relative to the whole matrix, with no confirmation at more digits.

>>> from symprop import matrix_mlp
>>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> p = MatrixPoints(g)
>>> [v["m"] for v in p.values], p.evaluate(g.symbol("A2"))[0].shape
([3, 4, 3, 4], (2, 3))
"""
from __future__ import annotations

import math
import random

import mpmath
import numpy as np
import sympy
from sympy import Identity
from sympy.core.sympify import _sympify  # objects only: a string is refused, never parsed

from ..ir.matrix_ops import shape_of
from ..ir.numeric import ForwardPass, NumpyForward, evaluate_expr
from ..errors import SympropError
from ..registry import kinks
from .claim_bounds import ClaimTooLarge
from .points import DIGITS, Points, _value

# A layer of n units has 3n pre-activations at m = 3: at scalar claims' distance
# (points.KINK) some of them is almost always near a kink, and no point would do.
# What must not happen is an argument exactly at a kink, where the step's
# convention decides (rational points can cancel exactly): that is all this keeps out.
MATRIX_KINK = sympy.Rational(1, 10**9)
BATCHES = (3, 4, 3, 4)   # two batch sizes: a factor that follows m is told from a constant
MAX_DRAWS = 20           # draws per point before the point is given up
EXACT_WORK = 20_000      # multiply-adds of one evaluation above which float64 is used
FLOAT_RTOL = 1e-9        # float64 agreement: |claim - truth| <= FLOAT_RTOL * max(|truth|, 1)


class _Unusable(Exception):
    """Not a finite real number somewhere: this point proves nothing about this expression."""


class MatrixPoints(ForwardPass, Points):
    """Sample points of a matrix graph; ``evaluate(expr)`` gives its value at each, as
    :meth:`Points.evaluate <symprop.verify.points.Points.evaluate>` does.

    A value is a NumPy array (``dtype=object``) of mpmath numbers of the
    expression's shape (0-d for a number), or None where it is not a finite
    real (undefined, complex, beyond 10^300).  ``overrides`` replaces some
    adjoints' local forms (``{node: local form}``), to ask what a claim would
    be with a factor left out.
    """

    symbolic = False     # no symbolic step: matrix expressions compare at the points only
    tolerance = None     # exact: compare's 40 digits, a difference confirmed at 100
    arithmetic = ""      # how the method text names the arithmetic
    dtype = object       # of a value: mpmath numbers

    def __init__(self, graph, seed: int = 0, overrides=None, base=None):
        """``base``: points already drawn, whose node values are kept (only adjoints change)."""
        super().__init__(graph)
        self._rules[Identity] = lambda e, env, node: self._eye(e)
        adjoints = graph.adjoints()
        self.adjoint_steps = [(adjoints.symbol[n], (overrides or {}).get(n, adjoints.local[n]))
                              for n in adjoints.order[1:]]
        self._digits, self._memo, self._env, self._products, self._bodies = DIGITS, {}, None, {}, {}
        self._check_kinks = False
        if base is not None:
            self.points = base.points
            self.values = [self._adjoints(dict(v), DIGITS) for v in base.values]
            return
        rng = random.Random(seed)
        self.points, self.values = [], []
        for batch in BATCHES:
            for _ in range(MAX_DRAWS):
                point = self._draw(rng, batch)
                values = self.values_at(point, DIGITS)
                if values is not None:
                    self.points.append(point)
                    self.values.append(values)
                    break
            else:
                raise SympropError(f"could not draw a random point with m = {batch}: in "
                                   f"{MAX_DRAWS} draws the network's values were never finite "
                                   "real numbers away from its kinks")

    # ----------------------------------------------------------- drawing
    def _draw(self, rng, batch) -> dict:
        graph = self.graph
        point = {graph.batch: sympy.Integer(batch)}
        loss = graph.expr(graph.loss_symbol)
        for s in graph.input_symbols:
            shape = tuple(batch if n == graph.batch else int(n) for n in shape_of(s))
            if s in graph.one_hot_targets:
                rows, cols = shape
                hot = [rng.randrange(rows) for _ in range(cols)]
                point[s] = self._ratios(np.eye(rows, dtype=int)[:, hot].ravel(), 1, shape)
            else:     # a scalar input (c), as a scalar graph's inputs: in (0.05, 0.95)
                low = 50 if s == loss.targets or not shape else -950
                point[s] = self._ratios([rng.randint(low, 950) for _ in range(math.prod(shape))],
                                        1000, shape)
        for s in graph.param_symbols:
            shape = tuple(int(n) for n in shape_of(s))     # () for a scalar parameter (s)
            scale = math.isqrt(shape[-1] - 1) + 1 if shape else 1     # ceil(sqrt(cols))
            point[s] = self._ratios([rng.choice((-1, 1)) * rng.randint(50, 1500)
                                     for _ in range(math.prod(shape))], 1000 * scale, shape)
        return point

    @staticmethod
    def _ratios(numerators, denominator, shape):
        """Drawn integers over ``denominator``: exact rationals in a ``shape`` array."""
        return np.array([sympy.Rational(int(n), denominator) for n in numerators] or [],
                        dtype=object).reshape(shape)

    def values_at(self, point, digits):
        """Every node's and adjoint's value at ``point``; None where one is unusable."""
        graph = self.graph
        self._digits, self._m, self._check_kinks = digits, int(point[graph.batch]), True
        try:
            with mpmath.workdps(digits + 10):
                env = {s: (v if s == graph.batch else self._array(v, digits + 10))
                       for s, v in point.items()}
                for node in graph.node_symbols[:-1]:
                    env[node] = self.build(graph.expr(node), env, node)
        except (_Unusable, ClaimTooLarge):
            return None
        finally:
            self._check_kinks = False
        return self._adjoints({**env, "m": self._m}, digits)

    def _adjoints(self, env, digits):
        """``env`` (node values) with every adjoint, loss end first; None where one is unusable."""
        self._digits, self._m = digits, env["m"]
        try:
            with mpmath.workdps(digits + 10):
                for symbol, local in self.adjoint_steps:
                    env[symbol] = self.build(local, env, symbol)
        except (_Unusable, ClaimTooLarge):
            return None
        return env

    # ----------------------------------------------------------- evaluating
    def _at(self, expr, values, digits):
        if values is None:
            return None
        self._digits, self._m = digits, values["m"]
        try:
            with mpmath.workdps(digits + 10):
                value = np.asarray(self.build(expr, dict(values), "the claim"), dtype=self.dtype)
        except (_Unusable, ClaimTooLarge, TypeError, ValueError, ZeroDivisionError):
            return None
        shape = self.shape_of(expr)
        value = np.broadcast_to(value, shape).copy() if value.shape == () and shape else value
        return value if self._finite(value) else None

    @staticmethod
    def _finite(value) -> bool:
        return all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in value.flat)

    @staticmethod
    def _array(value, digits):
        """A drawn value (exact rationals) as the kit's array."""
        return _entrywise(lambda x: _mp(x, digits), value)

    @staticmethod
    def error(a, b):
        """The largest entry of ``|a - b|`` relative to ``max(1, |a|, |b|)``; inf for other shapes."""
        if a.shape != b.shape:
            return sympy.oo
        if a.size == 0:
            return sympy.Float(0)
        with mpmath.workdps(250):       # beyond either value's own digits (100 at most)
            error = max(abs(x - y) for x, y in zip(a.flat, b.flat)) / max(
                [mpmath.mpf(1)] + [abs(x) for x in a.flat] + [abs(y) for y in b.flat])
        return sympy.Float(error)

    def as_floats(self, value, expr, m):
        """``expr``'s ``value`` at a point of batch size ``m`` as float64 (NaN where unusable)."""
        if value is None:
            self._m = m
            return np.full(self.shape_of(expr), np.nan)
        with np.errstate(all="ignore"):
            return np.array([float(v) for v in value.flat]).reshape(value.shape)

    # ----------------------------------------------------------- the forward pass's kit
    def build(self, expr, env, node):
        if env is not self._env:     # products are shared within one point's evaluation
            self._env, self._products = env, {}
        return super().build(expr, env, node)

    def _matmul(self, expr, env, node):
        """A product left to right, each prefix once: sums of long products share their starts."""
        coeff, matrices = expr.as_coeff_matrices()
        matrices, product = tuple(matrices), None
        for k in range(1, len(matrices) + 1):
            if matrices[:k] not in self._products:
                factor = self.build(matrices[k - 1], env, node)
                self._products[matrices[:k]] = factor if product is None else product @ factor
            product = self._products[matrices[:k]]
        return product if coeff == 1 else self._coefficient(coeff, env, node) * product

    def _number(self, c, node):
        value = _value(_sympify(c).subs(self.graph.batch, self._m), {}, self._digits)
        if value is None:
            raise _Unusable
        return _mp(value, self._digits + 10)

    def fill(self, value, shape):
        return np.full(shape, mpmath.mpf(value), dtype=object)

    def _eye(self, expr):
        return _entrywise(mpmath.mpf, np.eye(self.shape_of(expr)[0]))

    def softmax(self, x):
        shift = np.array([max(column) for column in x.T], dtype=object)
        e = _entrywise(mpmath.exp, x - shift)
        return e / np.array([sum(column) for column in e.T], dtype=object)

    def scalar(self, expr, env, node):
        """``expr`` entry by entry over ``env``'s arrays; a kink too close to 0 is unusable.

        Each body is evaluated once per argument (the lines of a chain share it).
        """
        symbols = sorted(expr.free_symbols & set(env), key=str)
        key = (expr, self._digits, self._check_kinks, tuple(id(env[s]) for s in symbols))
        if key not in self._bodies:     # the arguments are kept, so their ids stay theirs
            try:
                value = self._entries(expr, env, symbols)
            except (_Unusable, ClaimTooLarge):
                value = None
            self._bodies[key] = (value, [env[s] for s in symbols])
        if self._bodies[key][0] is None:
            raise _Unusable
        return self._bodies[key][0]

    def _entries(self, expr, env, symbols):
        arrays = np.broadcast_arrays(*(np.asarray(env[s], dtype=object) for s in symbols))
        shape = arrays[0].shape if arrays else ()
        arguments = kinks.arguments(expr) if self._check_kinks else []
        out = np.empty(shape, dtype=object)
        for index in np.ndindex(shape):
            values = {s: _float(a[index]) for s, a in zip(symbols, arrays)}
            for u in arguments:
                at = _value(u, values, self._digits)
                if at is None or abs(at) < MATRIX_KINK:
                    raise _Unusable
            value = _value(expr, values, self._digits)
            if value is None:
                raise _Unusable
            out[index] = _mp(value, self._digits + 10)
        return out if shape else out[()]


class FloatMatrixPoints(MatrixPoints):
    """:class:`MatrixPoints` in float64, for a network too large for exact arithmetic.

    The same points (as floats) and the same kit's rules; values are float
    arrays, compared to ``FLOAT_RTOL`` over the whole matrix.

    >>> from symprop import matrix_mlp
    >>> g = matrix_mlp([300, 64, 10], activation="relu", output="softmax", loss="ce", one_hot=True)
    >>> p = matrix_points(g)
    >>> type(p).__name__, p.evaluate(g.symbol("A2"))[0].dtype
    ('FloatMatrixPoints', dtype('float64'))
    """

    tolerance, dtype = FLOAT_RTOL, np.float64
    arithmetic = " in float64 (the network is too large for exact arithmetic)"

    @staticmethod
    def _finite(value) -> bool:
        return bool(np.all(np.isfinite(value)))

    @staticmethod
    def _array(value, digits):
        return value

    @staticmethod
    def _ratios(numerators, denominator, shape):
        return (np.asarray(numerators, dtype=np.float64) / denominator).reshape(shape)

    @staticmethod
    def error(a, b):
        """The largest entry of ``|a - b|`` relative to ``max(1, |b|)``; inf for other shapes."""
        if a.shape != b.shape:
            return sympy.oo
        with np.errstate(all="ignore"):
            return float(np.abs(a - b).max(initial=0.0) / max(np.abs(b).max(initial=0.0), 1.0))

    def as_floats(self, value, expr, m):
        if value is None:
            self._m = m
            return np.full(self.shape_of(expr), np.nan)
        return np.asarray(value, dtype=np.float64)

    def _number(self, c, node):
        value = _sympify(c).subs(self.graph.batch, self._m)
        if not value.is_number or not value.is_real or not value.is_finite:
            raise _Unusable
        return float(value)

    def fill(self, value, shape):
        return np.full(shape, float(value))

    def _eye(self, expr):
        return np.eye(self.shape_of(expr)[0])

    softmax = NumpyForward.softmax

    def _entries(self, expr, env, symbols):
        point = {s: np.asarray(env[s], dtype=np.float64) for s in symbols}
        for u in kinks.arguments(expr) if self._check_kinks else []:
            at = np.asarray(evaluate_expr(u, point), dtype=np.float64)
            if not np.all(np.abs(at) >= float(MATRIX_KINK)):
                raise _Unusable
        value = np.asarray(evaluate_expr(expr, point))
        if value.dtype.kind not in "fiub" or not np.all(np.isfinite(value)):
            raise _Unusable
        return value.astype(np.float64)


def work(graph) -> int:
    """Multiply-adds of one evaluation: the parameters' entries times the largest batch."""
    return max(BATCHES) * sum(math.prod(int(n) for n in shape_of(p)) for p in graph.param_symbols)


def matrix_points(graph, seed: int = 0):
    """The graph's points: exact (:class:`MatrixPoints`) unless ``work(graph)`` exceeds EXACT_WORK.

    >>> from symprop import matrix_mlp
    >>> type(matrix_points(matrix_mlp([3, 4, 2]))).__name__
    'MatrixPoints'
    """
    kind = MatrixPoints if work(graph) <= EXACT_WORK else FloatMatrixPoints
    return kind(graph, seed)


def _entrywise(f, array):
    """An object array of ``array``'s shape: ``f`` of each entry."""
    array = np.asarray(array, dtype=object)
    return np.array([f(v) for v in array.flat] or [], dtype=object).reshape(array.shape)


def _mp(value, digits):
    """A rational or a sympy number as an mpmath number of ``digits`` digits."""
    return value if isinstance(value, mpmath.mpf) else mpmath.mpf(sympy.Float(value, digits)._mpf_)


def _float(value):
    """An mpmath number as a sympy Float of the working precision, for a scalar body."""
    return sympy.Float._new(value._mpf_, mpmath.mp.prec) if isinstance(value, mpmath.mpf) else value


__all__ = ["BATCHES", "FloatMatrixPoints", "MatrixPoints", "matrix_points"]
