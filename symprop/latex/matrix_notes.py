r"""Notes for layer-level graphs, in the notation of the post *Backprop Implementation*:
the layers as matrix equations, one derivation per parameter, the shared adjoints
with their rules, and the check against PyTorch autograd.  :func:`symprop.notes`
calls :func:`matrix_notes_body` for a graph in matrix form.
Each section is a list of blocks (:mod:`symprop.latex.blocks`), written in the
format the notes are asked for.

>>> from symprop import mlp
>>> g = mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True, form="matrix")
>>> from symprop.latex.to_latex import latex_body
>>> "\\odot" in latex_body(matrix_notes_body(g, numbers=False))
True
"""
from __future__ import annotations

import sympy

from ..registry.functions import REGISTRY
from . import blocks
from .blocks import Math
from .derivation import Line
from .figure import figure_blocks
from .document import _params, _with_math
from .lesson import functions_blocks, update_blocks
from .walkthrough import small_number


def _shape_latex(graph, symbol) -> str:
    if not graph.shape(symbol):   # a scalar vertex
        return rf"{graph.latex_name(symbol)} \in \mathbb{{R}}"
    rows, cols = graph.shape(symbol)
    return rf"{graph.latex_name(symbol)} \in \mathbb{{R}}^{{{rows} \times {sympy.latex(cols)}}}"


def matrix_forward_section(graph, heading: str = "Forward pass") -> list:
    """A matrix graph's definitions, layer by layer, ``m`` examples as columns."""
    from .matrix_printer import matrix_latex

    lines = [Line(graph.latex_name(n), matrix_latex(graph.expr(n), graph))
             for n in graph.node_symbols]
    sizes = []
    for i, s in enumerate(graph.input_symbols + graph.param_symbols):
        sizes += [", "] if i else []
        sizes.append(Math(_shape_latex(graph, s)))
    legend = getattr(graph, "legend", ())       # a notation's (symprop.latex.notations)
    explained = [blocks.paragraph("The notation:"),
                 blocks.table(("symbol", "meaning"),
                              [(Math(tex), _with_math(meaning)) for tex, meaning in legend],
                              "ll")] if legend else []
    return [blocks.heading(heading), *explained,
            blocks.paragraph("A batch of ", Math(sympy.latex(graph.batch)), " examples, one per "
                             "column. Inputs and parameters: ", tuple(sizes), ". ",
                             Math(r"\mathbf{1}"), " is a matrix of ones, shaped as its product "
                             "needs (a row of ones repeats a bias over the batch, a column of "
                             "ones sums over it), and ", Math(r"\odot"), " is the "
                             "entry-by-entry (Hadamard) product. Each layer is computed from the "
                             "ones before it:"),
            blocks.display(lines)]


def matrix_gradient_section(graph, params=None, heading: str = "Gradients", **options) -> list:
    """One ``MatrixDerivation.latex()`` per parameter, with its layer-level paths and rules."""
    from .matrix_printer import matrix_latex

    parts = [blocks.heading(heading),
             blocks.paragraph("Each gradient is written first over the adjoint of the layer its "
                              "parameter feeds, then in node values.")]
    for wrt in _params(graph, params):
        d = graph.derive(wrt)
        name = Math(graph.latex_name(wrt))
        parts.append(blocks.heading("With respect to ", name, level=2))
        if d.path_count <= MAX_LISTED_MATRIX_PATHS:
            routes = []
            for i, p in enumerate(d.paths):
                routes += ["; "] if i else []
                routes.append(Math(r" \to ".join(graph.latex_name(n) for n in p.nodes)))
            parts.append(blocks.paragraph(f"Layer-level path{'s' if d.path_count > 1 else ''}: ",
                                          tuple(routes), "."))
        for step in d.steps:
            parts.append(blocks.paragraph(
                f"The rule for {step.rule} gives ",
                Math(f"{_adjoint_fraction(graph, step.node)} = {matrix_latex(step.after, graph)}"),
                "."))
        equalities = d.latex(**options).split(" = ")
        parts.append(blocks.display(Line(equalities[0], rhs) for rhs in equalities[1:]))
    return parts


