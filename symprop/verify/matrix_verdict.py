r"""Verdicts on hand derivations in matrix form: is ``\frac{1}{m}(P - Y) A_1^{\top}`` dL/dW2?

A claim is read by :mod:`symprop.parse.matrix_latex`, which keeps the order of
matrix products (``A_1^{\top}(P - Y)`` is not ``(P - Y)A_1^{\top}``) and says
when two operands' shapes do not fit.  Node values (``Z_1``, ``A_1``, ``P``)
and adjoints (``dZ_2``, ``\frac{\partial J}{\partial Z_2}``) take their true
values.  The claim and symprop's gradient are evaluated in float64 at random
points of two batch sizes, so that a missing ``1/m`` shows as a ratio that
follows m.  A wrong claim gets a reason: a product whose shapes do not fit (and
what would), its shape, a sign, a constant factor, ``1/m``, a transpose, another
parameter's gradient, a missing activation derivative, or the first entry that differs.
The claim is read, and refused if it must be, before anything is derived or
compiled; one whose answer uses the gradient asked for (``dW_2`` for dW2) is
"not a derivation".

>>> from symprop import matrix_mlp
>>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> g.set_latex("A2", "P")
>>> bool(g.verify("W2", r"\frac{1}{m}(P - Y) A_1^{\top}"))
True
>>> g.verify("W2", r"(P - Y) A_1^{\top}").diagnosis
'the 1/m of the batch mean is missing: the claim is m times the gradient'
"""
from __future__ import annotations

import numpy as np
import sympy
from sympy import HadamardProduct, MatrixSymbol, OneMatrix

from ..errors import SympropError
from ..parse.matrix_names import with_article
from .verdict import Step, Verdict
from ..derive.simplify import adjoint_symbol
from ..derive.matrix_text import matrix_text
from ..latex.matrix_printer import matrix_latex

BATCHES = (3, 4, 3, 4)   # two batch sizes: a factor that follows m is told from a constant
RTOL = 1e-9              # |claim - truth| <= RTOL * max(|truth|, 1), over the whole matrix
FACTORS = {-1: "sign error: the claim is the negative of the gradient",
           2: "a factor 2 too many: the claim is twice the gradient",
           0.5: "a factor 2 is missing: the claim is half the gradient"}


# ------------------------------------------------------------------ evaluation
class Evaluator:
    """Every node's and adjoint's value at the sample points, and claims evaluated there.

    Claims are printed by the compiled programs' own printer and loaded as a
    module, as ``compile()`` does; nothing is ``exec``-ed from a string.
    """

    def __init__(self, graph, seed: int = 0, overrides=None):
        """``overrides``: ``{node: local form}`` replacing some adjoints' local forms."""
        # Imported here, not above: a claim is read and refused before any of this is loaded.
        from ..codegen import matrix_module as codegen
        from ..codegen.backends import BACKENDS
        from ..check.points import random_point

        self.graph, self._codegen, self._numpy = graph, codegen, BACKENDS["numpy"]
        self.points = [random_point(graph, np.random.default_rng([seed, i]), batch)
                       for i, batch in enumerate(BATCHES)]
        self._printer = _claim_printer(codegen)(BACKENDS["numpy"], graph.batch)
        adjoints = graph.adjoints()
        self.names = [s.name for s in graph.input_symbols + graph.param_symbols]
        lines = codegen.argument_lines(graph, BACKENDS["numpy"], np.float64)
        lines += [f"    {n.name} = {self._printer.doprint(graph.expr(n))}"
                  for n in graph.node_symbols[:-1]]
        self.known = {s.name: s for s in graph.symbols if s != graph.loss_symbol}
        for node in adjoints.order[1:]:
            symbol = adjoints.symbol[node]
            local = (overrides or {}).get(node, adjoints.local[node])
            lines.append(f"    {symbol.name} = {self._printer.doprint(local)}")
            self.known[symbol.name] = symbol
        returned = ", ".join(f"{k!r}: {k}" for k in sorted(self.known))
        self._values_source = [f"def _values({', '.join(self.names)}):", *lines,
                               f"    return {{{returned}, 'm': m}}"]

    def evaluate(self, exprs) -> list[list]:
        """``exprs`` (matrix or scalar expressions) at every point: ``[[value per point] per expr]``."""
        bodies = [f"def _side{i}({', '.join(sorted(self.known))}, m):\n"
                  f"    return {self._printer.doprint(e)}" for i, e in enumerate(exprs)]
        header = self._codegen.module_header(self._numpy, np.float64, self._printer.used)
        module = self._codegen.load_module(
            header + "\n\n" + "\n".join(self._values_source) + "\n\n\n"
            + "\n\n\n".join(bodies) + "\n", "symprop_claim")
        values = [module._values(**p) for p in self.points]
        return [[_value(getattr(module, f"_side{i}"), v, e, self.graph.batch) for v in values]
                for i, e in enumerate(exprs)]


