r"""The notes as a Jupyter notebook, laid out like the notebook *Back Propagation* itself.

Markdown cells carry the derivations (the notes' blocks, written by
:mod:`.to_markdown`, one cell a section); then code cells compute the same
thing: the forward pass node by node at the spec's point, printing every
value; the backward pass, as the NumPy module symprop compiles
(``graph.compile().source``), called at that point and printing every
gradient; and the check with PyTorch autograd, which builds the same graph from
tensors and calls ``backward()``.  For a graph in matrix form the backward
pass is run and the compiled gradients printed (their shapes and first entries),
then autograd differentiates the loss of symprop's torch module at the same point.

>>> from symprop.front.seeds import logistic_regression
>>> g = logistic_regression()
>>> cells = code_cells(g, g.values)
>>> print(cells[1].source.splitlines()[-1])
print(f"L = {L:.4f}")
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import SympropError
from .blocks import Code, Figure, Heading
from .code_section import node_lines
from .to_markdown import escape_markdown, markdown_block

RANDOM_SEED = 0   # a spec without [values] gets this seeded random point
MATRIX_BATCH = 4  # and, in matrix form, this many examples


INTRO = ("The gradients of this network derived by hand, step by step, with the chain "
         "rule; then the same computation in code: the forward pass, the backward pass and "
         "PyTorch's autograd, which must agree. Run the cells in order.")


@dataclass(frozen=True)
class Cell:
    """One cell: ``kind`` is ``"markdown"`` or ``"code"``."""

    kind: str
    source: str


def _literal(value) -> str:
    """A value as Python source: a float, or ``np.array([...])`` for a batch."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return repr(float(array))
    return f"np.array({array.tolist()!r})"


def _point(graph, values) -> tuple[dict, bool]:
    """``(values, drawn)``: the spec's point, or a seeded random one when it gives none."""
    if values:
        return dict(values), False
    rng = np.random.default_rng(RANDOM_SEED)
    return graph.form.draw(graph, rng, MATRIX_BATCH), True


def _scalar_point(graph, values) -> bool:
    return all(np.asarray(values[s.name]).ndim == 0
               for s in (*graph.input_symbols, *graph.param_symbols))


def _printed(name: str, scalar: bool, value: str | None = None) -> str:
    value = value or name
    return f'print(f"{name} = {{{value}:.4f}}")' if scalar else \
        f'print("{name} =", np.round({value}, 4))'


def _forward_source(graph, point, scalar) -> str:
    """The forward pass in NumPy: the helpers, the point, each node, each value printed."""
    nodes, helpers = node_lines(graph, "numpy")
    given = [f"{s} = {_literal(point[s.name])}"
             for s in (*graph.input_symbols, *graph.param_symbols)]
    return "\n".join(["import numpy as np", "", *(h + "\n\n" for h in helpers),
                      "# The point", *given, "",
                      "# Forward pass: each node from the ones before it", *nodes, "",
                      *(_printed(str(n), scalar) for n in graph.node_symbols)])


def _call_source(graph, scalar) -> str:
    """The compiled gradients called at the point, each printed as the notebook prints it."""
    arguments = ", ".join(f"{s}={s}" for s in (*graph.input_symbols, *graph.param_symbols))
    loss = graph.loss_symbol
    lines = [f"loss_value, grads = gradients({arguments})", _printed(str(loss), scalar,
                                                                      "loss_value")]
    lines += [_printed(f"d{loss}_d{w}", scalar, f"grads['{w}']") for w in graph.param_symbols]
    return "\n".join(lines)


def _torch_source(graph, point, scalar) -> str:
    """The same graph built from torch tensors, differentiated by autograd."""
    nodes, helpers = node_lines(graph, "torch")

    def tensor(symbol, grad):
        flag = ", requires_grad=True" if grad else ""
        value = np.asarray(point[symbol.name], dtype=np.float64)
        data = repr(float(value)) if value.ndim == 0 else repr(value.tolist())
        return f"{symbol} = torch.tensor({data}, dtype=torch.float64{flag})"

    loss = graph.loss_symbol
    backward = f"{loss}.backward()" if scalar else \
        f"{loss}.sum().backward()  # the sum over the examples: autograd needs one number"
    checks = []
    for w in graph.param_symbols:
        ours = f"grads['{w}']" if scalar else f"np.sum(grads['{w}'])"
        checks.append(f"assert abs({w}.grad.item() - {ours}) < 1e-9, \"{w}\"")
    return "\n".join([
        "import torch", "", *(h + "\n\n" for h in helpers),
        *(tensor(s, False) for s in graph.input_symbols),
        *(tensor(s, True) for s in graph.param_symbols), "",
        "# Forward pass, in torch: autograd records the graph as it goes", *nodes, "",
        backward, "",
        *(f'print(f"{"" if scalar else "sum over the examples of "}d{loss}_d{w} = '
          f'{{{w}.grad.item():.4f}}")' for w in graph.param_symbols),
        "", "# The same numbers as the backward pass above", *checks,
        'print("PyTorch autograd agrees with the backward pass.")'])


