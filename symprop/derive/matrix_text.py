"""Plain text for matrix expressions, as the matrix form prints its derivations and programs' comments.

>>> import sympy
>>> from sympy import MatrixSymbol, OneMatrix
>>> from symprop.ir import matrix_ops as ops
>>> matrix_text(MatrixSymbol("W", 2, 3).T * OneMatrix(2, 1))
'W.T*ones(2, 1)'
"""
from __future__ import annotations

import sympy
from sympy import HadamardProduct, MatAdd, MatMul, MatrixSymbol, OneMatrix
from sympy.printing.precedence import PRECEDENCE

from ..latex.text import TextPrinter
from ..registry.functions import entry_for
from ..ir import matrix_ops as ops


class MatrixTextPrinter(TextPrinter):
    """Plain text for matrix expressions: ``.*`` Hadamard products, ``step(Z1)``, ``ones(m, 1)``.

    >>> m = sympy.Symbol("m")
    >>> A, G = MatrixSymbol("A", 2, m), MatrixSymbol("dL_dA", 2, m)
    >>> from symprop.registry.functions import relu
    >>> matrix_text(ops.hadamard(G, ops.apply(relu, A)) * OneMatrix(m, 1))
    '(relu(A).*dL_dA)*ones(m, 1)'
    """

    def _wrapped(self, expr, level=PRECEDENCE["Mul"]) -> str:
        compound = isinstance(expr, (MatAdd, HadamardProduct)) or (
            isinstance(expr, MatMul) and len(expr.args) > 1)
        return f"({self._print(expr)})" if compound else self.parenthesize(expr, level,
                                                                               strict=True)

    def _print_HadamardProduct(self, expr):
        return ".*".join(self._wrapped(a) for a in expr.args)

    def _print_HadamardPower(self, expr):
        base, exponent = expr.args
        return f"{self._wrapped(base, PRECEDENCE['Pow'])}.^{self._wrapped(exponent, PRECEDENCE['Pow'])}"

    def _print_OneMatrix(self, expr):
        return f"ones({self._print(expr.shape[0])}, {self._print(expr.shape[1])})"

    def _print_Heaviside(self, expr):
        if expr.args[1:] in ((), (sympy.Integer(0),)):
            return f"step({self._print(expr.args[0])})"
        return f"step({', '.join(self._print(a) for a in expr.args)})"

    def _print_Function(self, expr):
        entry = entry_for(expr)
        if entry is None:
            return super()._print_Function(expr)
        return f"{entry.name}({', '.join(self._print(a) for a in expr.args)})"

    def _print_Apply(self, expr):
        d, body = expr.function.variables[0], expr.function.expr
        arg = self._print(expr.arg)
        if body == d:
            return arg
        called = isinstance(body, sympy.Function) and body.args[0] == d  # relu(Z), not relu((Z))
        if not (called or isinstance(expr.arg, MatrixSymbol)):
            arg = f"({arg})"
        return self._print(body.xreplace({d: sympy.Symbol(arg)}))

    def _print_Softmax(self, expr):
        return f"softmax({self._print(expr.arg)})"

    def _print_Loss(self, expr):
        text = f"{expr.name}({self._print(expr.outputs)}, {self._print(expr.targets)})"
        return text + (f" + {self._print(expr.penalty())}" if expr.weights else "")


def matrix_text(expr) -> str:
    """``expr`` as plain text (see :class:`MatrixTextPrinter`)."""
    return MatrixTextPrinter().doprint(expr)


__all__ = ["MatrixTextPrinter", "matrix_text"]
