"""Compiled matrix gradients: one readable program, matrix products on whole batches.

The program runs the forward pass node by node, then each needed adjoint once,
loss end first, from the derivation's local forms (``dL_dZ1 = dL_dA1 * (Z1 > 0)``).
The printers, the module's shared parts and the loader are those of the scalar
form (:mod:`.printer`, :mod:`.program`, :mod:`.compiled`); what is the matrix
form's own is here: matrix products and reductions, shapes, the batch size ``m``.

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

import functools
import re

import numpy as np
import sympy
from sympy import MatMul, MatrixSymbol, OneMatrix, Transpose
from sympy.printing.str import StrPrinter

from ..errors import SympropError
from ..ir import matrix_ops as ops
from ..registry.functions import softmax
from ..registry.stable import logsumexp
from .backends import BACKENDS
from .auto_backend import resolve_backend
from .backward import plan_backward
from .compiled import CompiledGradient, check_options, load_module
from .printer import FormPrinting
from .program import GeneratedModule, adjoint_lines, conversion_lines, header, helper_sources
from .stable import stabilize

COLUMNS = "softmax_columns"  # marks the column softmax helpers as used


# ------------------------------------------------------------------ printers
def scalar_text(c) -> str:
    """A scalar coefficient as Python source: a fraction, a float, or a name such as ``m``.

    >>> scalar_text(sympy.Rational(1, 3)), scalar_text(sympy.sqrt(2) / (2 * sympy.sqrt(sympy.pi)))
    ('(1/3)', '0.3989422804014327')
    >>> scalar_text(sympy.Symbol("lam") / (10 * sympy.Symbol("m")))
    '(lam/(10*m))'
    """
    if c.is_number and not (c.is_Rational or c.is_Float):   # sqrt(pi): no backend has bare sqrt
        return repr(float(c))
    numer, denom = sympy.fraction(c)
    text = StrPrinter().doprint(numer)
    if denom == 1:
        return text
    below = StrPrinter().doprint(denom)
    return f"({text}/{below if denom.is_Atom else '(' + below + ')'})"   # 1/(10*m), not 1/10*m


@functools.lru_cache(maxsize=None)
def _elementwise_printer(base):
    """A backend's printer that prints the dummy as an array and a step as a mask."""

    class ElementwisePrinter(base):
        float_constants = True  # every backend: the same program, whatever the library

        def __init__(self, arg_text, cast, bare_mask=None):
            super().__init__()
            self._arg_text, self._cast, self._bare_mask = arg_text, cast, bare_mask

        def _print_Dummy(self, expr):
            return self._arg_text

        def _print_Heaviside(self, expr):
            if expr.args[1:] in ((), (sympy.Integer(0),)):
                mask = f"({self._print(expr.args[0])} > 0)"
                # A boolean mask times an array keeps the array's dtype; anywhere else
                # (0.99 * mask) the library's default float would leak in: cast it.
                return mask if expr == self._bare_mask else self._cast(mask)
            return super()._print_Heaviside(expr)

        def _print_Mul(self, expr):
            # A mask is no step call here: no masked() product (Heaviside prints as a mask).
            return super(FormPrinting, self)._print_Mul(expr)

        def _print_Rational(self, expr):
            return f"({expr.p}/{expr.q})"

    return ElementwisePrinter


class MatrixCodePrinter(StrPrinter):
    """Prints a matrix expression as array code for one backend (``@``, ``*``, ``.T``, reductions)."""

    def __init__(self, backend, batch):
        super().__init__()
        self.backend, self.batch = backend, batch
        self.used: dict = {}  # helper functions (and COLUMNS), in order of first use
        self._scalar = _elementwise_printer(backend.printer)

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
        device = ", device=_device" if self.backend.devices else ""
        return f"{self.backend.module}.ones(({rows}, {cols}), dtype=DTYPE{device})"

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

    def _print_Trace(self, expr):
        # tr(G M^T), a scalar vertex's gradient, is the sum of G o M: no m x m product.
        coeff, matrices = expr.arg.as_coeff_matrices() if isinstance(expr.arg, MatMul) \
            else (1, [expr.arg])
        if len(matrices) == 2 and isinstance(matrices[1], Transpose):
            text = f"{self.backend.module}.sum({self._wrap(matrices[0])} * {self._wrap(matrices[1].arg)})"
        else:
            text = f"{self.backend.module}.trace({self._print(expr.arg)})"
            coeff = 1
        return text if coeff == 1 else f"{self.scalar(coeff)} * {text}"

    def _print_Transpose(self, expr):
        return f"{self._wrap(expr.arg)}.T"

    def _print_Apply(self, expr, in_product=False):
        d = expr.function.variables[0]
        body = expr.function.expr
        if body == d:
            return self._print(expr.arg)
        if isinstance(body, logsumexp):  # the log-sum-exp of each column: a row that broadcasts
            self.used.setdefault(COLUMNS, None)
            return f"logsumexp_columns({self._print(expr.arg)})"
        printer = self._scalar(self._wrap(expr.arg), self.backend.cast,
                               bare_mask=body if in_product else None)
        text = printer.doprint(body)
        self.used.update(printer.helpers)
        # One call reads as an operand; anything more (1 - tanh(Z)**2) needs its brackets.
        return text if isinstance(body, sympy.Function) else f"({text})"

    def _print_Softmax(self, expr):
        self.used.setdefault(COLUMNS, None)
        return f"softmax_columns({self._print(expr.arg)})"

    def _print_Function(self, expr):
        # A function of scalar vertices (t = exp(r)): the backend's own spelling, np.exp(r).
        printer = self._scalar("", self.backend.cast)
        text = printer.doprint(expr)
        self.used.update(printer.helpers)
        return text


