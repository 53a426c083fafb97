"""`CompiledGradient`: the generated module loaded as a real module, behind cheap checks.

The source is loaded through an importlib loader (no string evaluation), and
registered with :mod:`linecache`, so tracebacks and :func:`inspect.getsource`
show the generated lines.

>>> import sympy
>>> from symprop import Graph
>>> g = Graph(); x = g.inputs("x"); w = g.params("w")
>>> L = g.loss("L", (w*x - 1)**2)
>>> f = compile_graph(g)
>>> f(x=2.0, w=1.0)
(1.0, {'w': 4.0})
>>> f(x=2.0)
Traceback (most recent call last):
...
symprop.errors.SympropError: missing value(s) for w
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.util
import linecache
from pathlib import Path

import numpy as np

from ..errors import SympropError
from ..ir.numeric import check_values
from .numpy_module import REDUCTIONS, numpy_module_source


class _SourceLoader(importlib.abc.SourceLoader):
    """Loads one module from a source string held in memory."""

    def __init__(self, filename: str, source: str):
        self.filename = filename
        self.source = source

    def get_filename(self, fullname):
        return self.filename

    def get_data(self, path):
        return self.source.encode("utf-8")


def load_module(source: str, name: str):
    """Import ``source`` as a module called ``name`` (not added to ``sys.modules``)."""
    filename = f"<symprop-generated>/{name}.py"
    loader = _SourceLoader(filename, source)
    spec = importlib.util.spec_from_loader(name, loader, origin=filename)
    module = importlib.util.module_from_spec(spec)
    # mtime None: linecache keeps these lines (there is no file to re-check).
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    loader.exec_module(module)
    return module


class CompiledGradient:
    """A compiled gradient function: ``loss, grads = f(**values)``.

    ``source`` is the generated module's text, ``save(path)`` writes it,
    ``function`` is the raw generated function (positional arguments in
    ``arguments`` order, no checks), ``params`` the parameter names (the keys
    of ``grads``, in declaration order), ``reduce`` None, "mean" or "sum".
    """

    def __init__(self, graph, generated):
        self.graph = graph
        self.source: str = generated.source
        self.arguments: tuple[str, ...] = generated.arguments
        self.params: tuple[str, ...] = generated.params
        self.reduce = generated.reduce
        digest = hashlib.sha1(self.source.encode("utf-8")).hexdigest()[:12]
        self.module = load_module(self.source, f"symprop_gradients_{digest}")
        self.function = getattr(self.module, generated.function_name)
        self._names = frozenset(self.arguments)

    def __call__(self, **values):
        if values.keys() != self._names:
            self._wrong_names(values)
        # Cheap check for the common case, all Python numbers: a NaN or infinity
        # anywhere makes the sum non-finite.  Anything else is checked one by one.
        try:
            total = sum(values.values(), 0.0)
        except (TypeError, ValueError):  # ValueError: arrays whose shapes do not broadcast
            total = None
        if type(total) is not float or total - total != 0.0:
            for name, value in values.items():
                values[name] = self._checked(name, value)
        try:
            return self.function(**values)
        except ArithmeticError:
            # Python floats raise where float64 gives inf or NaN (1/0.0, math.exp(1000));
            # answer as NumPy and PyTorch do, through the float64 path of every form.
            return self.function(**{k: np.float64(v) for k, v in values.items()})
        except ValueError as error:
            if "broadcast" not in str(error):
                raise
            shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in values.items())
            raise SympropError(f"values have shapes that do not broadcast together: "
                               f"{shapes}") from None

    def _wrong_names(self, values):
        graph = self.graph
        check_values(graph, values, names=graph.input_symbols + graph.param_symbols)
        extra = sorted(set(values) - self._names)  # declared, but neither input nor parameter
        raise SympropError(f"{', '.join(extra)} {'is a' if len(extra) == 1 else 'are'} "
                           f"{graph.kind(extra[0])}{'' if len(extra) == 1 else 's'}, not "
                           f"an input or parameter; expected {', '.join(self.arguments)}")

    def _checked(self, name, value):
        if value is None or isinstance(value, (str, bytes)):  # NumPy would parse "1.5"
            raise SympropError(f"value of {name} is not a number: {value!r}")
        try:
            array = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise SympropError(f"value of {name} is not a number: {value!r}") from None
        if not np.all(np.isfinite(array)):
            raise SympropError(f"value of {name} is not finite: {value!r}")
        return array if array.ndim else float(array)

    def save(self, path) -> Path:
        """Write the generated module to ``path`` (a standalone module needing only NumPy)."""
        path = Path(path)
        path.write_text(self.source, encoding="utf-8")
        return path

    def __repr__(self):
        return (f"CompiledGradient(loss={self.graph.loss_symbol}, "
                f"params=({', '.join(self.params)}), reduce={self.reduce!r})")


def compile_graph(graph, reduce=None) -> CompiledGradient:
    """Compile ``graph``'s loss and gradients into a NumPy function.

    ``reduce``: None (per-example values when inputs carry a batch axis),
    ``"mean"`` or ``"sum"`` (loss and gradients reduced over the batch).
    """
    if reduce not in REDUCTIONS:
        raise SympropError(f"reduce={reduce!r} is not one of None, 'mean', 'sum'")
    return CompiledGradient(graph, numpy_module_source(graph, reduce=reduce))


__all__ = ["CompiledGradient", "compile_graph", "load_module"]
