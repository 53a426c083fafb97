"""The backward pass of a generated module: which adjoints it computes, how, and why.

One :class:`AdjointLine` per node that reaches the loss, loss end first: either
``dL_d<node> = <local form>`` with the chain-rule step it does as a comment, or
(when no gradient needs that adjoint) only a comment saying why.

>>> from symprop import Graph, sigmoid
>>> import sympy
>>> g = Graph(); x, y = g.inputs("x y"); w = g.params("w")
>>> z = g.node("z", w*x); a = g.node("a", sigmoid(z))
>>> L = g.loss("L", -y*sympy.log(a) - (1 - y)*sympy.log(1 - a))
>>> for line in plan_backward(g).lines:
...     print(line.variable, "|", line.expr, "|", line.comment)
None | None | dL/da is not needed: merged into dL/dz by the sigmoid with binary cross-entropy rule
dL_dz | a - y | dL/dz = da/dz * dL/da (sigmoid with binary cross-entropy)
dL_dw | dL_dz*x | dL/dw = dz/dw * dL/dz
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..registry.functions import sigmoid
from ..derive.simplify import is_small


@dataclass(frozen=True)
class AdjointLine:
    """``variable = expr  # comment``; ``variable`` and ``expr`` are None when not needed."""

    node: sympy.Symbol
    variable: str | None
    expr: sympy.Expr | None
    comment: str


@dataclass(frozen=True)
class BackwardPlan:
    """The backward pass: ``lines`` loss end first; ``gradient[param]`` the variable
    holding dL/dparam (None for a parameter with no path to the loss);
    ``inputs_of[variable]`` the inputs its value depends on (for broadcasting)."""

    lines: tuple[AdjointLine, ...]
    gradient: dict
    adjoint_variables: frozenset
    inputs_of: dict


def adjoint_variables(graph, adjoints) -> dict:
    """``{node: its adjoint's variable}``: ``dL_d<node>`` (never a declared name); the loss's is 1."""
    variables = {node: adjoints.symbol[node] for node in adjoints.order[1:]}
    variables[graph.loss_symbol] = sympy.Integer(1)
    return variables


def chain_rule_comment(graph, adjoints, node, fused=()) -> str:
    """``dL/dz = dyhat/dz * dL/dyhat (rule)``: the step a backward line does.

    A child in ``fused`` passes its adjoint on through its logit (see
    :func:`fuse_sigmoid_logits`), and the step says so.
    """
    loss = graph.loss_symbol
    children = [e.child for e in graph.out_edges(node) if e.child in adjoints.adjoint]
    steps = [f"d(logit of {c})/d{node} * d{loss}/d(logit of {c})" if c in fused
             else f"d{c}/d{node} * d{loss}/d{c}" for c in children if c != loss]
    if loss not in children:
        text = f"d{loss}/d{node} = " + " + ".join(steps)
    elif steps:
        own = "its weight decay" if node in getattr(graph.expr(loss), "weights", ()) else \
            f"{loss}'s own use of {node}"
        text = f"d{loss}/d{node} = " + " + ".join(steps) + f" + ({own})"
    else:
        text = f"d{loss}/d{node}: {loss} differentiated with respect to {node}"
    rules = [a.rule for a in adjoints.steps.get(node, ())]
    return text + (f" ({', '.join(rules)})" if rules else "")


def needed_adjoints(graph, adjoints, forms, variables) -> set:
    """The nodes whose adjoint some parameter's gradient uses (parameters included)."""
    needed = {n for n in adjoints.order[1:] if graph.kind(n) == "parameter"}
    node_of = {v: c for c, v in variables.items()}
    for node in reversed(adjoints.order[1:]):  # far end first: users before what they use
        if node in needed:
            needed.update(node_of[v] for v in forms[node].free_symbols if v in node_of)
    return needed


def unneeded_comment(graph, adjoints, node, needed, forms, variables) -> str:
    """Why a node's adjoint gets no variable: a rule merged it away, or nothing uses it."""
    loss = graph.loss_symbol
    merged, rules = [], []
    for edge in graph.in_edges(node):
        parent = edge.parent
        applied = [a.rule for a in adjoints.steps.get(parent, ())]
        if parent in needed and applied and variables[node] not in forms[parent].free_symbols:
            merged.append(f"d{loss}/d{parent}")
            rules.extend(r for r in applied if r not in rules)
    if merged:
        return (f"d{loss}/d{node} is not needed: merged into {', '.join(merged)} "
                f"by the {' and '.join(rules)} rule")
    return f"d{loss}/d{node} is not needed: no parameter's gradient goes through {node}"


