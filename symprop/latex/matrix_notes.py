r"""Notes for layer-level graphs, in seed 001's notation: the layers as matrix
equations, one derivation per parameter, the shared adjoints with their rules,
and the check against PyTorch autograd.  :func:`symprop.notes` calls
:func:`matrix_notes_body` for a :class:`~symprop.ir.matrix_graph.MatrixGraph`.

>>> from symprop import mlp
>>> g = mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True, form="matrix")
>>> "\\odot" in matrix_notes_body(g, numbers=False)
True
"""
from __future__ import annotations

import sympy

from ..registry.functions import REGISTRY
from .derivation import Line, escape, render
from .document import _params, _small


def _shape_latex(graph, symbol) -> str:
    rows, cols = graph.shape(symbol)
    return rf"{graph.latex_name(symbol)} \in \mathbb{{R}}^{{{rows} \times {sympy.latex(cols)}}}"


def matrix_forward_section(graph, heading: str = "Forward pass") -> str:
    """A matrix graph's definitions, layer by layer, ``m`` examples as columns."""
    from .matrix_printer import matrix_latex

    lines = [Line(graph.latex_name(n), matrix_latex(graph.expr(n), graph))
             for n in graph.node_symbols]
    sizes = ", ".join(f"${_shape_latex(graph, s)}$"
                      for s in graph.input_symbols + graph.param_symbols)
    return (f"\\section*{{{escape(heading)}}}\n"
            f"A batch of ${sympy.latex(graph.batch)}$ examples, one per column. Inputs and "
            f"parameters: {sizes}. $\\mathbf{1}$ is a matrix of ones, shaped as its product "
            "needs (a row of ones repeats a bias over the batch, a column of ones sums over "
            "it), and $\\odot$ is the entry-by-entry (Hadamard) product.\n"
            f"Each layer is computed from the ones before it:\n{render(lines, 'align*')}\n")


def matrix_gradient_section(graph, params=None, heading: str = "Gradients", **options) -> str:
    """One ``MatrixDerivation.latex()`` per parameter, with its layer-level paths and rules."""
    from .matrix_printer import matrix_latex

    parts = [f"\\section*{{{escape(heading)}}}\n"
             "Each gradient is written first over the adjoint of the layer its parameter "
             "feeds, then in node values."]
    for wrt in _params(graph, params):
        d = graph.derive(wrt)
        name = graph.latex_name(wrt)
        parts.append(f"\\subsection*{{With respect to ${name}$}}")
        if d.path_count <= MAX_LISTED_MATRIX_PATHS:
            routes = "; ".join("$" + r" \to ".join(graph.latex_name(n) for n in p.nodes) + "$"
                               for p in d.paths)
            parts.append(f"Layer-level path{'s' if d.path_count > 1 else ''}: {routes}.")
        for step in d.steps:
            parts.append(f"The rule for {escape(step.rule)} gives "
                         f"${_adjoint_fraction(graph, step.node)} = "
                         f"{matrix_latex(step.after, graph)}$.")
        equalities = d.latex(**options).split(" = ")
        lines = [Line(equalities[0], rhs) for rhs in equalities[1:]]
        parts.append(render(lines, "align*") + "\n")
    return "\n".join(parts)


MAX_LISTED_MATRIX_PATHS = 6


def _adjoint_fraction(graph, node) -> str:
    return (rf"\frac{{\partial {graph.latex_name(graph.loss_symbol)}}}"
            rf"{{\partial {graph.latex_name(node)}}}")


def _vjp_rule(graph, node) -> str:
    """The textbook rule that sends each consumer's adjoint back to ``node``, by name."""
    from ..ir import matrix_ops as ops
    from ..derive.matrix_rules import activation_name

    names = []
    for child in graph.consumers(node):
        definition = graph.expr(child)
        entry = REGISTRY.get(activation_name(definition) or "")
        if isinstance(definition, ops.Loss):
            named = f"derivative of the {definition.name} loss"
        elif entry is not None and entry.vector_valued:
            named = f"{entry.phrase} Jacobian"
        elif entry is not None:
            named = f"derivative of {entry.phrase}, entry by entry"
        elif graph.kind(node) == "parameter" and graph.shape(node)[1] == 1:
            named = "bias: sum over the batch"
        else:
            named = _operation_using(definition, node)
        if named not in names:
            names.append(named)
    return ", ".join(names)