MAX_LISTED_MATRIX_PATHS = 6


def _adjoint_fraction(graph, node) -> str:
    from .matrix_printer import adjoint_fraction

    return adjoint_fraction(graph, node)


def _vjp_rule(graph, node) -> str:
    """The textbook rule that sends each consumer's adjoint back to ``node``, by name."""
    from ..ir import matrix_ops as ops
    from ..derive.matrix_rules import activation_name

    names = []
    for child in graph.consumers(node):
        definition = graph.expr(child)
        entry = REGISTRY.get(activation_name(definition) or "")
        if isinstance(definition, ops.Loss):
            named = "weight decay" if node in definition.weights else \
                f"derivative of the {definition.name} loss"
        elif entry is not None and entry.vector_valued:
            named = f"{entry.phrase} Jacobian"
        elif entry is not None:
            named = f"derivative of {entry.phrase}, entry by entry"
        elif not graph.shape(child):    # a scalar node of scalars: t = exp(r)
            named = "chain rule"
        elif not graph.shape(node):
            named = "scalar factor, summed over the entries"
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


def matrix_backprop_section(graph, heading: str = "Back propagation") -> list:
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
    return [blocks.heading(heading),
            blocks.paragraph("The derivations share their adjoints. Back propagation computes "
                             "each layer's ",
                             Math(rf"\partial {graph.latex_name(graph.loss_symbol)} / \partial V"),
                             " once, from the loss backwards, each from the adjoints of the "
                             "layers that use it, by one vector-Jacobian product per edge:"),
            blocks.display(lines),
            blocks.paragraph(f"That is {len(lines)} adjoints and {edges} vector-Jacobian "
                             "products.")]


MAX_INLINE_LATEX = 110


def matrix_check_section(graph, values=None, heading: str = "Check against autograd") -> list:
    """``graph.check()`` in a table: each gradient's largest error against PyTorch autograd."""
    try:
        report = graph.check(values=values or None)
    except ImportError:
        return [blocks.heading(heading),
                blocks.paragraph("PyTorch is not installed, so the gradients were not compared "
                                 "with autograd.")]
    worst: dict = {}
    for row in report.rows:
        key = (row.quantity, row.parameter)
        shape = "scalar" if not row.shape else Math(r" \times ".join(map(str, row.shape)))
        error, rel, _ = worst.get(key, (0.0, 0.0, shape))
        worst[key] = (max(error, row.abs_error), max(rel, row.rel_error), shape)
    rows = []
    for (quantity, parameter), (error, rel, shape) in worst.items():
        what = Math(graph.latex_name(parameter) if quantity == "loss" else
                    _adjoint_fraction(graph, parameter))
        rows.append((what, shape, small_number(error), small_number(rel)))
    table = blocks.table(("quantity", "shape", "max abs error", "max rel error"), rows, "lrrr")
    verdict = "they agree" if report.ok else "they DISAGREE"
    points = len({row.point for row in report.rows})
    return [blocks.heading(heading),
            blocks.paragraph(f"The compiled gradients were compared with {report.method} at "
                             f"{points} point(s), entry by entry: {verdict} (largest absolute "
                             "error ", small_number(report.max_abs_error), ")."),
            table]


def matrix_notes_body(graph, params=None, values=None, numbers: bool = True, **options) -> list:
    """The blocks of a matrix graph's notes: forward, the functions, gradients, backward,
    check and the update."""
    body = [*matrix_forward_section(graph), *figure_blocks(graph, _params(graph, params)[0]),
            *functions_blocks(graph),
            *matrix_gradient_section(graph, params, **options), *matrix_backprop_section(graph)]
    if numbers:
        body += matrix_check_section(graph, values)
    return body + update_blocks(graph, _params(graph, params))
