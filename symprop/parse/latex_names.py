r"""What the names, functions and fractions of a LaTeX claim stand for in a graph.

Every symbol has several spellings (its identifier, its LaTeX, the lessons'
aliases such as ``a_1^{[0]}`` for the input ``x``); a function name stands for
the registry's function (:data:`FUNCTIONS`); a partial-derivative fraction
stands for a derivative symprop already knows.

>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> _Names(g).lookup(r"a_{1}^{[0]}")
x
"""
from __future__ import annotations

import difflib
import re

import sympy

from ..ir import notation
from ..verify.claim_bounds import small
from ..registry.functions import REGISTRY, read_spellings
from .latex_text import LatexReadError


def functions() -> dict[str, object]:
    r"""Every spelling of a scalar function in a claim, lower case, ``\operatorname`` read as
    ``\mathrm`` (as :func:`~.latex_text._normalize` writes it) -> its registry entry.

    >>> functions()[r"\mathrm{relu}"].name, functions()[r"\sigma"].name, functions()[r"\max"].name
    ('relu', 'sigmoid', 'max')
    """
    return {spelling.replace(r"\operatorname", r"\mathrm").lower(): entry
            for spelling, entry in read_spellings().items() if not entry.vector_valued}


def read_functions() -> tuple[type, ...]:
    """The sympy classes a claim's value may contain: the registry's."""
    return tuple({e.sympy_class for e in REGISTRY.values()})


# What a textbook calls the cost in a derivative's numerator (Nielsen's C, Bishop's E_n, ...):
# the loss, wherever the graph has no other name spelled so.
LOSS_SPELLINGS = ("L", "J", "C", "E", "E_n", r"\mathcal{L}", r"\mathcal{J}", r"\mathcal{E}")


def name_key(spelling: str) -> str:
    r"""One key per name, whatever the order of its scripts and the brackets of its layer:
    ``w^{3}_{12}``, ``w_{12}^{3}``, ``w_{12}^{[3]}`` and ``w^{(3)}_{12}`` are one name.

    >>> name_key(r"w^{3}_{12}") == name_key(r"w_{12}^{[3]}") == name_key(r"w^{(3)}_{12}")
    True
    """
    from .indices import split_name

    base, sub, sup = split_name(spelling)
    return notation.normalize_latex(base + (f"_{{{sub}}}" if sub is not None else "")
                                    + (f"^{{{sup}}}" if sup is not None else ""))


