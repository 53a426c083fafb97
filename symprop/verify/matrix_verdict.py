r"""Verdicts on hand derivations in matrix form: is ``\frac{1}{m}(P - Y) A_1^{\top}`` dL/dW2?

A claim is read by :mod:`symprop.parse.matrix_latex`, which keeps the order of
matrix products (``A_1^{\top}(P - Y)`` is not ``(P - Y)A_1^{\top}``) and says when
two operands' shapes do not fit; it is read, and refused if it must be, before
anything is derived.  Node values (``Z_1``, ``A_1``, ``P``) and adjoints (``dZ_2``)
take their true values, and the claim is judged as a scalar one is
(:func:`symprop.verify.verdict.judge`) at exact rational points of two batch sizes
(:mod:`symprop.verify.matrix_points`).  A wrong claim gets a reason: its shape, a
sign, a factor, ``1/m``, a transpose, another parameter's gradient, a missing
activation derivative, or the first entry that differs.

>>> from symprop import matrix_mlp
>>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> g.set_latex("A2", "P")
>>> bool(g.verify("W2", r"\frac{1}{m}(P - Y) A_1^{\top}"))
True
>>> g.verify("W2", r"(P - Y) A_1^{\top}").diagnosis
'the 1/m of the batch mean is missing: the claim is m times the gradient'
"""
from __future__ import annotations

import math
from dataclasses import replace
from itertools import combinations

import numpy as np
import sympy
from sympy import HadamardPower, HadamardProduct

from ..ir import matrix_ops as ops
from ..ir.matrix_ops import shape_of
from ..parse.matrix_names import with_article
from .diagnose import MATRIX, factor_mistake
from .matrix_points import BATCHES, matrix_points
from .conventions import preset, scale
from .readings import Reading, used_adjoints
from .targets import derivation, target
from .verdict import Step, Verdict, as_written, compare, judge, restated
from ..derive.simplify import adjoint_symbol
from ..latex.matrix_printer import matrix_latex

RTOL = 1e-9     # the diagnosis's float64 tests: |claim - truth| <= RTOL * max(|truth|, 1)


# ------------------------------------------------------------------ values as floats
def _floats(points, expr) -> list[np.ndarray]:
    """``expr`` at every point as float64 arrays of its shape, NaN where it is not a finite real."""
    return [points.as_floats(value, expr, v["m"])
            for value, v in zip(points.evaluate(expr), points.values)]


def _close(a, b) -> bool:
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and bool(
        np.abs(a - b).max(initial=0.0) <= RTOL * max(np.abs(b).max(initial=0.0), 1.0))


def _shape_text(shape) -> str:
    return "×".join(map(str, shape)) if shape else "a number"


# ------------------------------------------------------------------ why a claim is wrong
def diagnose(graph, wrt, claims, truths, others, scalars=None) -> str:
    """One sentence: why the values ``claims`` are not ``truths`` (both one array per point).

    ``scalars``: the scalar vertices' values at each point (``{symbol: [float, ...]}``), to
    tell a scalar factor missing or one too many.
    """
    name = graph.latex_name(wrt)
    if not truths[0].shape and all(c.ndim == 2 and c.shape[0] == c.shape[1] and
                                   _close(np.trace(c), t) for c, t in zip(claims, truths)):
        return (f"the claim is {_claim_shape(claims)} whose trace is the "
                f"gradient: {name} is a number; take the trace, \\operatorname{{tr}}(...)")
    if truths[0].ndim == 2 and all(c.shape == t.T.shape and _close(c, t.T)
                                   for c, t in zip(claims, truths)):
        shapes = "" if claims[0].shape == truths[0].shape else \
            f" ({_shape_text(claims[0].shape)}, not {name}'s {_shape_text(truths[0].shape)})"
        return f"the claim is the transpose of the gradient{shapes}: swap the order of the product"
    # Every point counts: at m = 3 an m×5 claim has the shape of a 3×5 gradient.
    if any(c.shape != t.shape for c, t in zip(claims, truths)):
        return (f"the claim is {_claim_shape(claims)}, but a gradient has its parameter's shape: "
                f"{name} is {_shape_text(truths[0].shape)}")
    for claim, truth, m in zip(claims, truths, BATCHES):
        if not np.all(np.isfinite(claim)) and np.all(np.isfinite(truth)):
            return (f"the claim is not finite at a random point with m = {m} (it overflows or "
                    "divides by zero there), and the gradient is")
    if all(not c.any() for c in claims) and any(t.any() for t in truths):
        return "the claim is zero, and the gradient is not"
    ratios = [_ratio(c, t) for c, t in zip(claims, truths)]
    if all(r is not None for r in ratios):
        found = factor_mistake(MATRIX, lambda at: all(
            np.isclose(r, float(at(i)), rtol=1e-9) for i, r in enumerate(ratios)), BATCHES)
        if found:
            return found
        found = _scalar_factor(graph, ratios, scalars or {})
        if found:
            return found
        if all(np.isclose(r, ratios[0], rtol=1e-9) for r in ratios):
            return f"the claim is {ratios[0]:.6g} times the gradient"
    for other, values in others.items():
        if all(_close(c, v) for c, v in zip(claims, values)):
            return f"the claim is the gradient with respect to {graph.latex_name(other)}, not {name}"
    return _first_difference(claims, truths)


