"""Textbook simplification of adjoints, rule by rule, always local.

Each adjoint dL/dv is formed from its terms ``(dc/dv) * dL/dc``, one per edge
``v -> c``.  Small rule objects rewrite those terms the way a textbook does
(``sigmoid with binary cross-entropy`` turns ``a(1-a)(-y/a + (1-y)/(1-a))``
into ``a - y``) and every rewrite is recorded, so a derivation can show it as a
named step.  Rules only ever look at small expressions (:func:`is_small`):
``sympy.simplify`` of a whole gradient does not terminate in practice.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph(); x, y = g.inputs("x y"); w = g.params("w")
>>> z = g.node("z", w*x); a = g.node("a", sigmoid(z))
>>> L = g.loss("L", -y*sympy.log(a) - (1 - y)*sympy.log(1 - a))
>>> s = simplify_adjoints(g)
>>> s.adjoint[z], [r.rule for r in s.applied[z]]
(a - y, ['sigmoid with binary cross-entropy'])
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

import sympy

from .backprop import accumulation_terms, reverse_accumulate
from ..registry.functions import leaky_relu, relu, sigmoid, softmax, step

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
    leaves, memo = leaves or {}, {} if memo is None else memo
    stack = [expr]
    while stack:  # iterative: a node nested 1,000 deep must not hit the recursion limit
        e = stack[-1]
        if id(e) in memo:
            stack.pop()
            continue
        if e.is_Symbol and e in leaves:
            memo[id(e)] = (e, leaves[e])
            stack.pop()
            continue
        pending = [a for a in e.args if id(a) not in memo]
        if pending:
            stack.extend(pending)
            continue
        memo[id(e)] = (e, 1 + sum(memo[id(a)][1] for a in e.args))  # e kept: ids stay unique
        stack.pop()
    return memo[id(expr)][1]


def substitute(expr, mapping, memo=None):
    """``expr.xreplace(mapping)`` for a ``{Symbol: Expr}`` mapping, each shared subexpression once.

    ``xreplace`` walks the tree, so on a deep network's DAG it takes time
    growing with the number of paths; this rebuilds each distinct
    subexpression once.

    >>> x, y = sympy.symbols("x y")
    >>> substitute(sympy.sin(x) + x*y, {x: y + 1})
    y*(y + 1) + sin(y + 1)
    """
    memo = {} if memo is None else memo
    stack = [expr]
    while stack:
        e = stack[-1]
        if id(e) in memo:
            stack.pop()
            continue
        if e.is_Symbol or not e.args:
            memo[id(e)] = (e, mapping.get(e, e) if e.is_Symbol else e)
            stack.pop()
            continue
        pending = [a for a in e.args if id(a) not in memo]
        if pending:
            stack.extend(pending)
            continue
        args = [memo[id(a)][1] for a in e.args]
        changed = any(new is not old for new, old in zip(args, e.args))
        memo[id(e)] = (e, e.func(*args) if changed else e)
        stack.pop()
    return memo[id(expr)][1]


@dataclass(frozen=True)
class Applied:
    """One rewrite: ``rule`` turned the adjoint of ``node`` from ``before`` into ``after``.

    ``before`` and ``after`` are written in node values (every adjoint
    inlined); ``local_before`` and ``local_after`` are the same written with
    the children's adjoint symbols (``dL_dz``) wherever a term was not
    rewritten, bounded however deep the network: what a printer shows when
    the inlined forms are large.
    """

    rule: str
    node: sympy.Symbol
    before: sympy.Expr
    after: sympy.Expr
    local_before: sympy.Expr | None = None
    local_after: sympy.Expr | None = None


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

    name = "sigmoid with binary cross-entropy"

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

    name = "softmax with cross-entropy"

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

    name = "one-hot targets"

    def rewrite(self, terms, ctx):
        groups = {sympy.Add(*group): sympy.Integer(1) for group in ctx.graph.one_hot_groups}
        if not groups:
            return None
        out = [(e, t.xreplace(groups) if is_small(t) else t) for e, t in terms]
        return out if out != list(terms) else None


class CommonFactor:
    """Pull a common numeric factor out of a sum: ``2a - 2y = 2(a - y)``."""

    name = "common factor"

    def rewrite(self, terms, ctx):
        out = [(e, sympy.factor_terms(t) if t.is_Add and is_small(t) else t) for e, t in terms]
        return out if out != list(terms) else None


class Cancellation:
    """Cancel a small rational term when that makes it shorter."""

    name = "cancellation"

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


RULES = (SigmoidCrossEntropy(), SoftmaxCrossEntropy(), OneHotTargets(),
         CommonFactor(), Cancellation())


@dataclass
class SimplifiedAdjoints:
    """Simplified adjoints of every node reaching the loss.

    ``adjoint[v]``: dL/dv in node values (everything inlined).
    ``local[v]``: the same, written with the children's adjoint symbols
    ``symbol[c]`` (``dL_dc``) wherever no rule merged a term, the form a
    backward pass computes line by line.
    ``applied[v]``: the textbook rules used at ``v``.  ``order``: loss first.
    """

    adjoint: dict = field(default_factory=dict)
    local: dict = field(default_factory=dict)
    symbol: dict = field(default_factory=dict)
    applied: dict = field(default_factory=dict)
    order: tuple = ()


def adjoint_symbol(graph, node) -> sympy.Symbol:
    """The symbol standing for dL/dnode in local forms: ``dL_dz`` for loss L, node z.

    Never a declared name: where the graph declares ``dL_dz`` itself (an input,
    say), the adjoint of z is ``dL_dz_``, so that no local form confuses the two.

    >>> import sympy
    >>> from symprop import Graph
    >>> g = Graph(); x, t = g.inputs("x dL_dz"); w = g.params("w")
    >>> z = g.node("z", w*x); L = g.loss("L", (z - t)**2)
    >>> adjoint_symbol(g, z), adjoint_symbol(g, w)
    (dL_dz_, dL_dw)
    """
    return sympy.Symbol(graph._cached("adjoint_names", lambda: _adjoint_names(graph))[node.name])


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
    """Apply ``rules`` in turn to one adjoint's terms.

    Returns ``(expr, [Applied], final_terms)``; a final term is still
    ``(edge, partial * adjoint[child])`` when no rule touched it.
    """
    ctx = Context(graph, node, adjoint)
    terms, applied = list(terms), []
    pristine = {id(t): e for e, t in terms if e is not None}

    def local(pairs):  # a term no rule touched is written with its child's adjoint symbol
        return sympy.Add(*(
            e.partial * (sympy.Integer(1) if e.child == graph.loss_symbol
                         else adjoint_symbol(graph, e.child))
            if e is not None and pristine.get(id(t)) is e else t
            for e, t in pairs))

    for rule in rules:
        new = rule.rewrite(terms, ctx)
        if new is not None:
            before, before_local = sympy.Add(*(t for _, t in terms)), local(terms)
            terms = new
            applied.append(Applied(rule.name, node, before, sympy.Add(*(t for _, t in terms)),
                                   before_local, local(terms)))
    return sympy.Add(*(t for _, t in terms)), applied, terms


def simplify_adjoints(graph, rules=RULES) -> SimplifiedAdjoints:
    """Reverse accumulation with every adjoint simplified locally as it is formed."""
    result = SimplifiedAdjoints()

    # dL/dL = 1: local forms multiply by it silently.
    result.symbol[graph.loss_symbol] = sympy.Integer(1)
    result.local[graph.loss_symbol] = sympy.Integer(1)

    def combine(node, terms, adjoint):
        expr, applied, final = simplify_terms(graph, node, terms, adjoint, rules)
        pristine = {(edge, term) for edge, term in terms}
        result.local[node] = sympy.Add(*(
            edge.partial * result.symbol[edge.child] if (edge, term) in pristine else term
            for edge, term in final))
        result.symbol[node] = adjoint_symbol(graph, node)
        result.applied[node] = applied
        return expr

    accumulated = reverse_accumulate(graph, combine)
    result.adjoint = accumulated.adjoint
    result.order = accumulated.order
    return result


def tidy_closed_form(expr):
    """Closed-form clean-ups that hold everywhere: ``step(relu(u)) = step(u)``."""
    return expr.replace(
        lambda e: isinstance(e, sympy.Heaviside) and isinstance(e.args[0], (relu, leaky_relu)),
        lambda e: step(e.args[0].args[0]))


__all__ = ["RULES", "SimplifiedAdjoints", "simplify_adjoints", "simplify_terms", "adjoint_symbol",
           "is_small", "cheap_to_cancel", "expanded_terms", "tree_size", "substitute",
           "tidy_closed_form", "accumulation_terms"]
