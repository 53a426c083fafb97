r"""LaTeX for matrix-form derivations, in *Backprop Implementation*'s notation: ``\odot``, ``^{\top}``, ``\frac{1}{m}``.

>>> from symprop import matrix_mlp
>>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> g.set_latex("A2", "P")
>>> matrix_latex(g.derive("W2").result, g)
'\\frac{1}{m} \\left(P - Y\\right) A_{1}^{\\top}'
"""
from __future__ import annotations

import sympy
from sympy import MatrixSymbol

from ..ir import matrix_ops as ops
from ..registry.functions import entry_for
from .printer import SympropLatexPrinter, applied


class MatrixLatexPrinter(SympropLatexPrinter):
    """symprop's LaTeX printer for matrices: ``\\odot``, ``^{\\top}``, adjoints as fractions."""

    def _print_MatrixSymbol(self, expr):
        adjoint = self._adjoint(expr.name)
        if adjoint is not None:
            return adjoint
        if self.graph is not None:
            try:
                return self.graph.latex_name(expr.name)
            except Exception:  # not a graph symbol: sympy's default
                pass
        return super()._print_MatrixSymbol(expr)

    def _print_Symbol(self, expr, *args, **kwargs):
        # A scalar vertex's adjoint (dL_dt, t = exp(r)) is a fraction, as a matrix's is.
        adjoint = self._adjoint(expr.name)
        return adjoint if adjoint is not None else super()._print_Symbol(expr, *args, **kwargs)

    def _adjoint(self, name):
        r"""``\frac{\partial L}{\partial V}`` for the adjoint symbol ``dL_dV``, else None."""
        if self.graph is None:
            return None
        loss = str(self.graph.loss_symbol)
        return adjoint_fraction(self.graph, name[len(loss) + 3:]) \
            if name.startswith(f"d{loss}_d") else None

    def _print_Transpose(self, expr):
        arg = expr.arg
        text = self._print(arg)
        if not isinstance(arg, MatrixSymbol):
            text = rf"\left({text}\right)"
        elif "^" in text:  # a display name with a superscript (W^{[2]}): one group, one ^
            text = "{%s}" % text
        return f"{text}^{{\\top}}"

    def _print_HadamardPower(self, expr):
        text, base = super()._print_HadamardPower(expr), self._print(expr.base)
        if isinstance(expr.base, MatrixSymbol) and "^" in base and text.startswith(base + "^"):
            return "{%s}%s" % (base, text[len(base):])   # A^{[2]}: one group, one ^
        return text

    def _print_HadamardProduct(self, expr):
        def wrap(a):
            text = self._print(a)
            return rf"\left({text}\right)" if isinstance(a, (sympy.MatAdd, sympy.MatMul)) else text
        return r" \odot ".join(wrap(a) for a in expr.args)

    def _print_OneMatrix(self, expr):
        return r"\mathbf{1}"

    def _print_Trace(self, expr):
        # tr(W W^T) is the squared Frobenius norm, as a weight decay's penalty writes it.
        factors = expr.arg.args if isinstance(expr.arg, sympy.MatMul) else ()
        if len(factors) == 2 and factors[1] == factors[0].T:
            return rf"\lVert {self._print(factors[0])} \rVert_{{F}}^{{2}}"
        return super()._print_Trace(expr)

    def _print_Mul(self, expr):
        # A scalar's gradient, c tr(G M^T): its coefficient in front, as the 1/m of a matrix
        # product is (\frac{1}{m} \operatorname{tr}(...), not \frac{\operatorname{tr}(...)}{m}).
        traces = [a for a in expr.args if isinstance(a, sympy.Trace)]
        if not traces:
            return super()._print_Mul(expr)
        coeff = sympy.Mul(*(a for a in expr.args if not isinstance(a, sympy.Trace)))
        sign = "- " if coeff.could_extract_minus_sign() else ""
        coeff = -coeff if sign else coeff
        text = " ".join(self._print(t) for t in traces)
        if coeff == 1:
            return sign + text
        shown = self._print(coeff)
        return sign + (rf"\left({shown}\right)" if coeff.is_Add else shown) + " " + text

    def _print_Apply(self, expr):
        d = expr.function.variables[0]
        body = expr.function.expr
        arg = self._print(expr.arg)
        entry = entry_for(body)
        if body == d:
            return arg
        if entry is not None and body.args[0] == d:
            name = entry.latex
            return applied(name, arg)
        return self._print(body.xreplace({d: sympy.Symbol(arg)}))

    def _print_Softmax(self, expr):
        return applied(r"\operatorname{softmax}", self._print(expr.arg))

    def _print_Loss(self, expr):
        text = (r"\frac{1}{m} \sum " + applied(rf"\operatorname{{{expr.name}}}",
                                               f"{self._print(expr.outputs)}, "
                                               f"{self._print(expr.targets)}"))
        return text + self.penalty(expr)

    def penalty(self, loss) -> str:
        r"""A loss's weight decay as *Improving Deep Neural Networks* writes it, ``+
        rac{\lambda}{2 m} \left(\lVert W_{1} 
Vert_{F}^{2} + ...
ight)``; "" without one."""
        if not loss.weights:
            return ""
        norms = " + ".join(rf"\lVert {self._print(w)} \rVert_{{F}}^{{2}}" for w in loss.weights)
        norms = norms if len(loss.weights) == 1 else rf"\left({norms}\right)"
        coeff = loss.decay / 2
        sign = " - " if coeff.could_extract_minus_sign() else " + "
        coeff = -coeff if sign == " - " else coeff
        return f"{sign}{'' if coeff == 1 else self._print(coeff) + ' '}{norms}"

    def _print_MatAdd(self, expr):
        # A scaled parameter (a weight decay's lambda/m W) after the chain's terms, as the
        # textbooks write dW = 1/m dZ A^T + lambda/m W.
        def is_scaled_parameter(term):
            matrix = ops._scalar_and_matrix(term)[1]
            return isinstance(matrix, MatrixSymbol) and self.graph is not None \
                and matrix in self.graph.param_symbols
        if not any(is_scaled_parameter(t) for t in expr.args):
            return self._print_Add(expr)
        terms = sorted(self._as_ordered_terms(expr), key=is_scaled_parameter)
        return self._print_Add(sympy.MatAdd(*terms, evaluate=False), order="none")


