"""Generated source loaded as a real module, through an importlib loader (no string evaluation).

The source is registered with :mod:`linecache`, so tracebacks and
:func:`inspect.getsource` show the generated lines.

>>> load_module("x = 1 + 1").x
2
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.util
import linecache


class _SourceLoader(importlib.abc.SourceLoader):
    """Loads one module from a source string held in memory."""

    def __init__(self, filename: str, source: str):
        self.filename = filename
        self.source = source

    def get_filename(self, fullname):
        return self.filename

    def get_data(self, path):
        return self.source.encode("utf-8")


def load_module(source: str, name: str = "symprop_generated"):
    """Import ``source`` as a fresh module (not added to ``sys.modules``), named after its text.

    >>> load_module("def twice(x): return 2 * x").twice(21)
    42
    """
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]
    filename = f"<symprop-generated>/{name}_{digest}.py"
    loader = _SourceLoader(filename, source)
    spec = importlib.util.spec_from_loader(f"{name}_{digest}", loader, origin=filename)
    module = importlib.util.module_from_spec(spec)
    # mtime None: linecache keeps these lines (there is no file to re-check).
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    loader.exec_module(module)
    return module


__all__ = ["load_module"]
