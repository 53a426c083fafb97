"""`Graph`: declared inputs and parameters, nodes bound to sympy expressions, one loss.

One class for both views of a network.  Its vertices' shapes decide its form
(:mod:`symprop.ir.forms`): scalars, as in *Back Propagation*, or matrices with
one column per example, as in *Backprop Implementation*, where scalar inputs and
parameters may scale the matrices.  Every edge ``parent -> node`` carries its
local pullback (:mod:`symprop.ir.edges`); in scalar form that is the partial
written in node values, as the lesson labels its figures:

>>> import sympy
>>> from symprop import Graph, sigmoid
>>> g = Graph()
>>> x, y = g.inputs("x y")
>>> w, b = g.params("w b")
>>> z = g.node("z", w*x + b)
>>> yhat = g.node("yhat", sigmoid(z))
>>> L = g.loss("L", (yhat - y)**2)
>>> g.partial(z, yhat), g.form.name
(yhat*(1 - yhat), 'scalar')

and in matrix form a node is a matrix expression (:mod:`symprop.ir.matrix_ops`):

>>> from symprop.registry.functions import relu
>>> from symprop.ir.matrix_ops import Loss, Softmax, apply
>>> g = Graph()
>>> X, Y = g.input("X", 3), g.input("Y", 2)
>>> W1, b1 = g.param("W1", 4, 3), g.param("b1", 4, 1)
>>> W2, b2 = g.param("W2", 2, 4), g.param("b2", 2, 1)
>>> A1 = g.node("A1", apply(relu, g.node("Z1", W1 * X + g.broadcast(b1))))
>>> A2 = g.node("A2", Softmax(g.node("Z2", W2 * A1 + g.broadcast(b2))))
>>> L = g.loss("L", Loss("ce", A2, Y))
>>> g.one_hot(Y)
>>> g.form.name, g.derive("W2").result
('matrix', 1/m*(A2 - Y)*A1.T)
"""
from __future__ import annotations

from typing import Iterable, Mapping

import sympy
from sympy import MatrixExpr, MatrixSymbol

from . import matrix_ops as ops
from . import notation
from .declarations import INPUT, LOSS, NODE, PARAM, Declarations
from .edges import Edge
from .forms import FORMS, MATRIX, SCALAR
from .scalar_exprs import checked_scalar_expr
from ..errors import SympropError

BATCH = sympy.Symbol("m", integer=True, positive=True)
# Names a matrix form's generated program uses for itself (the batch size, libraries, adjoints).
_GENERATED_NAMES = {"m", "np", "numpy", "jnp", "jax", "torch", "DTYPE"}


