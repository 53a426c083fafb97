"""The function registry: the one place that knows a named function (:mod:`.functions` gathers it).

Every fact about a function is a field of its :class:`~.entry.Entry` in :mod:`.table`;
the modules the entries name (its forms, its stable logs) import nothing of the
table, and :mod:`.kinks` reads the table, so the modules import in one direction.
"""
from . import functions  # noqa: F401
