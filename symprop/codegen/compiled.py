"""`CompiledGradient`: a generated module loaded as a real module, behind the one argument check.

Both forms compile through here; :mod:`.loader` loads the source as a module.

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
symprop.errors.SympropError: missing value(s) for w; expected x, w
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import SympropError
from .arguments import ArgumentCheck
from .auto_backend import resolve_backend
from .backends import BACKENDS
from .loader import load_module
from .program import GeneratedModule
from .scalar_module import REDUCTIONS, scalar_module_source


class CompiledGradient:
    """A compiled gradient function: ``loss, grads = f(**values)``, for either form.

    ``source`` is the generated module's text, ``save(path)`` writes it,
    ``function`` is the raw generated function (no checks; positional
    arguments in ``arguments`` order; a jax matrix program's runs under
    ``jax.jit``), ``params`` the parameter names (the keys
    of ``grads``, in declaration order), ``backend`` and ``dtype`` what it
    computes with, ``reduce`` None, "mean" or "sum" (scalar form).  A matrix
    program also has ``forward(**values)``, the loss alone.
    """

    def __init__(self, graph, generated, floats: bool = False):
        """``floats``: a scalar NumPy program (it takes plain floats, and reads NumPy arrays)."""
        self.graph = graph
        self.source: str = generated.source
        self.arguments: tuple[str, ...] = generated.arguments
        self.params: tuple[str, ...] = generated.params
        self.reduce = generated.reduce
        self.backend, self.dtype = generated.backend, np.dtype(generated.dtype)
        self.module = load_module(self.source, "symprop_gradients")
        self.function = getattr(self.module, generated.function_name)
        self.forward_function = getattr(self.module, "forward", None)
        native = () if floats else BACKENDS[self.backend].native
        self._check = ArgumentCheck(graph, self.arguments, native, floats=floats)
        if floats:
            # Python looks ``__call__`` up on the type: a class of this program's own makes
            # ``f(**values)`` one call of the checked entry (a scalar gradient takes
            # microseconds, so a method's repacking of the values would be half its cost).
            entry = self._check.float_entry(self.function, self._checked_call)
            self.__class__ = type(type(self).__name__, (type(self),),
                                  {"__call__": staticmethod(entry), "__doc__": self.__doc__,
                                   "__module__": type(self).__module__})

    def __call__(self, **values):
        return self._checked_call(values)

    def _checked_call(self, values: dict):
        values = self._check(values)
        try:
            loss, grads = self.function(**values)
        except (ArithmeticError, ValueError) as error:
            loss, grads = self._again(self.function, values, error)
        # A NumPy loss summed to one number reads as a Python float, as the scalar fast path's.
        return (float(loss) if type(loss) is np.float64 else loss), grads

    def forward(self, **values):
        """The loss alone (the forward pass; matrix programs)."""
        values = self._check(values)
        try:
            loss = self.forward_function(**values)
        except (ArithmeticError, ValueError) as error:
            loss = self._again(self.forward_function, values, error)
        return float(loss) if type(loss) is np.float64 else loss

    @staticmethod
    def _again(function, values, error):
        if isinstance(error, ArithmeticError):
            # Python floats raise where float64 gives inf or NaN (1/0.0, math.exp(1000));
            # answer as NumPy and PyTorch do, through the float64 path of every form.
            return function(**{k: np.float64(v) for k, v in values.items()})
        if "broadcast" not in str(error):
            raise error
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in values.items())
        raise SympropError(f"values have shapes that do not broadcast together: "
                           f"{shapes}") from None

    def save(self, path) -> Path:
        """Write the generated module to ``path`` (it needs only its array library)."""
        from ..latex.output_files import check_output_path, write_atomically

        return write_atomically(check_output_path(path, (".py",), "the gradient module"),
                                self.source)

    def __repr__(self):
        return (f"CompiledGradient(loss={self.graph.loss_symbol}, "
                f"params=({', '.join(self.params)}), backend={self.backend!r}, "
                f"dtype={self.dtype.name}, reduce={self.reduce!r})")


def check_options(backend, dtype, running=True) -> np.dtype:
    """The backend's name and ``dtype`` checked: float32 or float64 (default float64).

    ``running``: the program is to be loaded, which for jax needs jax installed.
    """
    if backend not in BACKENDS:
        raise SympropError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    try:
        dtype = np.dtype(np.float64 if dtype is None else dtype)
    except TypeError:
        raise SympropError(f"dtype must be float32 or float64, got {dtype!r}") from None
    if dtype not in (np.float32, np.float64):
        raise SympropError(f"dtype must be float32 or float64, got {dtype.name}")
    if backend == "jax" and running:
        # JAX may be absent: the source can still be generated; running it needs jax.
        try:
            import jax  # noqa: F401
        except ImportError:
            raise SympropError("the jax backend needs jax installed; the source can be "
                               "generated without it") from None
    return dtype


def scalar_program(graph, reduce=None, backend="numpy", dtype=None,
                   running=False) -> GeneratedModule:
    """The options checked and the module generated for a scalar graph (``running``: as for
    :func:`check_options`); a torch or jax program is written without running it."""
    if reduce not in REDUCTIONS or isinstance(reduce, bool):
        raise SympropError(f"reduce={reduce!r} is not one of None, 'mean', 'sum'")
    dtype = check_options(backend, dtype, running=running)
    if BACKENDS[backend].floats and dtype != np.float64:
        raise SympropError("a scalar graph's NumPy program computes in float64; "
                           "float32 needs backend='torch' or 'jax'")
    return scalar_module_source(graph, reduce=reduce, backend=backend, dtype=dtype)


def compile_graph(graph, reduce=None, backend="numpy", dtype=None) -> CompiledGradient:
    """Compile ``graph``'s loss and gradients into a function of ``backend``, by its form's writer.

    ``reduce`` (scalar form): None (per-example values when inputs carry a batch
    axis), ``"mean"`` or ``"sum"`` (loss and gradients reduced over the batch);
    ``backend`` numpy (default), torch, jax or auto (:mod:`.auto_backend`);
    ``dtype`` float64 (default) or float32 (torch and jax).

    >>> from symprop import Graph
    >>> g = Graph(); x = g.inputs("x"); w = g.params("w"); L = g.loss("L", (w*x - 1)**2)
    >>> compile_graph(g)(x=2.0, w=1.0)
    (1.0, {'w': 4.0})
    """
    return graph.form.compile(graph, reduce=reduce, backend=backend, dtype=dtype)


def compile_scalar(graph, reduce=None, backend="numpy", dtype=None) -> CompiledGradient:
    """The scalar form's program, loaded (see :func:`compile_graph`)."""
    backend = resolve_backend(graph, backend, dtype)
    generated = scalar_program(graph, reduce, backend, dtype, running=True)
    return CompiledGradient(graph, generated, floats=BACKENDS[backend].floats)


__all__ = ["CompiledGradient", "check_options", "compile_graph", "compile_scalar", "load_module", "scalar_program"]