class Graph(Declarations):
    """A computation graph whose loss symprop differentiates by the chain rule.

    Declare inputs and parameters, then nodes in order (each may use only what
    was declared before it), then the loss; see the module docstring.
    ``inputs("x y")`` and ``params("w b")`` declare scalars; ``input("X", rows)``
    (``rows x m``, one column per example) and ``param("W", rows, cols)``
    matrices, and without a shape a scalar.  ``parameter(w)`` looks one up.
    ``form``: None (the default) lets the vertices' shapes decide, ``"matrix"``
    or ``"scalar"`` fixes it; ``batch`` is the batch size's symbol, :data:`BATCH`.
    """

    def __init__(self, form: str | None = None, batch: sympy.Symbol = BATCH):
        super().__init__()
        if form is not None and (not isinstance(form, str) or form not in FORMS):
            raise SympropError(f"form {form!r} is not one of {', '.join(FORMS)}")
        if not isinstance(batch, sympy.Symbol):
            raise SympropError(f"batch {batch!r} is not a sympy Symbol (the batch size's name)")
        self._form = None if form is None else FORMS[form]
        self.batch = batch
        self.values: dict[str, float] = {}
        # ((LaTeX, meaning), ...): what the graph's kinds of symbol mean, for the notes (mlp()).
        self.legend: tuple = ()
        # Which layer's unit each symbol is about (mlp(): symprop.ir.units), else None.
        self.units = None

    @property
    def form(self):
        """The graph's :class:`~symprop.ir.forms.Form`: matrix once a vertex is a matrix."""
        return self._form or SCALAR

    # ----------------------------------------------------------- declaring
    def inputs(self, names: str | Iterable[str], latex: Mapping[str, str] | None = None):
        """Declare scalar inputs (data, targets); returns their Symbols like ``sympy.symbols``."""
        return self._declare_leaves(names, INPUT, latex)

    def params(self, names: str | Iterable[str], latex: Mapping[str, str] | None = None):
        """Declare scalar parameters, the things gradients are taken with respect to."""
        return self._declare_leaves(names, PARAM, latex)

    def input(self, name: str, rows: int | None = None, latex: str | None = None):
        """An input of ``rows`` rows and one column per example; without ``rows``, one number
        (in a graph of matrices, one for the whole batch: a coefficient), a sympy Symbol."""
        if rows is None:
            return self._declare(name, INPUT, None, latex)
        shape = (self._size(name, rows), self.batch)
        return self._declare(name, INPUT, None, latex, self._matrix(name, shape))

    def param(self, name: str, rows: int | None = None, cols: int | None = None,
              latex: str | None = None):
        """A parameter of shape ``rows x cols`` (a bias is ``rows x 1``); without a shape, a
        scalar parameter (a Symbol), which may scale a matrix: ``s * (W * A)``.

        >>> g = Graph()
        >>> g.param("s"), g.param("W", 2, 3).shape
        (s, (2, 3))
        """
        if not isinstance(name, str):
            raise SympropError(f"param() declares a parameter by its name; {name!r} is not "
                               "a name (parameter(...) looks a declared one up)")
        if rows is None and cols is None:
            return self._declare(name, PARAM, None, latex)
        shape = (self._size(name, rows), self._size(name, cols))
        return self._declare(name, PARAM, None, latex, self._matrix(name, shape))

    def node(self, name: str, expr, latex: str | None = None):
        """Declare an intermediate node ``name = expr``; returns its symbol.

        ``expr`` is a scalar sympy expression (or a string symprop reads), or a
        matrix expression (:mod:`symprop.ir.matrix_ops`) for a graph of matrices.
        """
        self._check_no_loss_yet(name)
        if isinstance(expr, MatrixExpr):
            self._check_uses(name, expr)
            return self._declare(name, NODE, expr, latex, self._matrix(name, expr.shape))
        matrices = expr.atoms(MatrixSymbol) if isinstance(expr, sympy.Basic) else ()
        if matrices:
            raise SympropError(
                f"node {name!r} is a scalar of the matrix {', '.join(sorted(map(str, matrices)))}:"
                " not built yet; a scalar node is a function of scalar vertices (t = exp(r)), and"
                " a scalar may scale a matrix expression (t * (W * A))")
        symbol = self._declare(name, NODE, checked_scalar_expr(self, name, expr), latex)
        self._form = self._form or SCALAR   # in matrix form, a scalar of scalars (t = exp(r))
        return symbol

    def loss(self, name: str, expr, latex: str | None = None) -> sympy.Symbol:
        """Declare the loss, the one node every gradient is of: a scalar expression, or for a
        graph of matrices a :class:`~symprop.ir.matrix_ops.Loss` over its nodes."""
        if self._loss is not None:
            raise SympropError(f"the graph already has a loss, {self._loss}; "
                               f"a graph has one loss, so {name!r} cannot be another")
        if isinstance(expr, ops.Loss) or self._form is MATRIX:
            if not isinstance(expr, ops.Loss):
                raise SympropError(f"loss {name!r}: expected a Loss(name, outputs, targets), "
                                   f"got {type(expr).__name__}")
            self._matrix(name, ())
            self._check_uses(name, expr)
            self._loss = self._declare(name, LOSS, expr, latex)
        else:
            self._loss = self._declare(name, LOSS, checked_scalar_expr(self, name, expr), latex)
            self._form = SCALAR
        return self._loss

    def one_hot(self, *targets) -> None:
        """Declare that ``targets`` are one-hot labels: scalar targets sum to 1 in every
        example; each column of each matrix target sums to 1.

        This is an assumption the user states; softmax with cross-entropy then
        simplifies to ``a_j - y_j`` (``(A - Y)/m`` for matrices).
        """
        if any(ops.shape_of(self.symbol(t)) for t in targets):
            for t in targets:
                self._declare_one_hot((t,))
        else:
            self._declare_one_hot(targets)

    def broadcast(self, column) -> MatrixExpr:
        """``column`` (``n x 1``) repeated over the batch, for a bias: ``b 1^T``."""
        if column.shape[1] != 1:
            raise SympropError(f"only a column (n x 1) broadcasts over the batch; "
                               f"{column} has shape {column.shape}")
        return ops.broadcast(column, self.batch)

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

    def _matrix(self, name, shape):
        """``shape``, once the graph is in matrix form (``name`` makes it so) or an error."""
        if self._form is SCALAR:
            nodes = ", ".join(map(str, self.node_symbols))
            why = f"its nodes {nodes} are scalars" if nodes else "made as Graph(form='scalar')"
            raise SympropError(f"{name!r} is a matrix, but this graph is in scalar form "
                               f"({why}); a graph of matrices declares its matrices before "
                               "its nodes")
        if self._form is None:
            taken = sorted(set(self._vertices) & _GENERATED_NAMES)
            if taken:
                raise SympropError(f"{taken[0]!r} is reserved for generated code in a graph of "
                                   "matrices; choose another name")
            self._form = MATRIX
        return shape

    def _size(self, name, n):
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise SympropError(f"{name}: a dimension must be a positive integer, got {n!r}")
        return n

    def _check_uses(self, name, expr):
        declared = {v.symbol for v in self._vertices.values()}
        unknown = sorted(str(s) for s in expr.free_symbols
                         if s != self.batch and s not in declared)
        if unknown:
            raise SympropError(f"node {name!r} uses {', '.join(unknown)}, not declared before it")

    def _declare(self, name, kind, expr, latex, shape=None):
        if self._form is MATRIX and (name in _GENERATED_NAMES or name.startswith("dL_")):
            raise SympropError(f"{kind} {name!r} is reserved for generated code; choose another")
        return super()._declare(name, kind, expr, latex, shape)

    def _make_symbol(self, name, shape):
        return MatrixSymbol(name, *shape) if shape else sympy.Symbol(name)

    # ----------------------------------------------------------- reading
    def symbol(self, name):
        """The declared symbol for a name, a symbol, or a LaTeX name."""
        if isinstance(name, sympy.Basic) and hasattr(name, "name"):
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

    def shape(self, name) -> tuple:
        """A vertex's shape: ``(rows, cols)`` for a matrix, ``()`` for a scalar or the loss."""
        return ops.shape_of(self.symbol(name))

    def position(self, symbol) -> int:
        """Where ``symbol`` was declared: 0 for the first declaration."""
        order = self._cached("order", lambda: {n: i for i, n in enumerate(self._vertices)})
        return order[symbol.name]

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
        return self._indexed(self.form.edges(self))

    def partial(self, parent, child):
        """The label of the edge ``parent -> child`` (0 when there is none): d child / d parent
        in node values, or in matrix form the vector-Jacobian step (see ``Edge``)."""
        parent, child = self.symbol(parent), self.symbol(child)
        for edge in self.in_edges(child):
            if edge.parent == parent:
                return edge.partial
        return sympy.Integer(0)

    def composed(self, expr):
        """``expr`` with every node replaced by its definition: inputs and parameters only."""
        substitute = self.form.substitute

        def composition():
            composed = {}
            for node in self.node_symbols:
                composed[node] = substitute(self.expr(node), composed)
            return composed
        return substitute(expr, self._cached("composition", composition))

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
        ``convention=`` names what dZ, dW, δ denote; see :mod:`symprop.verify`."""
        return self.form.verify(self, wrt, claim, **options)

    def __repr__(self):
        return self._summary(f"Graph[{self.form.name}]")


def MatrixGraph(batch: sympy.Symbol = BATCH) -> Graph:  # noqa: N802 (reads as the class it makes)
    """A :class:`Graph` in matrix form from its first declaration: ``Graph(form="matrix")``.

    >>> g = MatrixGraph(); g.form.name, g.param("W", 2, 3).shape
    ('matrix', (2, 3))
    """
    return Graph(form="matrix", batch=batch)


__all__ = ["BATCH", "Edge", "Graph", "MatrixGraph"]
