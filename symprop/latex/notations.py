r"""Textbook notations: a network's symbols and adjoints as Nielsen or deeplearning.ai write them.

``--notation`` (``notes(graph, notation=...)``, ``Derivation.latex(notation=...)``) chooses
how a network built by ``mlp()`` is written; the derivations are the same, only the
names change.  Each notation is one table (:data:`NOTATIONS`, in
:mod:`symprop.latex.notation_tables`): templates for each kind
of symbol, the loss, the adjoint shorthand and the legend.

- ``seed`` (the default): symprop's own, ``w_{j\to k}^{[l]}``, ``\mathcal{L}``,
  adjoints as fractions.
- ``nielsen`` (*Neural Networks and Deep Learning*, ch. 2): layers as bare superscripts
  numbered from 1, the inputs' layer (symprop's layer l is Nielsen's l + 1),
  ``w^{l}_{jk}`` the weight *to* neuron j *from* neuron k, cost ``C``, and the error
  ``\delta^{l}_{j}`` for dC/dz; other adjoints as fractions.  In matrix form (his
  "fully matrix-based approach": the mini-batch as the columns) ``w^{l}``, ``b^{l}``,
  ``z^{l}``, ``a^{l}``, the inputs ``a^{1}``, targets ``y``, cost ``C`` (the mean over the
  examples), errors ``\delta^{l}`` and ``\nabla_a C``, as his BP1-BP4 write them.
- ``deeplearning.ai`` (Andrew Ng's course): ``w^{[l]}_{kj}`` (row k, column j of
  ``W^{[l]}``), ``\hat{y}`` for the output, adjoints ``dz^{[l]}_{k}``; in matrix form
  ``W^{[l]}``, ``Z^{[l]}``, ``A^{[l]}``, cost ``J``, adjoints ``dZ^{[l]}``.

:func:`renamed` returns a graph that prints in a notation: a copy of the network whose
display names, unit records (the generic names of :mod:`symprop.latex.families`) and
legend are the notation's, sharing the original's adjoints; the printers find the
adjoint shorthand on it (:func:`adjoint_latex`).

>>> from symprop import mlp
>>> g = renamed(mlp([2, 3, 2]), "nielsen")
>>> g.latex_name("w2_2_1"), g.latex_name("z2_1"), g.latex_name("L")
('w^{3}_{12}', 'z^{3}_{1}', 'C')
>>> adjoint_latex(g, "z2_1")
'\\delta^{3}_{1}'
>>> renamed(mlp([2, 3, 2]), "deeplearning.ai").latex_name("w2_2_1")
'w^{[2]}_{12}'
>>> m = renamed(mlp([2, 3, 2], form="matrix"), "nielsen")
>>> m.latex_name("W1"), m.latex_name("X"), adjoint_latex(m, "Z2"), adjoint_latex(m, "A2")
('w^{2}', 'a^{1}', '\\delta^{3}', '\\nabla_a C')
"""
from __future__ import annotations

import copy
import re
from dataclasses import replace

from ..errors import SympropError
from ..ir import notation as ir_notation
from ..ir.units import UnitTable
from ..registry.functions import entry_for
from .notation_tables import NOTATIONS, SEED, Notation

DEFAULT = "seed"


def notation_named(name) -> Notation:
    """The table of ``name``; an unknown name is refused, naming the choices."""
    if isinstance(name, Notation):
        return name
    if name not in NOTATIONS:
        shown = name if isinstance(name, str) and len(name) < 40 else type(name).__name__
        raise SympropError(f"unknown notation {shown!r}; choose one of {', '.join(NOTATIONS)}")
    return NOTATIONS[name]


# ----------------------------------------------------------------- scalar names
def _pair(n: Notation, to, frm) -> str:
    """The weight's two units, run together (``12``) as the books do, or with a comma where a
    unit has two digits (``1,12``)."""
    if len(str(to)) == 1 and len(str(frm)) == 1:
        return n.pair.format(to=to, frm=frm)
    return n.pair.format(to=to, frm=f",{frm}")


def scalar_name(n: Notation, unit, letters: dict, sizes) -> str:
    """The LaTeX of a symbol of a layered network (a :class:`~symprop.ir.units.Unit`) with the
    units in ``letters`` (``{(layer, unit): "j"}``) written as those letters."""
    index = [letters.get(u, u[1]) for u in unit.units]
    if unit.letter in ("x", "y"):      # a layer of one unit has one symbol, x or y
        return unit.letter if sizes[unit.layer] == 1 else f"{unit.letter}_{{{index[0]}}}"
    layer = unit.layer + n.layer_shift
    if unit.letter == "w":
        return n.names["w"].format(l=layer, pair=_pair(n, index[1], index[0]))
    if unit.letter == "a" and unit.layer == len(sizes) - 1 and n.output:
        return n.output_one if sizes[-1] == 1 else n.output.format(k=index[0])
    return n.names[unit.letter].format(l=layer, k=index[0])


