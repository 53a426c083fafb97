r"""A spec's ``[graph]`` in matrix form: shapes for the inputs and parameters, nodes in LaTeX.

``form = "matrix"`` makes the graph's vertices matrices with a batch of m examples as
columns, as ``Graph(form="matrix")`` does.  ``inputs`` maps each name to its rows (one
column per example), ``params`` to its ``[rows, cols]``; ``[]`` declares a scalar (a
coefficient given with the data, a learned scale).  A node is a matrix expression in
the notes' own LaTeX, read by symprop's matrix reader (never evaluated); the loss is
``ce(A_2, Y)`` (any loss of ``symprop.LOSSES``), the batch mean, and ``weight_decay =
{ rate = "lam", weights = ["W1", "W2"] }`` adds ``rate/(2m) sum ||W||_F^2``.

>>> from symprop.front.spec import loads_spec
>>> spec = loads_spec('''
... [graph]
... form = "matrix"
... inputs = { X = 3, Y = 2 }
... params = { W = [2, 3], b = [2, 1], s = [] }
... loss = "L"
... one_hot = ["Y"]
... [graph.nodes]
... Z = 's W X + b \\mathbf{1}^{\\top}'
... A = '\\operatorname{softmax}(Z)'
... L = 'ce(A, Y)'
... ''')
>>> spec.graph.derive("W").result
(s/m)*(A - Y)*X.T
"""
from __future__ import annotations

import re

from ..errors import SympropError
from ..ir import matrix_ops as ops
from ..registry.functions import LOSSES
from .tables import kind

_LOSS_CALL = re.compile(r"^\s*([A-Za-z_]\w*)\s*\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)\s*$")
DECAY_KEYS = {"rate", "weights"}
MAX_SIDE = 100_000            # rows or columns of one matrix; the entries are bounded too
MAX_ENTRIES = 10_000_000      # weights and biases in all, as a matrix [mlp]


def declare_leaves(reader, g, table) -> None:
    """``[graph] inputs`` (name -> rows, or ``[]``) and ``params`` (name -> ``[rows, cols]``,
    or ``[]``) declared in ``g``, in the order the spec gives them."""
    inputs = reader.table("[graph] inputs", table.get("inputs", {}))
    params = reader.table("[graph] params", reader.require("[graph]", table, "params"))
    if not params:
        raise reader.error("[graph] params", "expected at least one parameter")
    entries = 0
    for name, shape in inputs.items():
        where = f"[graph] inputs {name}"
        rows = None if shape == [] else _size(reader, where, shape, "its rows (an integer), "
                                                                   "or [] for a scalar")
        _declare(reader, where, lambda: g.input(name, rows))
    for name, shape in params.items():
        where = f"[graph] params {name}"
        if shape == []:
            _declare(reader, where, lambda: g.param(name))
            continue
        if not isinstance(shape, list) or len(shape) != 2:
            raise reader.error(where, f"expected [rows, cols], or [] for a scalar, got "
                                      f"{kind(shape)}")
        rows, cols = (_size(reader, where, n, "[rows, cols] of positive integers") for n in shape)
        entries += rows * cols
        if entries > MAX_ENTRIES:
            raise reader.error(where, f"more than {MAX_ENTRIES:,} weights and biases in all")
        _declare(reader, where, lambda: g.param(name, rows, cols))


def _size(reader, where, n, expected) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_SIDE:
        shown = repr(n) if isinstance(n, int) and not isinstance(n, bool) else kind(n)
        raise reader.error(where, f"expected {expected} (1 to {MAX_SIDE:,}), got {shown}")
    return n


def _declare(reader, where, declare):
    try:
        return declare()
    except SympropError as exc:
        raise reader.error(where, str(exc)) from None


def declare_node(reader, g, where, name, text, table) -> None:
    """Node ``name = text`` (a matrix expression in LaTeX), or the loss ``ce(A, Y)``."""
    from ..parse.matrix_latex import read_matrix_expression

    if name != table["loss"]:
        _declare(reader, where, lambda: g.node(name, read_matrix_expression(text, g)))
        return
    call = _LOSS_CALL.match(text)
    if call is None or call[1] not in LOSSES:
        raise reader.error(where, f"expected the loss as one of {', '.join(LOSSES)} of the "
                                  "outputs and the targets, as ce(A_2, Y)")
    outputs, targets = (_declare(reader, where, lambda n=n: g.symbol(n)) for n in call.group(2, 3))
    decay, weights = _weight_decay(reader, g, table.get("weight_decay"))
    _declare(reader, where, lambda: g.loss(name, ops.Loss(call[1], outputs, targets,
                                                           decay=decay, weights=weights)))


def _weight_decay(reader, g, table):
    """``(decay, weights)`` of ``weight_decay = { rate, weights }``: ``rate/m`` and the matrices."""
    if table is None:
        return 0, ()
    where = "[graph] weight_decay"
    table = reader.table(where, table)
    reader.no_unknown_keys(where, table, DECAY_KEYS)
    rate = reader.require(where, table, "rate")
    if isinstance(rate, str):
        rate = _declare(reader, f"{where} rate", lambda: g.symbol(rate))
        if g.shape(rate):
            raise reader.error(f"{where} rate", f"{rate} is a matrix; the rate is a number or a "
                                                "scalar input")
    elif isinstance(rate, bool) or not isinstance(rate, (int, float)):
        raise reader.error(f"{where} rate", f"expected a number or a scalar's name, got {kind(rate)}")
    names = reader.strings(f"{where} weights", reader.require(where, table, "weights"), "names")
    weights = tuple(_declare(reader, f"{where} weights", lambda n=n: g.parameter(n)) for n in names)
    return rate / g.batch, weights


__all__ = ["declare_leaves", "declare_node"]
