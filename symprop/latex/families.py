r"""One derivation for many: the weights of a layer, written once in unit letters.

A lecturer derives ``dL/dw_{j\to k}^{[2]}`` once, for every ``j`` and ``k``, not
nine times.  The units of a layer are interchangeable (swap two units and
their weights, and the network is the same), so the derivation for one weight,
renamed, is the derivation for another.  symprop does not take that on trust:
a family is formed only where every member's own result *equals* the first
member's result renamed (``ir.units.UnitTable.renamed``), so each generic line
is checked against every instance it stands for.

- :func:`parameter_families` groups parameters (``w`` or ``b`` of one layer);
- :func:`edge_families` groups the edges of the local-partials table.

A family's ``names`` write the first member's units as letters (``k`` for units
of the highest layer involved, ``j`` the next one down, ``i`` a second unit of
the top layer), so printing the first member's lines with them prints the
generic lines.  ``generic`` says whether all of its derivation reads that way
(it names no other unit of those layers); otherwise only its result does, and
the notes show the first member worked out, then the generic result.

>>> from symprop import mlp
>>> g = mlp([2, 3, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> [(str(f.first), len(f.members), f.generic) for f in parameter_families(g)][:3]
[('w1_1_1', 6, True), ('b1_1', 3, True), ('w2_1_1', 9, False)]
>>> parameter_families(g)[0].names["w1_1_1"]
'w_{j\\to k}^{[1]}'
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..derive.sizes import tree_size
from ..ir.units import Unit

MINIMUM = 3          # members: two instances are shown in full, as the lesson shows them
LETTERS = ("k", "i", "h")   # units of the top layer, in order; the layer below gets "j", "m"
LOWER_LETTERS = ("j", "m", "n")
LINE_NODES = 120     # a result larger than a line is not stated generically


@dataclass(frozen=True)
class Family:
    """Parameters (or edges) one derivation stands for: ``first``'s, renamed for each member."""

    first: object
    members: tuple
    letters: dict = field(default_factory=dict)   # {(layer, unit): letter}, for ``first``
    names: dict = field(default_factory=dict)     # {symbol name: generic LaTeX}
    generic: bool = False                          # every line of the derivation is generic

    def ranges(self, sizes) -> str:
        """``j = 1, 2 and k = 1, 2, 3``: what the letters run over."""
        spans = []
        for (layer, _), letter in sorted(self.letters.items(), key=lambda i: i[1]):
            n = sizes[layer]
            values = ", ".join(map(str, range(1, n + 1))) if n <= 4 else rf"1, \dots, {n}"
            spans.append(f"${letter} = {values}$")
        return " and ".join(spans)


def letters_for(units) -> dict:
    """``{(layer, unit): letter}`` for the distinct units, in order of appearance."""
    distinct = list(dict.fromkeys(units))
    layers = sorted({layer for layer, _ in distinct}, reverse=True)
    pools = {layer: iter(LETTERS if i == 0 else LOWER_LETTERS) for i, layer in enumerate(layers)}
    return {unit: next(pools[unit[0]]) for unit in distinct}


def _permutation(pairs: dict, sizes) -> dict:
    """A permutation of each layer's units sending each ``pairs`` key to its value."""
    out = dict(pairs)
    for layer in {layer for layer, _ in pairs}:
        units = [(layer, u) for u in range(1, sizes[layer] + 1)]
        free_from = [u for u in units if u not in pairs]
        free_to = [u for u in units if u not in pairs.values()]
        out.update(zip(free_from, free_to))
    return {k: v for k, v in out.items() if k != v}


def _renaming(graph, first_units, member_units) -> dict | None:
    """The symbol renaming that maps the first member onto one with these units, or None."""
    pairs = dict(zip(first_units, member_units))
    if len(set(pairs.values())) != len(pairs):      # two letters meeting in one unit
        return None
    swaps = _permutation(pairs, graph.units.sizes)
    return {graph.symbol(a): graph.symbol(b) for a, b in graph.units.renamed(swaps).items()}


def _names(graph, letters) -> dict:
    units = graph.units
    return {name: units.latex(name, letters) for name, unit in units.of.items()
            if any(u in letters for u in unit.units)}


def _reads_generically(graph, symbols, letters) -> bool:
    """No symbol names a unit of a lettered layer other than the lettered ones."""
    layers = {layer for layer, _ in letters}
    for symbol in symbols:
        unit = graph.units.of.get(str(symbol))
        if unit and any(u[0] in layers and u not in letters for u in unit.units):
            return False
    return True


def _default_notation(graph) -> bool:
    """Every symbol keeps the network's own LaTeX (a renamed one would not read generically)."""
    return all(graph.latex_name(name) == graph.units.latex(name, {}) for name in graph.units.of)


