r"""Verdicts on hand derivations, one procedure for both forms: is a LaTeX claim the gradient?

A claim (read by :mod:`symprop.parse.latex`, or :mod:`symprop.parse.matrix_latex`)
is compared with symprop's derivation (:mod:`.comparison`): a bounded symbolic check
first (scalar form), then at random rational points with 50 significant digits.  A
claim is equivalent only when several points agree to 40 digits, and wrong only with
a point where the difference is confirmed at 100 digits; every step is bounded before
it runs (:mod:`symprop.verify.claim_bounds`: nothing evaluated beyond 10^300).  A
claim whose answer uses dL/dw itself derives nothing: it is "not a derivation".  The
verdict is reported as :mod:`.verdict_report` writes it.

>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> v = g.verify("b2_1", r"a_1^{[2]} - y")
>>> bool(v), v.method
(True, 'symbolic')
>>> v = g.verify("b2_1", r"y - a_1^{[2]}")
>>> bool(v), v.diagnosis
(False, 'sign error: the claim is the negative of the gradient')
"""
from __future__ import annotations

from dataclasses import replace

from ..errors import SympropError
from .comparison import compare
from .conventions import preset, scale
from .points import Points
from .readings import Reading, used_adjoints
from .targets import derivation, target
from .verdict_report import Step, Verdict


def _latex(graph, expr) -> str:
    from ..latex.printer import latex

    return latex(expr, graph)


def verify_claim(graph, wrt, claim: str, points: int = 8, seed: int = 0,
                 convention=None) -> Verdict:
    r"""Check the hand derivation ``claim`` (LaTeX, one expression or a chain) of dL/d``wrt``.

    ``wrt`` is a parameter or a node (a node's adjoint: a layer's error δ is dL/dz);
    a claim of several lines, each ``lhs = rhs``, has each line checked against
    the quantity its left side names (:mod:`symprop.verify.statements`), read
    under ``convention`` (:mod:`symprop.verify.conventions`; default symprop's).

    >>> from symprop import Graph, sigmoid
    >>> import sympy
    >>> g = Graph(); x, y = g.inputs("x y"); w = g.params("w")
    >>> a = g.node("a", sigmoid(w*x)); L = g.loss("L", (a - y)**2)
    >>> v = verify_claim(g, w, r"(a - y) a (1 - a) x")
    >>> v.equivalent, v.diagnosis.split("; under")[0]
    (False, "right if the quadratic cost has its 1/2, as in Nielsen's convention")
    >>> v.diagnosis.endswith("a factor 2 is missing: the claim is half the gradient")
    True
    >>> bool(verify_claim(g, "a", r"\frac{\partial L}{\partial a} = 2 (a - y)"))
    True
    """
    from .statements import combine, read_statements

    from ..parse.indices import bind_indices
    from ..parse.latex import read_derivation

    wrt, convention = target(graph, wrt), preset(convention)
    claim = bind_indices(claim, graph, wrt, lambda term: readable(read_derivation, term, graph))
    statements = read_statements(claim, graph, wrt, lambda text: _read_line(graph, text, wrt))
    truths = {s.about: derivation(graph, s.about).result for s in statements}
    exprs = [step.expr for s in statements for step in s.steps]
    sample = Points(graph, exprs + list(truths.values()), points, seed, screened=exprs)
    verdicts = [_judge_statement(graph, s, truths[s.about], sample, convention)
                for s in statements]
    return combine(statements, verdicts, wrt, graph.loss_symbol, Step)


def readable(reader, text, graph) -> bool:
    """Whether ``reader`` reads ``text`` (a sum's term written out: are all its names the graph's?)."""
    try:
        reader(text, graph)
    except SympropError:
        return False
    return True


def _read_line(graph, text, wrt):
    """``(the node its left side names, or None; its steps)`` for one line of a claim."""
    from ..parse.latex import read_derivation

    read = read_derivation(text, graph)
    loss = graph.loss_symbol
    if read.about is not None:
        of, by = read.about
        if of != loss:
            raise SympropError(f"the claim starts with d{of}/d{by}, but it is checked as "
                               f"d{loss}/d{wrt}")
        return target(graph, by), read.steps
    named = _named(graph, read.steps[0]) if len(read.steps) > 1 else None
    return (named, read.steps[1:]) if named is not None else (None, read.steps)


def _named(graph, step):
    r"""The node whose dL/d the side ``step`` is, alone (``\delta^{[2]}``), or None."""
    from ..parse.latex_names import derivative

    loss = graph.loss_symbol
    if len(step.derivatives) != 1:
        return None
    (of, node), = step.derivatives
    if of != loss or node in graph.input_symbols:
        return None
    if step.expr in (derivative(graph, loss, node), graph.adjoints().symbol.get(node)):
        return target(graph, node)
    return None


