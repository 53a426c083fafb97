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

from .declarations import ARTICLE, INPUT, LOSS, NODE, PARAM, Declarations
from ..errors import SympropError
from . import matrix_ops as ops

BATCH = sympy.Symbol("m", integer=True, positive=True)
# Names the generated program uses for itself (the batch size, libraries, adjoints).
_GENERATED_NAMES = {"m", "np", "numpy", "jnp", "jax", "torch", "DTYPE"}


def _default_latex(name: str) -> str:
    head = name.rstrip("0123456789")
    index = name[len(head):]
    if head == "L" and not index:
        return r"\mathcal{L}"
    if "_" in name:  # X_in1: sympy's X_{in1}, not X_in_{1} (X_i n_1)
        return sympy.latex(sympy.Symbol(name))
    return f"{head}_{{{index}}}" if index and head else name


def _without_gradient(definition) -> set:
    """The symbols ``definition`` uses but sends no gradient to: a loss's targets."""
    if isinstance(definition, ops.Loss):
        return definition.targets.free_symbols - definition.outputs.free_symbols
    return set()


class MatrixGraph(Declarations):
    """Layer-level computation graph: declare inputs and parameters, then nodes, then the loss.

    Inputs are ``rows x m`` (``m`` the batch size, :data:`BATCH`), parameters
    have fixed shapes, a node is a matrix expression over what was declared
    before it (see :mod:`symprop.ir.matrix_ops`), the loss a :class:`~symprop.ir.matrix_ops.Loss`.
    """

    def __init__(self, batch: sympy.Symbol = BATCH):
        super().__init__()
        self.batch = batch

    # ----------------------------------------------------------- declaring
    def input(self, name: str, rows: int, latex: str | None = None) -> MatrixSymbol:
        """An input of ``rows`` rows and one column per example."""
        return self._declare(name, INPUT, None, latex, (self._size(name, rows), self.batch))

    def param(self, name: str, rows: int, cols: int, latex: str | None = None) -> MatrixSymbol:
        """A parameter of shape ``rows x cols`` (a bias is ``rows x 1``)."""
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
        """Declare that each column of ``targets`` sums to 1, so softmax with ce gives ``(A - Y)/m``."""
        for t in targets:
            if self.kind(t) != INPUT:
                raise SympropError(f"one-hot targets must be inputs; {t} is {ARTICLE[self.kind(t)]}")
            self._one_hot.append(self.symbol(t))
        self._cache.clear()

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
        return sympy.Symbol(name) if shape is None else MatrixSymbol(name, *shape)

    def _default_latex(self, name):
        return _default_latex(name)

    # ----------------------------------------------------------- reading
    @property
    def one_hot_targets(self):
        return tuple(self._one_hot)

    def shape(self, name):
        """The shape of a declared matrix (``()`` for the loss)."""
        symbol = self.symbol(name)
        return symbol.shape if isinstance(symbol, MatrixSymbol) else ()

    def consumers(self, name) -> tuple:
        """The nodes whose definition uses ``name``, in declaration order."""
        symbol = self.symbol(name)
        return tuple(n for n in self.node_symbols if symbol in self.expr(n).free_symbols)

    # ----------------------------------------------------------- edges
    @property
    def edges(self) -> tuple:
        """Every layer-level edge ``parent -> child``, grouped by child in declaration order.

        ``partial`` is the edge's vector-Jacobian step over the symbol of
        dL/d``child`` (:func:`~symprop.derive.matrix_derivation.edge_step`), or None
        where no gradient flows back (the targets of the loss).

        >>> from symprop import matrix_mlp
        >>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce")
        >>> [(str(e.parent), str(e.child)) for e in g.in_edges("Z2")]
        [('A1', 'Z2'), ('W2', 'Z2'), ('b2', 'Z2')]
        >>> g.out_edges("Y")[0].partial is None
        True
        """
        return self._cached("edges", self._edges)[0]

    def in_edges(self, node) -> tuple:
        """Edges into ``node`` (from the symbols its definition uses)."""
        return self._cached("edges", self._edges)[1].get(self.symbol(node), ())

    def out_edges(self, node) -> tuple:
        """Edges out of ``node`` (to the nodes whose definitions use it)."""
        return self._cached("edges", self._edges)[2].get(self.symbol(node), ())

    def _edges(self):
        from .graph import Edge
        from ..derive.matrix_derivation import edge_step

        self.loss_symbol
        edges, into, out = [], {}, {}
        for child in self.node_symbols:
            definition = self.expr(child)
            data_only = _without_gradient(definition)
            for parent in self.symbols:
                if parent == child or parent not in definition.free_symbols:
                    continue
                step = None if parent in data_only else edge_step(self, parent, child)
                edge = Edge(parent, child, step)
                edges.append(edge)
                into.setdefault(child, []).append(edge)
                out.setdefault(parent, []).append(edge)
        return (tuple(edges), {k: tuple(v) for k, v in into.items()},
                {k: tuple(v) for k, v in out.items()})

    # ----------------------------------------------------------- the pipeline
    def adjoints(self):
        """Every adjoint dL/dnode, matrix form, computed once; see :mod:`symprop.derive.matrix_derivation`."""
        from ..derive.matrix_derivation import matrix_adjoints

        self.loss_symbol
        return self._cached("adjoints", lambda: matrix_adjoints(self))

    def gradients(self) -> dict:
        """``{param: MatrixDerivation}`` for every parameter."""
        from ..derive.matrix_derivation import MatrixDerivation

        adjoints = self.adjoints()
        return self._cached("gradients", lambda: {
            p: MatrixDerivation(self, p, adjoints) for p in self.param_symbols})

    def derive(self, wrt):
        """The :class:`~symprop.derive.matrix_derivation.MatrixDerivation` of the loss by ``wrt``."""
        return self.gradients()[self.parameter(wrt)]

    def count_paths(self, wrt) -> int:
        """Number of layer-level paths from ``wrt`` to the loss."""
        from ..derive.matrix_derivation import count_paths

        return count_paths(self, self.parameter(wrt))

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

    def verify(self, wrt, claim: str, seed: int = 0):
        """Is the hand derivation ``claim`` (LaTeX) dL/d``wrt``? See :mod:`symprop.verify.matrix_verdict`."""
        from ..verify.matrix_verdict import verify_matrix_claim

        return verify_matrix_claim(self, wrt, claim, seed=seed)

    def __repr__(self):
        return self._summary("MatrixGraph")
