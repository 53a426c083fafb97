"""Why a claimed gradient is wrong, in a sentence a student can act on.

Each explanation is a precise numeric identity checked at the same
high-precision random points as the verdict (:class:`symprop.verify.verdict.Points`):
the claim equals the gradient times one of the factors of the table of typical
mistakes both forms share (:data:`MISTAKES`: -1, 2, 1/2, m or 1/m); or times or divided by
one local partial of the graph; or with an activation's derivative replaced by what
students write for it (the activation itself, the derivative in the wrong variable, the
logistic's for tanh's); or with weights' indices swapped (w_kj for w_jk); or the sum over a subset of the chain-rule
paths (some left out, counted twice or with the wrong sign), or one path's term with a
factor left out (a weight missing on one path); or the gradient
with respect to another parameter, or of an intermediate node.

>>> import sympy

from .targets import derivation
>>> from symprop import Graph
>>> g = Graph(); x = g.params("x")
>>> gx = g.node("g", 3*x + 1); h = g.node("h", x**2)
>>> f = g.loss("f", h*gx - sympy.sin(h))
>>> from symprop.verify.points import Points
>>> claim = 3*h
>>> diagnose(g, x, claim, g.derive(x).result, Points(g, [claim]))
'the chain-rule path x -> h -> f (its term 2*x*(g - cos(h))) is missing'
"""
from __future__ import annotations

import re
from itertools import combinations, product

import sympy

from .targets import derivation

SAME = sympy.Float("1e-25")      # relative agreement at 50 digits, after a few products
SCREEN = 1e-9                    # double-precision screen before the high-precision check
MAX_PATHS = 200                  # beyond this many paths the path and factor checks are skipped
MAX_SIGNED_PATHS, MAX_SUBSET_PATHS = 6, 12

SCALAR, MATRIX = "scalar", "matrix"
BOTH = (SCALAR, MATRIX)
M = sympy.Symbol("m")    # the batch size, in a factor
_ONE_EXAMPLE = "; the loss here is one example's, not a mean over a batch of m"
# The one table of the typical mistakes that leave a claim a multiple of the truth
# (claim = factor * truth), each with the forms it is looked for in: "scalar" (a loss
# of one example, where an m in a claim is one too many) and "matrix" (a mean over
# the batch's m columns, whose 1/m a claim may drop).  The structural mistakes (a
# transpose, a dropped local factor such as f'(z) for a(1 - a), a chain-rule path,
# another parameter's gradient) are looked for by each form's own code.
MISTAKES = (
    (sympy.S(-1), "sign error: {this} is the negative of {that}", BOTH),
    (sympy.S(2), "a factor 2 too many: {this} is twice {that}", BOTH),
    (sympy.S.Half, "a factor 2 is missing: {this} is half {that}", BOTH),
    (sympy.S(-2), "sign error and a factor 2 too many: {this} is -2 times {that}", BOTH),
    (-sympy.S.Half, "sign error and a factor 2 missing: {this} is -1/2 times {that}", BOTH),
    (1 / M, "an extra factor 1/m: {this} is {that} divided by m" + _ONE_EXAMPLE, (SCALAR,)),
    (M, "an extra factor m: {this} is m times {that}", (SCALAR,)),
    (-1 / M, "sign error and an extra factor 1/m: {this} is {that} divided by m"
     + _ONE_EXAMPLE, (SCALAR,)),
    (-M, "sign error and an extra factor m: {this} is m times {that}", (SCALAR,)),
    (M, "the 1/m of the batch mean is missing: {this} is m times {that}", (MATRIX,)),
    (1 / M, "an extra 1/m: {this} is {that} divided by m once more", (MATRIX,)),
)


def factor_mistake(form, matches, ms=None, this="the claim", that="the gradient"):
    """The sentence of the first mistake of ``form`` whose factor ``matches``.

    ``matches(at)`` gets ``at(i)``, the factor at point ``i`` (whose batch size
    is ``ms[i]``; without ``ms`` only the constant factors are tried).

    >>> factor_mistake(MATRIX, lambda at: at(0) == 3, ms=[3])
    'the 1/m of the batch mean is missing: the claim is m times the gradient'
    """
    for factor, sentence, forms in MISTAKES:
        if form in forms and (ms is not None or not factor.has(M)):
            if matches(lambda i, f=factor: f if ms is None else f.subs(M, ms[i])):
                return sentence.format(this=this, that=that)
    return None


