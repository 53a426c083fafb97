"""Compiled matrix gradients: one readable program, matrix products on whole batches.

The program runs the forward pass node by node, then each needed adjoint once,
loss end first, from the derivation's local forms (``dL_dZ1 = dL_dA1 * (Z1 > 0)``).
The same printer writes it for NumPy, JAX or PyTorch (:mod:`symprop.codegen.backends`).

>>> import numpy as np
>>> from symprop import matrix_mlp
>>> g = matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> f = g.compile()
>>> "dL_dW2 = dL_dZ2 @ A1.T" in f.source
True
>>> rng = np.random.default_rng(0)
>>> values = dict(X=rng.normal(size=(3, 5)), Y=np.eye(2)[:, [0, 1, 1, 0, 1]],
...               W1=rng.normal(size=(4, 3)), b1=np.zeros((4, 1)),
...               W2=rng.normal(size=(2, 4)), b2=np.zeros((2, 1)))
>>> loss, grads = f(**values)
>>> grads["W1"].shape
(4, 3)
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import itertools
import re

import numpy as np
import sympy
from sympy import MatrixSymbol, OneMatrix, Transpose
from sympy.printing.str import StrPrinter

from ..errors import SympropError
from ..registry.functions import entry_for
from ..ir import matrix_ops as ops
from .backends import BACKENDS
from ..derive.matrix_rules import activation_name

_COUNTER = itertools.count()


# ------------------------------------------------------------------ printers
def scalar_text(c) -> str:
    """A scalar coefficient as Python source: a fraction, a float, or a name such as ``m``.

    >>> scalar_text(sympy.Rational(1, 3)), scalar_text(sympy.sqrt(2) / (2 * sympy.sqrt(sympy.pi)))
    ('(1/3)', '0.3989422804014327')
    """
    if c.is_number and not (c.is_Rational or c.is_Float):   # sqrt(pi): no backend has bare sqrt
        return repr(float(c))
    numer, denom = sympy.fraction(c)
    text = StrPrinter().doprint(numer)
    return text if denom == 1 else f"({text}/{StrPrinter().doprint(denom)})"


def _elementwise_printer(base):
    """A backend's scalar printer that prints the dummy as an array and registry functions as helpers."""

    class ElementwisePrinter(base):
        def __init__(self, arg_text, used, helpers, cast, bare_mask=None):
            super().__init__()
            self._arg_text, self._used, self._helpers = arg_text, used, helpers
            self._cast, self._bare_mask = cast, bare_mask

        def _print_Dummy(self, expr):
            return self._arg_text

        def _print(self, expr, **kwargs):
            # A constant such as sqrt(2)/sqrt(pi) as a float: torch.sqrt(2) takes no int.
            if isinstance(expr, sympy.Expr) and expr.is_number and not expr.is_Number:
                return repr(float(expr))
            return super()._print(expr, **kwargs)

        def _print_Heaviside(self, expr):
            if expr.args[1:] in ((), (sympy.Integer(0),)):
                mask = f"({self._print(expr.args[0])} > 0)"
                # A boolean mask times an array keeps the array's dtype; anywhere else
                # (0.99 * mask) the library's default float would leak in: cast it.
                return mask if expr == self._bare_mask else self._cast(mask)
            return self._helper("step", expr)

        def _helper(self, name, expr):
            self._used.add(name)
            return f"{name}({', '.join(self._print(a) for a in expr.args)})"

        def _print_Function(self, expr):
            entry = entry_for(expr)
            if entry is not None and entry.name in self._helpers:
                return self._helper(entry.name, expr)
            return super()._print_Function(expr)

        def _print_Rational(self, expr):
            return f"({expr.p}/{expr.q})"

    return ElementwisePrinter


