"""Every hand derivation of the corpus gets the verdict and the diagnosis worked out by hand.

The corpus labels are also checked independently of symprop's derivation: a
right claim must match sympy.diff of the composed loss at a random point, a
wrong one must not.
"""
import random

import pytest
import sympy

from hand_derivations import CASES, GRAPHS
from symprop.parse.latex import read_derivation

_GRAPHS = {}


def graph(name):
    """One graph per builder for the whole module: building and deriving is shared work."""
    if name not in _GRAPHS:
        _GRAPHS[name] = GRAPHS[name]()
    return _GRAPHS[name]


def _ids():
    return [f"{i:02d}-{name}-{wrt}" for i, (name, wrt, _, _) in enumerate(CASES)]


def test_corpus_is_large_and_covers_every_kind_of_mistake():
    right = [c for c in CASES if c[3] is True]
    wrong = [c[3] for c in CASES if c[3] is not True]
    assert len(CASES) >= 40 and len(right) >= 20
    for kind in ("sign error", "factor 2 is missing", "factor 2 too many", "1/m", "is missing",
                 "extra factor d", "path", "counted twice", "wrong sign", "with respect to",
                 "does not equal line"):
        assert any(kind in w for w in wrong), kind


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_verdict_and_diagnosis(case):
    name, wrt, claim, expected = case
    verdict = graph(name).verify(wrt, claim)
    if expected is True:
        assert verdict.equivalent is True, str(verdict)
        assert verdict.diagnosis is None and verdict.counterexample is None
    else:
        assert verdict.equivalent is False, str(verdict)
        assert expected in verdict.diagnosis, verdict.diagnosis
        assert verdict.counterexample is not None
        assert set(verdict.counterexample) == {"point", "claim", "truth", "difference"}


def _independent_gradient(g, wrt):
    """dL/dwrt by sympy.diff of the loss written in inputs and parameters only."""
    return sympy.diff(g.composed(g.loss_symbol), g.parameter(wrt))


@pytest.mark.parametrize("case", CASES[::3], ids=_ids()[::3])
def test_corpus_labels_agree_with_sympy_diff(case):
    name, wrt, claim, expected = case
    g = graph(name)
    last = read_derivation(claim, g).steps[-1].expr
    rng = random.Random(7)
    point = {s: sympy.Rational(rng.randint(100, 900), 1000) for s in g.input_symbols}
    point.update({s: sympy.Rational(rng.choice((-1, 1)) * rng.randint(100, 1400), 1000)
                  for s in g.param_symbols})
    for group in g.one_hot_groups:
        total = sum(point[y] for y in group)
        point.update({y: point[y] / total for y in group})
    point[sympy.Symbol("m", positive=True)] = sympy.Integer(3)
    claimed = g.composed(last).xreplace(point).evalf(30)
    true = _independent_gradient(g, wrt).xreplace(point).evalf(30)
    if expected is True:
        assert abs(claimed - true) < 1e-20
    elif "does not equal line" not in expected:
        assert abs(claimed - true) > 1e-6
