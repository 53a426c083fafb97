"""The torch printer of generated code; a module of its own, as sympy's imports torch.

Imported only when a torch program is written, so that ``import symprop`` stays
free of torch (about a second and a half).

>>> import sympy
>>> from symprop.registry.functions import sigmoid, tanh
>>> x = sympy.Symbol("x")
>>> TorchFormPrinter().doprint(sigmoid(x) * tanh(x) + sympy.sqrt(x) + sympy.sinc(x))
'torch.sqrt(x) + torch.tanh(x)*sigmoid(x) + torch.sinc((x)/3.141592653589793)'
"""
from __future__ import annotations

import math

from sympy.printing.pytorch import TorchPrinter

from ..registry.functions import TWINS
from .printer import FormPrinting


class TorchFormPrinter(FormPrinting, TorchPrinter):
    """sympy's TorchPrinter, writing ``torch.`` and the helpers a torch module defines."""

    module, qualified, float_constants = "torch", "torch.", True
    # sympy's printer looks functions up by class: the registry's twins print as their originals.
    mapping = {**TorchPrinter.mapping, **{twin: TorchPrinter.mapping[cls]
                                          for cls, twin in TWINS.items()
                                          if cls in TorchPrinter.mapping}}

    def _print_sinc(self, expr):
        # sympy's sinc is sin(x)/x; torch's is sin(pi x)/(pi x).
        return f"torch.sinc(({self._print(expr.args[0])})/{math.pi!r})"

    def _print_Float(self, expr):
        return repr(float(expr))


__all__ = ["TorchFormPrinter"]