class MatrixCodePrinter(StrPrinter):
    """Prints a matrix expression as array code for one backend (``@``, ``*``, ``.T``, reductions)."""

    def __init__(self, backend, batch):
        super().__init__()
        self.backend, self.batch = backend, batch
        self.used: set = set()
        self._scalar = _elementwise_printer(backend.scalar_printer)

    def _wrap(self, expr) -> str:
        text = self._print(expr)
        simple = isinstance(expr, (MatrixSymbol, ops.Apply, ops.Softmax)) or (
            isinstance(expr, Transpose) and isinstance(expr.arg, MatrixSymbol))
        return text if simple or text.startswith("(") and text.endswith(")") and text.count("(") == 1 \
            else f"({text})"

    def _print_MatrixSymbol(self, expr):
        return expr.name

    def scalar(self, c) -> str:
        return scalar_text(sympy.nsimplify(c))

    def _print_MatMul(self, expr):
        coeff, matrices = expr.as_coeff_matrices()
        matrices = list(matrices)
        reduce = None
        if len(matrices) > 1 and isinstance(matrices[-1], OneMatrix):
            if matrices[-1].shape[1] == 1:
                reduce, matrices = self.backend.row_sum, matrices[:-1]
            elif matrices[-1].shape[0] == 1:
                matrices = matrices[:-1]  # b 1^T: the library broadcasts the column
        if reduce is None and len(matrices) > 1 and isinstance(matrices[0], OneMatrix):
            reduce, matrices = self.backend.column_sum, matrices[1:]
        parts = [self._ones(m) if isinstance(m, OneMatrix) else self._wrap(m) for m in matrices]
        text = " @ ".join(parts)
        if reduce is not None:
            text = reduce(text)
        if coeff == -1:
            return f"-{text if len(parts) == 1 and reduce is None else '(' + text + ')'}"
        if coeff != 1:
            return f"{self.scalar(coeff)} * {text if len(parts) == 1 or reduce else '(' + text + ')'}"
        return text

    def _ones(self, expr):
        rows, cols = (self.scalar(n) for n in expr.shape)
        return f"{self.backend.module}.ones(({rows}, {cols}), dtype=DTYPE)"

    def _print_OneMatrix(self, expr):
        return self._ones(expr)

    def _print_MatAdd(self, expr):
        terms = []
        for term in expr.args:
            coeff, rest = ops._scalar_and_matrix(term)
            terms.append(self.scalar(coeff) if isinstance(rest, OneMatrix) else self._print(term))
        # Positive terms first: A - Y rather than -Y + A.
        terms.sort(key=lambda t: t.startswith("-"))
        return " + ".join(terms).replace("+ -", "- ")

    def _print_HadamardProduct(self, expr):
        return " * ".join(self._print_Apply(a, in_product=True) if isinstance(a, ops.Apply)
                          else self._wrap(a) for a in expr.args)

    def _print_HadamardPower(self, expr):
        return f"{self._wrap(expr.args[0])} ** {self.scalar(expr.args[1])}"

    def _print_Transpose(self, expr):
        return f"{self._wrap(expr.arg)}.T"

    def _print_Apply(self, expr, in_product=False):
        d = expr.function.variables[0]
        body = expr.function.expr
        if body == d:
            return self._print(expr.arg)
        printer = self._scalar(self._wrap(expr.arg), self.used, self.backend.helpers,
                               self.backend.cast, bare_mask=body if in_product else None)
        text = printer.doprint(body)
        # One call reads as an operand; anything more (1 - tanh(Z)**2) needs its brackets.
        return text if isinstance(body, sympy.Function) else f"({text})"

    def _print_Softmax(self, expr):
        self.used.add("softmax")
        return f"softmax_columns({self._print(expr.arg)})"


# ------------------------------------------------------------------ losses
def _stable_ce(printer, graph, loss, logits):
    printer.used.add("softmax")
    return f"-{printer.backend.total(f'{loss.targets.name} * log_softmax_columns({logits.name})')}"


def _stable_bce(printer, graph, loss, logits):
    printer.used.add("softplus")
    z, y = logits.name, loss.targets.name
    return printer.backend.total(f"softplus({z}) - {y} * {z}")


# (output activation, loss) -> the loss summed from the logits, without log(0).
STABLE_LOSSES = {("softmax", "ce"): _stable_ce, ("sigmoid", "bce"): _stable_bce}


def loss_code(printer, graph) -> str:
    """The loss line's right-hand side: stable forms from the logits where the registry allows."""
    loss = graph.expr(graph.loss_symbol)
    outputs = loss.outputs
    if graph.kind(outputs) == "node":
        definition = graph.expr(outputs)
        stable = STABLE_LOSSES.get((activation_name(definition), loss.name))
        if stable is not None and isinstance(definition.arg, MatrixSymbol):
            return f"{stable(printer, graph, loss, definition.arg)} / m"
    per_entry, a, y = loss.per_entry()
    lifted = ops.lift(per_entry, {a: outputs, y: loss.targets}, outputs.shape)
    return f"{printer.backend.total(printer._print(lifted))} / m"


