"""Numerically stable forms of the logs a loss takes of sigmoid and softmax outputs.

``log(sigmoid(z))`` is ``-inf`` in float64 once ``z < -745``, though the loss
it belongs to is finite; PyTorch's ``binary_cross_entropy_with_logits`` and
``cross_entropy`` avoid that by never forming the probability.  Generated
forward passes do the same: each rewrite below is one small, named identity,
applied to the ``log`` calls of a node's expression before printing.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph(); x, y = g.inputs("x y"); w = g.params("w")
>>> z = g.node("z", w*x); a = g.node("a", sigmoid(z))
>>> L = g.loss("L", -y*sympy.log(a) - (1 - y)*sympy.log(1 - a))
>>> stable, used = stabilize(g.expr(L), g)
>>> stable
-y*z + softplus(z)
>>> [(u.rule, str(u.before), str(u.after)) for u in used]  # doctest: +NORMALIZE_WHITESPACE
[('log of a sigmoid', 'log(a)', '-softplus(-z)'),
 ('log of one minus a sigmoid', 'log(1 - a)', '-softplus(z)'),
 ('softplus of a negated logit', 'softplus(-z)', '-z + softplus(z)')]
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..registry.functions import sigmoid, softmax, softplus


class logsumexp(sympy.Function):
    """``log(sum_k exp(z_k))``, printed as a call to the NumPy form of the same name."""

    def _eval_rewrite_as_log(self, *logits, **kwargs):
        return sympy.log(sum(sympy.exp(z) for z in logits))


def definition(expr, graph):
    """What ``expr`` stands for: a node's defining expression, or ``expr`` itself."""
    if isinstance(expr, sympy.Symbol) and graph.namespace().get(expr.name) == expr:
        return graph.expr(expr) if graph.expr(expr) is not None else expr
    return expr


class SigmoidLog:
    """``log(sigmoid(z)) = -softplus(-z)``."""

    name = "log of a sigmoid"

    def rewrite(self, argument, graph):
        value = definition(argument, graph)
        if isinstance(value, sigmoid):
            return -softplus(-value.args[0])
        return None


class SigmoidLogComplement:
    """``log(1 - sigmoid(z)) = -softplus(z)``."""

    name = "log of one minus a sigmoid"

    def rewrite(self, argument, graph):
        value = definition(1 - argument, graph)
        if isinstance(value, sigmoid):
            return -softplus(value.args[0])
        return None


class SoftmaxLog:
    """``log(softmax(k, z_1, ..., z_K)) = z_k - logsumexp(z_1, ..., z_K)``."""

    name = "log of a softmax"

    def rewrite(self, argument, graph):
        value = definition(argument, graph)
        if isinstance(value, softmax):
            k, logits = int(value.args[0]), value.args[1:]
            return logits[k - 1] - logsumexp(*logits)
        return None


REWRITES = (SigmoidLog(), SigmoidLogComplement(), SoftmaxLog())


@dataclass(frozen=True)
class Stabilized:
    """One use of a rewrite: ``before`` (a ``log``) became ``after``."""

    rule: str
    before: sympy.Expr
    after: sympy.Expr


def stabilize(expr, graph, rewrites=REWRITES):
    """``expr`` with every ``log`` that a rewrite knows replaced by its stable form.

    Returns ``(new_expr, [Stabilized])``, one record per ``log`` rewritten,
    in sympy's canonical order of the logs (deterministic).
    """
    replacements, used = {}, []
    for log in sorted(expr.atoms(sympy.log), key=sympy.default_sort_key):
        found = _rewrite(log.args[0], graph, rewrites)
        if found is None:
            found = _split_log(log.args[0], graph, rewrites)
        if found is not None:
            replacements[log] = found[1]
            used.append(Stabilized(found[0], log, found[1]))
    if not replacements:
        return expr, used
    expr = expr.xreplace(replacements)
    paired = _pair_softplus(expr)
    if paired:
        expr = sympy.expand_mul(expr.xreplace(paired))
        ordered = sorted(paired.items(), key=lambda kv: sympy.default_sort_key(kv[0]))
        used.extend(Stabilized("softplus of a negated logit", before, after)
                    for before, after in ordered)
    return expr, used


def _rewrite(argument, graph, rewrites):
    """``(rule name, stable form of log(argument))`` by the first rule that knows it, or None."""
    for rule in rewrites:
        stable = rule.rewrite(argument, graph)
        if stable is not None:
            return rule.name, stable
    return None


def _split_log(argument, graph, rewrites):
    """``log(a**y * (1 - a)**(1 - y)) = y log(a) + (1 - y) log(1 - a)``, however it is spelled.

    Only when every factor's log has a stable form: those factors (sigmoid and
    softmax outputs, one minus a sigmoid) are positive, so the log of their
    product is the sum of their logs, and ``log(1/a)`` is ``-log(a)``.
    """
    factors = sympy.Mul.make_args(argument)
    if len(factors) == 1 and factors[0].as_base_exp()[1] == 1:
        return None
    terms = []
    for factor in factors:
        base, exponent = factor.as_base_exp()
        found = _rewrite(base, graph, rewrites)
        if found is None:
            return None
        terms.append(exponent * found[1])
    return "log of a product of probabilities", sympy.Add(*terms)


def _pair_softplus(expr) -> dict:
    """``softplus(-z) = softplus(z) - z`` wherever both appear: one softplus, not two.

    The log loss ``y softplus(-z) + (1 - y) softplus(z)`` then reads
    ``softplus(z) - y z``, the textbook logits form (and costs one call).
    """
    calls = expr.atoms(softplus)
    return {f: softplus(-f.args[0]) + f.args[0] for f in calls
            if f.args[0].could_extract_minus_sign() and softplus(-f.args[0]) in calls}


__all__ = ["REWRITES", "Stabilized", "SigmoidLog", "SigmoidLogComplement", "SoftmaxLog",
           "logsumexp", "stabilize"]
