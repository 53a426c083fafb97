"""The function registry: the one place that knows a named function (:mod:`.functions` gathers it).

:mod:`.functions` is imported first, so that :mod:`.stable` and :mod:`.kinks`,
which import it and are wired into its entries, find it whichever is imported first.
"""
from . import functions  # noqa: F401