# ------------------------------------------------------------------ the program
def needed_adjoints(graph, adjoints) -> list:
    """The nodes whose adjoint some parameter's gradient uses, loss end first."""
    by_symbol = {s: n for n, s in adjoints.symbol.items() if isinstance(s, MatrixSymbol)}
    needed, todo = set(), [p for p in graph.param_symbols if p in adjoints.local]
    while todo:
        node = todo.pop()
        if node in needed:
            continue
        needed.add(node)
        todo.extend(by_symbol[s] for s in adjoints.local[node].free_symbols if s in by_symbol)
    return [n for n in adjoints.order if n in needed]


def argument_lines(graph, backend, dtype) -> list[str]:
    """The body's first lines: every argument converted and shape-checked, then ``m``."""
    lines, first = [], True
    for symbol in graph.input_symbols + graph.param_symbols:
        rows, cols = symbol.shape
        cols_text = "None" if first and cols == graph.batch else ("m" if cols == graph.batch else str(cols))
        lines.append(f"    {symbol.name} = _array({symbol.name!r}, {symbol.name}, {rows}, {cols_text})")
        if first:
            lines.append(f"    m = {symbol.name}.shape[1]")
            first = False
    return lines


def _live_lines(lines, result) -> list[str]:
    """Drop assignments nothing after them reads (the forward pass needs no softmax output)."""
    live, kept = {result, "m"}, []
    for line in reversed(lines):
        target, _, value = line.strip().partition(" = ")
        if target in live or not target.isidentifier():
            kept.append(line)
            live.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", value))
    return kept[::-1]


def _x64_line(backend, dtype) -> str:
    """JAX computes in float32 unless told otherwise: a float64 program says so."""
    if backend.name == "jax" and np.dtype(dtype) == np.float64:
        return '\njax.config.update("jax_enable_x64", True)  # float64 was asked for'
    return ""


def module_header(backend, dtype, used) -> str:
    """Imports, DTYPE, the helpers in ``used`` and ``_array``: all a generated module needs."""
    helpers = [backend.helpers[name] for name in sorted(used) if name in backend.helpers]
    if "softmax" in used:
        helpers.append(backend.softmax_source())
    array = backend.to_array.format(value="value", dtype="DTYPE")
    return f'''"""Gradients of a layer-level graph, generated by symprop ({backend.name} backend)."""
{backend.imports}

try:
    from symprop.errors import SympropError
except ImportError:  # standalone: the module needs only its array library
    class SympropError(ValueError):
        pass

DTYPE = {backend.dtype(dtype)}{_x64_line(backend, dtype)}

{chr(10).join(h.strip() + chr(10) + chr(10) for h in helpers)}
def _array(name, value, rows, cols):
    """``value`` as a 2-d array of DTYPE, its shape checked against (rows, cols)."""
    try:
        array = {array}
    except (TypeError, ValueError, RuntimeError):
        raise SympropError(f"argument {{name}} is not an array of numbers") from None
    shape = tuple(array.shape)
    if len(shape) != 2 or shape[0] != rows or (cols is not None and shape[1] != cols):
        expected = (rows, "m" if cols is None else cols)
        raise SympropError(f"argument {{name}} has shape {{shape}}; expected "
                           f"({{expected[0]}}, {{expected[1]}})")
    return array
'''


