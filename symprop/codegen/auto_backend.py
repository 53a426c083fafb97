"""``backend="auto"``: the backend a graph's program runs fastest in, chosen by a rule, not a timing.

The rule reads the graph (its form, the entries of its parameters), the dtype
and which libraries are installed; it times nothing, so the same graph always
gets the same program on the same installation.  It is what ``make bench``
measured on 2-core machines (the README's table, section *Matrix form and fast gradients*):

* a scalar graph: NumPy for float64 (its program takes plain floats, a few
  microseconds a call, where a torch or jax call costs tens); float32, which
  NumPy's scalar program does not compute in: torch, else jax;
* a matrix graph: torch for a network of at least :data:`LARGE` parameter entries
  when torch is installed (its BLAS and threads win on large products: 0.94x-1.11x
  the fastest peer on 784-256-256-10); else NumPy (the least overhead a call: 1.03x
  the hand-tuned NumPy program on 64-64-64-64-10).  jax under ``jax.jit`` is never
  the rule's choice on a CPU: 1.2x-2.1x the fastest peer on every network measured
  (Intel Xeon, 2 cores, 2026-12-02); ask for it by name on an accelerator.

The chosen program's arrays are its library's: ``f.backend`` says which.

>>> from symprop import mlp
>>> auto_backend(mlp([1, 2, 1]))
'numpy'
>>> resolve_backend(mlp([1, 2, 1]), "torch")
'torch'
"""
from __future__ import annotations

import importlib.util

import numpy as np

from ..errors import SympropError

AUTO = "auto"
LARGE = 100_000  # parameter entries from which torch's products beat NumPy's (784-256-256-10: 269,322)


def installed(library: str) -> bool:
    """Whether ``library`` can be imported (it is not imported here)."""
    return importlib.util.find_spec(library) is not None


def parameter_entries(graph) -> int:
    """How many numbers the graph's parameters hold (a scalar graph's: one each)."""
    total = 0
    for p in graph.param_symbols:
        shape = getattr(p, "shape", ())
        total += int(np.prod([int(n) for n in shape])) if shape else 1
    return total


def auto_backend(graph, dtype=None) -> str:
    """The backend ``"auto"`` stands for, for ``graph`` and ``dtype``: the rule of this module."""
    return graph.form.auto_backend(graph, np.dtype(np.float64 if dtype is None else dtype))


def _scalar_rule(graph, dtype: np.dtype) -> str:
    """A scalar graph's backend: NumPy for float64, else torch, else jax."""
    if dtype == np.float64:
        return "numpy"
    for library in ("torch", "jax"):
        if installed(library):
            return library
    raise SympropError("backend='auto' for a float32 scalar graph needs torch or jax "
                       "installed (NumPy's scalar program computes in float64)")


def _matrix_rule(graph, dtype: np.dtype) -> str:
    """A matrix graph's backend: torch for a large network where it is installed, else NumPy."""
    if installed("torch") and parameter_entries(graph) >= LARGE:
        return "torch"
    return "numpy"


def resolve_backend(graph, backend, dtype=None):
    """``backend`` itself, or for ``"auto"`` the one :func:`auto_backend` picks."""
    if backend != AUTO:
        return backend
    try:
        dtype = np.dtype(np.float64 if dtype is None else dtype)
    except TypeError:
        return "numpy"  # any backend: the options' own check names the bad dtype
    return auto_backend(graph, dtype)


__all__ = ["AUTO", "LARGE", "auto_backend", "installed", "parameter_entries", "resolve_backend"]