# ------------------------------------------------------------------ losses
def _output_definitions(graph, a, outputs):
    """``{a: f(z)}`` for the loss entry ``a`` when the output node is ``f`` of a matrix ``Z``."""
    if graph.kind(outputs) != "node":
        return None, None
    definition = graph.expr(outputs)
    if not isinstance(getattr(definition, "arg", None), MatrixSymbol):
        return None, None
    z = sympy.Dummy("z")
    if isinstance(definition, ops.Softmax):
        return {a: softmax(sympy.Integer(1), z)}, (z, definition.arg)  # one entry of a column
    if isinstance(definition, ops.Apply):
        d = definition.function.variables[0]
        return {a: definition.function.expr.xreplace({d: z})}, (z, definition.arg)
    return None, None


def loss_code(printer, graph) -> str:
    """The loss line's right-hand side; the registry's stable forms of its logs, from the logits."""
    loss = graph.expr(graph.loss_symbol)
    outputs = loss.outputs
    per_entry, a, y = loss.per_entry()
    mapping = {a: outputs, y: loss.targets}
    definitions, logits = _output_definitions(graph, a, outputs)
    if definitions is not None:
        stable, used = stabilize(per_entry, definitions)
        if used and a not in stable.free_symbols:  # every log of the output has a stable form
            per_entry, mapping = stable, {logits[0]: logits[1], y: loss.targets}
    lifted = ops.lift(per_entry, mapping, outputs.shape)
    text = f"{printer.backend.total(printer._print(lifted))} / m"
    if loss.weights:   # weight decay, (c/2) sum ||W||^2: each norm the sum of W * W
        text += f" + {printer._print(loss.penalty())}"
    return text


def shared_log_sum_exps(graph, loss_text) -> dict:
    """``{softmax node: (name, text)}`` where the loss line takes the log of that softmax.

    The loss's stable form writes ``log A`` as ``Z - logsumexp_columns(Z)``; computed
    once under ``name``, it gives the softmax too, ``A = exp(log_softmax_Z)``, where
    the two helpers would take each column's maximum and exponentials twice (a tenth
    of a small network's gradient).

    >>> from symprop import matrix_mlp
    >>> g = matrix_mlp([3, 2], output="softmax", loss="ce", one_hot=True)
    >>> shared_log_sum_exps(g, "np.sum(-((Z1 - logsumexp_columns(Z1)) * Y)) / m")
    {A1: ('log_softmax_Z1', 'Z1 - logsumexp_columns(Z1)')}
    """
    taken, shared = set(graph.namespace()), {}
    for node in graph.node_symbols[:-1]:
        definition = graph.expr(node)
        if isinstance(definition, ops.Softmax) and isinstance(definition.arg, MatrixSymbol):
            logits = definition.arg.name
            shifted = f"{logits} - logsumexp_columns({logits})"
            if f"({shifted})" in loss_text:
                name = f"log_softmax_{logits}"
                while name in taken:
                    name += "_"
                shared[node] = (name, shifted)
    return shared


# ------------------------------------------------------------------ the program
def _shape_text(symbol, batch, first) -> str:
    if not isinstance(symbol, MatrixSymbol):
        return "()"   # a scalar vertex: a 0-d array
    rows, cols = symbol.shape
    return f"({rows}, {'None' if first else 'm'})" if cols == batch else f"({rows}, {cols})"


def argument_lines(graph, backend, dtype=None) -> list[str]:
    """The body's first lines: every argument converted and shape-checked, then ``m``."""
    symbols = graph.input_symbols + graph.param_symbols
    batched = next((s for s in symbols if ops.holds_examples(s, graph.batch)), None)
    shapes = {s.name: _shape_text(s, graph.batch, s == batched) for s in symbols}
    lines = conversion_lines(backend, [s.name for s in symbols], shapes)
    if batched is None:   # no input holds examples (scalars only): one example, as the oracle
        return ["    m = 1"] + ["    " + line for line in lines]
    first = next(i for i, line in enumerate(lines) if line.startswith(f"{batched.name} ="))
    lines.insert(first + 1, f"m = {batched.name}.shape[1]")
    return ["    " + line for line in lines]


