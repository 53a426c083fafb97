"""Compiled gradient functions: readable, standalone modules for a graph's gradients.

One code generator for both forms: a printer per array library (NumPy, torch,
jax; :mod:`.printer`), the parts every module shares (:mod:`.program`), the
scalar form's writer (:mod:`.scalar_module`) and the matrix form's
(:mod:`.matrix_module`), one loader and one argument check (:mod:`.compiled`,
:mod:`.arguments`).  torch and jax are imported only when a program for them
is written or run.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph()
>>> x1, x2, y = g.inputs("x1 x2 y")
>>> w1, w2, b = g.params("w1 w2 b")
>>> z = g.node("z", w1*x1 + w2*x2 + b)
>>> yhat = g.node("yhat", sigmoid(z))
>>> L = g.loss("L", -y*sympy.log(yhat) - (1 - y)*sympy.log(1 - yhat))
>>> f = compile_graph(g)
>>> loss, grads = f(x1=1.5, x2=2.5, y=1, w1=-4, w2=3, b=-1)
>>> round(float(loss), 4), {k: round(float(v), 4) for k, v in grads.items()}
(0.4741, {'w1': -0.5663, 'w2': -0.9439, 'b': -0.3775})
>>> print([line for line in f.source.splitlines() if "dL_dw1 =" in line][0].strip())
dL_dw1 = x1*dL_dz  # dL/dw1 = dz/dw1 * dL/dz
"""
from .compiled import CompiledGradient, compile_graph, load_module
from .printer import NumpyFormPrinter, print_numpy
from .scalar_module import GeneratedModule, scalar_module_source

__all__ = ["compile_graph", "CompiledGradient", "GeneratedModule", "scalar_module_source",
           "NumpyFormPrinter", "print_numpy", "load_module"]
