"""What every graph declares: named inputs, parameters, nodes and one loss, in order.

`Graph` keeps its declarations here, and reaches the shared pipeline (edges,
paths, adjoints, derivations) through it; `Graph` adds how its nodes are
defined, checked and shaped.

>>> d = Declarations()
>>> x = d._declare("x", INPUT, None, None)
>>> d.kind("x"), d.input_symbols
('input', (x,))
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy

from . import notation
from ..errors import SympropError
from ..latex.display_names import check_display_name, default_display_name

INPUT, PARAM, NODE, LOSS = "input", "parameter", "node", "loss"
ARTICLE = {INPUT: "an input", PARAM: "a parameter", NODE: "a node", LOSS: "the loss"}


@dataclass
class Vertex:
    """One declared name: its symbol, what kind of thing it is, its definition, its LaTeX."""

    symbol: sympy.Basic
    kind: str
    expr: sympy.Basic | None
    latex: str


class Declarations:
    """Declared names in declaration (topological) order, the loss, one-hot groups, a cache."""

    def __init__(self):
        self._vertices: dict[str, Vertex] = {}
        self._loss = None
        self._one_hot: list = []
        self._cache: dict = {}

    def _default_latex(self, name: str) -> str:
        return notation.default_latex(name)

    def _make_symbol(self, name: str, shape):
        return sympy.Symbol(name)

    def _declare(self, name, kind, expr, latex, shape=None):
        name = notation.check_identifier(name, kind)   # NFKC: as Python reads it
        if name in self._vertices:
            looked_up = " (parameter(name) looks a declared parameter up)" \
                if self.kind(name) == PARAM else ""
            raise SympropError(f"{name!r} is already declared (as {ARTICLE[self.kind(name)]}); "
                               f"each name is declared once{looked_up}")
        symbol = self._make_symbol(name, shape)
        # Display names are data printed into .tex files: screened, never raw (README).
        text = (check_display_name(latex, f"display name of {name}") if latex is not None
                else default_display_name(name, self._default_latex(name)))
        self._vertices[name] = Vertex(symbol, kind, expr, text)
        self._cache.clear()
        return symbol

    def _check_no_loss_yet(self, name):
        if self._loss is not None:
            raise SympropError(f"node {name!r} is declared after the loss "
                               f"{self._loss}; declare every node before the loss")

    def _vertex(self, name) -> Vertex:
        key = notation.normal_name(name if isinstance(name, str) else getattr(name, "name", name))
        if key not in self._vertices:
            raise SympropError(f"{name!r} is not declared in this graph; declared: "
                               f"{', '.join(self._vertices)}")
        return self._vertices[key]

    def _cached(self, key, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # ----------------------------------------------------------- reading
    def namespace(self) -> dict:
        """Declared names and their symbols, in declaration order."""
        return {n: v.symbol for n, v in self._vertices.items()}

    def kind(self, name) -> str:
        """``'input'``, ``'parameter'``, ``'node'`` or ``'loss'``."""
        return self._vertex(name).kind

    def expr(self, name):
        """The defining expression of a node (None for inputs and parameters)."""
        return self._vertex(name).expr

    def latex_name(self, name) -> str:
        """The LaTeX a symbol prints as (``a_{1}^{[2]}``, ``\\hat{y}``)."""
        return self._vertex(name).latex

    def set_latex(self, name, latex: str) -> None:
        """Rename a symbol's LaTeX (the softmax output as ``P``, say); screened as data.
        What was gathered under the old names (the claim readers' names) is forgotten."""
        vertex = self._vertex(name)
        vertex.latex = check_display_name(latex, f"display name of {vertex.symbol}")
        self._cache.clear()

    def _of_kind(self, *kinds):
        return tuple(v.symbol for v in self._vertices.values() if v.kind in kinds)

    @property
    def input_symbols(self):
        return self._of_kind(INPUT)

    @property
    def param_symbols(self):
        return self._of_kind(PARAM)

    @property
    def node_symbols(self):
        """Intermediate nodes and the loss, in declaration (topological) order."""
        return self._of_kind(NODE, LOSS)

    @property
    def symbols(self):
        """Every declared symbol, in declaration order."""
        return tuple(v.symbol for v in self._vertices.values())

    @property
    def loss_symbol(self):
        """The loss; an error if none was declared."""
        if self._loss is None:
            raise SympropError("the graph has no loss: declare one with g.loss(name, expr)")
        return self._loss

    def symbol(self, name):
        """The declared symbol for a name or a symbol."""
        return self._vertex(name).symbol

    def _declare_one_hot(self, group) -> None:
        """Declare that the inputs of ``group`` sum to 1 in every example (a one-hot group)."""
        symbols = tuple(self.symbol(t) for t in group)
        for s in symbols:
            if self.kind(s) != INPUT:
                raise SympropError(f"one-hot targets must be inputs; {s} is {ARTICLE[self.kind(s)]}")
        self._one_hot.append(symbols)
        self._cache.clear()

    @property
    def one_hot_groups(self) -> tuple:
        """The groups of targets declared one-hot (a matrix target is a group of its own)."""
        return tuple(self._one_hot)

    @property
    def one_hot_targets(self) -> tuple:
        """Every target in a one-hot group."""
        return tuple(s for group in self._one_hot for s in group)

    def parameter(self, wrt):
        """Resolve ``wrt`` (a symbol or its name) to a parameter, or explain."""
        params = ", ".join(map(str, self.param_symbols)) or "none declared"
        try:
            symbol = self.symbol(wrt)
        except SympropError:
            raise SympropError(f"{wrt!r} is not a parameter of this graph; "
                               f"parameters: {params}") from None
        if self.kind(symbol) != PARAM:
            raise SympropError(f"{symbol} is {ARTICLE[self.kind(symbol)]}, not a parameter; "
                               f"parameters: {params}")
        return symbol

    # ----------------------------------------------------------- edges
    def _indexed(self, edges):
        """``(edges, into each child, out of each parent)``, what ``_edges`` returns."""
        into, out = {}, {}
        for edge in edges:
            into.setdefault(edge.child, []).append(edge)
            out.setdefault(edge.parent, []).append(edge)
        return (tuple(edges), {k: tuple(v) for k, v in into.items()},
                {k: tuple(v) for k, v in out.items()})

    @property
    def edges(self) -> tuple:
        """Every edge, grouped by child in declaration order (see ``Edge``)."""
        return self._cached("edges", self._edges)[0]

    def in_edges(self, node) -> tuple:
        """Edges into ``node`` (from the symbols its definition uses)."""
        return self._cached("edges", self._edges)[1].get(self.symbol(node), ())

    def out_edges(self, node) -> tuple:
        """Edges out of ``node`` (to the nodes whose definitions use it)."""
        return self._cached("edges", self._edges)[2].get(self.symbol(node), ())

    def consumers(self, name) -> tuple:
        """The nodes whose definition uses ``name``, in declaration order."""
        return tuple(e.child for e in self.out_edges(name))

    # ----------------------------------------------------------- the pipeline
    def count_paths(self, wrt) -> int:
        """Number of chain-rule paths from ``wrt`` to the loss, without enumerating them."""
        from ..derive.paths import count_paths

        return count_paths(self, self.parameter(wrt))

    def adjoints(self):
        """Every node's simplified adjoint dL/dnode, computed once (reverse accumulation).

        Returns :class:`~symprop.derive.backprop.Adjoints`: ``.adjoint[node]``,
        ``.local[node]``, ``.steps[node]`` (textbook rules used) and ``.order`` (loss first).
        """
        from ..derive.simplify import simplify_adjoints

        self.loss_symbol  # a clear error when there is none
        return self._cached("adjoints", lambda: simplify_adjoints(self))

    def gradients(self) -> dict:
        """``{param: Derivation}`` for every parameter, adjoints computed once and shared."""
        from ..derive.derivation import Derivation

        adjoints = self.adjoints()
        return self._cached("gradients", lambda: {
            p: Derivation(self, p, adjoints) for p in self.param_symbols})

    def derive(self, wrt):
        """The :class:`~symprop.derive.derivation.Derivation` of the loss with respect to ``wrt``."""
        return self.gradients()[self.parameter(wrt)]

    def _summary(self, kind_name):
        counts = {k: len(self._of_kind(k)) for k in (INPUT, PARAM, NODE)}
        return (f"{kind_name}({counts[INPUT]} inputs, {counts[PARAM]} parameters, "
                f"{counts[NODE]} nodes, loss={self._loss})")

    def _repr_svg_(self):
        """Jupyter's picture of the graph (None without graphviz: the text form is shown)."""
        from ..latex.rich_display import graph_svg

        return graph_svg(self)