def _claim_shape(claims) -> str:
    """``an m×2 matrix``: a side that follows the batch size is m (the points use m = 3 and 4)."""
    sides = [("m" if all(c.shape[i] == b for c, b in zip(claims, BATCHES)) else n)
             for i, n in enumerate(claims[0].shape)]
    return f"{with_article(sides)} matrix" if sides else "a number"


def _ratio(claim, truth):
    """The c with claim = c * truth, when there is one."""
    scale = float(np.sum(truth * truth))
    if scale == 0:
        return None
    c = float(np.sum(claim * truth)) / scale
    return c if _close(claim, c * truth) else None


def _scalar_factor(graph, ratios, scalars) -> str | None:
    """The sentence for a claim that is the gradient times, or over, one scalar vertex (or
    the product of two)."""
    for symbols in (*combinations(scalars, 1), *combinations(scalars, 2)):
        names = [graph.latex_name(v) for v in symbols]
        name, one = " ".join(names), len(names) == 1
        factors = f"the factor {names[0]} is" if one else f"the factors {' and '.join(names)} are"
        extra = f"an extra factor {names[0]}" if one else f"extra factors {' and '.join(names)}"
        values = [math.prod(at) for at in zip(*(scalars[v] for v in symbols))]
        if all(np.isclose(r * v, 1.0, rtol=1e-9) for r, v in zip(ratios, values)):
            return f"{factors} missing: the claim is the gradient divided by {name}"
        if all(np.isclose(r, v, rtol=1e-9) for r, v in zip(ratios, values)):
            return f"{extra}: the claim is {name} times the gradient"
    return None


def _first_difference(claims, truths) -> str:
    for claim, truth, m in zip(claims, truths, BATCHES):
        bad = np.argwhere(~np.isclose(claim, truth, rtol=RTOL, atol=RTOL))
        if len(bad):
            at = tuple(int(i) for i in bad[0])
            where = f"entry {at}" if at else "its value"
            return (f"the claim differs from the gradient: at a random point with m = {m}, "
                    f"{where} is {claim[at]:.6g} where the gradient has {truth[at]:.6g}")
    return "the claim is not finite at some points where the gradient is"


def _local_factors(graph):
    """``(node, adjoint symbol, factor)`` where dL/dnode = dL/dchild ⊙ factor: f'(Z) of an activation."""
    adjoints = graph.adjoints()
    symbols = set(adjoints.symbol.values())
    for node in adjoints.order[1:]:
        local = adjoints.local[node]
        if isinstance(local, HadamardProduct):
            incoming = [a for a in local.args if a in symbols]
            if len(incoming) == 1:
                rest = [a for a in local.args if a != incoming[0]]
                yield node, incoming[0], rest[0] if len(rest) == 1 else HadamardProduct(*rest)


def missing_factor(graph, wrt, claims, sample) -> str | None:
    """The sentence for a claim that is the gradient less one activation derivative, if it is."""
    for node, incoming, factor in _local_factors(graph):
        skipped = type(sample)(graph, overrides={node: incoming}, base=sample)
        if all(_close(c, v) for c, v in zip(claims, _floats(skipped, adjoint_symbol(graph, wrt)))):
            return (f"the factor {matrix_latex(factor, graph)} is missing: on the way back, "
                    f"{matrix_latex(adjoint_symbol(graph, node), graph)} = "
                    f"{matrix_latex(graph.adjoints().local[node], graph)}")
    return None


