"""Hostile inputs' CPU time: each is answered or refused before the work grows with it.

The suite checks what each answer is (tests/derive/test_bounded.py,
tests/verify/test_verify_bounds.py, tests/parse/test_matrix_latex.py); this measures
how long each takes, against the bound the hardening work set for it.

>>> rows = run(quick=True)
>>> all(seconds >= 0 for _, seconds, _ in rows)
True
"""
from __future__ import annotations

import time

import numpy as np
import sympy

from symprop import Graph, SympropError, mlp
from symprop.front.matrix_nets import matrix_mlp
from symprop.front.seeds import logistic_regression

LEFT_TOWER = r"x_1^{x_1^{x_1^{x_1^{x_1^{x_1^{x_1^{x_1^{x_1^{x_1^{x_1}}}}}}}}}}"


def diamonds(n):
    """u0 = w; each diamond u -> (sin u, cos u) -> their product: 2**n paths from w to L."""
    g = Graph()
    u = g.params("w")
    for i in range(1, n + 1):
        u = g.node(f"u{i}", g.node(f"v{i}a", sympy.sin(u)) * g.node(f"v{i}b", sympy.cos(u)))
    g.loss("L", u**2)
    return g


def _matrix_seed():
    g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    g.set_latex("A2", "P")
    return g


def _cases(quick):
    lr, seed = logistic_regression(), _matrix_seed()
    seed.derive("W2")  # the claims' cost, not the graph's
    rng = np.random.default_rng(0)
    batch = 100_000
    width = 5 if quick else 20
    big_batch = {"x1": rng.uniform(size=batch), "x2": rng.uniform(size=batch), "y": 1.0,
                 "w1": -4.0, "w2": 3.0, "b": -1.0}
    deep = mlp([1] + [6] * (4 if quick else 12) + [1], activation="tanh").derive("w1_1_1")
    many_products = " + ".join([r"(P - Y) A_1^T" + r" W_2^T W_2" * 10
                                + rf" W_2^T W_2^{{\circ {i + 1}}}" for i in range(22)])
    cases = [
        ("verify 2^{2^{2^{20}}} x_1", lambda: lr.verify("w1", r"2^{2^{2^{20}}} x_1"), 2.0),
        ("verify an 11-level power tower", lambda: lr.verify("w1", LEFT_TOWER), 2.0),
        ("verify a 40-sided chain (refused)",
         lambda: lr.verify("w1", " = ".join([r"x_1 (\hat{y} - y)"] * 40)), 0.1),
        ("matrix verify: 22 sums of 24 factors", lambda: seed.verify("W2", many_products), 2.0),
        ("matrix verify: 200 factors (refused)",
         lambda: seed.verify("W2", r"(P - Y) A_1^T" + r" W_2^T W_2" * 200), 1.0),
        ("derive and print 100 diamonds (2^100 paths)",
         lambda: [f(diamonds(100).derive("w")) for f in (repr, lambda d: d.latex())], 5.0),
        (f"derive and print mlp {width}-{width}-{width}-{width}",
         lambda: mlp([width] * 4).derive("w1_1_1").text(), 10.0),
        (f"{4 if quick else 12}-layer tanh closed form (refused)", lambda: deep.has_closed_form, 1.0),
        (f"check a batch of {batch}", lambda: logistic_regression().check(big_batch), 10.0),
    ]
    # A smoke run (the suite's) leaves out the two that take seconds even when all is well.
    return [c for c in cases if not quick or not c[0].startswith(("check", "matrix verify: 22"))]


def run(quick=False):
    """``[(case, CPU seconds, bound)]`` for each hostile input; a refusal counts as an answer."""
    rows = []
    for name, call, bound in _cases(quick):
        start = time.process_time()
        try:
            call()
        except SympropError:
            pass
        rows.append((name, time.process_time() - start, bound))
    return rows