class _Names:
    """Every spelling of every graph symbol: identifier, its LaTeX, and the lessons' aliases."""

    def __init__(self, graph):
        self.graph = graph
        self.identifiers = graph.namespace()
        self.latex: dict[str, sympy.Symbol] = {}
        # Every symbol's own display name first, then the defaults: a notation's a^{2}_{1}
        # (Nielsen's, the layer numbered from 1) is the symbol displayed so, even where
        # another symbol's default spelling, a_{1}^{[2]}, has the same letters.
        for spellings in ([graph.latex_name(s) for s in graph.symbols],
                          [notation.default_latex(s.name) for s in graph.symbols]):
            for s, spelling in zip(graph.symbols, spellings):
                self.latex.setdefault(notation.normalize_latex(spelling), s)
                self.latex.setdefault(name_key(spelling), s)
        for spelling, s in _aliases(graph):
            self.latex.setdefault(notation.normalize_latex(spelling), s)
            self.latex.setdefault(name_key(spelling), s)

    def loss_named(self, spelling: str):
        """The loss, where ``spelling`` is a usual name of a cost and no other symbol's."""
        symbol = self.lookup(spelling)
        if symbol is not None:
            return symbol if symbol == self.graph.loss_symbol else None
        keys = {name_key(s) for s in LOSS_SPELLINGS}
        return self.graph.loss_symbol if name_key(spelling) in keys else None

    def error_node(self, sub, layer):
        r"""The node whose error ``\delta_{sub}`` is, where no layer says it (Mazur's
        ``\delta_{o1}`` of ``net_{o1}``, Bishop's ``\delta_j`` of ``a_j``): the one node with
        that subscript that an activation is applied to, else the one node with it."""
        if layer is not None or sub is None:
            return None
        sub = re.sub(r"\s|[{}]", "", str(sub))
        with_sub = [s for s in self.graph.node_symbols if s != self.graph.loss_symbol and any(
            _sub_of(spelling) == sub for spelling in (self.graph.latex_name(s),
                                                      notation.default_latex(s.name)))]
        fed = [s for s in with_sub if any(isinstance(self.graph.expr(e.child), sympy.Function)
                                          and self.graph.expr(e.child).args == (s,)
                                          for e in self.graph.out_edges(s))]
        for found in (fed, with_sub):
            if len(found) == 1:
                return found[0]
        return None

    @property
    def depth(self) -> int:
        """The output layer's number (Nielsen's L), 0 for a graph without layers."""
        layers = [int(m[1]) for n in self.identifiers if (m := re.fullmatch(r"[az](\d+)_\d+", n))]
        return max(layers, default=0)

    def node_named(self, letter: str, sub, layer) -> sympy.Symbol | None:
        """``letter{layer}_{sub}``: with no layer the output layer's, with no index the layer's
        only node; None when that is no node of the graph (or more than one)."""
        layer = layer if layer is not None else self.depth
        if sub is None:
            found = [s for n, s in self.identifiers.items()
                     if re.fullmatch(fr"{letter}{layer}_\d+", n)]
            return found[0] if len(found) == 1 else None
        return self.identifiers.get(f"{letter}{layer}_{str(sub).strip()}")

    def displayed_as(self, spelling: str) -> sympy.Symbol | None:
        """The symbol whose own display name (not a default spelling) is ``spelling``."""
        if not hasattr(self, "_displayed"):
            self._displayed = {}
            for s in self.graph.symbols:
                if self.graph.latex_name(s) != notation.default_latex(s.name):
                    self._displayed.setdefault(name_key(self.graph.latex_name(s)), s)
        return self._displayed.get(name_key(spelling))

    def lookup(self, spelling: str) -> sympy.Symbol | None:
        spelling = spelling.strip()
        if spelling in self.identifiers:
            return self.identifiers[spelling]
        found = self.latex.get(notation.normalize_latex(spelling))
        return found if found is not None else self.latex.get(name_key(spelling))

    def unknown(self, spelling: str) -> LatexReadError:
        known = {**{k: k for k in self.identifiers},
                 **{notation.normalize_latex(self.graph.latex_name(s)): s.name
                    for s in self.graph.symbols}}
        close = difflib.get_close_matches(notation.normalize_latex(spelling), list(known),
                                          n=4, cutoff=0.5)
        names = sorted({known[c] for c in close}, key=list(self.identifiers).index)
        listed = ", ".join(f"{self.graph.latex_name(n)} ({n})" for n in names)
        hint = (f"close matches: {listed}" if names else
                f"declared: {', '.join(self.identifiers)}")
        return LatexReadError(f"unknown name {spelling.strip()!r} in the claim; {hint}")


def _sub_of(spelling: str):
    from .indices import split_name

    sub = split_name(spelling)[1]
    return None if sub is None else re.sub(r"\s|[{}]", "", sub)


def _aliases(graph):
    """The lessons' other spellings: ``a_j^{[0]}`` for input j, ``\\hat{y}`` for the network output,
    ``z^{[2]}`` for the one unit of a layer of one unit."""
    names = graph.namespace()
    layers = [int(m[1]) for n in names if (m := re.fullmatch(r"a(\d+)_\d+", n))]
    if not layers:
        return
    units = {}                      # deeplearning.ai's z^{[2]}, b^{[2]} for a layer of one unit
    for n, s in names.items():
        if m := re.fullmatch(r"([a-z])(\d+)_\d+(?:_\d+)?", n):
            units.setdefault(m.group(1, 2), []).append(s)
    for (letter, layer), found in units.items():
        if len(found) == 1:
            yield f"{letter}^{{[{layer}]}}", found[0]
    inputs = [s for s in graph.input_symbols if re.fullmatch(r"x\d*", s.name)]
    for j, s in enumerate(inputs, 1):
        yield notation.layer_latex("a", 0, j), s
    outputs = [s for n, s in names.items() if re.fullmatch(fr"a{max(layers)}_\d+", n)]
    if "yhat" not in names:
        if len(outputs) == 1:
            yield r"\hat{y}", outputs[0]
        for k, s in enumerate(outputs, 1):
            yield rf"\hat{{y}}_{{{k}}}", s


