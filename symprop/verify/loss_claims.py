r"""Verdicts on a source's definition of the loss: is ``J = \sum ylog(p)`` the graph's loss?

A loss claim (:class:`LossClaim`) is read by :mod:`symprop.parse.loss_latex` (a scalar
graph's by :mod:`symprop.parse.scalar_loss`) and compared with the graph's loss at random
points of the network (targets one-hot where the graph declares them so; a matrix
graph's at batch sizes 3, 4 and 5, so that a factor m is told from a constant), in
float64.  Where it differs, the diagnosis says how, in words: the negative of the loss
(the minus sign missing), a sum over the m examples where the loss is their mean, both
at once, another constant multiple, or simply another function.

>>> from symprop import matrix_mlp
>>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> v = judge_loss(g, r"J = \sum ylog(p)")
>>> bool(v), v.negated, v.summed
(False, True, True)
>>> bool(judge_loss(g, r"J = -\frac{1}{m}\sum Y\log(P)"))
True
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from ..errors import SympropError
from ..ir.numeric import NumpyForward, evaluate_expr

BATCHES = (3, 4, 5, 3, 4, 5)     # a matrix graph's points: m and a constant are told apart
MAX_DRAWS = 20                   # draws per point before it is given up
RTOL = 1e-9                      # float64 agreement, relative to max(1, |loss|)
SIGN = ("the minus sign is missing: as written, {name} grows as the predictions improve, "
        "so gradient descent on it would make them worse")
EXTRA_SIGN = ("it has a minus sign too many: as written, {name} grows as the predictions "
              "improve, so gradient descent on it would make them worse")
SUMMED = ("it is a sum over the m examples where the loss is their mean: its gradients are "
          "m times larger, which only rescales the learning rate")


@dataclass(frozen=True)
class LossClaim:
    r"""A source's definition of the loss: ``loss`` (its LaTeX, ``J = ...`` or the right
    side alone) and ``source`` (who wrote it, in words).  ``notes(graph, claims=[...])``
    takes these beside ``(wrt, claim, source)`` gradient claims; ``(None, loss, source)``
    is the same claim.

    >>> LossClaim(r"J = \sum ylog(p)", "Backprop Implementation").source
    'Backprop Implementation'
    """

    loss: str
    source: str = "the source"


@dataclass(frozen=True)
class LossVerdict:
    """Whether a loss claim is the graph's loss: ``equivalent`` (True, False, or None when
    no point could decide), the claim as read (``claim``, a number of the graph's symbols),
    its left side's ``name`` and ``name_latex`` (None without one), what is wrong
    (``negated``, ``summed``, ``factor``: the constant claim / loss where there is one) and
    the ``diagnosis`` in words; ``method`` says how it was decided."""

    equivalent: bool | None
    claim: sympy.Basic
    name: str | None
    name_latex: str | None
    method: str
    diagnosis: str | None = None
    negated: bool = False
    summed: bool = False
    factor: float | None = None

    def __bool__(self) -> bool:
        return self.equivalent is True


def as_loss_claim(item):
    """A ``[notes] claims`` item as a :class:`LossClaim`, or None for a gradient claim.

    >>> as_loss_claim((None, "J = y", "the post")), as_loss_claim(("W2", "A - Y", "the post"))
    (LossClaim(loss='J = y', source='the post'), None)
    """
    if isinstance(item, LossClaim):
        return item
    if isinstance(item, tuple) and len(item) == 3 and item[0] is None:
        return LossClaim(item[1], item[2])
    return None


def read_loss(graph, text):
    """The claim read over ``graph`` (:class:`~symprop.parse.loss_latex.LossReading`)."""
    if graph.form.batched:
        from ..parse.loss_latex import read_matrix_loss

        return read_matrix_loss(text, graph)
    from ..parse.scalar_loss import read_scalar_loss

    return read_scalar_loss(text, graph)


def judge_loss(graph, text: str, seed: int = 0) -> LossVerdict:
    """Is the LaTeX ``text`` the loss of ``graph``?  A :class:`SympropError` if it cannot be read."""
    reading = read_loss(graph, text)
    name = reading.name or "the claim"
    claims, truths, batches = _values(graph, reading.expr, seed)
    usable = [(c, t, m) for c, t, m in zip(claims, truths, batches)
              if np.isfinite(c) and np.isfinite(t)]
    verdict = dict(claim=reading.expr, name=reading.name, name_latex=reading.name_latex)
    if len(usable) < 3:
        return LossVerdict(None, method=f"undecided: the claim is a finite real number at "
                           f"{len(usable)} of {len(claims)} random points", **verdict)
    method = f"numeric at {len(usable)} random points (float64, relative {RTOL:.0e})"
    if _all_close(usable, 1, 0):
        return LossVerdict(True, method=method, **verdict)
    matrix = graph.form.batched
    for sign in (-1, 1):
        if matrix and _all_close(usable, sign, 1):
            negated = sign < 0
            sentences = ([_sign_sentence(reading.expr, name)] if negated else []) + [SUMMED]
            return LossVerdict(False, method=method, negated=negated, summed=True,
                               diagnosis="; and ".join(sentences), **verdict)
    if _all_close(usable, -1, 0):
        return LossVerdict(False, method=method, negated=True, factor=-1.0,
                           diagnosis=_sign_sentence(reading.expr, name), **verdict)
    penalty = _penalty_left_out(graph, reading.expr, seed)
    if penalty:
        return LossVerdict(False, method=method, diagnosis=penalty, **verdict)
    factor = _constant_ratio(usable)
    if factor is not None:
        return LossVerdict(False, method=method, factor=factor, diagnosis=(
            f"it is {_number(factor)} times the loss: its gradients are {_number(factor)} "
            "times the loss's, which only rescales the learning rate"
            + (" (and reverses its sign)" if factor < 0 else "")), **verdict)
    c, t, m = usable[0]
    at = f" with m = {m}" if matrix else ""
    return LossVerdict(False, method=method, diagnosis=(
        f"it is another function: at a random point{at} it is {c:.6g} where the loss is "
        f"{t:.6g}"), **verdict)


def _penalty_left_out(graph, claim, seed) -> str | None:
    """The sentence for a claim that is the loss without its weight decay, else None."""
    loss = graph.expr(graph.loss_symbol)
    if not getattr(loss, "weights", ()):
        return None
    claims, truths, batches = _values(graph, claim + loss.penalty(), seed)
    usable = [(c, t, m) for c, t, m in zip(claims, truths, batches)
              if np.isfinite(c) and np.isfinite(t)]
    if len(usable) < 3 or not _all_close(usable, 1, 0):
        return None
    norms = " + ".join(f"||{w}||_F^2" for w in loss.weights)    # a sentence: plain text
    shown = f"{graph.form.text(loss.decay / 2)} ({norms})"
    return f"the weight decay's penalty, {shown}, is missing: it is the loss without it"


def _sign_sentence(claim, name) -> str:
    coefficient = claim.as_coeff_Mul()[0] if isinstance(claim, sympy.Expr) else 1
    return (EXTRA_SIGN if coefficient < 0 else SIGN).format(name=name)


def _all_close(usable, sign, power) -> bool:
    """Whether claim = sign * m**power * loss at every point."""
    return all(abs(c - sign * m ** power * t) <= RTOL * max(1.0, abs(c), abs(t))
               for c, t, m in usable)


def _constant_ratio(usable) -> float | None:
    ratios = [c / t for c, t, _ in usable if abs(t) > 1e-6]
    if len(ratios) < 3 or any(abs(r - ratios[0]) > RTOL * max(1.0, abs(r)) for r in ratios):
        return None
    return ratios[0]


def _number(x: float) -> str:
    fraction = sympy.nsimplify(x, tolerance=1e-9, rational=True)
    return str(fraction) if fraction.q <= 12 else f"{x:.4g}"


def _values(graph, claim, seed):
    """The claim's and the loss's values at random points, and each point's batch size."""
    rng = np.random.default_rng(seed)
    matrix = graph.form.batched
    claims, truths, batches = [], [], []
    for batch in BATCHES:
        for _ in range(MAX_DRAWS):
            values = graph.form.draw(graph, rng, batch)
            env = {s: np.asarray(values[s.name], dtype=np.float64)
                   for s in graph.input_symbols + graph.param_symbols}
            forward = NumpyForward(graph)
            with np.errstate(all="ignore"):
                truth = float(forward.loss(env))
                value = _claim_value(forward, claim, env, batch) if matrix else \
                    _scalar_value(claim, env)
            if np.isfinite(truth):
                break
        claims.append(value)
        truths.append(truth)
        batches.append(batch if matrix else 1)
    return claims, truths, batches


def _claim_value(forward, claim, env, batch) -> float:
    """A matrix graph's claim at one point: each entry sum from the forward pass's kit."""
    from ..parse.loss_latex import EntrySum

    try:
        if isinstance(claim, sympy.MatrixExpr):          # 1×1: a number after all
            return float(np.asarray(forward.build(claim, env, "the claim")).reshape(-1)[0])
        sums = {s: sympy.Float(float(np.sum(forward.build(s.matrix, env, "the claim"))))
                for s in claim.atoms(EntrySum)}
        sums.update({t: sympy.Float(float(forward.build(t, env, "the claim")))   # ||W||_F^2
                     for t in claim.atoms(sympy.Trace)})
        sums.update({v: sympy.Float(float(env[v])) for v in claim.free_symbols   # lambda
                     if v in env and np.ndim(env[v]) == 0})
        value = complex(claim.xreplace(sums).subs(forward.graph.batch, batch).evalf())
    except (SympropError, TypeError, ValueError, OverflowError, ZeroDivisionError):
        return float("nan")
    return value.real if abs(value.imag) <= RTOL * max(1.0, abs(value.real)) else float("nan")


def _scalar_value(claim, env) -> float:
    try:
        value = complex(evaluate_expr(claim, env))
    except (SympropError, TypeError, ValueError, OverflowError, ZeroDivisionError):
        return float("nan")
    return value.real if value.imag == 0 else float("nan")


__all__ = ["LossClaim", "LossVerdict", "as_loss_claim", "judge_loss", "read_loss"]
