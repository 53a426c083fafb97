r"""A loss claim over a scalar graph, where there is no batch: its targets and outputs one column.

The claim is read as over a matrix graph (:mod:`.loss_latex`) whose one example is the
column of the network's targets ``y`` and the column of its outputs ``p``, so that
``\sum y \log(p)`` adds over the outputs; the reading is then written out entry by
entry in the graph's own scalars.  A claim in the graph's own indexed names
(``y_1 \log(a_1^{[2]}) + y_2 \log(a_2^{[2]})``) is read by the scalar reader
(:mod:`.latex`) instead.

>>> from symprop import mlp
>>> g = mlp([2, 3, 2], output="softmax", loss="ce", one_hot=True)
>>> read_scalar_loss(r"L = -\sum y \log(p)", g).expr
-y1*log(a2_1) - y2*log(a2_2)
>>> read_scalar_loss(r"-(y_1 \log(a_1^{[2]}) + y_2 \log(a_2^{[2]}))", g).expr
-y1*log(a2_1) - y2*log(a2_2)
"""
from __future__ import annotations

import re

import sympy
from sympy import (HadamardPower, HadamardProduct, MatAdd, MatMul, MatrixSymbol, OneMatrix,
                   Transpose, ZeroMatrix)

from ..errors import SympropError
from ..ir import matrix_ops as ops
from .latex_text import LatexReadError
from .loss_latex import GLUED, EntrySum, LossReading, read_matrix_loss, split_loss


def read_scalar_loss(text: str, graph) -> LossReading:
    """``text`` (``J = ...`` or its right side) as a number of ``graph``'s scalars; a
    :class:`LatexReadError` saying why not."""
    pairs = loss_arguments(graph)
    first = None
    if pairs:
        try:
            return _as_column(text, graph, pairs)
        except LatexReadError as error:
            first = error
    from .latex import read_latex

    name, name_latex, right = split_loss(text)
    try:
        expr = read_latex(GLUED.sub(lambda m: f"{m[1]} \\{m[2]}", right), graph)
    except SympropError as error:
        raise first or error from None
    return LossReading(expr, name, name_latex)


def loss_arguments(graph) -> list[tuple]:
    """``[(output, target), ...]`` of a scalar graph's loss: the nodes and the inputs its
    formula uses, paired by their last number (``a2_1`` with ``y1``), else in order; empty
    where they do not pair up.

    >>> from symprop import mlp
    >>> loss_arguments(mlp([2, 2, 1], output="sigmoid", loss="bce"))
    [(a2_1, y)]
    """
    used = graph.expr(graph.loss_symbol).free_symbols
    outputs = [s for s in graph.node_symbols if s in used]
    targets = [s for s in graph.input_symbols if s in used]
    if not outputs or len(outputs) != len(targets):
        return []
    numbers = [[re.search(r"(\d+)$", s.name) for s in group] for group in (outputs, targets)]
    if all(numbers[0]) and all(numbers[1]):
        by_number = {int(m[1]): t for m, t in zip(numbers[1], targets)}
        if sorted(by_number) == sorted(int(m[1]) for m in numbers[0]):
            targets = [by_number[int(m[1])] for m in numbers[0]]
    return list(zip(outputs, targets))


def _as_column(text, graph, pairs) -> LossReading:
    from ..ir.graph import Graph

    column = Graph(form="matrix")
    k = len(pairs)
    (output, target), = pairs if k == 1 else [(None, None)]
    names = ((target.name, graph.latex_name(target)), (output.name, graph.latex_name(output))) \
        if k == 1 else (("y", "y"), ("p", "p"))
    targets = column.input(names[0][0], k, names[0][1])
    outputs = column.input(names[1][0], k, names[1][1])
    reading = read_matrix_loss(text, column, outputs, targets, columns=True)
    binding = {outputs: [o for o, _ in pairs], targets: [t for _, t in pairs]}
    value = _entries(reading.expr, binding)
    if isinstance(value, list):
        if len(value) != 1:
            raise LatexReadError(f"the claim is {len(value)} numbers, one per output, not one "
                                 "number: a loss adds them up (\\sum)")
        value = value[0]
    if value.has(column.batch):
        raise LatexReadError("the claim uses the batch size m, but this network is written "
                             "for one example: it has no batch")
    return LossReading(value, reading.name, reading.name_latex)


def _entries(x, binding):
    """``x`` written out: a list of scalars for a column, a scalar for a number."""
    if isinstance(x, EntrySum):
        return sympy.Add(*_entries(x.matrix, binding))
    if isinstance(x, MatrixSymbol):
        return list(binding[x])
    if isinstance(x, (OneMatrix, ZeroMatrix)):
        return [sympy.Integer(isinstance(x, OneMatrix))] * int(x.shape[0])
    if isinstance(x, Transpose):
        return _entries(x.arg, binding)
    if isinstance(x, MatMul):
        coeff, matrices = x.as_coeff_matrices()
        if len(matrices) != 1:
            raise LatexReadError("a matrix product has no meaning in the loss of a network "
                                 "written for one example; its values are numbers")
        coeff = _entries(coeff, binding)
        return [coeff * e for e in _entries(matrices[0], binding)]
    if isinstance(x, (MatAdd, HadamardProduct)):
        parts = [_entries(a, binding) for a in x.args]
        combine = sympy.Add if isinstance(x, MatAdd) else sympy.Mul
        return [combine(*column) for column in zip(*parts)]
    if isinstance(x, HadamardPower):
        return [e ** x.exp for e in _entries(x.base, binding)]
    if isinstance(x, ops.Apply):
        return [x.function(e) for e in _entries(x.arg, binding)]
    if isinstance(x, sympy.MatrixExpr):
        raise LatexReadError(f"the claim uses {type(x).__name__}, which has no meaning in the "
                             "loss of a network written for one example")
    return x.xreplace({s: _entries(s, binding) for s in x.atoms(EntrySum)})


__all__ = ["loss_arguments", "read_scalar_loss"]