class _NotationUnits(UnitTable):
    """A network's unit records, naming symbols in a notation (the families' generic names)."""

    def __init__(self, base: UnitTable, n: Notation):
        super().__init__(base.sizes)
        self.of, self._by_units, self.notation = base.of, base._by_units, n

    def latex(self, name, letters: dict) -> str:
        return scalar_name(self.notation, self.of[str(name)], letters, self.sizes)


# ----------------------------------------------------------------- matrix names
_MATRIX_NAME = re.compile(r"^([WbZA])(\d+)$")


# The weight decay's rate, as matrix_mlp(weight_decay=True) declares it: every book writes λ.
_RATE, _RATE_LATEX = "lam", r"\lambda"


def _matrix_names(graph, n: Notation) -> dict:
    """``{identifier: LaTeX}`` of a matrix network as ``mlp(..., form="matrix")`` declares it."""
    out = {}
    for s in graph.symbols:
        m = _MATRIX_NAME.match(s.name)
        out[s.name] = (n.matrix[m[1]].format(l=int(m[2]) + n.layer_shift) if m else
                       n.matrix_loss if s == graph.loss_symbol else
                       _RATE_LATEX if s.name == _RATE else n.matrix[s.name])
    return out


def _matrix_layers(graph) -> int | None:
    """The depth of a matrix graph declared as ``matrix_mlp`` declares one (with or without a
    weight decay's rate), else None."""
    names = [s.name for s in graph.symbols]
    if names[2:3] == [_RATE]:
        names = names[:2] + names[3:]
    depth = (len(names) - 3) // 4
    expected = ["X", "Y"] + [f"{c}{l}" for l in range(1, depth + 1) for c in "WbZA"] + ["L"]
    return depth if depth >= 1 and names == expected else None


# ----------------------------------------------------------------- the view
def renamed(graph, notation=DEFAULT):
    """``graph`` printing in ``notation`` (a name of :data:`NOTATIONS`; None: as it is): the
    graph itself for ``seed`` (the graph a view was made from), else a copy with the notation's display names, unit records and legend, sharing
    the graph's adjoints.  Refused, with a :class:`~symprop.errors.SympropError` saying why,
    for a graph ``mlp()`` did not build and for one with display names of its own."""
    if notation is None:                      # the graph's own names, whichever they are
        return graph
    n = notation_named(notation)
    base = getattr(graph, "textbook_base", graph)
    if n is SEED:
        return base
    if getattr(graph, "textbook_notation", None) is n:
        return graph
    graph = base
    names, held = graph.form.notation_view(graph, n)
    view = copy.copy(graph)
    view._vertices = {k: replace(v, latex=names.get(k, v.latex))
                      for k, v in graph._vertices.items()}
    view._cache = {k: v for k, v in graph._cache.items() if k in _SHARED}
    for attribute, value in held.items():      # its legend, and a scalar view's unit records
        setattr(view, attribute, value)
    view.textbook_notation, view.textbook_base = n, graph
    return view


# What a view shares with its graph: nothing that holds the graph itself or its names.
_SHARED = ("edges", "adjoints", "node_values", "order", "composition", "adjoint_names")


def _not_renamable(n: Notation, why: str) -> SympropError:
    return SympropError(f"notation {n.name!r} renames the symbols of a network built by mlp() "
                        f"([mlp] in a spec); {why}, so only the notation 'seed' applies")


def _own_names(graph, expected: dict) -> None:
    """Refuse a graph whose display names are not the defaults: a notation never overrides
    a user's names ([graph.latex], set_latex) silently."""
    changed = [k for k, tex in expected.items() if graph.latex_name(k) != tex]
    if changed:
        k = changed[0]
        raise SympropError(f"{k} has its own display name {graph.latex_name(k)!r} "
                           "([graph.latex] or set_latex); a notation would override it: "
                           "choose the notation 'seed', or drop the display names")


def _scalar_view(graph, n: Notation) -> tuple[dict, dict]:
    """A scalar graph's display names in ``n``, and its view's legend and unit records."""
    units = getattr(graph, "units", None)
    if units is None:
        raise _not_renamable(n, "this graph's symbols are its own (a [graph])")
    defaults = {name: units.latex(name, {}) for name in units.of}
    loss = graph.loss_symbol.name
    _own_names(graph, {**defaults, loss: ir_notation.default_latex(loss)})
    names = {name: scalar_name(n, unit, {}, units.sizes) for name, unit in units.of.items()}
    names[loss] = n.loss
    return names, {"legend": _legend(graph, n), "units": _NotationUnits(units, n)}