def _shown_symbols(d) -> set:
    """The symbols a derivation's lines print: its nodes, rules' forms, result, definitions."""
    exprs = [d.result, *(e for step in d.steps for e in d.step_forms(step)),
             *(expr for _, expr in d.definitions)]
    found = {d.wrt, *d.downstream}
    for expr in exprs:
        found |= expr.free_symbols
    return found


def parameter_families(graph, params=None, derive=None, minimum: int = MINIMUM) -> list:
    """The parameters in order, as families (a family of one for a parameter on its own).

    ``derive``: ``wrt -> Derivation`` (default ``graph.derive``).  A graph without unit
    records (not from ``mlp()``) gets one family per parameter.
    """
    params = list(graph.param_symbols if params is None else params)
    derive = derive or graph.derive
    alone = [Family(p, (p,)) for p in params]
    if getattr(graph, "units", None) is None or not _default_notation(graph):
        return alone
    groups: dict = {}
    for p in params:
        groups.setdefault(graph.units.family(p), []).append(p)
    out, done = [], set()
    for p in params:
        if p in done:
            continue
        members = groups[graph.units.family(p)]
        done.update(members)
        family = _family(graph, members, derive) if len(members) >= minimum else None
        out += [family] if family else [Family(m, (m,)) for m in members]
    return out


def _family(graph, members, derive) -> Family | None:
    first = members[0]
    first_units = graph.units.of[str(first)].units
    letters = letters_for(first_units)
    d = derive(first)
    adjoint_symbol = graph.adjoints().symbol   # a result may hold shared adjoints (dL_dz)
    for member in members[1:]:
        renaming = _renaming(graph, first_units, graph.units.of[str(member)].units)
        if renaming is None:
            return None
        renaming.update({adjoint_symbol[a]: adjoint_symbol[b] for a, b in renaming.items()
                         if a in adjoint_symbol and b in adjoint_symbol})
        other = derive(member)
        if other.path_count != d.path_count or other.result != d.result.xreplace(renaming):
            return None
    if _reads_generically(graph, _shown_symbols(d), letters):
        return Family(first, tuple(members), letters, _names(graph, letters), True)
    # else the first is worked out and its result stated generically: a line of graph symbols
    stated = d.result.free_symbols <= set(graph.symbols) and tree_size(d.result) <= LINE_NODES
    if not stated or not _reads_generically(graph, d.result.free_symbols, letters):
        return None
    return Family(first, tuple(members), letters, _names(graph, letters), False)


def edge_families(graph, edges, minimum: int = MINIMUM) -> list:
    """The edges in order, as families of edges whose partials are one generic line.

    Edges are grouped by their ends' families and by which of their units coincide;
    a family holds when every member's partial is the first's renamed and the first's
    partial names only its own units of those layers.
    """
    alone = [Family(e, (e,)) for e in edges]
    if getattr(graph, "units", None) is None or not _default_notation(graph):
        return alone
    units = graph.units

    def key(edge):
        ends = [_unit(graph, edge.parent), _unit(graph, edge.child)]
        pattern = letters_for(ends[0].units + ends[1].units)
        return ((ends[0].letter, ends[0].layer), (ends[1].letter, ends[1].layer),
                tuple(pattern[u] for u in ends[0].units + ends[1].units))

    groups: dict = {}
    for e in edges:
        groups.setdefault(key(e), []).append(e)
    out, done = [], set()
    for e in edges:
        if id(e) in done:
            continue
        members = groups[key(e)]
        done.update(map(id, members))
        family = _edge_family(graph, members) if len(members) >= minimum else None
        out += [family] if family else [Family(m, (m,)) for m in members]
    return out


def _unit(graph, symbol) -> Unit:
    """A symbol's unit record; the loss, outside the layers, is a family of its own."""
    return graph.units.of.get(str(symbol)) or Unit(str(symbol), -1, ())


def _edge_family(graph, members) -> Family | None:
    ends = lambda e: _unit(graph, e.parent).units + _unit(graph, e.child).units  # noqa: E731
    first = members[0]
    letters = letters_for(ends(first))
    for member in members[1:]:
        renaming = _renaming(graph, ends(first), ends(member))
        if renaming is None or member.partial != first.partial.xreplace(renaming):
            return None
    if not _reads_generically(graph, first.partial.free_symbols, letters):
        return None
    return Family(first, tuple(members), letters, _names(graph, letters), True)


def distinct_units(family) -> str:
    """``i \\neq k`` for two letters of one layer (they name different units), else ''."""
    by_layer: dict = {}
    for (layer, _), letter in family.letters.items():
        by_layer.setdefault(layer, []).append(letter)
    pairs = [r"%s \neq %s" % tuple(sorted((a, b))) for letters in by_layer.values()
             for n, a in enumerate(letters) for b in letters[n + 1:]]
    return ", ".join(pairs)
