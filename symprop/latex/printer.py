r"""A LaTeX printer in the lessons' notation, and the pieces derivations are built from.

Symbols print as their graph names (``a_{1}^{[2]}``, ``\hat{y}``,
``\mathcal{L}``), registry functions by their registry LaTeX (``\sigma``),
sums with their positive terms first (``\hat{y} - y``, as a person writes it):

>>> import sympy
>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> a, y = g.symbol("a2_1"), g.symbol("y")
>>> latex(a*(1 - a)*(a - y), g)
'a_{1}^{[2]} \\left(1 - a_{1}^{[2]}\\right) \\left(a_{1}^{[2]} - y\\right)'
>>> partial_fraction(g, "z2_1", "b2_1")
'\\frac{\\partial z_{1}^{[2]}}{\\partial b_{1}^{[2]}}'
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

import sympy
from sympy.core.sympify import _sympify  # objects only: a string is refused, never parsed
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from ..errors import SympropError
from ..registry.functions import entry_for
from .text import check_printable

PARTIAL, TOTAL = r"\partial", r"\mathrm{d}"


PRIME_NODES = 20   # a function's derivative of more tree nodes prints as f'(u)


def function_primes(graph) -> dict:
    """``{derivative: (stand-in symbol, f(u))}`` for each node ``f(u)`` of ``graph`` applying a
    registry function whose derivative (its edge's local partial) exceeds PRIME_NODES nodes."""
    from ..derive.sizes import tree_size

    out = {}
    for edge in getattr(graph, "edges", ()):
        applied = graph.expr(edge.child)
        entry = entry_for(applied) if isinstance(applied, sympy.Function) else None
        if (entry is None or entry.vector_valued or not entry.latex or len(applied.args) > 2
                or applied.args[0] != edge.parent or not isinstance(edge.parent, sympy.Symbol)
                or not isinstance(edge.partial, sympy.Expr) or edge.partial.is_Symbol
                or tree_size(edge.partial) <= PRIME_NODES):
            continue
        out[edge.partial] = (sympy.Symbol(f"{entry.name}_prime__{edge.parent}"), applied)
    return out


class SympropLatexPrinter(LatexPrinter):
    r"""sympy's LaTeX printer speaking the graph's notation.

    ``graph`` names the symbols (``graph.latex_name``); ``names`` overrides
    any symbol's LaTeX for this printer only (``{x: "a_{1}^{[0]}"}``), which
    is also how adjoint symbols print as ``\frac{\partial L}{\partial z}``.
    """

    printmethod = "_symprop_latex"

    def __init__(self, graph=None, names: Mapping | None = None, **settings):
        settings.setdefault("parenthesize_super", True)
        super().__init__(settings)
        self.graph = graph
        self.names = {_key(k): v for k, v in (names or {}).items()}

    def doprint(self, expr):
        """``expr`` in LaTeX; refused before printing beyond ``text.MAX_PRINTED`` tree nodes.

        A function's derivative too long to read in a product (GELU's) prints as ``f'(u)``,
        as a lecturer writes it: the notes derive it once, in their functions section.
        """
        check_printable(expr)
        return super().doprint(self._with_primes(expr))

    def _with_primes(self, expr):
        if self.graph is None or not isinstance(expr, sympy.Basic):
            return expr
        if not hasattr(self, "_primes"):
            self._primes = function_primes(self.graph)
        found = {form: symbol for form, (symbol, _) in self._primes.items() if expr.has(form)}
        for form in found:
            symbol, applied = self._primes[form]
            if symbol.name not in self.names:
                base = super().doprint(applied)
                cut = min(i for i in (base.find(r"\left("), base.find("(")) if i >= 0)
                self.names[symbol.name] = base[:cut] + "'" + base[cut:]
        return expr.xreplace(found) if found else expr

    def _namespace(self) -> dict:
        # The graph's names, read once per printer: a derivation prints thousands of symbols.
        if not hasattr(self, "_names_declared"):
            self._names_declared = self.graph.namespace()
        return self._names_declared

    # ----------------------------------------------------------- symbols
    def _print_Symbol(self, expr, style="plain"):
        if expr.name in self.names:
            return self.names[expr.name]
        if self.graph is not None and expr.name in self._namespace():
            return self.graph.latex_name(expr)
        return super()._print_Symbol(expr, style=style)

    def _print_NumberSymbol(self, expr):
        # pi, E: sympy's own LaTeX (\pi, e); this printer's printmethod is not _latex.
        return expr._latex(self)

    # ----------------------------------------------------------- sums
    def _print_Add(self, expr, order=None):
        # Positive terms first (``a - y``, not sympy's ``- y + a``), lone symbols and
        # numbers last (``w x + b``, as the lesson writes a node's linear combination).
        terms = self._as_ordered_terms(expr, order=order)
        terms = sorted(terms, key=lambda t: (t.could_extract_minus_sign(), t.is_Atom))
        tex = ""
        for i, term in enumerate(terms):
            if i > 0 and term.could_extract_minus_sign():
                tex += " - "
                term = -term
            elif i > 0:
                tex += " + "
            term_tex = self._print(term)
            if self._needs_add_brackets(term):
                term_tex = r"\left(%s\right)" % term_tex
            tex += term_tex
        return tex

    # ----------------------------------------------------------- monomials
    def _print_Mul(self, expr):
        # Parameters before the values they weigh (``w_{1}^{[2]} a_{1}^{[1]}``, the
        # lesson's order).  Only plain monomials are reordered, printed as given.
        factors = expr.as_ordered_factors()
        simple = all(f.is_Number or f.is_Symbol or (f.is_Pow and f.base.is_Symbol
                                                    and f.exp.is_Integer and f.exp > 0)
                     for f in factors)
        ranked = sorted(factors, key=self._factor_rank)
        if not simple or ranked == factors:
            return super()._print_Mul(expr)
        saved = self._settings["order"]
        self._settings["order"] = "none"
        try:
            return super()._print_Mul(sympy.Mul(*ranked, evaluate=False))
        finally:
            self._settings["order"] = saved

    def _factor_rank(self, factor) -> int:
        if factor.is_Number:
            return 0
        base = factor.base if factor.is_Pow else factor
        declared = self.graph is not None and base.is_Symbol and base.name in self._namespace()
        if declared and self.graph.kind(base) == "parameter":
            return 1
        if base.is_Symbol and not declared and base.name in self.names:
            return 3  # a named quantity such as an adjoint: last, as in x dL/dz
        return 2

    # ----------------------------------------------------------- functions
    def _print_Function(self, expr, exp=None):
        entry = entry_for(expr)
        if entry is None or not entry.latex:
            return _plain_brackets(super()._print_Function(expr, exp))
        args = ", ".join(self._print(a) for a in expr.args)
        return self._with_exponent(applied(entry.latex, args), exp)

    def _print_softmax(self, expr, exp=None):
        # softmax(k, z_1, ..., z_K): component k of the softmax of the logits.
        k, logits = expr.args[0], expr.args[1:]
        shown = [self._print(z) for z in logits]
        if len(shown) > 4:
            shown = shown[:2] + [r"\dots"] + shown[-1:]
        tex = applied(r"%s_{%s}" % (entry_for(expr).latex, self._print(k)), ", ".join(shown))
        return self._with_exponent(tex, exp)

    def _print_leaky_relu(self, expr, exp=None):
        x, slope = expr.args
        tex = applied(r"%s_{%s}" % (entry_for(expr).latex, self._print(slope)), self._print(x))
        return self._with_exponent(tex, exp)

    def _print_Heaviside(self, expr, exp=None):
        # The step with step(0) = 0, named as the registry names it.
        tex = applied(entry_for(expr).latex, self._print(expr.args[0]))
        return self._with_exponent(tex, exp)

    def _print_Max(self, expr, exp=None):
        return self._with_exponent(applied(r"\max", ", ".join(map(self._print, expr.args))), exp)

    def _print_Min(self, expr, exp=None):
        return self._with_exponent(applied(r"\min", ", ".join(map(self._print, expr.args))), exp)

    def _print_log(self, expr, exp=None):
        return _plain_brackets(super()._print_log(expr, exp))

    def _with_exponent(self, tex, exp):
        if exp is None:
            return tex
        if any(tall in tex for tall in TALL):
            return r"\left(%s\right)^{%s}" % (tex, exp)
        return "(%s)^{%s}" % (tex, exp)

    # ----------------------------------------------------------- products
    def factor(self, expr) -> str:
        r"""``expr`` as one factor of a product: parenthesized when it is a sum or negative
        (``\left(- \frac{y}{a}\right)``: sympy ranks a negative product as a product).

        >>> import sympy
        >>> a, y = sympy.symbols("a y")
        >>> printer().factor(-y / a), printer().factor(a + y)
        ('\\left(- \\frac{y}{a}\\right)', '\\left(a + y\\right)')
        """
        expr = self._with_primes(_sympify(expr))
        if expr.could_extract_minus_sign():
            return self._add_parens(self._print(expr))
        return self.parenthesize(expr, PRECEDENCE["Mul"], strict=True)

    def product(self, factors: Iterable, sep: str = r" \cdot ") -> str:
        """The factors in the order given (sympy would reorder a Mul), joined by ``sep``."""
        factors = [self._with_primes(_sympify(f)) for f in factors]
        if not factors:
            return "1"
        if len(factors) == 1:
            return self._print(factors[0])
        # A leading minus reads as the product's sign; a later one needs its parentheses.
        first = factors[0]
        head = (self.parenthesize(first, PRECEDENCE["Mul"], strict=True)
                if first.could_extract_minus_sign() else self.factor(first))
        return sep.join([head] + [self.factor(f) for f in factors[1:]])


TALL = (r"\frac", r"\dfrac", r"\sum", r"\prod", r"\int", r"\left", r"\sqrt", r"\binom",
        r"\begin", r"\mathbf{1}^{")
_SYMPY_CALL = re.compile(r"\{\\left\((.*) \\right\)\}(\^\{[^{}]*\})?$", re.S)


def applied(name: str, args: str) -> str:
    r"""``name(args)``: plain brackets around a flat argument, as a person writes ``\sin(h)``
    (``\left(`` sets a gap after the name); sized ones around a fraction or a sum sign.

    >>> applied(r"\sigma", "z_{1}^{[2]}"), applied(r"\sin", r"\frac{x}{2}")
    ('\\sigma(z_{1}^{[2]})', '\\sin\\left(\\frac{x}{2}\\right)')
    """
    if any(tall in args for tall in TALL):
        return r"%s\left(%s\right)" % (name, args)
    return "%s(%s)" % (name, args)


def _plain_brackets(tex: str) -> str:
    r"""sympy's ``\sin{\left(x \right)}`` as :func:`applied` writes it."""
    call = _SYMPY_CALL.search(tex)
    if call is None:
        return tex
    return applied(tex[:call.start()], call.group(1)) + (call.group(2) or "")


def local_form(p, local, adjoint_names) -> str:
    """An adjoint's local form, each term's local partial first and the shared adjoint
    last, as the lesson's backward pass writes ``dL_dz = dyhat_dz * dL_dyhat``."""
    out = ""
    for i, term in enumerate(sympy.Add.make_args(local)):
        factors = sympy.Mul.make_args(term)
        shared = [f for f in factors if f.is_Symbol and f.name in adjoint_names]
        rest = sympy.Mul(*(f for f in factors if f not in shared))
        negative = rest.could_extract_minus_sign()
        rest = -rest if negative else rest
        parts = ([] if rest == 1 else [p.factor(rest) if rest.is_Add else p.doprint(rest)])
        parts += [p.doprint(f) for f in shared]
        out += (" - " if negative else " + ") if i else ("-" if negative else "")
        out += " ".join(parts) or "1"
    return out


def _key(symbol) -> str:
    return symbol.name if isinstance(symbol, sympy.Symbol) else str(symbol)


def printer(graph=None, names: Mapping | None = None, **settings) -> SympropLatexPrinter:
    """A :class:`SympropLatexPrinter` for ``graph`` (``names`` override symbols' LaTeX)."""
    return SympropLatexPrinter(graph, names, **settings)


def latex(expr, graph=None, names: Mapping | None = None, **settings) -> str:
    r"""``expr`` in LaTeX, in the notation of ``graph``.

    >>> from symprop import mlp
    >>> g = mlp([1, 2, 1])
    >>> latex(g.expr("a2_1"), g)
    '\\sigma(z_{1}^{[2]})'
    """
    return printer(graph, names, **settings).doprint(expr)


def symbol_latex(graph, symbol, names: Mapping | None = None) -> str:
    """The LaTeX of one declared symbol (an identifier, Symbol or LaTeX name)."""
    symbol = graph.symbol(symbol) if graph is not None else symbol
    return printer(graph, names).doprint(symbol)


def colored(tex: str, color: str | None) -> str:
    r"""``\color{color}{tex}``, or ``tex`` when no colour is given.

    >>> colored(r"\partial x", "red")
    '\\color{red}{\\partial x}'
    """
    if color is None:
        return tex
    if not (isinstance(color, str) and color.replace("!", "").isalnum()):
        raise SympropError(f"colour {color!r} is not an xcolor name (letters, digits, '!')")
    return r"\color{%s}{%s}" % (color, tex)


def partial_fraction(graph, top, bottom, colors: Mapping | None = None,
                     names: Mapping | None = None, d: str = PARTIAL, shorthand: bool = True) -> str:
    r"""``\frac{\partial top}{\partial bottom}``, each end in its node's colour if given; an
    adjoint in a graph printing in a textbook's notation is written in its shorthand
    (``\delta^{3}_{1}``, ``dz^{[2]}_{1}``: :func:`symprop.latex.notations.adjoint_latex`)
    unless ``shorthand`` is False.

    >>> from symprop import mlp
    >>> g = mlp([1, 2, 1])
    >>> partial_fraction(g, "L", "b2_1", colors={"L": "red", "b2_1": "blue"})
    '\\frac{\\color{red}{\\partial \\mathcal{L}}}{\\color{blue}{\\partial b_{1}^{[2]}}}'
    """
    colors = {_key(k): v for k, v in (colors or {}).items()}
    if shorthand and getattr(graph, "textbook_notation", None) \
            and graph.symbol(top) == graph.loss_symbol:
        # a notation's shorthand for an adjoint (Nielsen's delta, Ng's dz): symprop.latex.notations
        from .notations import adjoint_latex

        bottom = graph.symbol(bottom)
        short = adjoint_latex(graph, bottom, symbol_latex(graph, bottom, names))
        if short is not None:
            return colored(short, colors.get(_key(bottom)))
    ends = []
    for end in (top, bottom):
        symbol = graph.symbol(end) if graph is not None else end
        ends.append(colored(f"{d} {symbol_latex(graph, symbol, names)}", colors.get(_key(symbol))))
    return r"\frac{%s}{%s}" % tuple(ends)