def wrong_factor(graph, wrt, claims, sample) -> str | None:
    """The sentence for a claim with one activation derivative written wrong: the activation
    itself in its place (relu(Z) for H(Z)), or the derivative written in Z rather than in A."""
    node_of = {s: n for n, s in graph.adjoints().symbol.items()}
    for node, incoming, factor in _local_factors(graph):
        output = node_of.get(incoming)
        if output is None:
            continue
        for written, sentence in _confusions(graph, node, output, factor):
            swapped = type(sample)(graph, overrides={node: HadamardProduct(incoming, written)},
                                   base=sample)
            values = _floats(swapped, adjoint_symbol(graph, wrt))
            if all(_close(c, v) for c, v in zip(claims, values)):
                return sentence
    return None


def _confusions(graph, node, output, factor):
    """``(written, sentence)``: what a student writes for the activation derivative ``factor``
    (of ``output`` = f(``node``)), as :func:`symprop.verify.diagnose` looks for in components:
    the activation itself, the derivative in Z rather than A, the logistic's A(1 - A) and
    tanh's 1 - A^2 mixed up, and the derivative taken twice."""
    name, out, right = (matrix_latex(e, graph) for e in (node, output, factor))
    one = sympy.OneMatrix(*output.shape)
    wrong = lambda written, why: (f"the factor {right} is written "  # noqa: E731
                                  f"{matrix_latex(written, graph)}: {why}")
    found = [(output, wrong(output, f"the activation {out} itself, not its derivative")),
             (factor.xreplace({output: node}),
              wrong(factor.xreplace({output: node}),
                    f"its derivative written in {name}, not in {out}"))]
    for written, why in ((HadamardProduct(output, one - output),
                          "the logistic's derivative A(1 - A)"),
                         (one - HadamardPower(output, 2), "tanh's derivative 1 - A^2")):
        found.append((written, wrong(written, why)))
    found.append((HadamardProduct(factor, factor),
                  f"the factor {right} is taken twice: one activation derivative too many "
                  f"on the way back through {name}"))
    return [(w, sentence) for w, sentence in found if w != factor]


def _counterexample(claims, truths) -> dict | None:
    for claim, truth, m in zip(claims, truths, BATCHES):
        if claim.shape == truth.shape and not _close(claim, truth):
            at = np.unravel_index(np.argmax(np.abs(claim - truth)), claim.shape) if claim.shape else ()
            return {"point": {"m": m, **dict(zip(("row", "column"), map(int, at)))},
                    "claim": float(claim[at]), "truth": float(truth[at]),
                    "difference": float(claim[at] - truth[at])}
    return None


# ------------------------------------------------------------------ the verdict
def verify_matrix_claim(graph, wrt, claim: str, seed: int = 0, convention=None) -> Verdict:
    r"""Check the hand derivation ``claim`` (LaTeX, one expression or a chain) of dL/d``wrt``.

    ``wrt`` is a parameter or a node (``Z1``: dZ_1); a claim of several lines has
    each checked against the quantity its left side names, read under
    ``convention`` (:mod:`symprop.verify.conventions`).

    >>> from symprop import matrix_mlp
    >>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    >>> v = verify_matrix_claim(g, "W2", r"(A_2 - Y) A_1")
    >>> v.equivalent, v.diagnosis
    (False, 'the product (A_2 - Y) A_1 multiplies a 3×m matrix by a 5×m matrix; A_1 transposed would fit')
    >>> v = verify_matrix_claim(g, "W2", r"\frac{1}{m} dZ_2 A_1^T", convention="deeplearning.ai")
    >>> bool(v), v.reading
    (True, "right under deeplearning.ai's convention, where dZ means dL/dZ of the summed cost (dZ = A - Y, no 1/m); it would not be under symprop's convention, where dZ is dL/dZ of the batch-mean cost (it carries the 1/m)")
    """
    from ..parse.matrix_latex import MatrixShapeError
    from .statements import combine, read_statements

    from ..parse.indices import bind_indices

    wrt, convention = target(graph, wrt), preset(convention)
    claim = bind_indices(claim, graph, wrt, sums=False)   # a matrix claim's sums run over the batch
    try:                              # read first: a claim refused costs no derivation
        statements = read_statements(claim, graph, wrt, lambda text: _read_line(graph, text))
    except MatrixShapeError as shapes:
        truth = derivation(graph, wrt).result
        return Verdict(wrt, False, "shapes", claim, truth, claim, _latex(graph, truth),
                       shapes.reason, convention=convention.name)
    sample = matrix_points(graph, seed)
    verdicts = [_judge_statement(graph, s, sample, convention) for s in statements]
    return combine(statements, verdicts, wrt, graph.loss_symbol, Step)