def adjoint_fraction(graph, node) -> str:
    r"""``\frac{\partial L}{\partial V}``, or the notation's shorthand (Ng's ``dZ^{[2]}``) in a
    graph printing in one (:mod:`symprop.latex.notations`)."""
    from .notations import adjoint_latex

    short = adjoint_latex(graph, node)
    if short is not None:
        return short
    return (rf"\frac{{\partial {graph.latex_name(graph.loss_symbol)}}}"
            rf"{{\partial {graph.latex_name(node)}}}")


def matrix_latex(expr, graph=None) -> str:
    """``expr`` in LaTeX, graph symbols under their LaTeX names."""
    return MatrixLatexPrinter(graph).doprint(expr)


def derivation_latex(d, notation=None, **options) -> str:
    r"""``\frac{\partial L}{\partial W} = <local form> = <result>``, as the lesson chains it;
    ``notation``: a textbook's names (:mod:`symprop.latex.notations`: ``dW^{[2]} = ...``)."""
    from .notations import renamed

    g = renamed(d.graph, notation)
    d = d if g is d.graph else g.derive(d.wrt)
    lhs = adjoint_fraction(g, d.wrt)
    parts = [lhs, matrix_latex(d.local, g)]
    result = matrix_latex(d.result, g)
    if result != parts[-1]:
        parts.append(result)
    return " = ".join(parts)


__all__ = ["MatrixLatexPrinter", "matrix_latex", "derivation_latex", "adjoint_fraction"]
