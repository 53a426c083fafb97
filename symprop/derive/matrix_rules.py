"""Vector-Jacobian rules, one per operation (Autodidax style).

``VJP_RULES[type(expr)](expr, G)`` returns ``[(operand, contribution)]``: for
every operand of ``expr``, what the upstream gradient ``G`` (shaped like
``expr``) sends back to it.  :func:`vjp` walks an expression with them down to
the graph's symbols, so a node's definition may nest several operations.

>>> import sympy
>>> m = sympy.Symbol("m", integer=True, positive=True)
>>> W, X = sympy.MatrixSymbol("W", 2, 3), sympy.MatrixSymbol("X", 3, m)
>>> G = sympy.MatrixSymbol("G", 2, m)
>>> vjp(W * X, G, {W, X})
{W: G*X.T, X: W.T*G}
"""
from __future__ import annotations

from functools import lru_cache

import sympy
from sympy import (HadamardPower, HadamardProduct, MatAdd, MatMul, MatrixExpr, MatrixSymbol,
                   OneMatrix, Transpose)

from ..errors import SympropError
from ..registry.functions import BY_CLASS, entry_for
from .simplify import tidy_closed_form
from ..ir.matrix_ops import (Apply, Loss, Softmax, add, apply, hadamard, lift, matmul, scale,
                              trace)


@lru_cache(maxsize=256)
def elementwise_derivative(function: sympy.Lambda):
    """``(f'(z), z, a)``: the derivative of ``a = f(z)`` written in ``a`` where the registry allows.

    Registry classes give their derivative in their own output (``a(1 - a)``
    for the sigmoid, ``step(z)`` for ReLU); any other function is
    differentiated by sympy.
    """
    z, a = sympy.Dummy("z"), sympy.Dummy("a")
    body = function(z)
    derivative = tidy_closed_form(sympy.diff(body, z))
    if type(body) in BY_CLASS and body.args[0] == z:
        derivative = derivative.xreplace({body: a})
    return derivative, z, a


def _add_rule(expr, G):
    return [(term, G) for term in expr.args]


def _transpose_all(xs):
    return [x.T for x in reversed(xs)]


def _matmul_rule(expr, G):
    coeff, matrices = expr.as_coeff_matrices()
    # A scalar vertex in the coefficient (s in s W A): dL/ds = sum of G o M, written tr(G M^T).
    out = [(scalar, sympy.diff(coeff, scalar) * trace(MatMul(G, Transpose(matmul(*matrices)))))
           for scalar in sorted(coeff.free_symbols, key=str)
           if not scalar.is_integer]   # m, the batch size, is no vertex; vjp keeps the rest
    for i, factor in enumerate(matrices):
        if isinstance(factor, OneMatrix):
            continue
        left, right = matrices[:i], matrices[i + 1:]
        out.append((factor, scale(coeff, matmul(*_transpose_all(left), G, *_transpose_all(right)))))
    return out


def _hadamard_rule(expr, G):
    factors = expr.args
    return [(f, hadamard(G, *(factors[:i] + factors[i + 1:]))) for i, f in enumerate(factors)]


def _hadamard_power_rule(expr, G):
    base, exponent = expr.args
    return [(base, scale(exponent, hadamard(G, HadamardPower(base, exponent - 1))))]


def _transpose_rule(expr, G):
    return [(expr.arg, Transpose(G))]


def _apply_rule(expr, G):
    derivative, z, a = elementwise_derivative(expr.function)
    local = lift(derivative, {z: expr.arg, a: expr}, expr.shape)
    if not isinstance(local, MatrixExpr):
        return [(expr.arg, scale(local, G))]
    return [(expr.arg, hadamard(G, local))]


def _softmax_rule(expr, G):
    # dZ = A o (G - 1 1^T (A o G)): each column minus its A-weighted mean.
    classes = expr.shape[0]
    weighted = hadamard(expr, G)
    return [(expr.arg, hadamard(expr, add(G, -matmul(OneMatrix(classes, classes), weighted))))]


def _loss_rule(expr, G):
    loss, a, y = expr.per_entry()
    per_entry = lift(sympy.diff(loss, a), {a: expr.outputs, y: expr.targets},
                     expr.outputs.shape)
    # A weight decay (c/2) ||W||^2 sends c W to each weight, and its ||W||^2 / 2 to c's symbols.
    penalty = expr.penalty()
    return [(expr.outputs, scale(G / expr.batch, per_entry)),
            *((w, scale(G * expr.decay, w)) for w in expr.weights),
            *((s, G * sympy.diff(penalty, s)) for s in sorted(expr.decay.free_symbols, key=str)
              if not s.is_integer)]


def _scalar_rule(expr, G):
    # A scalar node over scalar vertices (t = exp(r)): the chain rule on each of its symbols.
    return [(symbol, sympy.diff(expr, symbol) * G)
            for symbol in sorted(expr.free_symbols, key=str)]


VJP_RULES = {
    MatAdd: _add_rule,
    MatMul: _matmul_rule,
    HadamardProduct: _hadamard_rule,
    HadamardPower: _hadamard_power_rule,
    Transpose: _transpose_rule,
    Apply: _apply_rule,
    Softmax: _softmax_rule,
    Loss: _loss_rule,
}


def activation_name(expr) -> str | None:
    """The registry name of an elementwise activation node's definition (``softmax``, ``relu``).

    >>> from symprop.registry.functions import relu
    >>> activation_name(apply(relu, sympy.MatrixSymbol("Z", 2, 2))), activation_name(3)
    ('relu', None)
    """
    if isinstance(expr, Softmax):
        return "softmax"
    if isinstance(expr, Apply):
        d, body = expr.function.variables[0], expr.function.expr
        if body == d:
            return "identity"
        entry = entry_for(body)
        if entry is not None and body.args[0] == d:
            return entry.name
    return None


def _is_scalar(expr) -> bool:
    """A scalar expression of scalar vertices only (no matrix, trace or loss in it)."""
    return not isinstance(expr, (MatrixExpr, Loss)) and not expr.has(MatrixExpr, Loss)


def vjp(expr, G, leaves) -> dict:
    """``{leaf: contribution}``: what ``G`` (the gradient of ``expr``) sends to each leaf.

    ``leaves`` are the graph's symbols; contributions reaching a leaf by
    several routes are summed.
    """
    out: dict = {}

    def walk(e, g):
        if e in leaves:
            out[e] = add(out[e], g) if e in out else g
            return
        if not (e.free_symbols & leaves) or isinstance(e, (MatrixSymbol, OneMatrix)):
            return
        rule = VJP_RULES.get(type(e)) or (_scalar_rule if _is_scalar(e) else None)
        if rule is None:
            raise SympropError(f"no vector-Jacobian rule for {type(e).__name__} in {e}")
        for operand, contribution in rule(e, g):
            walk(operand, contribution)

    walk(expr, G)
    return out


__all__ = ["VJP_RULES", "vjp", "elementwise_derivative", "activation_name"]
