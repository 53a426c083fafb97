"""`MatrixGraph`: a computation graph whose nodes are matrices, a batch of m examples as columns.

>>> from symprop.registry.functions import relu
>>> from symprop.ir.matrix_ops import Loss, Softmax, apply
>>> g = MatrixGraph()
>>> X, Y = g.input("X", 3), g.input("Y", 2)
>>> W1, b1 = g.param("W1", 4, 3), g.param("b1", 4, 1)
>>> W2, b2 = g.param("W2", 2, 4), g.param("b2", 2, 1)
>>> Z1 = g.node("Z1", W1 * X + g.broadcast(b1))
>>> A1 = g.node("A1", apply(relu, Z1))
>>> Z2 = g.node("Z2", W2 * A1 + g.broadcast(b2))
>>> A2 = g.node("A2", Softmax(Z2))
>>> L = g.loss("L", Loss("ce", A2, Y))
>>> g.one_hot(Y)
>>> g.derive("W2").result
1/m*(A2 - Y)*A1.T
"""
from __future__ import annotations

import sympy
from sympy import MatrixExpr, MatrixSymbol

from .declarations import INPUT, LOSS, NODE, PARAM, Declarations
from ..errors import SympropError
from . import matrix_ops as ops
from .forms import MATRIX
from .graph import Edge

BATCH = sympy.Symbol("m", integer=True, positive=True)
# Names the generated program uses for itself (the batch size, libraries, adjoints).
_GENERATED_NAMES = {"m", "np", "numpy", "jnp", "jax", "torch", "DTYPE"}


