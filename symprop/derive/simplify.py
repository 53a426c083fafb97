"""Textbook simplification of adjoints, rule by rule, always local: one table for both forms.

Each adjoint dL/dv is formed from its terms, one pullback per edge ``v -> c``
(``(dc/dv) * dL/dc`` for scalars, a vector-Jacobian step for matrices).  Small
rule objects rewrite those terms the way a textbook does (``sigmoid with
binary cross-entropy`` turns ``a(1-a)(-y/a + (1-y)/(1-a))`` into ``a - y``;
for matrices, softmax with cross-entropy gives ``(A - Y)/m``) and every rewrite
is recorded as a :class:`Step`, so a derivation can show it.  Each rule says
which forms it applies to (``forms``).  Rules only ever look at small
expressions (:func:`is_small`): ``sympy.simplify`` of a whole gradient does not
terminate in practice.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph(); x, y = g.inputs("x y"); w = g.params("w")
>>> z = g.node("z", w*x); a = g.node("a", sigmoid(z))
>>> L = g.loss("L", -y*sympy.log(a) - (1 - y)*sympy.log(1 - a))
>>> s = simplify_adjoints(g)
>>> s.adjoint[z], [r.rule for r in s.steps[z]]
(a - y, ['sigmoid with binary cross-entropy'])
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy
from sympy import OneMatrix

from .backprop import Adjoints, reverse_accumulate
from .sizes import cheap_to_cancel, is_small
from ..ir import matrix_ops as ops
from ..registry.functions import leaky_relu, relu, sigmoid, softmax, step
from ..registry.fused import FUSED

SCALAR, MATRIX = ("scalar",), ("matrix",)  # the forms a rule applies to

@dataclass(frozen=True)
class Step:
    """One rewrite: ``rule`` turned the adjoint of ``node`` from ``before`` into ``after``.

    ``before`` and ``after`` are written in node values (every adjoint
    inlined); ``local_before`` and ``local_after`` are the same written with
    the children's adjoint symbols (``dL_dz``) wherever a term was not
    rewritten, bounded however deep the network: what a printer shows when
    the inlined forms are large.
    """

    rule: str
    node: sympy.Basic
    before: sympy.Basic
    after: sympy.Basic
    local_before: sympy.Basic | None = None
    local_after: sympy.Basic | None = None


@dataclass
class Context:
    """What a rule may look at: the graph, the node, and the adjoints formed so far."""

    graph: object
    node: sympy.Symbol
    adjoint: dict


def _size(expr) -> int:
    return sympy.count_ops(expr)


def _simpler(new, old) -> bool:
    return new != old and _size(new) < _size(old)


class SigmoidCrossEntropy:
    """``a(1-a) * (-y/a + (1-y)/(1-a)) = a - y`` for ``a = sigmoid(z)``."""

    name, forms = FUSED["sigmoid", "bce"].title, SCALAR

    def rewrite(self, terms, ctx):
        out, changed = [], False
        for edge, term in terms:
            if (edge is not None and ctx.graph.expr(edge.child) == sigmoid(ctx.node)
                    and cheap_to_cancel(term) and _divides_by(term, edge.child)):
                new = sympy.factor_terms(sympy.cancel(term))
                if _free_of_denominator(new, edge.child) and _simpler(new, term):
                    out.append((edge, new))
                    changed = True
                    continue
            out.append((edge, term))
        return out if changed else None


def _divides_by(expr, symbol) -> bool:
    """Whether ``expr`` divides by something involving ``symbol`` (cheap pre-check)."""
    return any(p.exp.is_negative and p.base.has(symbol) for p in expr.atoms(sympy.Pow))


def _free_of_denominator(expr, symbol) -> bool:
    return not sympy.denom(expr).has(symbol)


class SoftmaxCrossEntropy:
    """``sum_k a_k (delta_kj - a_j) (-y_k / a_k) = a_j (y_1 + ... + y_K) - y_j``."""

    name, forms = FUSED["softmax", "ce"].title, SCALAR

    def rewrite(self, terms, ctx):
        graph = ctx.graph
        soft = [(e, t) for e, t in terms if e is not None
                and isinstance(graph.expr(e.child), softmax) and cheap_to_cancel(t)]
        if len(soft) < 2 or not all(_is_cross_entropy_partial(ctx.adjoint[e.child], e.child,
                                                                [c.child for c, _ in soft])
                                    for e, _ in soft):
            return None
        own = [e.child for e, _ in soft
               if graph.expr(e.child).args[int(graph.expr(e.child).args[0])] == ctx.node]
        summed = sympy.expand(sympy.Add(*(sympy.cancel(t) for _, t in soft)))
        if any(sympy.denom(sympy.together(summed)).has(e.child) for e, _ in soft):
            return None
        new = sympy.collect(summed, own[0]) if own else summed
        rest = [(e, t) for e, t in terms if (e, t) not in soft]
        return [(None, new)] + rest


def _is_cross_entropy_partial(adjoint, output, outputs) -> bool:
    """Whether dL/da_k has cross-entropy's form ``-y_k / a_k``: times a_k, free of every output."""
    if not cheap_to_cancel(adjoint):
        return False
    scaled = sympy.cancel(adjoint * output)
    return not any(scaled.has(a) for a in outputs)


