"""`Graph`: declared inputs and parameters, nodes bound to sympy expressions, one loss.

Every edge ``parent -> node`` carries its local partial derivative written in
node values, as the lesson labels its figures:

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph()
>>> x, y = g.inputs("x y")
>>> w, b = g.params("w b")
>>> z = g.node("z", w*x + b)
>>> yhat = g.node("yhat", sigmoid(z))
>>> L = g.loss("L", (yhat - y)**2)
>>> g.partial(z, yhat)
yhat*(1 - yhat)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

import sympy
from sympy.core.function import AppliedUndef

from . import notation
from ..registry.functions import BY_CLASS, TWINS
from .declarations import INPUT, LOSS, NODE, PARAM, Declarations
from .forms import SCALAR
from ..errors import SympropError


@dataclass(frozen=True)
class Edge:
    """``parent -> child`` and its local pullback: what dL/d``child`` sends back to ``parent``.

    ``partial`` is the factor a path prints for the edge, in node values: for a
    scalar graph d child / d parent (the pullback multiplies by it); for a
    matrix graph the vector-Jacobian step written over ``upstream``, the
    symbol of dL/d``child`` (the pullback puts the adjoint in its place).
    None where no gradient flows back (a loss's targets).

    >>> x = sympy.Symbol("x")
    >>> Edge(x, sympy.Symbol("z"), 2*x).pullback(sympy.Symbol("G"))
    2*G*x
    """

    parent: sympy.Basic
    child: sympy.Basic
    partial: sympy.Basic | None
    upstream: sympy.Basic | None = None

    def pullback(self, adjoint):
        """The contribution of this edge to dL/d``parent``, given dL/d``child``."""
        if self.partial is None or adjoint == self.upstream:
            return self.partial
        if self.upstream is None:
            return self.partial * adjoint
        from .matrix_ops import substitute

        return substitute(self.partial, {self.upstream: adjoint})


# What an expression may hold besides the registry's functions: the arithmetic,
# numbers and constants symprop compiles and checks, and a Piecewise's conditions.
_KNOWN = (sympy.Symbol, sympy.Number, sympy.NumberSymbol, sympy.Add, sympy.Mul, sympy.Pow,
          sympy.logic.boolalg.BooleanAtom, sympy.core.relational.Relational, sympy.And,
          sympy.Or, sympy.Not, sympy.functions.elementary.piecewise.ExprCondPair)


class Graph(Declarations):
    """A computation graph whose loss symprop differentiates by the chain rule.

    Declare inputs and parameters, then nodes in order (each may use only what
    was declared before it), then the loss.  See the module docstring.
    ``params("w b")`` declares parameters; ``parameter(w)`` (or ``param``) looks one up.
    """

    form = SCALAR

    def __init__(self):
        super().__init__()
        self.values: dict[str, float] = {}
        # ((LaTeX, meaning), ...): what the graph's kinds of symbol mean, for the notes (mlp()).
        self.legend: tuple = ()
        # Which layer's unit each symbol is about (mlp(): symprop.ir.units), else None.
        self.units = None

    # ----------------------------------------------------------- declaring
    def inputs(self, names: str | Iterable[str], latex: Mapping[str, str] | None = None):
        """Declare inputs (data, targets); returns their Symbols like ``sympy.symbols``."""
        return self._declare_leaves(names, INPUT, latex)

    def params(self, names: str | Iterable[str], latex: Mapping[str, str] | None = None):
        """Declare parameters, the things gradients are taken with respect to."""
        return self._declare_leaves(names, PARAM, latex)

    def node(self, name: str, expr, latex: str | None = None) -> sympy.Symbol:
        """Declare an intermediate node ``name = expr``; returns its Symbol."""
        self._check_no_loss_yet(name)
        return self._declare(name, NODE, self._checked_expr(name, expr), latex)

    def loss(self, name: str, expr, latex: str | None = None) -> sympy.Symbol:
        """Declare the loss, the one node every gradient is of."""
        if self._loss is not None:
            raise SympropError(f"the graph already has a loss, {self._loss}; "
                               f"a graph has one loss, so {name!r} cannot be another")
        symbol = self._declare(name, LOSS, self._checked_expr(name, expr), latex)
        self._loss = symbol
        return symbol

    def one_hot(self, *targets) -> None:
        """Declare that ``targets`` sum to 1 in every example (one-hot labels).

        This is an assumption the user states; softmax with cross-entropy then
        simplifies to ``a_j - y_j``.
        """
        self._declare_one_hot(targets)

    def _declare_leaves(self, names, kind, latex):
        names = names.split() if isinstance(names, str) else list(names)
        if not names:
            raise SympropError(f"no {kind} names given")
        latex = dict(latex or {})
        unknown = set(latex) - set(names)
        if unknown:
            raise SympropError(f"latex= names {sorted(unknown)} are not among {names}")
        symbols = tuple(self._declare(n, kind, None, latex.get(n)) for n in names)
        return symbols[0] if len(symbols) == 1 else symbols

    def _checked_expr(self, name, expr):
        if isinstance(expr, str):
            from ..parse.expression import parse_expression

            expr = parse_expression(expr, self.namespace())
        elif isinstance(expr, (int, float)) and not isinstance(expr, bool):
            expr = sympy.Float(expr) if isinstance(expr, float) else sympy.Integer(expr)
        if not isinstance(expr, sympy.Expr) or isinstance(expr, sympy.MatrixBase):
            raise SympropError(f"node {name!r}: expected a sympy expression, "
                               f"got {type(expr).__name__}")
        undeclared = sorted(str(s) for s in expr.free_symbols
                            if s.name not in self._vertices
                            or self._vertices[s.name].symbol != s)
        if undeclared:
            raise SympropError(f"node {name!r} uses {', '.join(undeclared)}, "
                               "not declared before it")
        unknown = sorted({type(f).__name__ for f in expr.atoms(AppliedUndef)})
        if unknown:
            raise SympropError(f"node {name!r} uses unknown function(s) {', '.join(unknown)}")
        unregistered = sorted({type(f).__name__ for f in sympy.preorder_traversal(expr)
                               if not isinstance(f, _KNOWN) and type(f) not in BY_CLASS
                               and type(f) not in TWINS})
        if unregistered:
            raise SympropError(
                f"node {name!r} uses {', '.join(unregistered)}, which symprop's function "
                "registry does not describe, so it could be neither compiled nor checked "
                "(symprop.REGISTRY lists the functions it knows)")
        if expr.has(sympy.Derivative, sympy.Integral):
            raise SympropError(f"node {name!r}: unevaluated derivatives or integrals "
                               "are not supported")
        if expr.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
            raise SympropError(f"node {name!r} contains an infinite or undefined constant")
        complex_part = next((c for c in sympy.preorder_traversal(expr)
                             if c.is_number and c.is_real is False), None)
        if complex_part is not None:  # sqrt(-1), log(-1), acosh(0): graphs are real
            raise SympropError(f"node {name!r} contains the non-real number {complex_part}")
        for cls, twin in TWINS.items():  # sympy's Mod has no derivative; its twin does
            if expr.has(cls):
                expr = expr.replace(cls, twin)
        return expr

    # ----------------------------------------------------------- reading
    def symbol(self, name) -> sympy.Symbol:
        """The declared Symbol for a name, a Symbol, or a LaTeX name."""
        if isinstance(name, sympy.Symbol):
            if self._vertices.get(name.name, None) is None:
                raise SympropError(f"{name} is not declared in this graph")
            return self._vertices[name.name].symbol
        if isinstance(name, str):
            name = notation.normal_name(name)   # declared names are NFKC
            if name in self._vertices:
                return self._vertices[name].symbol
            key = notation.normalize_latex(name)
            for v in self._vertices.values():
                if notation.normalize_latex(v.latex) == key:
                    return v.symbol
        raise SympropError(f"{name!r} is not declared in this graph; declared: "
                           f"{', '.join(self._vertices)}")

    def param(self, wrt) -> sympy.Symbol:
        """Resolve ``wrt`` (Symbol, identifier or LaTeX) to a parameter, or explain."""
        return self.parameter(wrt)

    # ----------------------------------------------------------- edges
    def _node_value_map(self):
        """Defining expression -> node symbol, to write derivatives in node values.

        Only nodes the loss uses: a node that does not reach it is never computed
        (compiled forward passes skip it), so no derivative may be written in it.
        """
        def build():
            live = self._uses_of_loss()
            return {v.expr: v.symbol for v in self._vertices.values()
                    if v.expr is not None and not v.expr.is_Atom
                    and (live is None or v.symbol in live)}
        return self._cached("node_values", build)

    def _uses_of_loss(self):
        """The symbols the loss depends on (itself included), or None before there is a loss."""
        if self._loss is None:
            return None
        reach = {self._loss}
        for name in reversed(list(self._vertices)):
            vertex = self._vertices[name]
            if vertex.symbol in reach and vertex.expr is not None:
                reach.update(vertex.expr.free_symbols)
        return reach

    def to_node_values(self, expr: sympy.Expr) -> sympy.Expr:
        """Replace every subexpression that is some node's definition by that node."""
        return expr.xreplace(self._node_value_map())

    def _edges(self):
        from ..derive.partials import partials as local_partials

        edges = []
        for child in self.node_symbols:
            partials = local_partials(self.expr(child))
            edges += [Edge(parent, child, self.to_node_values(partials[parent]))
                      for parent in sorted(partials, key=self._order)]
        return self._indexed(edges)

    def _order(self, symbol) -> int:
        order = self._cached("order", lambda: {n: i for i, n in enumerate(self._vertices)})
        return order[symbol.name]

    def partial(self, parent, child) -> sympy.Expr:
        """d child / d parent in node values (0 when there is no edge)."""
        parent, child = self.symbol(parent), self.symbol(child)
        for edge in self.in_edges(child):
            if edge.parent == parent:
                return edge.partial
        return sympy.Integer(0)

    def _composition(self):
        composed = {}
        for node in self.node_symbols:
            composed[node] = self.expr(node).xreplace(composed)
        return composed

    def composed(self, expr: sympy.Expr) -> sympy.Expr:
        """``expr`` with every node replaced by its definition: inputs and parameters only."""
        return expr.xreplace(self._cached("composition", self._composition))

    # ----------------------------------------------------------- the pipeline
    def compile(self, backend: str = "numpy", dtype=None, reduce=None):
        """A gradient function ``f(**values) -> (loss, grads)`` (NumPy, torch or jax); see
        :mod:`symprop.codegen`."""
        from ..codegen import compile_graph

        return compile_graph(self, reduce=reduce, backend=backend, dtype=dtype)

    def check(self, values=None, **options):
        """Compare symprop's gradients with PyTorch autograd; see :mod:`symprop.check.graph_check`."""
        from ..check.graph_check import check_graph

        return check_graph(self, values=values, **options)

    def verify(self, wrt, claim, **options):
        """Is the hand derivation ``claim`` (LaTeX) dL/d``wrt`` (a parameter or a node)?
        ``convention=`` names what dZ, dW, δ denote; see :mod:`symprop.verify.verdict`."""
        from ..verify.verdict import verify_claim

        return verify_claim(self, wrt, claim, **options)

    def __repr__(self):
        return self._summary("Graph")