def _claim_printer(codegen):
    """The compiled programs' printer, writing a claim's numbers as the numbers they are."""
    class ClaimPrinter(codegen.MatrixCodePrinter):
        def scalar(self, c) -> str:   # the programs' nsimplify made a claim's 2.718281828 into E
            return codegen.scalar_text(c)

        def _print_ZeroMatrix(self, expr):    # printed as 0 it would be a number: H(0) had no mask
            rows, cols = (self.scalar(n) for n in expr.shape)
            return f"{self.backend.module}.zeros(({rows}, {cols}), dtype=DTYPE)"

        def _print_Identity(self, expr):      # the 1x1 ones (1^T 1)^T become I
            return f"{self.backend.module}.eye({self.scalar(expr.shape[0])}, dtype=DTYPE)"

        def _print_MatMul(self, expr):        # 1 Y prints as Y's column sums: give back 1 Y's shape
            text = super()._print_MatMul(expr)
            if not any(isinstance(m, OneMatrix) for m in expr.args):
                return text
            rows, cols = (self.scalar(n) for n in expr.shape)
            return f"{self.backend.module}.broadcast_to({text}, ({rows}, {cols}))"

    return ClaimPrinter


def _value(side, values, expr, batch):
    """One side at one point, as an array of ``expr``'s shape; NaN where it overflows.

    A zero matrix prints as the number 0, and ``m^{1000}`` overflows a float:
    neither is the claim's fault, so both get the claim's shape.
    """
    shape = tuple(int(n.subs(batch, values["m"]) if isinstance(n, sympy.Basic) else n)
                  for n in getattr(expr, "shape", ()))
    with np.errstate(all="ignore"):
        try:
            value = np.asarray(side(**values), dtype=float)
        except (OverflowError, ZeroDivisionError):
            value = np.array(np.nan)
    return np.broadcast_to(value, shape).copy() if value.shape == () and shape else value


def _close(a, b) -> bool:
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and bool(
        np.abs(a - b).max(initial=0.0) <= RTOL * max(np.abs(b).max(initial=0.0), 1.0))


def _shape_text(shape) -> str:
    return "×".join(map(str, shape)) if shape else "a number"