class OneHotTargets:
    """``y_1 + ... + y_K = 1`` for target groups the user declared one-hot."""

    name, forms = "one-hot targets", SCALAR

    def rewrite(self, terms, ctx):
        groups = {sympy.Add(*group): sympy.Integer(1) for group in ctx.graph.one_hot_groups}
        if not groups:
            return None
        out = [(e, t.xreplace(groups) if is_small(t) else t) for e, t in terms]
        return out if out != list(terms) else None


class CommonFactor:
    """Pull a common numeric factor out of a sum: ``2a - 2y = 2(a - y)``."""

    name, forms = "common factor", SCALAR

    def rewrite(self, terms, ctx):
        out = [(e, sympy.factor_terms(t) if t.is_Add and is_small(t) else t) for e, t in terms]
        return out if out != list(terms) else None


class Cancellation:
    """Cancel a small rational term when that makes it shorter."""

    name, forms = "cancellation", SCALAR

    def rewrite(self, terms, ctx):
        out, changed = [], False
        for edge, term in terms:
            if term.is_Mul and cheap_to_cancel(term) and sympy.denom(term) != 1:
                new = sympy.factor_terms(sympy.cancel(term))
                if _simpler(new, term):
                    out.append((edge, new))
                    changed = True
                    continue
            out.append((edge, term))
        return out if changed else None


class FusedOutputLoss:
    """dL/dZ for an output activation fused with its loss: one :data:`~symprop.registry.fused.FUSED` entry.

    ``Z`` feeds only ``A = f(Z)``, which feeds only the loss of ``A`` and the
    input targets ``Y``: dL/dZ is ``scale/m (A - Y)``, or, where ``totals``
    and ``Y`` is not one-hot, ``1/m (A o (1 1^T Y) - Y)``.
    """

    forms = MATRIX

    def __init__(self, key):
        self.key = key

    @property
    def name(self) -> str:
        return FUSED[self.key].title

    def rewrite(self, terms, ctx):
        after = fused_output(ctx.graph, ctx.node, self.key)
        return None if after is None else [(None, after)]


def fused_output(graph, node, key):
    """dL/d``node`` by the fused rule ``key`` when ``node`` feeds only an output activation
    of that name feeding only that loss, else None."""
    from .matrix_rules import activation_name

    users = [e.child for e in graph.out_edges(node)]
    if len(users) != 1 or graph.kind(users[0]) != "node":
        return None
    activation = users[0]
    if getattr(graph.expr(activation), "arg", None) != node:
        return None
    loss = graph.expr(graph.loss_symbol)
    if ([e.child for e in graph.out_edges(activation)] != [graph.loss_symbol]
            or loss.outputs != activation or graph.kind(loss.targets) != "input"
            or (activation_name(graph.expr(activation)), loss.name) != key):
        return None
    rule, A, Y, m = FUSED[key], activation, loss.targets, graph.batch
    if rule.totals and Y not in graph.one_hot_targets:  # each column's total weighs it
        A = ops.hadamard(A, ops.matmul(OneMatrix(Y.shape[0], Y.shape[0]), Y))
    return ops.scale(rule.scale / m, ops.add(A, -Y))


