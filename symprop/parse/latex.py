r"""Reading hand derivations written in LaTeX, in the lessons' notation.

latex2sympy2 reads the text (:mod:`.grammar`, the only module that imports it).  Before it sees
anything, the text is screened (length, TeX programming commands, braces,
commands outside a small whitelist) and every graph name is replaced by a
placeholder, so ``a_1^{[2]}`` is a name, never a power (:mod:`.latex_reader` reads one
side of an equation, :mod:`.latex_meanings` puts the meanings back); this module reads
whole lines and chains:

>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> read_latex(r"a_1^{[2]} (1 - a_1^{[2]})", g)
a2_1*(1 - a2_1)
>>> read_latex(r"\frac{\partial \mathcal{L}}{\partial z_1^{[2]}} \, a_{1}^{[1]}", g)
a1_1*(a2_1 - y)
>>> [str(s.expr) for s in read_derivation(r"\frac{\partial \mathcal{L}}{\partial b_1^{[2]}}"
...                                       r" = \sigma(z_1^{[2]}) - y = a_1^{[2]} - y", g).steps]
['-y + sigmoid(z2_1)', 'a2_1 - y']
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from .latex_reader import _Reader
from .latex_text import LatexReadError, _normalize, _quote, _screen, _split_sides, written_primes
from .layout import ascii_operators, blank_annotations, chains, grouped_steps


@dataclass(frozen=True)
class LatexStep:
    r"""One side of ``A = B = C``: its LaTeX as written and what it reads as (node values).

    ``about`` is ``(loss, v)`` when the line it is on names dL/dv on its left
    (``\frac{\partial \mathcal{L}}{\partial w} = ...``, ``\delta^{[2]} = ...``), else None.
    """

    latex: str
    expr: sympy.Expr
    derivatives: frozenset = frozenset()   # the (of, wrt) pairs of the fractions it uses
    about: tuple | None = None


@dataclass(frozen=True)
class LatexDerivation:
    r"""A chain ``A = B = C`` or an ``aligned`` block, read step by step.

    ``about`` is ``(loss, parameter)`` when the first side was the derivative
    itself (``\frac{\partial \mathcal{L}}{\partial w} = ...``), which is then
    not a step.  A block may state several quantities in turn (the error of a
    node, then a weight's gradient): each step's ``about`` says which its line names.
    """

    steps: tuple[LatexStep, ...]
    about: tuple[sympy.Symbol, sympy.Symbol] | None = None

    def chains(self) -> list[tuple[tuple | None, tuple[LatexStep, ...]]]:
        """The steps grouped by the quantity they state, in order: ``[(about, steps), ...]``."""
        return grouped_steps(self.steps)


def read_latex(text: str, graph) -> sympy.Expr:
    r"""One expression, in the graph's symbols (node values where the text uses them).

    >>> from symprop import mlp
    >>> read_latex(r"w_{1\to 1}^{[2]} \cdot x", mlp([1, 2, 1]))
    w2_1_1*x
    """
    derivation = read_derivation(text, graph)
    if len(derivation.steps) != 1 or derivation.about is not None:
        raise LatexReadError(f"expected one expression, found an equation {_quote(text)}; "
                             "use read_derivation for a chain A = B = C")
    return derivation.steps[0].expr


def read_derivation(text: str, graph) -> LatexDerivation:
    """A chain ``A = B = C`` (or an ``aligned`` block), every side read by :func:`read_latex`.

    A block's lines are laid out as :func:`.layout.chains` reads them: each line
    that names a quantity on its left starts the steps about it.
    """
    text = written_primes(blank_annotations(ascii_operators(text)))
    _screen(text, primes=True)
    text = _normalize(text)
    _split_sides(text)                       # refuses a chain too long, before any reading
    reader = _Reader(graph)
    found = chains(text, lambda side: reader.leading_derivative(side) is not None)
    steps, first = [], None
    for number, chain in enumerate(found):
        about = reader.leading_derivative(chain.lhs) if chain.lhs is not None else None
        first = about if number == 0 else first
        for side in chain.sides:
            side = side.replace("\\\\", " ").strip().rstrip(".,; ")
            if not side:
                raise LatexReadError(f"an '=' in {_quote(text)} has nothing on one side")
            expr = reader.read(side)
            steps.append(LatexStep(side, expr, frozenset(reader.used), about))
    return LatexDerivation(tuple(steps), first)
