"""A verdict as it is reported: `Verdict`, its `Step` lines, and their text, JSON and HTML.

>>> from symprop import mlp
>>> print(mlp([1, 2, 1]).verify("b2_1", r"a_1^{[2]} - y"))
equivalent (symbolic)
  claim: a2_1 - y
  truth: a2_1 - y
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import sympy

@dataclass
class Step:
    """One line of a multi-step claim and how it relates to the line before and to the truth."""

    number: int
    latex: str
    expr: sympy.Expr
    follows: bool | None            # equals the line before (None for the first line)
    equals_truth: bool | None
    counterexample: dict | None = None
    about: sympy.Symbol | None = None   # the quantity dL/d(about) of its statement (several-line claims)

    def to_dict(self) -> dict:
        return {"number": self.number, "latex": self.latex, "expr": str(self.expr),
                "follows": self.follows, "equals_truth": self.equals_truth,
                "counterexample": self.counterexample,
                "about": None if self.about is None else str(self.about)}


@dataclass
class Verdict:
    """Whether a hand derivation is the gradient; truthy when it is.

    ``equivalent`` (None when no decision could be reached), ``method``,
    ``counterexample`` (``{"point", "claim", "truth", "difference"}``) when
    not equivalent, ``claim``/``truth`` (sympy, node values) and their LaTeX,
    ``diagnosis`` (a sentence, None when right), ``steps`` (multi-step claims),
    ``convention`` (the name of the one it was judged under, :mod:`symprop.verify.conventions`)
    and ``reading`` (which reading of dZ, dW, δ it was judged under, where more than one is
    possible; None where the conventions agree).
    """

    wrt: sympy.Symbol
    equivalent: bool | None
    method: str
    claim: sympy.Expr
    truth: sympy.Expr
    claim_latex: str
    truth_latex: str
    diagnosis: str | None = None
    counterexample: dict | None = None
    steps: tuple[Step, ...] = field(default_factory=tuple)
    convention: str = "symprop"
    reading: str | None = None

    def __bool__(self):
        return self.equivalent is True

    @staticmethod
    def _text(expr) -> str:
        """An expression as the verdict writes it: a matrix as the text format does (``A1.T``)."""
        if isinstance(expr, sympy.MatrixExpr):
            from ..derive.matrix_text import matrix_text

            return matrix_text(expr)
        return str(expr)

    def to_dict(self) -> dict:
        """Stable JSON-ready keys."""
        return {"wrt": str(self.wrt), "equivalent": self.equivalent, "method": self.method,
                "claim": self._text(self.claim), "claim_latex": self.claim_latex,
                "truth": self._text(self.truth), "truth_latex": self.truth_latex,
                "diagnosis": self.diagnosis, "counterexample": self.counterexample,
                "steps": [{**s.to_dict(), "expr": self._text(s.expr)} for s in self.steps],
                "convention": self.convention, "reading": self.reading}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    def __str__(self):
        head = {True: "equivalent", False: "NOT equivalent", None: "undecided"}[self.equivalent]
        lines = [f"{head} ({self.method})", f"  claim: {self._text(self.claim)}",
                 f"  truth: {self._text(self.truth)}"]
        if self.diagnosis:
            lines.append(f"  why:   {self.diagnosis}")
        if self.reading:
            lines.append(f"  read:  {self.reading}")
        if self.counterexample:
            at = ", ".join(f"{k}={v:g}" for k, v in self.counterexample["point"].items())
            values = ", ".join(f"{k} = {v!r}" for k, v in self.counterexample.items() if k != "point")
            lines.append(f"  at {at}: {values}")
        return "\n".join(lines)

    def _repr_html_(self):
        """Jupyter's view: the verdict, why, and the claim and the truth typeset."""
        from ..latex.rich_display import verdict_html

        return verdict_html(self)