# ------------------------------------------------------------------ why a claim is wrong
def diagnose(graph, wrt, claims, truths, others) -> str:
    """One sentence: why the values ``claims`` are not ``truths`` (both one array per point)."""
    name = graph.latex_name(wrt)
    # Every point counts: at m = 3 an m×5 claim has the shape of a 3×5 gradient.
    if any(c.shape != t.shape for c, t in zip(claims, truths)):
        if all(c.shape == t.T.shape and _close(c, t.T) for c, t in zip(claims, truths)):
            return (f"the claim is the transpose of the gradient ({_shape_text(claims[0].shape)}, "
                    f"not {name}'s {_shape_text(truths[0].shape)}): swap the order of the product")
        # A side that follows the batch size is m: the points use m = 3 and m = 4.
        sides = [("m" if all(c.shape[i] == b for c, b in zip(claims, BATCHES)) else n)
                 for i, n in enumerate(claims[0].shape)]
        shape = f"{with_article(sides)} matrix" if sides else "a number"
        return (f"the claim is {shape}, but a gradient has its parameter's shape: "
                f"{name} is {_shape_text(truths[0].shape)}")
    for claim, truth, m in zip(claims, truths, BATCHES):
        if not np.all(np.isfinite(claim)) and np.all(np.isfinite(truth)):
            return (f"the claim is not finite at a random point with m = {m} (it overflows or "
                    "divides by zero there), and the gradient is")
    if all(not c.any() for c in claims) and any(t.any() for t in truths):
        return "the claim is zero, and the gradient is not"
    ratios = [_ratio(c, t) for c, t in zip(claims, truths)]
    if all(r is not None for r in ratios):
        for factor, sentence in FACTORS.items():
            if all(np.isclose(r, factor, rtol=1e-9) for r in ratios):
                return sentence
        if all(np.isclose(r, b, rtol=1e-9) for r, b in zip(ratios, BATCHES)):
            return "the 1/m of the batch mean is missing: the claim is m times the gradient"
        if all(np.isclose(r, 1 / b, rtol=1e-9) for r, b in zip(ratios, BATCHES)):
            return "an extra 1/m: the claim is the gradient divided by m once more"
        if all(np.isclose(r, ratios[0], rtol=1e-9) for r in ratios):
            return f"the claim is {ratios[0]:.6g} times the gradient"
    if claims[0].ndim == 2 and claims[0].shape[0] == claims[0].shape[1] and all(
            _close(c, t.T) for c, t in zip(claims, truths)):
        return "the claim is the transpose of the gradient: swap the order of the product"
    for other, values in others.items():
        if all(_close(c, v) for c, v in zip(claims, values)):
            return f"the claim is the gradient with respect to {graph.latex_name(other)}, not {name}"
    return _first_difference(claims, truths)


def _ratio(claim, truth):
    """The c with claim = c * truth, when there is one."""
    scale = float(np.sum(truth * truth))
    if scale == 0:
        return None
    c = float(np.sum(claim * truth)) / scale
    return c if _close(claim, c * truth) else None


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


def missing_factor(graph, wrt, claims, seed) -> str | None:
    """The sentence for a claim that is the gradient less one activation derivative, if it is."""
    for node, incoming, factor in _local_factors(graph):
        skipped = Evaluator(graph, seed, {node: incoming})
        if all(_close(c, v) for c, v in zip(claims, skipped.evaluate([adjoint_symbol(graph, wrt)])[0])):
            return (f"the factor {matrix_latex(factor, graph)} is missing: on the way back, "
                    f"{matrix_latex(adjoint_symbol(graph, node), graph)} = "
                    f"{matrix_latex(graph.adjoints().local[node], graph)}")
    return None


def _counterexample(claims, truths) -> dict | None:
    for claim, truth, m in zip(claims, truths, BATCHES):
        if claim.shape == truth.shape and not _close(claim, truth):
            at = np.unravel_index(np.argmax(np.abs(claim - truth)), claim.shape) if claim.shape else ()
            return {"point": {"m": m, **dict(zip(("row", "column"), map(int, at)))},
                    "claim": float(claim[at]), "truth": float(truth[at]),
                    "difference": float(claim[at] - truth[at])}
    return None


# ------------------------------------------------------------------ the verdict
class MatrixVerdict(Verdict):
    """:class:`~symprop.verify.verdict.Verdict` with matrices written as ``1/m*(A2 - Y)*A1.T``."""

    @staticmethod
    def _text(expr) -> str:
        return expr if isinstance(expr, str) else matrix_text(expr)