def _matrix_view(graph, n: Notation) -> tuple[dict, dict]:
    """A matrix graph's display names in ``n``, and its view's legend."""
    if n.matrix is None:
        raise SympropError(f"notation {n.name!r} has no matrix form: {n.no_matrix}")
    if _matrix_layers(graph) is None:
        raise _not_renamable(n, "this matrix graph is not one (its symbols are not X, Y, "
                                "W1, b1, Z1, A1, ..., L)")
    _own_names(graph, {s.name: ir_notation.default_latex(s.name) if s.name == "L"
                       else _RATE_LATEX if s.name == _RATE
                       else graph._default_latex(s.name) for s in graph.symbols})
    depth = str(_matrix_layers(graph) + n.layer_shift)
    return _matrix_names(graph, n), {"legend": tuple(
        (tex, _fill(meaning, {"L": depth})) for tex, meaning in n.matrix_legend)}


# ----------------------------------------------------------------- adjoints
def adjoint_latex(graph, symbol, printed: str | None = None) -> str | None:
    r"""The notation's shorthand for d(loss)/d``symbol`` in a graph from :func:`renamed`
    (``printed``: the symbol's LaTeX where a family writes it in unit letters), or None where
    the notation writes it as a fraction (and in any other graph)."""
    n = getattr(graph, "textbook_notation", None)
    if n is None:
        return None
    name = getattr(symbol, "name", str(symbol))
    printed = graph.latex_name(name) if printed is None else printed
    template = graph.form.notation_adjoint(graph, n, name)
    if template is None:
        return None
    return template.format(name=printed, scripts=printed[1:])


def _scalar_adjoint(graph, n: Notation, name: str) -> str | None:
    """The template of ``n``'s shorthand for dL/d``name`` in a scalar graph: by the letter of
    its unit; none for the output where ``n`` names it apart (``\\hat{y}``: written in full)."""
    unit = graph.units.of.get(name)
    output = (unit is not None and unit.letter == "a" and n.output
              and unit.layer == len(graph.units.sizes) - 1)
    return None if unit is None or output else n.adjoints.get(unit.letter)


def _matrix_adjoint(graph, n: Notation, name: str) -> str | None:
    """The template of ``n``'s shorthand for dL/d``name`` in a matrix graph: by its letter, the
    output layer's activations by ``n.matrix_output`` where the book names them apart."""
    m = _MATRIX_NAME.match(name)
    if m and m[1] == "A" and n.matrix_output and int(m[2]) == _matrix_layers(graph):
        return n.matrix_output
    return n.matrix_adjoints.get(m[1]) if m else None


# ----------------------------------------------------------------- the legend
def _applied(entry, z: str, layer: str, k: str) -> str:
    """The activation applied, as a sentence's math: ``$\\sigma(z)$``."""
    if entry is None or not entry.latex:
        return f"${z}$"
    if entry.vector_valued:                  # softmax: a function of the layer's sums
        return rf"${entry.latex}_{{{k}}}({layer})$"
    return f"${entry.latex}({z})$"


def _fill(text: str, fills: dict) -> str:
    """``text`` with each ``<key>`` of ``fills`` replaced."""
    for key, value in fills.items():
        text = text.replace("<%s>" % key, str(value))
    return text


def _legend(graph, n: Notation) -> tuple:
    """The notation's legend for this network: what each kind of symbol means, then what the
    adjoint shorthand means."""
    sizes = graph.units.sizes
    depth = len(sizes) - 1
    hidden = entry_for(graph.expr("a1_1"))
    output = entry_for(graph.expr(f"a{depth}_1"))
    k = "j" if n.layer_shift else "k"
    top = "L" if n.layer_shift else depth      # Nielsen's rows say L = ...
    z_of = lambda layer: n.names["z"].format(l=layer, k=k)  # noqa: E731
    layer_of = lambda layer: (z_of(layer).split("_")[0])     # noqa: E731  z^{l}: the layer's
    fills = {"hidden": _applied(hidden, z_of("l"), layer_of("l"), k),
             "output": _applied(output, z_of(top), layer_of(top), k),
             "L": depth + n.layer_shift,
             "yhat": n.output_one if sizes[-1] == 1 else (n.output or "").format(k="k")}
    rows = []
    for tex, meaning in n.legend:
        if depth == 1 and "<hidden>" in meaning:   # no hidden layer: nothing to say
            continue
        rows.append((_fill(tex, fills), _fill(meaning, fills)))
    return (*rows, n.shorthand) if n.shorthand else tuple(rows)


__all__ = ["Notation", "NOTATIONS", "DEFAULT", "notation_named", "renamed", "adjoint_latex",
           "scalar_name"]
