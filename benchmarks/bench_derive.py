"""Derivation: symprop against sympy.diff of the composed loss, and scaling with the number of edges."""
from __future__ import annotations

import math

import sympy
from sympy.core.cache import clear_cache

import symprop
from timing import once

NETWORKS = ([1, 2, 1], [2, 3, 1], [2, 4, 4, 1], [3, 5, 5, 1])
QUICK_NETWORKS = ([1, 2, 1], [2, 3, 1])
# [k, k, 1] networks: k*k + k weights, from about 10 to about 20,000.
SCALING_WIDTHS = (3, 6, 10, 20, 32, 45, 71, 100, 141)
QUICK_WIDTHS = (3, 5, 8)


def versus_sympy(layers) -> dict:
    """Time and count_ops of every gradient: symprop's derivation vs sympy.diff of the composed loss."""
    clear_cache()  # neither side profits from the other's cached sympy results
    g = symprop.mlp(list(layers))
    grads, t_symprop = once(g.gradients)
    ops_symprop = sum(sympy.count_ops(d.result) for d in grads.values())
    fresh = symprop.mlp(list(layers))
    composed = fresh.composed(fresh.loss_symbol)
    clear_cache()
    diffs, t_sympy = once(lambda: [sympy.diff(composed, p) for p in fresh.param_symbols])
    ops_sympy = sum(sympy.count_ops(d) for d in diffs)
    return {"layers": list(layers), "params": len(g.param_symbols),
            "t_symprop": t_symprop, "t_sympy": t_sympy,
            "ops_symprop": ops_symprop, "ops_sympy": ops_sympy}


def scaling_point(width: int, compile_it: bool = False) -> dict:
    """Scalar derivation of all gradients of a [width, width, 1] MLP (and its compile time)."""
    g, t_build = once(lambda: symprop.mlp([width, width, 1]))
    _, t_derive = once(g.gradients)
    point = {"width": width, "weights": width * width + width, "edges": len(g.edges),
             "t_build": t_build, "t_derive": t_derive, "t_compile": None}
    if compile_it:
        _, point["t_compile"] = once(g.compile)
    return point


def fitted_exponent(points) -> float:
    """Least-squares slope of log(time) against log(edges)."""
    xs = [math.log(p["edges"]) for p in points]
    ys = [math.log(max(p["t_derive"], 1e-9)) for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return (sum((x - mx) * (y - my) for x, y in zip(xs, ys))
            / sum((x - mx) ** 2 for x in xs))
