"""A graph's form: the little the shared stages ask of it, owned by the graph's class.

Accumulation, paths, the rules, `Derivation` and the notes are written once;
scalar vertices (seed 000) and layer-level matrices (seed 001) differ only in
how terms add, how an expression prints, and which printers write the
derivation and the notes.  Consumers ask ``graph.form``, never the graph's type.

>>> from symprop import Graph, MatrixGraph
>>> Graph.form.name, MatrixGraph.form.name
('scalar', 'matrix')
"""
from __future__ import annotations

import sympy


class ScalarForm:
    """Scalar vertices: sympy sums, :func:`symprop.latex.text.text`, seed 000's notes."""

    name = "scalar"
    paths_noun = "path(s)"
    edges_step = "local partials on every edge"

    def add(self, *terms):
        """The sum of an adjoint's terms."""
        return sympy.Add(*terms)

    def zero(self, symbol):
        """The gradient with respect to ``symbol`` where no path leads to the loss."""
        return sympy.Integer(0)

    def text(self, expr) -> str:
        """``expr`` in plain text."""
        from ..latex.text import text

        return text(expr)

    def derivation_latex(self, derivation, **options) -> str:
        """A derivation in LaTeX."""
        from ..latex.derivation import derivation_latex

        return derivation_latex(derivation, **options)

    def notes_body(self, graph, params=None, values=None, numbers=True, **options) -> str:
        """The sections of the notes."""
        from ..latex.document import scalar_notes_body

        return scalar_notes_body(graph, params, values, numbers, **options)


class MatrixForm(ScalarForm):
    """Layer-level matrices: matrix sums, ``.*`` and ``ones(m, 1)`` in text, seed 001's notes."""

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
