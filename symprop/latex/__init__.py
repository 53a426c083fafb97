r"""LaTeX for lecture notes: the lessons' notation, step-by-step derivations, whole documents.

>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> latex(g.expr("z2_1"), g)
'w_{1}^{[2]} a_{1}^{[1]} + w_{2}^{[2]} a_{2}^{[1]} + b_{1}^{[2]}'
"""
from .derivation import derivation_latex
from .document import notes
from .printer import SympropLatexPrinter, latex, partial_fraction

__all__ = ["SympropLatexPrinter", "latex", "partial_fraction", "derivation_latex", "notes"]
