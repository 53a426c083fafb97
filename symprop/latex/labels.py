r"""Readable, LaTeX-free labels for pictures: graphviz HTML-like text with unicode.

The notation's LaTeX names become subscripts and superscripts that graphviz
draws itself (``a_{1}^{[2]}`` -> ``a<SUB>1</SUB><SUP>[2]</SUP>``), and local
partials print the way a person writes them on a figure:

>>> latex_to_html(r"w_{1\to 2}^{[1]}")
'w<SUB>1→2</SUB><SUP>[1]</SUP>'
>>> latex_to_html(r"\hat{y}"), latex_to_html(r"\mathcal{L}")
('ŷ', 'ℒ')
>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> label(g.partial("z2_1", "a2_1"), g)
'a<SUB>1</SUB><SUP>[2]</SUP>(1 − a<SUB>1</SUB><SUP>[2]</SUP>)'
"""
from __future__ import annotations

import html
import unicodedata

import sympy
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

from ..registry.functions import entry_for

MINUS = "−"
SYMBOLS = {"to": "→", "rightarrow": "→", "cdot": "·", "times": "×", "infty": "∞",
           "ell": "ℓ", "partial": "∂", "nabla": "∇", "left": "", "right": "", ",": " ",
           ";": " ", "quad": " ", "dots": "…", "ldots": "…", "prime": "′"}
ACCENTS = {"hat": "\u0302", "tilde": "\u0303", "bar": "\u0304", "vec": "\u20d7", "dot": "\u0307"}
SCRIPT = {"L": "ℒ", "H": "ℋ", "F": "ℱ", "E": "ℰ", "B": "ℬ", "M": "ℳ", "R": "ℛ", "I": "ℐ"}
FONTS = ("mathrm", "mathit", "mathbf", "operatorname", "text", "mathsf", "boldsymbol")


class _Reader:
    """A small recursive reader of the LaTeX that names symbols (never of whole documents)."""

    def __init__(self, tex: str):
        self.tex, self.i = tex, 0

    def group(self) -> str:
        """One argument: ``{...}``, a command, or a single character."""
        self.skip_spaces()
        if self.i >= len(self.tex):
            return ""
        if self.tex[self.i] == "{":
            self.i += 1
            out = self.sequence(stop="}")
            self.i += 1
            return out
        if self.tex[self.i] == "\\":
            return self.command()
        self.i += 1
        return html.escape(self.tex[self.i - 1], quote=False)

    def skip_spaces(self):
        while self.i < len(self.tex) and self.tex[self.i] == " ":
            self.i += 1

    def command(self) -> str:
        self.i += 1
        start = self.i
        while self.i < len(self.tex) and self.tex[self.i].isalpha():
            self.i += 1
        name = self.tex[start:self.i] or self.tex[start:start + 1]
        self.i = max(self.i, start + 1)
        if name in ACCENTS:
            return self.group() + ACCENTS[name]
        if name == "mathcal":
            inner = self.group()
            return SCRIPT.get(inner, inner)
        if name in FONTS:
            return self.group()
        if name == "frac":
            top, bottom = self.group(), self.group()
            return f"{top}/{bottom}"
        if name in SYMBOLS:
            return SYMBOLS[name]
        return _greek(name)

    def sequence(self, stop: str | None = None) -> str:
        out = []
        while self.i < len(self.tex) and (stop is None or self.tex[self.i] != stop):
            c = self.tex[self.i]
            if c in "_^":
                self.i += 1
                tag = "SUB" if c == "_" else "SUP"
                out.append(f"<{tag}>{self.group()}</{tag}>")
            elif c == " ":
                self.i += 1
            else:
                out.append(self.group())
        return "".join(out)


def _greek(name: str) -> str:
    case = "CAPITAL" if name[:1].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return html.escape(name, quote=False)


def latex_to_html(tex: str) -> str:
    """A symbol's LaTeX name as graphviz HTML-like label text (unicode, SUB, SUP)."""
    try:
        return unicodedata.normalize("NFC", _Reader(tex).sequence())  # y + hat -> ŷ
    except (IndexError, ValueError):
        return html.escape(tex, quote=False)