def _judge_statement(graph, statement, truth, sample, convention) -> Verdict:
    """The verdict on one statement about dL/d(``statement.about``), read under ``convention``."""
    from .diagnose import diagnose, diagnose_step

    about, read = statement.about, statement.steps
    if (graph.loss_symbol, about) in read[-1].derivatives:
        return restated(graph, about, read[-1].expr, truth)
    reading = Reading(graph, convention, about, [used_adjoints(graph, s) for s in read])
    raw = [s.expr for s in read]
    lines = reading.normalized(convention, raw)
    verdict = judge(graph, about, read, lines, truth, sample, _latex,
                    lambda: diagnose(graph, about, lines[-1], truth, sample),
                    lambda bad, previous_is_truth: diagnose_step(
                        graph, about, lines[bad], lines[bad - 1], truth, sample,
                        previous_is_truth),
                    lambda comparison, left, right: _example(sample, comparison, left, right))
    verdict = reading.explain(verdict, raw,
                              lambda other: compare(graph, other[-1], truth, sample).equal is True)
    return as_written(graph, verdict, raw, lines, scale(graph, convention, about) * truth,
                      convention, _latex)


def as_written(graph, verdict, raw, lines, truth, convention, latex) -> Verdict:
    """``verdict`` showing the claim as written and the truth as its convention states it."""
    verdict = replace(verdict, convention=convention.name)
    if all(a is b for a, b in zip(raw, lines)):
        return verdict
    steps = tuple(replace(s, expr=e) for s, e in zip(verdict.steps, raw))
    return replace(verdict, claim=raw[-1], claim_latex=latex(graph, raw[-1]), truth=truth,
                   truth_latex=latex(graph, truth), steps=steps)


def judge(graph, wrt, read, lines, truth, sample, latex, why, why_step, example,
          decided=False) -> Verdict:
    """The verdict on the chain ``lines`` (read as ``read``, its steps), for both forms.

    Each line is compared with the truth and with the line before at ``sample``
    (:func:`compare`); ``why()`` says why the last line is not the truth,
    ``why_step(i, previous_is_truth)`` why line ``i`` is not line ``i - 1``,
    ``example(comparison, left name, right name)`` gives a counterexample.
    ``decided``: an undecided comparison counts as a difference (matrix claims
    are either the gradient or wrong, never undecided).
    """
    to_truth = [compare(graph, e, truth, sample) for e in lines]
    to_previous = [None] + [compare(graph, e, lines[i], sample) for i, e in enumerate(lines[1:])]
    for c in to_truth + to_previous[1:] if decided else ():
        c.equal = c.equal is True
    steps = tuple(Step(i + 1, s.latex, lines[i],
                       None if i == 0 else to_previous[i].equal, to_truth[i].equal,
                       example(to_previous[i], "line", "previous") if i else None)
                  for i, s in enumerate(read))
    final = to_truth[-1]
    bad = next((i for i, c in enumerate(to_previous) if c is not None and c.equal is False), None)
    undecided = final.equal is None or any(c is not None and c.equal is None for c in to_previous)
    equivalent = False if (bad is not None or final.equal is False) else (None if undecided else True)

    diagnosis = counterexample = None
    if final.equal is False:
        diagnosis, counterexample = why(), example(final, "claim", "truth")
    if bad is not None:
        step = why_step(bad, to_truth[bad - 1].equal is True)
        said = f"line {bad + 1} ({read[bad].latex.strip()}) does not equal line {bad}: {step}"
        diagnosis = said if diagnosis is None else f"{said}; and the last line: {diagnosis}"
        if final.equal is not False:
            diagnosis += "; the last line nevertheless equals the gradient (two mistakes cancel)"
        counterexample = counterexample or example(to_previous[bad], "claim", "truth")
    method = final.method if bad is None else to_previous[bad].method
    return Verdict(wrt, equivalent, method, lines[-1], truth, latex(graph, lines[-1]),
                   latex(graph, truth), diagnosis, counterexample, steps if len(steps) > 1 else ())


def restated(graph, wrt, expr, truth, latex=None) -> Verdict:
    """The verdict on a claim whose answer uses dL/d``wrt`` itself: it derives nothing."""
    loss, latex = graph.loss_symbol, latex or _latex
    later = [e.child for e in graph.out_edges(wrt) if e.child != loss]
    hint = f", or through the adjoint of a later node such as d{loss}/d{later[0]}" if later else ""
    return Verdict(wrt, False, "not a derivation", expr, truth, latex(graph, expr),
                   latex(graph, truth),
                   f"not a derivation: the claim uses d{loss}/d{wrt}, the gradient asked for, "
                   f"instead of deriving it; write it in the graph's values{hint}")


def _example(points, comparison, left_name, right_name):
    if comparison is None or comparison.point is None:
        return None
    left, right, difference = map(float, comparison.values)
    return {"point": points.named(comparison.point), left_name: left, right_name: right,
            "difference": difference}
