"""A graph's form: the little the shared stages ask of it, decided by its vertices' shapes.

Accumulation, paths, the rules, `Derivation` and the notes are written once;
scalar vertices (as in *Back Propagation*) and layer-level matrices (as in *Backprop Implementation*) differ only in
how terms add, how an expression prints, which printers write the derivation
and the notes, how a check draws, reads and compares its points, which writer
generates the module and which backend ``"auto"`` picks, how a spec's values are
read, how a textbook's notation renames it, and whether it holds a batch of
examples.  One :class:`~symprop.ir.graph.Graph` holds either: its vertices' shapes
decide its form.  Consumers ask ``graph.form``, never its form's name.

>>> from symprop import Graph, matrix_mlp
>>> Graph().form.name, matrix_mlp([2, 1]).form.name
('scalar', 'matrix')
>>> SCALAR.add(sympy.Symbol("a"), 2)
a + 2
"""
from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from typing import Callable

import sympy

from ..errors import SympropError
from . import matrix_ops


def _later(path: str) -> Callable:
    """The function at ``module:name`` (``name`` may be ``Class.method``), imported at its
    first call (the stages it names import the IR)."""
    module, name = path.split(":")
    return lambda *args, **options: functools.reduce(
        getattr, name.split("."), importlib.import_module(module))(*args, **options)


@dataclass(frozen=True)
class Form:
    """``edges(graph)`` (every edge and its pullback, :mod:`symprop.ir.edges`),
    ``substitute(expr, mapping)``, ``add(*terms)``, ``zero(symbol)`` (a gradient no path
    reaches), ``text(expr)``,
    ``derivation_latex(derivation, **options)``, ``notes_body(graph, params, values,
    numbers, **options)``; for a check, ``draw(graph, rng, batch)`` (a random point),
    ``given(graph, values, notes)`` (the points ``values`` hold) and ``compare(graph,
    points, oracle, compiled)`` (``(rows, points as reported, batch sizes or None)``);
    ``module_source(graph, reduce, backend, dtype)`` and ``compile(graph, reduce, backend,
    dtype)`` (a loaded program); ``verify(graph, wrt, claim, **options)`` (a
    :class:`~symprop.verify.verdict.Verdict`); for a spec, ``spec_value(reader,
    where, value)`` and ``spec_check(graph, values)`` (what is checked at load time);
    for a view in a textbook's notation, ``notation_view(graph, notation)`` (``(display
    names, the view's other attributes)``) and ``notation_adjoint(graph, notation, name)``
    (the template of its shorthand for dL/d``name``, or None); ``code_blocks(graph,
    values)`` (the notes' code section, [] with no point to show); ``notebook_cells(graph,
    point, drawn)`` (a notebook's cells computing the notes); ``auto_backend(graph,
    dtype)`` (the backend ``"auto"`` stands for); ``check_points`` (how many random points a
    check draws by default); ``batched`` (its values hold a batch of
    examples, which a cost sums or averages over), ``adjoints_as_symbols`` (a claim's line
    holds the adjoints it uses as symbols, ``dL_dZ2``, not as their values) and
    ``drawn_by_operation`` (its picture has one vertex per operation already); and the
    words the text and the progress line use."""

    name: str
    paths_noun: str
    edges_step: str
    edges: Callable
    substitute: Callable
    add: Callable
    zero: Callable
    text: Callable
    derivation_latex: Callable
    notes_body: Callable
    draw: Callable
    given: Callable
    compare: Callable
    module_source: Callable
    compile: Callable
    verify: Callable
    spec_value: Callable
    spec_check: Callable
    notation_view: Callable
    notation_adjoint: Callable
    code_blocks: Callable
    notebook_cells: Callable
    auto_backend: Callable
    check_points: int
    batched: bool
    adjoints_as_symbols: bool
    drawn_by_operation: bool


def _scalar_source(graph, reduce, backend, dtype) -> str:
    return _later("symprop.codegen.compiled:scalar_program")(graph, reduce, backend, dtype).source


def _matrix_source(graph, reduce, backend, dtype) -> str:
    if reduce:
        raise SympropError(f"reduce {reduce!r} does not apply to a graph in matrix form: its "
                           "loss and gradients are already means over the batch")
    return _later("symprop.codegen.matrix_module:generate_source")(graph, backend,
                                                                   dtype or "float64")


# Each stage's function for the scalar form and for the matrix form (in symprop).
_STAGES = {
    "edges": ("ir.edges:scalar_edges", "ir.edges:matrix_edges"),
    "compile": ("codegen.compiled:compile_scalar", "codegen.matrix_module:compile_matrix_graph"),
    "verify": ("verify.verdict:verify_claim", "verify.matrix_verdict:verify_matrix_claim"),
    "text": ("latex.text:text", "derive.matrix_text:matrix_text"),
    "derivation_latex": ("latex.derivation:derivation_latex",
                         "latex.matrix_printer:derivation_latex"),
    "notes_body": ("latex.document:scalar_notes_body", "latex.matrix_notes:matrix_notes_body"),
    "draw": ("check.points:scalar_draw", "check.points:random_point"),
    "given": ("check.points:scalar_given", "check.points:matrix_given"),
    "compare": ("check.graph_check:scalar_rows", "check.graph_check:matrix_rows"),
    "spec_value": ("front.spec:_Reader.number_or_list", "front.spec:_Reader.matrix"),
    "notation_view": ("latex.notations:_scalar_view", "latex.notations:_matrix_view"),
    "notation_adjoint": ("latex.notations:_scalar_adjoint", "latex.notations:_matrix_adjoint"),
    "code_blocks": ("latex.code_section:_scalar_code", "latex.code_section:_matrix_code"),
    "notebook_cells": ("latex.to_notebook:scalar_cells", "latex.to_notebook:matrix_cells"),
    "auto_backend": ("codegen.auto_backend:_scalar_rule", "codegen.auto_backend:_matrix_rule"),
}
SCALAR = Form("scalar", "path(s)", "local partials on every edge",
              substitute=lambda expr, mapping: expr.xreplace(mapping),
              add=lambda *terms: sympy.Add(*terms), zero=lambda symbol: sympy.Integer(0),
              module_source=_scalar_source, check_points=3,
              spec_check=lambda graph, values: None,   # checked when used: values may be partial
              batched=False, adjoints_as_symbols=False, drawn_by_operation=False,
              **{field: _later("symprop." + paths[0]) for field, paths in _STAGES.items()})
MATRIX = Form("matrix", "layer-level path(s), each step a vector-Jacobian product",
              "layer-level vector-Jacobian rules, loss end first",
              substitute=matrix_ops.substitute, add=matrix_ops.add, zero=matrix_ops.zero_like,
              module_source=_matrix_source, check_points=2,
              spec_check=_later("symprop.check.points:given_point"),   # shapes, at load time
              batched=True, adjoints_as_symbols=True, drawn_by_operation=True,
              **{field: _later("symprop." + paths[1]) for field, paths in _STAGES.items()})
# A form by its name, for Graph(form=...) and mlp(form=...).
FORMS = {form.name: form for form in (SCALAR, MATRIX)}