def verify_matrix_claim(graph, wrt, claim: str, seed: int = 0) -> Verdict:
    r"""Check the hand derivation ``claim`` (LaTeX, one expression or a chain) of dL/d``wrt``.

    >>> from symprop import matrix_mlp
    >>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    >>> v = verify_matrix_claim(g, "W2", r"(A_2 - Y) A_1")
    >>> v.equivalent, v.diagnosis
    (False, 'the product (A_2 - Y) A_1 multiplies a 3×m matrix by a 5×m matrix; A_1 transposed would fit')
    """
    from ..parse.matrix_latex import MatrixShapeError, read_matrix_derivation

    wrt = graph.parameter(wrt)
    try:                              # read first: a claim refused costs no derivation
        derivation, error = read_matrix_derivation(claim, graph), None
    except MatrixShapeError as shapes:
        derivation, error = None, shapes
    truth = graph.derive(wrt).result
    truth_latex = matrix_latex(truth, graph)
    if error is not None:
        return MatrixVerdict(wrt, False, "shapes", claim, truth, claim, truth_latex, error.reason)
    if derivation.about is not None and derivation.about[1] != wrt:
        raise SympropError(f"the claim starts with dL/d{derivation.about[1]}, but it is checked "
                           f"as dL/d{wrt}")
    rename = {MatrixSymbol(f"dL_d{n}", *graph.shape(n)): adjoint_symbol(graph, n)
              for n in graph.symbols if n != graph.loss_symbol}
    lines = [s.expr.xreplace(rename) for s in derivation.steps]
    if wrt in derivation.steps[-1].adjoints:      # dW_2 for dW_2: nothing is derived
        later = [n for n in graph.node_symbols if wrt in graph.expr(n).free_symbols][:1]
        hint = f" such as d{graph.loss_symbol}/d{later[0]}" if later else ""
        return MatrixVerdict(wrt, False, "not a derivation", lines[-1], truth,
                             matrix_latex(lines[-1], graph), truth_latex,
                             f"not a derivation: the claim uses d{graph.loss_symbol}/d{wrt}, the "
                             "gradient asked for, instead of deriving it; write it in the "
                             f"graph's values or through the adjoint of a later node{hint}")
    others = [p for p in graph.param_symbols if p != wrt and p.shape == wrt.shape]
    evaluator = Evaluator(graph, seed)
    values = evaluator.evaluate(lines + [truth] + [graph.derive(p).result for p in others])
    sides, truths, other_values = values[:len(lines)], values[len(lines)], values[len(lines) + 1:]
    others = dict(zip(others, other_values))

    def equal(a, b):
        return all(_close(x, y) for x, y in zip(a, b))

    right = [equal(s, truths) for s in sides]
    follows = [None] + [equal(s, sides[i]) for i, s in enumerate(sides[1:])]
    bad = next((i for i, f in enumerate(follows) if f is False), None)
    diagnosis = counterexample = None
    if not right[-1]:
        diagnosis = diagnose(graph, wrt, sides[-1], truths, others)
        if diagnosis.startswith("the claim differs"):
            diagnosis = missing_factor(graph, wrt, sides[-1], seed) or diagnosis
        counterexample = _counterexample(sides[-1], truths)
    if bad is not None:
        said = (f"line {bad + 1} ({derivation.steps[bad].latex.strip()}) does not equal line "
                f"{bad}: {diagnose(graph, wrt, sides[bad], sides[bad - 1], {})}")
        diagnosis = said if diagnosis is None else f"{said}; and the last line: {diagnosis}"
        if right[-1]:
            diagnosis += "; the last line nevertheless equals the gradient (two mistakes cancel)"
    steps = tuple(Step(i + 1, s.latex, lines[i], follows[i], right[i])
                  for i, s in enumerate(derivation.steps))
    method = f"numeric: float64 at {len(BATCHES)} random points, m = 3 and 4"
    if right[-1] and bad is None and lines[-1] == truth:
        method = "symbolic"
    return MatrixVerdict(wrt, right[-1] and bad is None, method, lines[-1], truth,
                   matrix_latex(lines[-1], graph), truth_latex, diagnosis, counterexample,
                   steps if len(steps) > 1 else ())


__all__ = ["verify_matrix_claim", "diagnose", "Evaluator", "MatrixVerdict"]