OPERATION_NAMES = {"MatMul": "matrix product", "HadamardProduct": "Hadamard product",
                   "HadamardPower": "Hadamard power", "Transpose": "transpose", "MatAdd": "sum"}


def _operation_using(definition, node) -> str:
    """The names of the operations in ``definition`` that take ``node`` as an operand."""
    found = []
    for sub in sympy.preorder_traversal(definition):
        name = OPERATION_NAMES.get(type(sub).__name__)
        if name and node in sub.args and name not in found:
            found.append(name)
    return ", ".join(found) or "chain rule"


def matrix_backprop_section(graph, heading: str = "Back propagation") -> str:
    """Every adjoint once, loss end first, over the adjoints of the layers after it."""
    from .matrix_printer import matrix_latex

    adjoints = graph.adjoints()
    lines = []
    for node in adjoints.order[1:]:  # the loss's own adjoint is 1
        rules = [s.rule for s in adjoints.steps.get(node, ())] or [_vjp_rule(graph, node)]
        local = matrix_latex(adjoints.local[node], graph)
        full = matrix_latex(adjoints.adjoint[node], graph)
        # The value in node values too, where it fits on the line.
        rhs = local if full == local or len(full) > MAX_INLINE_LATEX else f"{local} = {full}"
        lines.append(Line(_adjoint_fraction(graph, node), rhs, ", ".join(rules)))
    # Edges out of inputs carry no product: nothing is learned about the data.
    edges = sum(1 for e in graph.edges if e.partial is not None
                and graph.kind(e.parent) != "input")
    return (f"\\section*{{{escape(heading)}}}\n"
            "The derivations share their adjoints. Back propagation computes each layer's "
            "$\\partial \\mathcal{L} / \\partial V$ once, from the loss backwards, each from "
            "the adjoints of the layers that use it, by one vector-Jacobian product per edge:\n"
            f"{render(lines, 'align*')}\n"
            f"That is {len(lines)} adjoints and {edges} vector-Jacobian products.\n")


MAX_INLINE_LATEX = 110


def matrix_check_section(graph, values=None, heading: str = "Check against autograd") -> str:
    """``graph.check()`` in a table: each gradient's largest error against PyTorch autograd."""
    try:
        report = graph.check(values=values or None)
    except ImportError:
        return (f"\\section*{{{escape(heading)}}}\nPyTorch is not installed, so the "
                "gradients were not compared with autograd.\n")
    worst: dict = {}
    for row in report.rows:
        key = (row.quantity, row.parameter)
        shape = "scalar" if not row.shape else "$%s$" % r" \times ".join(map(str, row.shape))
        error, rel, _ = worst.get(key, (0.0, 0.0, shape))
        worst[key] = (max(error, row.abs_error), max(rel, row.rel_error), shape)
    rows = []
    for (quantity, parameter), (error, rel, shape) in worst.items():
        what = (f"${graph.latex_name(parameter)}$" if quantity == "loss" else
                f"${_adjoint_fraction(graph, parameter)}$")
        rows.append(f"{what} & {shape} & {_small(error)} & {_small(rel)} \\\\")
    table = ("\\begin{tabular}{lrrr}\n\\toprule\nquantity & shape & max abs error & "
             "max rel error \\\\\n\\midrule\n" + "\n".join(rows) +
             "\n\\bottomrule\n\\end{tabular}")
    verdict = "they agree" if report.ok else "they DISAGREE"
    points = len({row.point for row in report.rows})
    return (f"\\section*{{{escape(heading)}}}\n"
            f"The compiled gradients were compared with {escape(report.method)} at {points} "
            f"point(s), entry by entry: {verdict} (largest absolute error "
            f"{_small(report.max_abs_error)}).\n\n{table}\n")


def matrix_notes_body(graph, params=None, values=None, numbers: bool = True, **options) -> str:
    """The sections of a matrix graph's notes: forward, gradients, backward, check."""
    body = [matrix_forward_section(graph), matrix_gradient_section(graph, params, **options),
            matrix_backprop_section(graph)]
    if numbers:
        body.append(matrix_check_section(graph, values))
    return "\n".join(body)
