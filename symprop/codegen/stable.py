"""The logs a loss takes of a function's output (a sigmoid's, a softmax's), in stable forms.

The identities are the registry's: an entry's ``log_form`` and
``log_complement_form`` (:mod:`symprop.registry.stable`).  This module finds the
``log`` calls of an expression they apply to (through a graph's node
definitions, or a matrix loss's entries) and rewrites them before printing.

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

from ..registry.functions import entry_for, softplus
from ..registry.stable import logsumexp


def definition(expr, graph):
    """What ``expr`` stands for: a node's defining expression, or ``expr`` itself.

    ``graph`` is a graph, or a ``{symbol: definition}`` dict (a matrix loss's entries).
    """
    if isinstance(graph, dict):
        return graph.get(expr, expr)
    if isinstance(expr, sympy.Symbol) and graph.namespace().get(expr.name) == expr:
        return graph.expr(expr) if graph.expr(expr) is not None else expr
    return expr


class LogOf:
    """``log(f(args))`` by the registry's stable form of it (``log(sigmoid(z)) = -softplus(-z)``)."""

    form, phrase = "log_form", "log of a {}"    # the Entry field read

    def of(self, argument, graph):
        """What ``log(argument)`` takes the log of: ``f(args)``."""
        return definition(argument, graph)

    def found(self, argument, graph):
        """``(rule name, stable form of log(argument))``, or None when the registry has none."""
        value = self.of(argument, graph)
        entry = entry_for(value)
        form = getattr(entry, self.form) if entry is not None else None
        return None if form is None else (self.phrase.format(entry.name), form(*value.args))

    def rewrite(self, argument, graph):
        """The stable form of ``log(argument)``, or None."""
        found = self.found(argument, graph)
        return found and found[1]


class LogOfComplement(LogOf):
    """``log(1 - f(args))`` by the registry's stable form (``log(1 - sigmoid(z)) = -softplus(z)``)."""

    form, phrase = "log_complement_form", "log of one minus a {}"

    def of(self, argument, graph):
        return definition(1 - argument, graph)


REWRITES = (LogOf(), LogOfComplement())


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
        found = rule.found(argument, graph)
        if found is not None:
            return found
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


__all__ = ["REWRITES", "Stabilized", "LogOf", "LogOfComplement", "logsumexp", "stabilize"]
