"""symprop: symbolic back-propagation, derived the way the seeds derive it by hand.

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph()
>>> x1, x2, y = g.inputs("x1 x2 y")
>>> w1, w2, b = g.params("w1 w2 b")
>>> z = g.node("z", w1*x1 + w2*x2 + b)
>>> yhat = g.node("yhat", sigmoid(z))
>>> L = g.loss("L", -y*sympy.log(yhat) - (1 - y)*sympy.log(1 - yhat))
>>> g.derive("w1").result
x1*(-y + yhat)
"""
from .errors import SympropError
from .functions import (LOSSES, REGISTRY, identity, leaky_relu, relu, sigmoid, softmax,
                        softplus, step)
from .graph import Edge, Graph
from .latex.document import notes
from .matrix import MatrixGraph, matrix_mlp
from .nets import mlp
from .paths import Path
from .picture import draw
from .spec import load_spec

__all__ = ["Graph", "Edge", "Path", "mlp", "MatrixGraph", "matrix_mlp", "load_spec", "notes",
           "draw", "SympropError", "REGISTRY", "LOSSES", "sigmoid", "relu", "leaky_relu",
           "softplus", "softmax", "identity", "step"]
__version__ = "0.1.0"