class _Values:
    """A claim's and a reference's values at the usable points, and the identity test."""

    def __init__(self, points, claim, reference):
        self.points = points
        claims, references = points.evaluate(claim), points.evaluate(reference)
        self.usable = [i for i, (c, r) in enumerate(zip(claims, references))
                       if c is not None and r is not None]
        self.claim = [claims[i] for i in self.usable]
        self.reference = [references[i] for i in self.usable]

    def of(self, expr):
        values = self.points.evaluate(expr)
        return [values[i] for i in self.usable]

    def same(self, left, right) -> bool:
        if not self.usable or any(a is None or b is None for a, b in zip(left, right)):
            return False
        return all(abs(a - b) <= SAME * max(1, abs(a), abs(b)) for a, b in zip(left, right))


def _multiple(v: _Values, claim, this, that):
    """A mistake of the table: the claim is a constant, or a power of the batch size m, times the truth."""
    m = next((s for s in claim.free_symbols if s.name == "m"), None)
    return factor_mistake(SCALAR, lambda at: v.same(v.claim, [at(i) * r for i, r in
                                                              enumerate(v.reference)]),
                          None if m is None else v.of(m), this, that)


def _relevant_edges(graph, wrt):
    """``(parent, child, partial)`` along the paths from ``wrt``, one per distinct partial."""
    seen, edges = set(), []
    for path in derivation(graph, wrt).paths:
        for parent, child, partial in zip(path.nodes, path.nodes[1:], path.factors):
            if not partial.is_number and partial not in seen:
                seen.add(partial)
                edges.append((parent, child, partial))
    return edges


def _local_factor(v: _Values, graph, wrt, this):
    for parent, child, partial in _relevant_edges(graph, wrt):
        p = v.of(partial)
        name = f"d{child}/d{parent} = {partial}"
        if v.same([c * k for c, k in zip(v.claim, p)], v.reference):
            return f"the factor {name} is missing"
        if v.same(v.claim, [r * k for r, k in zip(v.reference, p)]):
            return f"{this} has an extra factor {name}"
    return None


def _confusions(graph, parent, child, partial):
    """What a student writes for the local derivative d child/d parent of an activation:
    ``(written, what it is)`` for the function's own value, the derivative written in its
    input rather than its output (1 - z^2 for 1 - a^2), and the logistic's and tanh's."""
    expr = graph.expr(child)
    if not (isinstance(expr, sympy.Function) and expr.args == (parent,)):
        return []
    found = [(child, f"the activation {child} itself, not its derivative"),
             (partial.xreplace({child: parent}), f"its derivative written in {parent}, "
                                                  f"not in {child}"),
             (child * (1 - child), "the logistic's derivative a(1 - a)"),
             (1 - child**2, "tanh's derivative 1 - a^2")]
    return [(w, why) for w, why in found if sympy.expand(w - partial) != 0]


def _wrong_local(v: _Values, graph, wrt, this):
    """The claim with one activation's derivative replaced by a typical confusion."""
    for parent, child, partial in _relevant_edges(graph, wrt):
        for written, why in _confusions(graph, parent, child, partial):
            if v.same([c * k for c, k in zip(v.claim, v.of(partial))],
                      [r * w for r, w in zip(v.reference, v.of(written))]):
                return (f"the factor d{child}/d{parent} is {partial}, but {this} has {written} "
                        f"in its place: {why}")
    return None


_WEIGHT = re.compile(r"w(\d+)_(\d+)_(\d+)")


def _swapped_indices(v: _Values, graph, truth, this):
    """The claim is the gradient with weights' indices swapped: one w_{jk} written w_{kj}, or a
    whole layer's (a missing transpose, written in components)."""
    names = {s.name: s for s in graph.param_symbols}
    twins = {}
    for symbol in sorted(truth.free_symbols & set(graph.param_symbols), key=str):
        if (m := _WEIGHT.fullmatch(symbol.name)) and m.group(2) != m.group(3):
            twin = names.get(f"w{m.group(1)}_{m.group(3)}_{m.group(2)}")
            if twin is not None:
                twins[symbol] = twin
    layers = {}
    for symbol, twin in twins.items():
        layers.setdefault(_WEIGHT.fullmatch(symbol.name).group(1), {})[symbol] = twin
    for layer, swaps in sorted(layers.items()):      # a whole layer first: the larger slip
        every = {**swaps, **{t: s for s, t in swaps.items()}}
        if len(swaps) > 1 and v.same(v.claim, v.of(truth.xreplace(every))):
            return (f"the weights of layer {layer} have their indices swapped: {this} has "
                    f"w_kj where w_jk belongs (a transpose missing, in components)")
    for symbol, twin in twins.items():
        if v.same(v.claim, v.of(truth.xreplace({symbol: twin, twin: symbol}))):
            return (f"the weight {symbol} is written with its indices swapped: {this} has "
                    f"{twin} where the gradient has {symbol}")
    return None