RULES = (SigmoidCrossEntropy(), SoftmaxCrossEntropy(), OneHotTargets(),
         CommonFactor(), Cancellation(), *map(FusedOutputLoss, FUSED))


def adjoint_symbol(graph, node) -> sympy.Symbol:
    """The symbol standing for dL/dnode in local forms: ``dL_dz`` for loss L, node z.

    Never a declared name: where the graph declares ``dL_dz`` itself (an input,
    say), the adjoint of z is ``dL_dz_``, so that no local form confuses the two.
    Shaped as the node (a ``MatrixSymbol`` in a matrix graph).

    >>> import sympy
    >>> from symprop import Graph
    >>> g = Graph(); x, t = g.inputs("x dL_dz"); w = g.params("w")
    >>> z = g.node("z", w*x); L = g.loss("L", (z - t)**2)
    >>> adjoint_symbol(g, z), adjoint_symbol(g, w)
    (dL_dz_, dL_dw)
    """
    name = graph._cached("adjoint_names", lambda: _adjoint_names(graph))[node.name]
    return graph._make_symbol(name, getattr(node, "shape", None))


def _adjoint_names(graph) -> dict:
    """``{node name: adjoint name}``, unique and distinct from every declared name."""
    declared = set(graph.namespace())
    natural = {n.name: f"d{graph.loss_symbol}_d{n}" for n in graph.symbols}
    names = {n: a for n, a in natural.items() if a not in declared}
    taken = declared | set(names.values())
    for node, name in natural.items():
        if node not in names:
            while name in taken:
                name += "_"
            names[node] = name
            taken.add(name)
    return names


def simplify_terms(graph, node, terms, adjoint, rules=RULES):
    """Apply the ``rules`` of the graph's form in turn to one adjoint's terms.

    Returns ``(expr, [Step], final_terms)``; a final term is still
    ``(edge, edge.pullback(adjoint[child]))`` when no rule touched it.
    """
    ctx, add = Context(graph, node, adjoint), graph.form.add
    terms, steps = list(terms), []
    pristine = {id(t): e for e, t in terms if e is not None}

    def local(pairs):  # a term no rule touched is written with its child's adjoint symbol
        return add(*(e.pullback(_symbol(graph, e.child))
                     if e is not None and pristine.get(id(t)) is e else t for e, t in pairs))

    for rule in rules:
        new = graph.form.name in rule.forms and rule.rewrite(terms, ctx)
        if new:
            before, before_local = add(*(t for _, t in terms)), local(terms)
            terms = new
            steps.append(Step(rule.name, node, before, add(*(t for _, t in terms)),
                              before_local, local(terms)))
    return add(*(t for _, t in terms)), steps, terms


def _symbol(graph, node):
    """dL/dnode's symbol in local forms; dL/dL = 1, which local forms multiply by silently."""
    return sympy.Integer(1) if node == graph.loss_symbol else adjoint_symbol(graph, node)


def simplify_adjoints(graph, rules=RULES) -> Adjoints:
    """Reverse accumulation with every adjoint simplified locally as it is formed."""
    local, symbol, steps = {}, {graph.loss_symbol: sympy.Integer(1)}, {}
    local[graph.loss_symbol] = sympy.Integer(1)

    def combine(node, terms, adjoint):
        expr, steps[node], final = simplify_terms(graph, node, terms, adjoint, rules)
        local[node] = steps[node][-1].local_after if steps[node] else graph.form.add(
            *(e.pullback(symbol[e.child]) for e, _ in terms))
        symbol[node] = adjoint_symbol(graph, node)
        return expr

    accumulated = reverse_accumulate(graph, combine)
    return Adjoints(accumulated.adjoint, accumulated.order, local, symbol, steps)


def tidy_closed_form(expr):
    """Closed-form clean-ups that hold everywhere: ``step(relu(u)) = step(u)``."""
    return expr.replace(
        lambda e: isinstance(e, sympy.Heaviside) and isinstance(e.args[0], (relu, leaky_relu)),
        lambda e: step(e.args[0].args[0]))


__all__ = ["RULES", "Step", "simplify_adjoints", "simplify_terms",
           "adjoint_symbol", "is_small", "tidy_closed_form", "FusedOutputLoss", "fused_output"]
