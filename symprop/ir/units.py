r"""Which unit of which layer each symbol of a layered network is about.

``mlp()`` records, for every symbol it declares, the units its indices name:
``w2_1_3`` joins unit 1 of layer 1 to unit 3 of layer 2, ``a2_3`` and ``b2_3``
are about unit 3 of layer 2, ``x1`` is unit 1 of layer 0 and ``y3`` unit 3 of
the output layer.  Two uses follow:

- a *renaming*: units of one layer swapped, which maps the network onto itself
  (its units are interchangeable), so that one derivation stands for another;
- a *generic name*: the symbol with some units written as letters, as a lecturer
  writes ``w_{j\to k}^{[2]}`` for every weight of layer 2.

>>> from symprop import mlp
>>> units = mlp([1, 3, 1]).units
>>> units.latex("w2_3_1", {(1, 3): "j"})
'w_{j}^{[2]}'
>>> units.latex("a1_2", {(1, 2): "k"})
'a_{k}^{[1]}'
"""
from __future__ import annotations

from dataclasses import dataclass

from . import notation


@dataclass(frozen=True)
class Unit:
    """A symbol's family (letter and layer) and the ``(layer, unit)`` pairs its indices name."""

    letter: str                 # "w", "b", "z", "a", "x" or "y"
    layer: int
    units: tuple                # ((layer, unit), ...), in index order


class UnitTable:
    """The units of a network's symbols (by name), with its layer sizes."""

    def __init__(self, sizes):
        self.sizes = tuple(sizes)
        self.of: dict[str, Unit] = {}
        self._by_units: dict[tuple, str] = {}

    def add(self, name: str, letter: str, layer: int, *units) -> None:
        unit = Unit(letter, layer, tuple(units))
        self.of[name] = unit
        self._by_units[letter, layer, unit.units] = name

    def family(self, name) -> tuple | None:
        """``(letter, layer)`` of a symbol, or None for one outside the layers (the loss)."""
        unit = self.of.get(str(name))
        return None if unit is None else (unit.letter, unit.layer)

    def renamed(self, swaps: dict) -> dict[str, str]:
        """``{name: name}`` of the renaming that swaps units (``swaps``: ``{(layer, u): (layer, v)}``,
        a permutation of the units of each layer it names); names it leaves are absent."""
        out = {}
        for name, unit in self.of.items():
            moved = tuple(swaps.get(u, u) for u in unit.units)
            if moved != unit.units:
                out[name] = self._by_units[unit.letter, unit.layer, moved]
        return out

    def latex(self, name, letters: dict) -> str:
        """The symbol's LaTeX with the units in ``letters`` (``{(layer, unit): "j"}``) written as
        those letters, in the network's own notation (the weights' short form included)."""
        unit = self.of[str(name)]
        index = [letters.get(u, u[1]) for u in unit.units]
        if unit.letter == "w":
            short = self._short(unit.layer)
            return notation.weight_latex(unit.layer, index[0], index[1],
                                         None if short is None else index[short])
        if unit.letter in ("x", "y"):
            # a layer of one unit has one symbol, x or y, and no index
            side = self.sizes[unit.layer]
            return unit.letter if side == 1 else f"{unit.letter}_{{{index[0]}}}"
        return notation.layer_latex(unit.letter, unit.layer, index[0])

    def _short(self, layer: int):
        """Which index the short weight form keeps (see ``nets._weight_short_index``), or None."""
        if any(min(a, b) > 1 for a, b in zip(self.sizes, self.sizes[1:])):
            return None
        n_in, n_out = self.sizes[layer - 1], self.sizes[layer]
        return 1 if n_in == 1 else 0 if n_out == 1 else None