def _paths(v: _Values, graph, wrt):
    paths = derivation(graph, wrt).paths
    n = len(paths)
    if n < 2 or n > MAX_SUBSET_PATHS:
        return None
    terms = [v.of(p.product) for p in paths]
    floats = [[float(t) for t in term] for term in terms]
    claim = [float(c) for c in v.claim]
    options = (0, 2, -1) if n <= MAX_SIGNED_PATHS else (0,)
    for k in range(1, n + 1):
        for where in combinations(range(n), k):
            for changed in product(options, repeat=k):
                weights = [1] * n
                for i, w in zip(where, changed):
                    weights[i] = w
                screen = [sum(w * f[j] for w, f in zip(weights, floats)) for j in range(len(claim))]
                if any(abs(s - c) > SCREEN * max(1, abs(c)) for s, c in zip(screen, claim)):
                    continue
                exact = [sum(w * t[j] for w, t in zip(weights, terms)) for j in range(len(claim))]
                if v.same(exact, v.claim):
                    return _path_sentence(paths, weights)
    return None


def _path_factor(v: _Values, graph, wrt, this):
    """One chain-rule path's term with one of its local factors left out (a weight missing
    on one path of several, say): the claim is the path sum with that term so changed."""
    paths = derivation(graph, wrt).paths
    if not 2 <= len(paths) <= MAX_SUBSET_PATHS:
        return None
    terms = [v.of(p.product) for p in paths]
    total = [sum(t[j] for t in terms) for j in range(len(v.claim))]
    for path, term in zip(paths, terms):
        for parent, child, factor in zip(path.nodes, path.nodes[1:], path.factors):
            values = [] if factor.is_number else v.of(factor)
            if not values or any(k is None or k == 0 for k in values):
                continue
            if v.same([s - t + t / k for s, t, k in zip(total, term, values)], v.claim):
                return (f"on the chain-rule path {path}, the factor d{child}/d{parent} = "
                        f"{factor} is missing: {this} has that path's term without it")
    return None


def _path_sentence(paths, weights):
    said = []
    for weight, verb in ((0, "missing"), (2, "counted twice"), (-1, "added with the wrong sign")):
        chosen = [p for p, w in zip(paths, weights) if w == weight]
        if chosen:
            names = "; ".join(f"{p} (its term {sympy.factor_terms(p.product)})" for p in chosen)
            plural = "paths" if len(chosen) > 1 else "path"
            said.append(f"the chain-rule {plural} {names} {'are' if len(chosen) > 1 else 'is'} "
                        f"{verb}")
    return ", and ".join(said)


def _other_gradient(v: _Values, graph, wrt):
    adjoints = graph.adjoints().symbol    # dL_dz: its value at each point is known, however large
    for symbol in graph.param_symbols + graph.node_symbols:
        if symbol == wrt or symbol == graph.loss_symbol or symbol not in adjoints:
            continue
        if v.same(v.claim, v.of(adjoints[symbol])):
            loss = graph.loss_symbol
            if symbol in graph.param_symbols:
                return f"the claim is d{loss}/d{symbol}, the gradient with respect to {symbol}, not {wrt}"
            return (f"the claim is d{loss}/d{symbol}: the chain rule stops at {symbol} "
                    f"before reaching {wrt}")
    return None


def diagnose(graph, wrt, claim, truth, points) -> str:
    """A sentence saying why ``claim`` is not ``truth`` = dL/d``wrt`` (both in node values)."""
    v = _Values(points, claim, truth)
    this, that = "the claim", "the gradient"
    structural = derivation(graph, wrt).path_count <= MAX_PATHS
    found = (_multiple(v, claim, this, that)
             or (structural and (_local_factor(v, graph, wrt, this)
                                 or _wrong_local(v, graph, wrt, this)
                                 or _swapped_indices(v, graph, truth, this)
                                 or _paths(v, graph, wrt)
                                 or _path_factor(v, graph, wrt, this)))
             or _other_gradient(v, graph, wrt))
    return found or ("the claim is not the gradient, and no single sign, factor 2 or 1/m, local "
                     "partial or chain-rule path explains the difference; compare the two at "
                     "the counterexample point")


def diagnose_step(graph, wrt, line, previous, truth, points, previous_is_truth: bool) -> str:
    """Why ``line`` does not equal the line before it."""
    if previous_is_truth:
        return diagnose(graph, wrt, line, truth, points)
    v = _Values(points, line, previous)
    this, that = "this line", "the line before"
    found = _multiple(v, line, this, that)
    if not found and derivation(graph, wrt).path_count <= MAX_PATHS:
        found = _local_factor(v, graph, wrt, this)
        if found and found.startswith("the factor"):
            found = found.replace("is missing", "is dropped")
    return found or "the two lines differ (see the counterexample point)"