def _live_lines(lines, result) -> list[str]:
    """Drop assignments nothing after them reads (the forward pass needs no softmax output)."""
    live, kept = {result, "m"}, []
    for line in reversed(lines):
        target, _, value = line.strip().partition(" = ")
        if target in live or not target.isidentifier():
            kept.append(line)
            live.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", value))
    return kept[::-1]


def module_header(backend, dtype, used) -> str:
    """Imports, DTYPE, the helpers in ``used`` and ``_array``: all a generated module needs."""
    helpers = helper_sources(backend, [f for f in used if f != COLUMNS])
    if COLUMNS in used:
        helpers.append(backend.softmax_source().strip())
    title = f'"""Gradients of a layer-level graph, generated by symprop ({backend.name} backend)."""'
    return f"{title}\n{header(backend, dtype, helpers)}\n"


def generate_source(graph, backend: str = "numpy", dtype=np.float64) -> str:
    """The generated module's source: ``forward(...)`` (the loss) and ``gradients(...)``."""
    dtype = check_options(backend, dtype, running=False)
    lib = BACKENDS[backend]
    printer = MatrixCodePrinter(lib, graph.batch)
    args = ", ".join(s.name for s in graph.input_symbols + graph.param_symbols)
    body = argument_lines(graph, lib, dtype)
    loss_text = loss_code(printer, graph)
    shared = shared_log_sum_exps(graph, loss_text)
    for node in graph.node_symbols[:-1]:
        if node in shared:
            name, shifted = shared[node]
            body.append(f"    {name} = {shifted}")
            body.append(f"    {node.name} = {lib.module}.exp({name})")
            loss_text = loss_text.replace(f"({shifted})", name)
        else:
            body.append(f"    {node.name} = {printer.doprint(graph.expr(node))}")
    body.append(f"    {graph.loss_symbol.name} = {loss_text}")
    forward_body = _live_lines(body, graph.loss_symbol.name)
    plan = plan_backward(graph)
    backward = ["    " + line for line in adjoint_lines(plan.lines, printer)]
    backward += [f"    dL_d{p.name} = {lib.module}.zeros_like({p.name})  # {p} has no path to "
                 f"{graph.loss_symbol}" for p, v in plan.gradient.items() if v is None]
    grads = ", ".join(f"{p.name!r}: {v or 'dL_d' + p.name}" for p, v in plan.gradient.items())
    loss = graph.loss_symbol.name
    return (module_header(lib, dtype, printer.used)
            + f"\n\ndef forward({args}):\n    \"\"\"The loss alone.\"\"\"\n"
            + "\n".join(forward_body) + f"\n    return {loss}\n"
            + f"\n\ndef gradients({args}):\n    \"\"\"(loss, {{parameter: gradient}}).\"\"\"\n"
            + "\n".join(body + backward) + f"\n    return {loss}, {{{grads}}}\n")


def compile_matrix_graph(graph, reduce=None, backend="numpy", dtype=None) -> CompiledGradient:
    """Compile ``graph``'s gradients; ``backend`` numpy (default), jax, torch or auto
    (:mod:`.auto_backend`).  A jax program runs under ``jax.jit`` (:func:`run_under_jit`).
    ``reduce`` is refused: the loss and gradients are already means over the batch."""
    if reduce:
        raise SympropError(f"reduce {reduce!r} does not apply to a graph in matrix form: its "
                           "loss and gradients are already means over the batch")
    backend = resolve_backend(graph, backend, dtype)
    dtype = check_options(backend, dtype)
    names = tuple(s.name for s in graph.input_symbols + graph.param_symbols)
    generated = GeneratedModule(generate_source(graph, backend, dtype), "gradients", names,
                                tuple(p.name for p in graph.param_symbols), None, backend, dtype)
    compiled = CompiledGradient(graph, generated)
    return run_under_jit(compiled) if backend == "jax" else compiled


def run_under_jit(compiled: CompiledGradient) -> CompiledGradient:
    """``compiled``'s gradients and forward pass run under ``jax.jit``, each program as a whole.

    Called op by op, a jax program pays a dispatch for every operation (2.5 ms a
    call for a 64-64-64-64-10 network, against 0.2 ms jit-ed) and compiles each
    operation on its first call (seconds); jit-ed, XLA fuses the elementwise
    steps and compiles once per argument shapes.  The argument shapes are still
    checked: ``_array`` runs while jax traces.  ``compiled.module`` keeps the
    plain functions.
    """
    import jax

    gradients, params = jax.jit(compiled.function), compiled.params

    def jitted(*args, **kwargs):
        loss, grads = gradients(*args, **kwargs)
        return loss, {p: grads[p] for p in params}  # jit gives a dict back sorted by key

    jitted.__doc__ = compiled.function.__doc__
    compiled.function = jitted
    compiled.forward_function = jax.jit(compiled.forward_function)
    return compiled


__all__ = ["MatrixCodePrinter", "argument_lines", "compile_matrix_graph", "generate_source",
           "load_module", "module_header", "run_under_jit", "scalar_text",
           "shared_log_sum_exps"]
