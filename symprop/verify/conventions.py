r"""What the symbols of a hand derivation denote: the conventions of the standard texts, as data.

The same ``dZ`` means different things in different courses.  symprop's graph
says what the cost is (in matrix form the batch mean; in scalar form one
example's loss); a :class:`Convention` says what the author's quantities are
derivatives *of*:

- a node's error (``dZ``, ``\delta``, ``dscores``): of the batch-mean cost, or of
  the summed cost (Andrew Ng's ``dZ^{[2]} = A^{[2]} - Y``, no 1/m);
- a parameter's gradient (``dW``, ``\frac{\partial C}{\partial w}``): likewise;
- a quadratic cost: with the 1/2 (Nielsen's ``C = \frac{1}{2}\|y - a\|^2``) or without.

So each quantity the author writes is symprop's adjoint times a known factor,
:func:`scale`: ``m`` for a summed cost in matrix form, ``1/2`` or ``2`` for a
quadratic cost whose 1/2 differs from the graph's.  A scalar graph is one
example: the mean and the sum of one example are the same.

>>> from symprop import mlp
>>> g = mlp([2, 3, 2], activation="relu", output="softmax", loss="ce", form="matrix")
>>> scale(g, preset("deeplearning.ai"), g.symbol("Z2")), scale(g, preset("deeplearning.ai"), g.symbol("W2"))
(m, 1)
>>> scale(g, preset("cs231n"), g.symbol("Z2"))
1
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..errors import SympropError, printable

MEAN, SUM = "mean", "sum"


@dataclass(frozen=True)
class Convention:
    """One text's meaning of dZ, dW and δ: which cost each is the derivative of.

    ``node_cost``, ``parameter_cost``: ``"mean"`` or ``"sum"`` over the batch;
    ``half``: the quadratic cost carries 1/2 (True), does not (False), or is as
    the graph declares it (None); ``node_means``/``parameter_means``: what the
    symbols denote, in words, for verdicts.
    """

    name: str
    title: str
    node_cost: str
    parameter_cost: str
    half: bool | None
    node_means: str
    parameter_means: str


CONVENTIONS = (
    Convention("symprop", "symprop's", MEAN, MEAN, None,
               "dZ is dL/dZ of the batch-mean cost (it carries the 1/m)",
               "dW is dL/dW of the batch-mean cost"),
    Convention("deeplearning.ai", "deeplearning.ai's", SUM, MEAN, None,
               "dZ means dL/dZ of the summed cost (dZ = A - Y, no 1/m)",
               "dW is dJ/dW of the mean cost J (dW = 1/m dZ A^T)"),
    Convention("cs231n", "CS231n's", MEAN, MEAN, None,
               "dscores (dZ) is dL/dscores of the mean loss (it carries the 1/N)",
               "dW is dL/dW of the mean loss"),
    Convention("nielsen", "Nielsen's", SUM, MEAN, True,
               "δ^l = ∂C_x/∂z^l of each example x's own cost (no 1/n)",
               "∂C/∂w is averaged over the examples, C = 1/(2n) Σ_x ||y(x) - a(x)||²"),
)
PRESETS = {c.name: c for c in CONVENTIONS}
ALIASES = {"seeds": "symprop", "ng": "deeplearning.ai", "coursera": "deeplearning.ai",
           "nndl": "nielsen"}
DEFAULT = PRESETS["symprop"]


def preset(name) -> Convention:
    """The convention called ``name`` (a :class:`Convention` passes through), or a clear error.

    >>> preset("deeplearning.ai").node_cost
    'sum'
    >>> preset("bishop")
    Traceback (most recent call last):
    ...
    symprop.errors.SympropError: unknown convention 'bishop'; choose one of symprop, deeplearning.ai, cs231n, nielsen
    """
    if name is None:
        return DEFAULT
    if isinstance(name, Convention):
        return name
    key = str(name).strip().lower()
    key = ALIASES.get(key, key)
    if key not in PRESETS:
        raise SympropError(printable(f"unknown convention {str(name)[:60]!r}; choose one of "
                                     f"{', '.join(PRESETS)}"))
    return PRESETS[key]


def quadratic(graph) -> str | None:
    """``"mse"`` or ``"mse_half"`` when the graph's loss is a squared error (without or with 1/2)."""
    expr = graph.expr(graph.loss_symbol)
    name = getattr(expr, "name", None)          # a matrix graph's Loss
    if isinstance(name, str):
        return name if name in ("mse", "mse_half") else None
    coefficients = set()
    for term in sympy.Add.make_args(expr):
        coefficient, rest = term.as_coeff_Mul()
        if not (isinstance(rest, sympy.Pow) and rest.exp == 2 and rest.base.is_Add):
            return None
        coefficients.add(coefficient)
    return {frozenset({1}): "mse", frozenset({sympy.S.Half}): "mse_half"}.get(
        frozenset(coefficients))


def half_factor(graph, convention: Convention) -> sympy.Expr:
    """The factor between the author's quadratic cost and the graph's (1 where they agree)."""
    kind = quadratic(graph) if convention.half is not None else None
    if kind == "mse" and convention.half:
        return sympy.S.Half
    if kind == "mse_half" and not convention.half:
        return sympy.Integer(2)
    return sympy.Integer(1)


def scale(graph, convention: Convention, symbol) -> sympy.Expr:
    """The author's d(cost)/d``symbol`` over symprop's dL/d``symbol`` under ``convention``."""
    factor = half_factor(graph, convention)
    cost = convention.parameter_cost if symbol in graph.param_symbols else convention.node_cost
    if graph.form.batched and cost == SUM:
        factor = factor * graph.batch
    return factor


def means(graph, convention: Convention, symbol) -> str:
    """What the author's symbol for d(cost)/d``symbol`` denotes under ``convention``, in words."""
    half = ""
    if quadratic(graph) and convention.half is not None:
        half = "the quadratic cost has its 1/2" if convention.half else "the quadratic cost has no 1/2"
    if not graph.form.batched:    # one example: only the 1/2 of a quadratic cost can differ
        return half or "the cost is the spec's loss as declared"
    said = convention.parameter_means if symbol in graph.param_symbols else convention.node_means
    return f"{said}, and {half}" if half else said


__all__ = ["Convention", "CONVENTIONS", "DEFAULT", "PRESETS", "preset", "scale", "means",
           "quadratic", "half_factor"]