class LabelPrinter(StrPrinter):
    """Expressions as HTML-like label text: ``a(1 − a)``, ``σ(z)``, ``x<SUP>2</SUP>``."""

    def __init__(self, graph=None):
        super().__init__()
        self.graph = graph

    def _print_Symbol(self, expr):
        if self.graph is not None and expr.name in self.graph.namespace():
            return latex_to_html(self.graph.latex_name(expr))
        return latex_to_html(sympy.latex(expr))

    def _paren(self, expr, level) -> str:
        text = self._print(expr)
        return f"({text})" if precedence(expr) < level else text

    def _print_Add(self, expr, order=None):
        terms = sorted(expr.as_ordered_terms(), key=lambda t: (t.could_extract_minus_sign(),
                                                               t.is_Atom))
        out = ""
        for i, term in enumerate(terms):
            negative = term.could_extract_minus_sign()
            body = self._paren(-term if negative else term, PRECEDENCE["Mul"])
            out += (f" {MINUS} " if negative else " + ") if i else (MINUS if negative else "")
            out += body
        return out

    def _print_Mul(self, expr):
        if expr.could_extract_minus_sign():
            return MINUS + self._paren(-expr, PRECEDENCE["Mul"])
        top, bottom = sympy.fraction(expr)
        if bottom != 1:
            return f"{self._paren(top, PRECEDENCE['Mul'])}/{self._paren(bottom, PRECEDENCE['Pow'])}"
        factors = expr.as_ordered_factors()
        parts = [self._paren(f, PRECEDENCE["Mul"]) for f in factors]
        out = parts[0]
        for before, part in zip(factors, parts[1:]):
            # 2y and a(1 − a) side by side; w·x where two names would run together.
            together = part.startswith("(") or out.endswith(")") or (
                before.is_Number and not part[:1].isdigit())
            out += part if together else "·" + part
        return out

    def _print_Pow(self, expr, rational=False):
        if expr.exp == sympy.S.Half:
            return "√" + f"({self._print(expr.base)})"
        if expr.exp.is_negative:
            return self._print_Mul(sympy.Mul(expr, evaluate=False))
        base = self._paren(expr.base, PRECEDENCE["Pow"] + 1)
        if "<SUP>" in base and not base.startswith("("):
            base = f"({base})"  # a_1^[2] squared: (a_1^[2])^2, never a double superscript
        return f"{base}<SUP>{self._print(expr.exp)}</SUP>"

    def _print_Rational(self, expr):
        return f"{expr.p}/{expr.q}"

    def _print_Float(self, expr):
        return f"{float(expr):g}"

    def _print_exp(self, expr):
        return f"e<SUP>{self._print(expr.args[0])}</SUP>"

    def _print_Function(self, expr):
        entry = entry_for(expr)
        name = latex_to_html(entry.latex) if entry is not None and entry.latex else expr.func.__name__
        args = expr.args
        if entry is not None and entry.vector_valued:    # component k: softmax_k(z_1, ..., z_K)
            name, args = f"{name}<SUB>{args[0]}</SUB>", args[1:]
        return f"{name}({', '.join(self._print(a) for a in args)})"

    def _print_Heaviside(self, expr):
        return f"{latex_to_html(entry_for(expr).latex)}({self._print(expr.args[0])})"

    # A conditional as spec files write it, where(condition, a, b); its comparisons
    # escaped, since labels are HTML (a raw ">" broke dot's parser).
    def _print_Piecewise(self, expr):
        *branches, (last, condition) = expr.args
        text = self._print(last)
        if condition != sympy.true:
            text = f"where({self._print(condition)}, {text}, nan)"
        for value, condition in reversed(branches):
            text = f"where({self._print(condition)}, {self._print(value)}, {text})"
        return text

    def _print_Relational(self, expr):
        op = html.escape(expr.rel_op, quote=False)
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_And(self, expr):
        return " and ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Or(self, expr):
        return " or ".join(f"({self._print(a)})" for a in expr.args)

    def _print_Not(self, expr):
        return f"not ({self._print(expr.args[0])})"

    # ----------------------------------------------------------- matrices (as in *Backprop Implementation*)
    def _print_MatrixSymbol(self, expr):
        node = self._adjoint_of(expr.name)
        if node is not None:  # dL_dZ2: the adjoint dL/dZ2, as a person writes it
            loss = latex_to_html(self.graph.latex_name(self.graph.loss_symbol))
            return f"∂{loss}/∂{latex_to_html(self.graph.latex_name(node))}"
        return self._print_Symbol(expr)

    def _adjoint_of(self, name: str):
        if self.graph is None or not hasattr(self.graph, "loss_symbol"):
            return None
        prefix = f"d{self.graph.loss_symbol}_d"
        node = name[len(prefix):] if name.startswith(prefix) else None
        return node if node in self.graph.namespace() else None

    def _matrix_paren(self, expr) -> str:
        """A factor of a product: sums, products and adjoints (which hold a slash) in parentheses."""
        text = self._print(expr)
        compound = isinstance(expr, (sympy.MatAdd, sympy.HadamardProduct)) or (
            isinstance(expr, sympy.MatMul) and len(expr.args) > 1)
        return f"({text})" if compound else text

    def _print_MatMul(self, expr):
        coeff, matrices = expr.as_coeff_matrices()
        sign = ""
        if coeff.could_extract_minus_sign():
            sign, coeff = MINUS, -coeff
        parts = [self._matrix_paren(m) for m in matrices]
        if coeff.is_Integer and coeff != 1:  # 2A, as a person writes it
            parts[0] = f"{coeff}{parts[0]}"
        elif coeff != 1:
            parts.insert(0, self._paren(coeff, PRECEDENCE["Mul"]))
        return sign + " · ".join(parts)

    def _print_MatAdd(self, expr):
        terms = sorted(expr.args, key=lambda t: t.could_extract_minus_sign())
        out = ""
        for i, term in enumerate(terms):
            negative = term.could_extract_minus_sign()
            text = self._print(-term if negative else term)
            if negative and isinstance(term, sympy.MatAdd):
                text = f"({text})"
            out += (f" {MINUS} " if negative else " + ") if i else (MINUS if negative else "")
            out += text
        return out

    def _print_HadamardProduct(self, expr):
        return " ⊙ ".join(self._matrix_paren(a) for a in expr.args)

    def _print_HadamardPower(self, expr):
        base, exponent = expr.args
        return f"{self._matrix_paren(base)}<SUP>∘{self._print(exponent).replace('-', MINUS)}</SUP>"

    def _print_Transpose(self, expr):
        arg = expr.arg
        text = self._print(arg)
        if not isinstance(arg, sympy.MatrixSymbol) or self._adjoint_of(arg.name):
            text = f"({text})"
        return f"{text}ᵀ"

    def _print_OneMatrix(self, expr):
        return "<B>1</B>"  # the all-ones matrix (a column 1 sums over the batch)

    def _print_Apply(self, expr):
        # Apply(Lambda(d, f(d)), Z): the body with the dummy written as the argument.
        d, body = expr.function.variables[0], expr.function.expr
        arg = self._print(expr.arg)
        if body == d:
            return arg
        if not isinstance(expr.arg, sympy.MatrixSymbol) and not (
                isinstance(body, sympy.Function) and body.args[0] == d):
            arg = f"({arg})"
        saved, self._dummies = getattr(self, "_dummies", {}), {d: arg}
        try:
            return self._print(body)
        finally:
            self._dummies = saved

    def _print_Dummy(self, expr):
        shown = getattr(self, "_dummies", {})
        return shown[expr] if expr in shown else self._print_Symbol(expr)

    def _print_Softmax(self, expr):
        return f"softmax({self._print(expr.arg)})"

    def _print_Loss(self, expr):
        text = f"{expr.name}({self._print(expr.outputs)}, {self._print(expr.targets)})"
        return text + (f" + {self._print(expr.penalty())}" if expr.weights else "")

    def emptyPrinter(self, expr):
        return html.escape(str(expr), quote=False)


def label(expr, graph=None) -> str:
    """``expr`` as HTML-like label text for graphviz."""
    return LabelPrinter(graph).doprint(expr)
