"""Compiled gradient functions: readable, standalone modules for a graph's gradients.

One code generator for both forms: a printer per array library (NumPy, torch,
jax; :mod:`.printer`), the parts every module shares (:mod:`.program`), the
scalar form's writer (:mod:`.scalar_module`) and the matrix form's
(:mod:`.matrix_module`), one loader and one argument check (:mod:`.compiled`,
:mod:`.arguments`).  torch and jax are imported only when a program for them
is written or run.

>>> from symprop import Graph
>>> g = Graph(); x = g.inputs("x"); w = g.params("w"); L = g.loss("L", (w*x - 1)**2)
>>> source = scalar_module_source(g, backend="jax").source   # written without running jax
>>> print(source[source.index("    x = _array"):source.index("    # Backward")], end="")
    x = _array('x', x)
    w = _array('w', w)
    # Forward pass: each node once, in order
    L = (w*x - 1)**2
<BLANKLINE>
"""
from .compiled import CompiledGradient, compile_graph, load_module
from .printer import NumpyFormPrinter, print_numpy
from .program import GeneratedModule
from .scalar_module import scalar_module_source

__all__ = ["compile_graph", "CompiledGradient", "GeneratedModule", "scalar_module_source",
           "NumpyFormPrinter", "print_numpy", "load_module"]