def dependencies(graph) -> dict:
    """``{symbol: frozenset of inputs}`` its forward value depends on."""
    deps = {s: frozenset([s]) for s in graph.input_symbols}
    deps.update({s: frozenset() for s in graph.param_symbols})
    for node in graph.node_symbols:
        deps[node] = frozenset().union(*(deps.get(s, frozenset()) for s in graph.expr(node).free_symbols))
    return deps


def _divides_by(expr, symbol) -> bool:
    return any(p.exp.is_negative and p.base.has(symbol) for p in expr.atoms(sympy.Pow))


def fuse_sigmoid_logits(graph, adjoints, forms, variables, taken) -> dict:
    """Where ``a = sigmoid(u)`` and dL/da divides by ``a`` or ``1 - a``, compute dL/du instead.

    A log loss written out by hand over a sigmoid of a compound logit (``a =
    sigmoid(w*x)``) is outside the textbook rule, which needs the logit as a
    node, so its adjoint ``-y/a + (1 - y)/(1 - a)`` divides by zero once ``a``
    rounds to 1 (logits of 37 and more).  ``a (1 - a) dL/da`` cancels to a form
    free of those divisions (``a - y``), and every parent of ``a`` multiplies
    ``dL/da`` by exactly ``a (1 - a)`` (the sigmoid's derivative), so the parents
    use it instead.  Changes ``forms`` and ``variables`` in place; returns
    ``{node: comment}`` for the fused lines.

    >>> from symprop import Graph, sigmoid
    >>> g = Graph(); x, y = g.inputs("x y"); w = g.params("w")
    >>> a = g.node("a", sigmoid(w*x)); L = g.loss("L", -y*sympy.log(a) - (1 - y)*sympy.log(1 - a))
    >>> [(line.variable, line.expr) for line in plan_backward(g).lines]
    [('dL_da_logit', a - y), ('dL_dw', dL_da_logit*x)]
    """
    fused, taken = {}, set(taken) | {v.name for v in variables.values() if v.is_Symbol}
    for node in adjoints.order[1:]:
        if not isinstance(graph.expr(node), sigmoid) or not is_small(forms[node]):
            continue
        if not _divides_by(forms[node], node):
            continue
        logit = sympy.factor_terms(sympy.cancel(node * (1 - node) * forms[node]))
        if _divides_by(logit, node):
            continue
        name = f"{variables[node].name}_logit"
        while name in taken:
            name += "_"
        new = sympy.Symbol(name)
        back = {variables[node]: new / (node * (1 - node))}
        parents = {e.parent for e in graph.in_edges(node)
                   if e.parent in forms and variables[node] in forms[e.parent].free_symbols}
        if not parents:
            continue  # a textbook rule already merged this adjoint away
        rewritten = {p: forms[p].xreplace(back) for p in parents}
        if any(_divides_by(f, node) for f in rewritten.values()):
            continue  # a parent does not carry the sigmoid's derivative as a factor
        taken.add(name)
        forms.update(rewritten)
        forms[node] = logit
        variables[node] = new
        loss = graph.loss_symbol
        fused[node] = (f"d{loss}/d(logit of {node}) = {node}*(1 - {node}) * d{loss}/d{node}, "
                       f"cancelled: finite for large logits")
    return fused


def plan_backward(graph, taken=()) -> BackwardPlan:
    """The backward pass for ``graph``; ``taken``: names the variables must avoid."""
    adjoints = graph.adjoints()
    variables = adjoint_variables(graph, adjoints)
    forms = {node: adjoints.local[node] for node in adjoints.order[1:]}
    fused = fuse_sigmoid_logits(graph, adjoints, forms, variables,
                                set(taken) | set(graph.namespace()))
    needed = needed_adjoints(graph, adjoints, forms, variables)
    inputs_of = dependencies(graph)
    lines = []
    for node in adjoints.order[1:]:
        if node not in needed:
            lines.append(AdjointLine(node, None, None,
                                     unneeded_comment(graph, adjoints, node, needed, forms,
                                                      variables)))
            continue
        var = variables[node]
        inputs_of[var] = frozenset().union(*(inputs_of.get(s, frozenset())
                                             for s in forms[node].free_symbols))
        lines.append(AdjointLine(node, var.name, forms[node],
                                 fused.get(node)
                                 or chain_rule_comment(graph, adjoints, node, fused)))
    # Later lines use earlier variables, so the loop above fills inputs_of in time.
    gradient = {p: (variables[p].name if p in variables else None) for p in graph.param_symbols}
    used = frozenset(variables[n] for n in needed)
    return BackwardPlan(tuple(lines), gradient, used, inputs_of)


__all__ = ["AdjointLine", "BackwardPlan", "plan_backward", "chain_rule_comment"]