GENERIC_LETTERS = ("f", "g", "h")    # Goodfellow's f'(x), Bishop's h'(a_j), a course's g'(z)


def generic_functions(graph, names) -> dict:
    r"""``{letter: entry}``: f, g and h, where the graph has no name so spelled, stand for the one
    registry function the graph applies to a node (its activation), when there is just one."""
    from ..registry.functions import entry_for

    applied = {entry_for(graph.expr(s)) for s in graph.node_symbols
               if isinstance(graph.expr(s), sympy.Function) and len(graph.expr(s).args) == 1}
    applied = {e for e in applied if e is not None and not e.vector_valued}
    if len(applied) != 1:
        return {}
    entry, = applied
    return {c: entry for c in GENERIC_LETTERS if names.lookup(c) is None}


def shorthand(names, word: str):
    r"""deeplearning.ai's ``dz``, ``dw1``, ``db``: the symbol whose dL/d it is, where ``word`` is
    ``d`` and a graph name that is no name itself, and the graph has no ``d``; else None."""
    word = word.strip()
    if len(word) < 2 or word[0] != "d" or names.lookup(word) is not None \
            or names.lookup("d") is not None:
        return None
    symbol = names.lookup(word[1:])
    if symbol is None or symbol == names.graph.loss_symbol or symbol in names.graph.input_symbols:
        return None
    return symbol


def derivative(graph, of, wrt) -> sympy.Expr:
    r"""What ``\frac{\partial of}{\partial wrt}`` means, in node values.

    ``dL/dv`` (of the loss) is symprop's adjoint; ``du/dv`` along an edge is that
    edge's local partial (the lesson's edge labels); otherwise the sum over paths.

    >>> from symprop import mlp
    >>> g = mlp([1, 2, 1])
    >>> derivative(g, g.symbol("z2_1"), g.symbol("a1_2"))
    w2_2_1
    """
    if of == wrt:
        return sympy.Integer(1)
    if of == graph.loss_symbol and graph.kind(wrt) != "input":
        adjoints = graph.adjoints()     # a deep network's adjoint written out grows with its paths
        full = adjoints.adjoint.get(wrt, sympy.Integer(0))
        return full if small(full, 1000) else adjoints.symbol[wrt]
    if any(e.parent == wrt for e in graph.in_edges(of)):
        return graph.partial(wrt, of)
    paths = {of: 1}                      # counted first: the sum is built only when small
    for node in reversed(graph.symbols):
        count = sum(paths[e.child] for e in graph.out_edges(node) if e.child in paths)
        if count and node != of:
            paths[node] = count
    total = {of: sympy.Integer(1)}
    if paths.get(wrt, 0) <= MAX_PATHS:
        for node in reversed(graph.symbols):
            terms = [e.partial * total[e.child] for e in graph.out_edges(node) if e.child in total]
            if terms and node != of and node in paths:
                total[node] = sympy.Add(*terms)
    found = total.get(wrt, sympy.Integer(0) if wrt not in paths else None)
    if found is None or not small(found, 1000):
        raise LatexReadError(f"d{of}/d{wrt} sums {paths[wrt]} chain-rule paths, too many to "
                             f"write out; write it through the adjoints, "
                             f"d{graph.loss_symbol}/d... of the nodes between them")
    return found


MAX_PATHS = 64             # chain-rule paths a derivative fraction between two nodes may sum