class MatrixGraph(Declarations):
    """Layer-level computation graph: declare inputs and parameters, then nodes, then the loss.

    Inputs are ``rows x m`` (``m`` the batch size, :data:`BATCH`), parameters
    have fixed shapes, a node is a matrix expression over what was declared
    before it (see :mod:`symprop.ir.matrix_ops`), the loss a :class:`~symprop.ir.matrix_ops.Loss`.
    ``param(name, rows, cols)`` declares a parameter; ``parameter(name)`` looks one up.
    """

    form = MATRIX

    def __init__(self, batch: sympy.Symbol = BATCH):
        super().__init__()
        self.batch = batch

    # ----------------------------------------------------------- declaring
    def input(self, name: str, rows: int | None = None, latex: str | None = None):
        """An input of ``rows`` rows and one column per example; without ``rows``, one number
        for the whole batch (a coefficient such as a weight-decay rate), a sympy Symbol."""
        shape = () if rows is None else (self._size(name, rows), self.batch)
        return self._declare(name, INPUT, None, latex, shape)

    def param(self, name: str, rows: int | None = None, cols: int | None = None,
              latex: str | None = None):
        """A parameter of shape ``rows x cols`` (a bias is ``rows x 1``); without a shape, a
        scalar parameter (a Symbol) that may scale a matrix: ``s * (W * A)``.

        >>> g = MatrixGraph()
        >>> g.param("s"), g.param("W", 2, 3).shape
        (s, (2, 3))
        """
        if rows is None and cols is None:
            return self._declare(name, PARAM, None, latex, ())
        return self._declare(name, PARAM, None, latex, (self._size(name, rows), self._size(name, cols)))

    def node(self, name: str, expr, latex: str | None = None) -> MatrixSymbol:
        """An intermediate node ``name = expr`` (a matrix expression)."""
        self._check_no_loss_yet(name)
        if not isinstance(expr, MatrixExpr):
            raise SympropError(f"node {name!r}: expected a matrix expression, got {type(expr).__name__}")
        self._check_uses(name, expr)
        return self._declare(name, NODE, expr, latex, expr.shape)

    def loss(self, name: str, expr, latex: str | None = None) -> sympy.Symbol:
        """The loss: a :class:`~symprop.ir.matrix_ops.Loss` over declared nodes."""
        if self._loss is not None:
            raise SympropError(f"the graph already has a loss, {self._loss}")
        if not isinstance(expr, ops.Loss):
            raise SympropError(f"loss {name!r}: expected a Loss(name, outputs, targets), "
                               f"got {type(expr).__name__}")
        self._check_uses(name, expr)
        self._loss = self._declare(name, LOSS, expr, latex, None)
        return self._loss

    def one_hot(self, *targets) -> None:
        """Declare that each column of each of ``targets`` sums to 1: each is a one-hot group.

        Softmax with cross-entropy then gives ``(A - Y)/m``.
        """
        for t in targets:
            self._declare_one_hot((t,))

    def broadcast(self, column) -> MatrixExpr:
        """``column`` (``n x 1``) repeated over the batch, for a bias: ``b 1^T``."""
        if column.shape[1] != 1:
            raise SympropError(f"only a column (n x 1) broadcasts over the batch; "
                               f"{column} has shape {column.shape}")
        return ops.broadcast(column, self.batch)

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
        if name in _GENERATED_NAMES or name.startswith("dL_"):
            raise SympropError(f"{kind} {name!r} is reserved for generated code; choose another")
        return super()._declare(name, kind, expr, latex, shape)

    def _make_symbol(self, name, shape):
        return sympy.Symbol(name) if not shape else MatrixSymbol(name, *shape)

    # ----------------------------------------------------------- reading
    def shape(self, name):
        """The shape of a declared matrix (``()`` for the loss)."""
        symbol = self.symbol(name)
        return symbol.shape if isinstance(symbol, MatrixSymbol) else ()

    # ----------------------------------------------------------- edges
    def _edges(self):
        """Layer-level edges: ``partial`` the vector-Jacobian step over ``upstream``, dL/d``child``.

        The steps are the rules of :mod:`symprop.derive.matrix_rules`, in node
        values, the loss's upstream adjoint being 1; None where no gradient
        flows back (the targets of the loss).

        >>> from symprop import matrix_mlp
        >>> from symprop.derive.matrix_text import matrix_text
        >>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce")
        >>> [(str(e.parent), matrix_text(e.partial)) for e in g.in_edges("Z2")]
        [('A1', 'W2.T*dL_dZ2'), ('W2', 'dL_dZ2*A1.T'), ('b2', 'dL_dZ2*ones(m, 1)')]
        >>> matrix_text(g.in_edges("A1")[0].partial), g.out_edges("Y")[0].partial
        ('dL_dA1.*step(Z1)', None)
        """
        from ..derive.matrix_rules import vjp
        from ..derive.simplify import adjoint_symbol

        loss = self.loss_symbol
        leaves = set(self.symbols) - {loss}
        values = {self.expr(n): n for n in self.node_symbols
                  if isinstance(self.expr(n), (ops.Apply, ops.Softmax))}
        edges = []
        for child in self.node_symbols:
            definition = self.expr(child)
            upstream = sympy.Integer(1) if child == loss else adjoint_symbol(self, child)
            sent = vjp(definition, upstream, leaves)
            edges += [Edge(parent, child, ops.substitute(sent[parent], values)
                           if parent in sent else None, upstream)
                      for parent in self.symbols
                      if parent != child and parent in definition.free_symbols]
        return self._indexed(edges)

    def composed(self, expr):
        """``expr`` with every node replaced by its definition: inputs and parameters only."""
        def composition():
            composed = {}
            for n in self.node_symbols[:-1]:
                composed[n] = ops.substitute(self.expr(n), composed)
            return composed
        return ops.substitute(expr, self._cached("composition", composition))

    def compile(self, backend: str = "numpy", dtype=None, **options):
        """Compiled ``f(X=..., Y=..., W1=..., ...) -> (loss, grads)``; see :mod:`symprop.codegen.matrix_module`."""
        from ..codegen.matrix_module import compile_matrix_graph

        return compile_matrix_graph(self, backend=backend, dtype=dtype, **options)

    def check(self, values=None, points: int = 2, seed: int = 0, rtol: float | None = None,
              batch: int = 3, method: str = "auto"):
        """The compiled gradients against PyTorch autograd; see :mod:`symprop.check.graph_check`."""
        from ..check.graph_check import check_graph

        return check_graph(self, values=values, points=points, seed=seed, rtol=rtol,
                           batch=batch, method=method)

    def verify(self, wrt, claim: str, seed: int = 0, convention=None):
        """Is the hand derivation ``claim`` (LaTeX) dL/d``wrt`` (a parameter or a node)?
        ``convention=`` names what dZ, dW denote; see :mod:`symprop.verify.matrix_verdict`."""
        from ..verify.matrix_verdict import verify_matrix_claim

        return verify_matrix_claim(self, wrt, claim, seed=seed, convention=convention)

    def __repr__(self):
        return self._summary("MatrixGraph")