def generate_source(graph, backend: str = "numpy", dtype=np.float64) -> str:
    """The generated module's source: ``forward(...)`` (the loss) and ``gradients(...)``."""
    if backend not in BACKENDS:
        raise SympropError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    if np.dtype(dtype) not in (np.float32, np.float64):
        raise SympropError(f"dtype must be float32 or float64, got {np.dtype(dtype).name}")
    lib = BACKENDS[backend]
    printer = MatrixCodePrinter(lib, graph.batch)
    adjoints = graph.adjoints()
    args = ", ".join(s.name for s in graph.input_symbols + graph.param_symbols)
    body = argument_lines(graph, lib, dtype)
    for node in graph.node_symbols[:-1]:
        body.append(f"    {node.name} = {printer.doprint(graph.expr(node))}")
    body.append(f"    {graph.loss_symbol.name} = {loss_code(printer, graph)}")
    forward_body = _live_lines(body, graph.loss_symbol.name)
    backward = [f"    {adjoints.symbol[n].name} = {printer.doprint(adjoints.local[n])}"
                for n in needed_adjoints(graph, adjoints) if graph.kind(n) != "parameter"]
    for p in graph.param_symbols:
        local = adjoints.local.get(p)
        value = (printer.doprint(local) if local is not None
                 else f"{lib.module}.zeros_like({p.name})")
        backward.append(f"    {adjoints.symbol.get(p, MatrixSymbol('dL_d' + p.name, 1, 1)).name}"
                        f" = {value}")
    grads = ", ".join(f"{p.name!r}: dL_d{p.name}" for p in graph.param_symbols)
    loss = graph.loss_symbol.name
    return (module_header(lib, dtype, printer.used)
            + f"\n\ndef forward({args}):\n    \"\"\"The loss alone.\"\"\"\n"
            + "\n".join(forward_body) + f"\n    return {loss}\n"
            + f"\n\ndef gradients({args}):\n    \"\"\"(loss, {{parameter: gradient}}).\"\"\"\n"
            + "\n".join(body + backward) + f"\n    return {loss}, {{{grads}}}\n")


# ------------------------------------------------------------------ loading
class _SourceLoader(importlib.abc.SourceLoader):
    """Loads a module from a source string held in memory (no file, no exec of a string)."""

    def __init__(self, source: str, filename: str):
        self._source, self._filename = source, filename

    def get_data(self, path):
        return self._source.encode()

    def get_filename(self, fullname):
        return self._filename


def load_module(source: str, name: str = "symprop_generated"):
    """Import ``source`` as a fresh module."""
    unique = f"{name}_{next(_COUNTER)}"
    loader = _SourceLoader(source, f"<{unique}>")
    spec = importlib.util.spec_from_loader(unique, loader, origin=f"<{unique}>")
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


class CompiledMatrixGradient:
    """``f(X=..., Y=..., W1=..., ...) -> (loss, grads)``; also ``.forward``, ``.source``, ``.save``."""

    def __init__(self, graph, backend="numpy", dtype=np.float64):
        self.backend, self.dtype = backend, np.dtype(dtype)
        self.names = tuple(s.name for s in graph.input_symbols + graph.param_symbols)
        self.source = generate_source(graph, backend, dtype)
        self.module = load_module(self.source)
        self.gradients = self.module.gradients

    def _checked(self, values):
        unknown = sorted(set(values) - set(self.names))
        missing = [n for n in self.names if n not in values]
        if unknown or missing:
            parts = ([f"unknown argument(s) {', '.join(unknown)}"] if unknown else []) + (
                [f"missing argument(s) {', '.join(missing)}"] if missing else [])
            raise SympropError(f"{'; '.join(parts)}; expected {', '.join(self.names)}")
        return values

    def __call__(self, **values):
        loss, grads = self.gradients(**self._checked(values))
        return (float(loss) if self.backend == "numpy" else loss), grads

    def forward(self, **values):
        """The loss alone (the forward pass)."""
        loss = self.module.forward(**self._checked(values))
        return float(loss) if self.backend == "numpy" else loss

    def save(self, path) -> Path:
        """Write the generated module to ``path``; it imports only its array library."""
        from ..latex.output_files import check_output_path, write_atomically

        return write_atomically(check_output_path(path, (".py",), "the gradient module"),
                                self.source)

    def __repr__(self):
        return f"CompiledMatrixGradient({self.backend}, {self.dtype.name}, args={', '.join(self.names)})"


def compile_matrix_graph(graph, backend="numpy", dtype=None, **options):
    """Compile ``graph``'s gradients; ``backend`` numpy (default), jax or torch."""
    if options:
        raise SympropError(f"unknown compile option(s) {', '.join(sorted(options))}")
    if backend == "jax":
        # JAX may be absent: the source is still generated; importing it needs jax.
        try:
            import jax  # noqa: F401
        except ImportError:
            raise SympropError("the jax backend needs jax installed; generate_source(graph, "
                               "backend='jax') gives the program without it") from None
    return CompiledMatrixGradient(graph, backend, np.float64 if dtype is None else dtype)


__all__ = ["CompiledMatrixGradient", "MatrixCodePrinter", "argument_lines", "compile_matrix_graph",
           "generate_source", "load_module", "module_header", "needed_adjoints", "STABLE_LOSSES"]
