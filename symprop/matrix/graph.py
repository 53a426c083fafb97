"""`MatrixGraph`: a computation graph whose nodes are matrices, a batch of m examples as columns.

>>> from symprop.functions import relu
>>> from symprop.matrix.ops import Loss, Softmax, apply
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

from dataclasses import dataclass

import sympy
from sympy import MatrixExpr, MatrixSymbol

from .. import notation
from ..errors import SympropError
from . import ops

INPUT, PARAM, NODE, LOSS = "input", "parameter", "node", "loss"
BATCH = sympy.Symbol("m", integer=True, positive=True)
# Names the generated program uses for itself (the batch size, libraries, adjoints).
_GENERATED_NAMES = {"m", "np", "numpy", "jnp", "jax", "torch", "DTYPE"}


@dataclass
class MatrixVertex:
    """One declared name: its symbol (a MatrixSymbol, or a Symbol for the loss), kind, definition."""

    symbol: sympy.Basic
    kind: str
    expr: sympy.Basic | None
    latex: str


def _default_latex(name: str) -> str:
    head = name.rstrip("0123456789")
    index = name[len(head):]
    if head == "L" and not index:
        return r"\mathcal{L}"
    return f"{head}_{{{index}}}" if index and head else name


class MatrixGraph:
    """Layer-level computation graph: declare inputs and parameters, then nodes, then the loss.

    Inputs are ``rows x m`` (``m`` the batch size, :data:`BATCH`), parameters
    have fixed shapes, a node is a matrix expression over what was declared
    before it (see :mod:`symprop.matrix.ops`), the loss a :class:`~symprop.matrix.ops.Loss`.
    """

    def __init__(self, batch: sympy.Symbol = BATCH):
        self.batch = batch
        self._vertices: dict[str, MatrixVertex] = {}
        self._loss = None
        self._one_hot: list = []
        self._cache: dict = {}

    # ----------------------------------------------------------- declaring
    def input(self, name: str, rows: int, latex: str | None = None) -> MatrixSymbol:
        """An input of ``rows`` rows and one column per example."""
        return self._declare(name, INPUT, None, latex, (self._size(name, rows), self.batch))

    def param(self, name: str, rows: int, cols: int, latex: str | None = None) -> MatrixSymbol:
        """A parameter of shape ``rows x cols`` (a bias is ``rows x 1``)."""
        return self._declare(name, PARAM, None, latex, (self._size(name, rows), self._size(name, cols)))

    def node(self, name: str, expr, latex: str | None = None) -> MatrixSymbol:
        """An intermediate node ``name = expr`` (a matrix expression)."""
        if self._loss is not None:
            raise SympropError(f"node {name!r} is declared after the loss {self._loss}; "
                               "declare every node before the loss")
        if not isinstance(expr, MatrixExpr):
            raise SympropError(f"node {name!r}: expected a matrix expression, got {type(expr).__name__}")
        self._check_uses(name, expr)
        return self._declare(name, NODE, expr, latex, expr.shape)

    def loss(self, name: str, expr, latex: str | None = None) -> sympy.Symbol:
        """The loss: a :class:`~symprop.matrix.ops.Loss` over declared nodes."""
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
                raise SympropError(f"one-hot targets must be inputs; {t} is a {self.kind(t)}")
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

    def _declare(self, name, kind, expr, latex, shape):
        notation.check_identifier(name, kind)
        if name in _GENERATED_NAMES or name.startswith("dL_"):
            raise SympropError(f"{kind} {name!r} is reserved for generated code; choose another")
        if name in self._vertices:
            raise SympropError(f"{name!r} is already declared (as a {self.kind(name)})")
        symbol = sympy.Symbol(name) if shape is None else MatrixSymbol(name, *shape)
        self._vertices[name] = MatrixVertex(symbol, kind, expr, latex or _default_latex(name))
        self._cache.clear()
        return symbol

    # ----------------------------------------------------------- reading
    def _vertex(self, name) -> MatrixVertex:
        key = name.name if hasattr(name, "name") and not isinstance(name, str) else name
        if key not in self._vertices:
            raise SympropError(f"{name!r} is not declared in this graph; declared: "
                               f"{', '.join(self._vertices)}")
        return self._vertices[key]

    def symbol(self, name):
        """The declared symbol for a name or a symbol."""
        return self._vertex(name).symbol

    def kind(self, name) -> str:
        return self._vertex(name).kind

    def expr(self, name):
        return self._vertex(name).expr

    def latex_name(self, name) -> str:
        return self._vertex(name).latex

    def set_latex(self, name, latex: str) -> None:
        """Print ``name`` as ``latex`` (e.g. the softmax output as ``P``, as in the seed)."""
        self._vertex(name).latex = latex

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
        """Nodes and the loss, in declaration (topological) order."""
        return self._of_kind(NODE, LOSS)

    @property
    def symbols(self):
        return tuple(v.symbol for v in self._vertices.values())

    @property
    def loss_symbol(self):
        if self._loss is None:
            raise SympropError("the graph has no loss: declare one with g.loss(name, Loss(...))")
        return self._loss

    @property
    def one_hot_targets(self):
        return tuple(self._one_hot)

    def shape(self, name):
        """The shape of a declared matrix (``()`` for the loss)."""
        symbol = self.symbol(name)
        return symbol.shape if isinstance(symbol, MatrixSymbol) else ()

    def parameter(self, wrt):
        """Resolve ``wrt`` to a parameter, or explain."""
        params = ", ".join(map(str, self.param_symbols)) or "none declared"
        try:
            symbol = self.symbol(wrt)
        except SympropError:
            raise SympropError(f"{wrt!r} is not a parameter of this graph; parameters: {params}") from None
        if self.kind(symbol) != PARAM:
            raise SympropError(f"{symbol} is a {self.kind(symbol)}, not a parameter; parameters: {params}")
        return symbol

    def consumers(self, name) -> tuple:
        """The nodes whose definition uses ``name``, in declaration order."""
        symbol = self.symbol(name)
        return tuple(n for n in self.node_symbols if symbol in self.expr(n).free_symbols)

    # ----------------------------------------------------------- the pipeline
    def _cached(self, key, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def adjoints(self):
        """Every adjoint dL/dnode, matrix form, computed once; see :mod:`symprop.matrix.derivation`."""
        from .derivation import matrix_adjoints

        self.loss_symbol
        return self._cached("adjoints", lambda: matrix_adjoints(self))

    def gradients(self) -> dict:
        """``{param: MatrixDerivation}`` for every parameter."""
        from .derivation import MatrixDerivation

        adjoints = self.adjoints()
        return self._cached("gradients", lambda: {
            p: MatrixDerivation(self, p, adjoints) for p in self.param_symbols})

    def derive(self, wrt):
        """The :class:`~symprop.matrix.derivation.MatrixDerivation` of the loss by ``wrt``."""
        return self.gradients()[self.parameter(wrt)]

    def count_paths(self, wrt) -> int:
        """Number of layer-level paths from ``wrt`` to the loss."""
        from .derivation import count_paths

        return count_paths(self, self.parameter(wrt))

    def compile(self, backend: str = "numpy", dtype=None, **options):
        """Compiled ``f(X=..., Y=..., W1=..., ...) -> (loss, grads)``; see :mod:`symprop.matrix.codegen`."""
        from .codegen import compile_matrix_graph

        return compile_matrix_graph(self, backend=backend, dtype=dtype, **options)

    def __repr__(self):
        counts = {k: len(self._of_kind(k)) for k in (INPUT, PARAM, NODE)}
        return (f"MatrixGraph({counts[INPUT]} inputs, {counts[PARAM]} parameters, "
                f"{counts[NODE]} nodes, loss={self._loss})")


__all__ = ["MatrixGraph", "BATCH"]