def _matrix_call_source(graph, point) -> str:
    """The point, then the compiled gradients called at it: each one's shape, first entries."""
    names = [s.name for s in (*graph.input_symbols, *graph.param_symbols)]
    arguments = ", ".join(f"{n}={n}" for n in names)
    loss = graph.loss_symbol
    return "\n".join([
        *(f"{n} = {_literal(point[n])}" for n in names), "",
        f"loss_value, grads = gradients({arguments})", _printed(str(loss), True, "loss_value"),
        "for name, gradient in grads.items():",
        f'    print(f"d{loss}_d{{name}}", gradient.shape, np.round(gradient.ravel()[:4], 4))'])


def _matrix_autograd_source(graph) -> str:
    """The torch module's loss at the same point, differentiated by autograd, against NumPy's."""
    params = [s.name for s in graph.param_symbols]
    names = [s.name for s in (*graph.input_symbols, *graph.param_symbols)]
    loss = graph.loss_symbol
    return "\n".join([
        "tensors = {",
        *(f'    "{n}": torch.tensor({n}, dtype=torch.float64'
          f'{", requires_grad=True" if n in params else ""}),' for n in names),
        "}",
        "loss_torch, _ = gradients(**tensors)  # the torch module's forward pass, recorded",
        "loss_torch.backward()", "",
        f"for name in {params!r}:",
        "    autograd = tensors[name].grad.numpy()",
        "    difference = np.max(np.abs(autograd - grads[name]))",
        "    assert difference <= 1e-9 * max(1.0, np.max(np.abs(autograd))), name",
        f'    print(f"d{loss}_d{{name}}: autograd agrees, largest difference {{difference:.1e}}")'])


def code_cells(graph, values) -> list[Cell]:
    """The cells that compute the notes, as the graph's form writes them
    (:func:`scalar_cells`, :func:`matrix_cells`)."""
    point, drawn = _point(graph, values)
    return graph.form.notebook_cells(graph, point, drawn)


def _explained(text: str, *sources: str) -> list[Cell]:
    """A Markdown cell saying what the code cells after it compute, then those cells."""
    return [Cell("markdown", text), *(Cell("code", source) for source in sources)]


def matrix_cells(graph, point, drawn) -> list[Cell]:
    """A matrix graph's cells: its compiled NumPy module run at ``point``, then torch's module
    and autograd's check."""
    module = graph.form.module_source
    return [*_explained("## The backward pass in NumPy\n\nThe module symprop compiles for "
                        "this graph: the forward pass layer by layer, then each adjoint once, "
                        "loss end first.", module(graph, None, "numpy", None),
                        _matrix_call_source(graph, point)),
            *_explained("## PyTorch\n\nThe module symprop writes for torch (it defines its "
                        "own `gradients`); autograd records its forward pass at the same "
                        "point, and `backward()` gives the gradients above again.",
                        module(graph, None, "torch", "float64"), _matrix_autograd_source(graph))]


def scalar_cells(graph, point, drawn) -> list[Cell]:
    """A scalar graph's cells: the forward pass node by node, the compiled backward pass, and
    the graph in torch tensors with ``backward()``."""
    scalar = _scalar_point(graph, point)
    where = ("at a random point (the spec gives no values)" if drawn
             else "at the spec's point")
    return [*_explained("## The same computation in NumPy and PyTorch\n\n### Forward pass"
                        "\n\nEach node from the ones before it, as in the derivations above:",
                        _forward_source(graph, point, scalar)),
            *_explained("### Backward pass\n\nThe gradients, as symprop compiles them: the "
                        "forward pass again, then every adjoint once, from the loss backwards, "
                        "each from the adjoints after it.",
                        graph.form.module_source(graph, None, "numpy", None),
                        _call_source(graph, scalar)),
            *_explained("### PyTorch\n\nThe same graph built from torch tensors, with "
                        "`requires_grad=True` for the parameters; `backward()` computes every "
                        f"gradient {where}, and they match the ones above.",
                        _torch_source(graph, point, scalar))]


def notebook_cells(graph, body, title: str, values=None) -> list[Cell]:
    """Every cell: the title, the notes one section a cell, then the computation."""
    cells = [Cell("markdown", f"# {escape_markdown(title)}\n\n{INTRO}")]
    for block in (b for b in body if not isinstance(b, Figure)):   # Markdown has no figure
        text = markdown_block(block)
        if isinstance(block, Code):
            cells.append(Cell("code", block.source))
        elif isinstance(block, Heading) and block.level == 1 or cells[-1].kind == "code":
            cells.append(Cell("markdown", text))
        else:
            cells[-1] = Cell("markdown", cells[-1].source + "\n\n" + text)
    return cells + code_cells(graph, values if values is not None else graph.values)


def notebook_json(graph, body, title: str, values=None) -> str:
    """The notebook (nbformat 4) as JSON text; needs the ``nbformat`` package."""
    try:
        import nbformat
    except ImportError:
        raise SympropError("writing a notebook (.ipynb) needs the nbformat package "
                           "(pip install nbformat)") from None
    cells = [nbformat.v4.new_markdown_cell(c.source, id=f"cell-{i}") if c.kind == "markdown"
             else nbformat.v4.new_code_cell(c.source, id=f"cell-{i}")
             for i, c in enumerate(notebook_cells(graph, body, title, values))]
    book = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(book)
    return nbformat.writes(book)
