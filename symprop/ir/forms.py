"""A graph's form: the little the shared stages ask of it, owned by the graph's class.

Accumulation, paths, the rules, `Derivation` and the notes are written once;
scalar vertices (seed 000) and layer-level matrices (seed 001) differ only in
how terms add, how an expression prints, and which printers write the
derivation and the notes.  Consumers ask ``graph.form``, never the graph's type.

>>> from symprop import Graph, MatrixGraph
>>> Graph.form.name, MatrixGraph.form.name
('scalar', 'matrix')
>>> Graph.form.add(sympy.Symbol("a"), 2)
a + 2
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Callable

import sympy

from . import matrix_ops


def _later(path: str) -> Callable:
    """The function at ``module:name``, imported at its first call (the printers import the IR)."""
    module, name = path.split(":")
    return lambda *args, **options: getattr(importlib.import_module(module), name)(*args, **options)


@dataclass(frozen=True)
class Form:
    """``add(*terms)``, ``zero(symbol)`` (a gradient no path reaches), ``text(expr)``,
    ``derivation_latex(derivation, **options)``, ``notes_body(graph, params, values,
    numbers, **options)``, and the words the text and the progress line use."""

    name: str
    paths_noun: str
    edges_step: str
    add: Callable
    zero: Callable
    text: Callable
    derivation_latex: Callable
    notes_body: Callable


SCALAR = Form("scalar", "path(s)", "local partials on every edge",
              add=lambda *terms: sympy.Add(*terms), zero=lambda symbol: sympy.Integer(0),
              text=_later("symprop.latex.text:text"),
              derivation_latex=_later("symprop.latex.derivation:derivation_latex"),
              notes_body=_later("symprop.latex.document:scalar_notes_body"))
MATRIX = Form("matrix", "layer-level path(s), each step a vector-Jacobian product",
              "layer-level vector-Jacobian rules, loss end first",
              add=matrix_ops.add, zero=lambda symbol: sympy.ZeroMatrix(*symbol.shape),
              text=_later("symprop.derive.matrix_text:matrix_text"),
              derivation_latex=_later("symprop.latex.matrix_printer:derivation_latex"),
              notes_body=_later("symprop.latex.matrix_notes:matrix_notes_body"))