def _read_line(graph, text):
    """``(the node its left side names, or None; its steps, adjoints as dL_dZ2)`` for one line."""
    from ..parse.matrix_latex import read_matrix_derivation
    from ..parse.matrix_names import placeholder

    read = read_matrix_derivation(text, graph)
    rename = graph._cached("verify renames", lambda: {     # as matrix_names.Names.derivative
        placeholder(n): adjoint_symbol(graph, n) for n in graph.symbols if n != graph.loss_symbol})
    steps = tuple(replace(s, expr=s.expr.xreplace(rename)) for s in read.steps)
    return (target(graph, read.about[1]) if read.about is not None else None), steps


def _judge_statement(graph, statement, sample, convention) -> Verdict:
    """The verdict on one statement about dL/d(``statement.about``), read under ``convention``."""
    about, read = statement.about, statement.steps
    truth = derivation(graph, about).result
    raw = [s.expr for s in read]
    if about in read[-1].adjoints:      # dW_2 for dW_2: nothing is derived
        return restated(graph, about, raw[-1], truth, _latex)
    reading = Reading(graph, convention, about, [used_adjoints(graph, s) for s in read])
    lines = reading.normalized(convention, raw)
    others = [p for p in graph.param_symbols if p != about and shape_of(p) == shape_of(about)]

    def why():
        claims, truths = _floats(sample, lines[-1]), _floats(sample, truth)
        found = diagnose(graph, about, claims, truths,
                         {p: _floats(sample, graph.derive(p).result) for p in others},
                         _scalar_values(graph, sample))
        if found.startswith("the claim differs"):
            found = (_decay_mistake(graph, about, claims, truths, sample)
                     or missing_factor(graph, about, claims, sample)
                     or wrong_factor(graph, about, claims, sample) or found)
        return found

    def why_step(bad, previous_is_truth):
        return diagnose(graph, about, _floats(sample, lines[bad]),
                        _floats(sample, lines[bad - 1]), {}, _scalar_values(graph, sample))

    def example(comparison, left, right):
        if comparison is None or left == "line":
            return None
        return _counterexample(_floats(sample, lines[-1]), _floats(sample, truth))

    verdict = judge(graph, about, read, lines, truth, sample, _latex, why, why_step, example,
                    decided=True)
    verdict = reading.explain(verdict, raw,
                              lambda other: compare(graph, other[-1], truth, sample).equal is True)
    return as_written(graph, verdict, raw, lines, scale(graph, convention, about) * truth,
                      convention, _latex)


def _decay_mistake(graph, about, claims, truths, sample) -> str | None:
    """The sentence for a claim whose one mistake is in a weight decay's term ``c W``: left
    out, or with a factor of the factor table's (its 1/m, say)."""
    loss = graph.expr(graph.loss_symbol)
    if about not in getattr(loss, "weights", ()):
        return None
    term = ops.scale(loss.decay, about)
    shown, terms = graph.form.text(term), _floats(sample, term)   # a sentence: plain text
    written = [c - (t - d) for c, t, d in zip(claims, truths, terms)]   # the claim's own term
    if all(_close(w, np.zeros_like(w)) for w in written):
        return f"the weight decay's term {shown} is missing"
    ratios = [_ratio(w, d) for w, d in zip(written, terms)]
    if any(r is None for r in ratios):
        return None
    found = factor_mistake(MATRIX, lambda at: all(
        np.isclose(r, float(at(i)), rtol=1e-9) for i, r in enumerate(ratios)), BATCHES,
        this="the claim's weight decay term", that=shown)
    return f"in the weight decay's term: {found}" if found else None


def _scalar_values(graph, sample) -> dict:
    """Each scalar vertex's value at each point, as floats: the inputs and parameters as
    drawn, a scalar node (t = exp(r)) as the forward pass computed it."""
    return {v: [float(np.asarray(values[v])[()]) for values in sample.values]
            for v in graph.symbols if v != graph.loss_symbol and not shape_of(v)}


def _latex(graph, expr) -> str:
    return matrix_latex(expr, graph)


__all__ = ["verify_matrix_claim", "diagnose"]
