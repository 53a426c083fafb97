"""The checks every TOML table symprop reads needs, each error naming the file and the key.

A spec (:mod:`symprop.front.spec`) and a lesson (:mod:`symprop.front.lesson_spec`)
are read by subclasses of :class:`TableReader`; what differs is their keys.

>>> reader = TableReader("net.toml")
>>> reader.strings("[graph] inputs", ["x", "y"])
['x', 'y']
>>> print(reader.error("[graph] inputs", "expected a list of names, got " + kind(3)))
net.toml: [graph] inputs: expected a list of names, got an integer
"""
from __future__ import annotations

from ..errors import SympropError, printable


def kind(value) -> str:
    """A TOML user's word for the type of ``value``."""
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


class TableReader:
    """Checks of one file's tables; ``where`` names the table and key in every error."""

    def __init__(self, source: str):
        self.source = source

    def error(self, where: str, message: str) -> SympropError:
        return SympropError(printable(f"{self.source}: {where}: {message}"))

    def table(self, where, value) -> dict:
        if not isinstance(value, dict):
            raise self.error(where, f"expected a table, got {kind(value)}")
        return value

    def no_unknown_keys(self, where, table, known):
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise self.error(where, f"unknown key(s) {', '.join(map(repr, unknown))}; "
                                    f"expected {', '.join(sorted(known))}")

    def require(self, where, table, key):
        if key not in table:
            raise self.error(where, f"missing key {key!r}")
        return table[key]

    def string(self, where, value, limit: int | None = None) -> str:
        if not isinstance(value, str):
            raise self.error(where, f"expected a string, got {kind(value)}")
        if limit is not None and len(value) > limit:
            raise self.error(where, f"{len(value)} characters; at most {limit}")
        return value

    def strings(self, where, value, what: str = "strings") -> list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(where, f"expected a list of {what}, got {kind(value)}")
        return value

    def boolean(self, where, value) -> bool:
        if not isinstance(value, bool):
            raise self.error(where, f"expected true or false, got {kind(value)}")
        return value

    def of_graph(self, where, graph, value, expected: str) -> list:
        """``value``'s ``(name, entry)`` pairs, ``value`` a table keyed by ``graph``'s names."""
        if not isinstance(value, dict):
            raise self.error(where, f"expected {expected}, got {kind(value)}")
        for name in value:
            if name not in graph.namespace():
                raise self.error(f"{where} {name}", f"{name!r} is not a name of the part's graph")
        return list(value.items())


__all__ = ["TableReader", "kind"]
