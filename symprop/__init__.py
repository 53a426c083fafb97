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
import os as _os
import sys as _sys

# ``python -m symprop`` puts the working folder first on sys.path, and this file
# runs before symprop/__main__.py does.  Spec files are data, and the folder they
# sit in must not supply code: a sympy.py, numpy.py or tomllib.py lying there
# would otherwise be imported by the lines below.  So the working folder leaves
# sys.path before anything else is imported (symprop's own submodules are found
# through the package).  The console script never had it on sys.path.
# (While ``-m`` locates its module, sys.argv[0] is "-m".)
if _sys.argv[:1] == ["-m"]:
    _sys.path[:] = [p for p in _sys.path if p not in ("", ".", _os.getcwd())]

from .errors import SympropError
from .registry.functions import (LOSSES, REGISTRY, identity, leaky_relu, relu, sigmoid,
                                 softmax, softplus, step)
from .ir.graph import Edge, Graph, MatrixGraph
from .latex.document import notes
from .front.matrix_nets import matrix_mlp
from .front.nets import mlp
from .derive.paths import Path
from .latex.picture import draw
from .front.spec import load_spec

__all__ = ["Graph", "Edge", "Path", "mlp", "MatrixGraph", "matrix_mlp", "load_spec", "notes",
           "draw", "SympropError", "REGISTRY", "LOSSES", "sigmoid", "relu", "leaky_relu",
           "softplus", "softmax", "identity", "step"]
__version__ = "0.1.0"
