"""A graph's form: the little the shared stages ask of it, supplied by the graph it belongs to.

Reverse accumulation, paths, the textbook rules, `Derivation` and the notes are
written once; what differs between scalar vertices (seed 000) and layer-level
matrices (seed 001) is how terms add, how an expression prints, and which
printers write the derivation and the notes.  Each graph class owns one form
(``Graph.form``, ``MatrixGraph.form``), so no consumer tests which graph it holds.

>>> from symprop import Graph, MatrixGraph
>>> Graph.form.name, MatrixGraph.form.name
('scalar', 'matrix')
>>> import sympy
>>> Graph.form.add(sympy.Symbol("a"), 2)
a + 2
"""
from __future__ import annotations

import sympy


class ScalarForm:
    """Scalar vertices: adjoints add as sympy sums, print as :func:`symprop.latex.text.text`."""

    name = "scalar"
    paths_noun = "path(s)"
    edges_step = "local partials on every edge"

    def add(self, *terms):
        """The sum of an adjoint's terms."""
        return sympy.Add(*terms)

    def zero(self, symbol):
        """The gradient where no path leads to the loss."""
        return sympy.Integer(0)

    def text(self, expr) -> str:
        """``expr`` in plain text, positive terms first."""
        from ..latex.text import text

        return text(expr)

    def derivation_latex(self, derivation, **options) -> str:
        """The derivation step by step; see :mod:`symprop.latex.derivation`."""
        from ..latex.derivation import derivation_latex

        return derivation_latex(derivation, **options)

    def notes_body(self, graph, params=None, values=None, numbers=True, **options) -> str:
        """The sections of the notes: forward, partials, gradients, back propagation, numbers."""
        from ..latex.document import scalar_notes_body

        return scalar_notes_body(graph, params, values, numbers, **options)


class MatrixForm(ScalarForm):
    """Layer-level matrices: adjoints add as matrix sums, print with ``.*`` and ``ones(m, 1)``."""

    name = "matrix"
    paths_noun = "layer-level path(s), each step a vector-Jacobian product"
    edges_step = "layer-level vector-Jacobian rules, loss end first"

    def add(self, *terms):
        from .matrix_ops import add

        return add(*terms)

    def zero(self, symbol):
        return sympy.ZeroMatrix(*symbol.shape)

    def text(self, expr) -> str:
        from ..derive.matrix_text import matrix_text

        return matrix_text(expr)

    def derivation_latex(self, derivation, **options) -> str:
        from ..latex.matrix_printer import derivation_latex

        return derivation_latex(derivation, **options)

    def notes_body(self, graph, params=None, values=None, numbers=True, **options) -> str:
        from ..latex.matrix_notes import matrix_notes_body

        return matrix_notes_body(graph, params, values, numbers, **options)


SCALAR, MATRIX = ScalarForm(), MatrixForm()

__all__ = ["ScalarForm", "MatrixForm", "SCALAR", "MATRIX"]
