r"""The notes' code section: the same computation in NumPy and in PyTorch, to read.

The lesson *Back Propagation* follows its derivations with code: the forward pass
row by row, the backward pass one ``dL_d...`` a line, and PyTorch's autograd giving
the same numbers.  This section is that code for any graph, written from what symprop
compiles: the forward pass in NumPy at the notes' point, the backward pass as
``graph.compile()`` writes it, and the graph again in torch tensors, differentiated by
``backward()`` and compared.  A notebook runs the same computation in its own code
cells (:mod:`.to_notebook`), so this section is for the formats one reads.

>>> from symprop.front.seeds import logistic_regression
>>> g = logistic_regression()
>>> code = [b.source for b in code_blocks(g, g.values) if hasattr(b, "source")]
>>> print(code[1])
# Backward pass: loss end first, one dL_d<node> per adjoint a gradient needs
dL_dz = -y + yhat
dL_db = dL_dz
dL_dw2 = x2*dL_dz
dL_dw1 = x1*dL_dz
"""
from __future__ import annotations

import textwrap

import numpy as np

from . import blocks
from .blocks import Code, Mono

LINE = 88   # characters a code line may take before a tuple of values is broken


def _values(names, point) -> list[str]:
    """``a, b = 1.0, 2.0`` lines, as few as fit ``LINE`` characters (a layer's weights one)."""
    def line(run):
        values = ", ".join(repr(float(np.asarray(point[n]))) for n in run)
        return ", ".join(run) + " = " + values
    return [line(run) for run in _grouped(names, line)]


def node_lines(graph, backend) -> tuple[list[str], list[str]]:
    """The node assignments in ``backend``'s printer, and the helpers they call (their sources)."""
    from ..codegen.backends import BACKENDS
    from ..codegen.program import helper_sources
    from ..codegen.scalar_module import _helper_names

    chosen = BACKENDS[backend]
    printer = chosen.printer(helper_names=_helper_names(set(graph.namespace())))
    nodes = [f"{n} = {printer.doprint(graph.expr(n))}" for n in graph.node_symbols]
    return nodes, helper_sources(chosen, printer.helpers, printer.helper_names)


def _backward_lines(module: str) -> str:
    """The module's backward pass, from its comment to the line before ``return``; a line too
    long for the page loses its comment (the derivations above say the same)."""
    body = module[module.index("    # Backward pass"):]
    body = textwrap.dedent(body[:body.index("\n    return ")]).strip().splitlines()
    # Each line's comment restates the derivations above: the code is read without them.
    lines = body[:1] + [line.split("  # ")[0] for line in body[1:] if not line.startswith("#")]
    return "\n".join(lines)


def _bare(source: str) -> str:
    """A helper function without its docstring and comments, for reading (it runs the same)."""
    import ast

    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.FunctionDef) and body and isinstance(body[0], ast.Expr)
                and isinstance(getattr(body[0], "value", None), ast.Constant)
                and isinstance(body[0].value.value, str) and len(body) > 1):
            node.body = body[1:]
    return ast.unparse(tree)


def _fitted(code: str) -> str:
    """Each assignment too long for the page broken inside parentheses, at spaces (Python
    reads a bracketed expression across lines); comments and short lines as they are."""
    out = []
    for line in code.splitlines():
        if len(line) > LINE and line.startswith("# "):      # a comment: wrapped as a comment
            out += textwrap.wrap(line, LINE, subsequent_indent="# ")
            continue
        if len(line) <= LINE or " = " not in line or "#" in line or line.startswith(" "):
            out.append(line)
            continue
        name, rhs = line.split(" = ", 1)
        pieces = textwrap.wrap(rhs, LINE - 4, break_long_words=False, break_on_hyphens=False)
        out.append(f"{name} = (\n" + "\n".join("    " + p for p in pieces) + "\n)")
    return "\n".join(out)


def _helpers_used(module: str, code: str, defined: str) -> list[str]:
    """The module's own helper functions ``code`` calls and ``defined`` does not define."""
    found = []
    for block in module.split("\n\n\n"):
        head = block.strip()
        if head.startswith("def ") and not head.startswith("def gradients("):
            name = head[4:head.index("(")]
            if f"{name}(" in code and f"def {name}(" not in defined:
                found.append(_bare(head))
    return found


def _grouped(names, line) -> list[list[str]]:
    """``names`` in runs whose ``line(run)`` fits ``LINE`` characters."""
    runs = []
    for name in names:
        if runs and len(line(runs[-1] + [name])) <= LINE:
            runs[-1].append(name)
        else:
            runs.append([name])
    return runs


def _function(module: str) -> str:
    """The module's ``gradients`` function, whole."""
    start = module.index("def gradients(")
    end = module.find("\ndef ", start + 1)
    return module[start:end if end > 0 else len(module)].strip()


def _scalar_blocks(graph, point) -> list:
    names = lambda symbols: [s.name for s in symbols]  # noqa: E731
    inputs, params = names(graph.input_symbols), names(graph.param_symbols)
    nodes, helpers = node_lines(graph, "numpy")
    forward = ["import numpy as np", "", *(_bare(h) + "\n" for h in helpers),
               "# The point", *_values(inputs, point), *_values(params, point), "",
               "# Forward pass: each node from the ones before it", *nodes]
    module = graph.compile().source
    torch_nodes, torch_helpers = node_lines(graph, "torch")
    loss = graph.loss_symbol

    def tensors(run, grad):
        return ", ".join(run) + " = " + ", ".join(f"{'param' if grad else 'data'}({n})"
                                                  for n in run)

    backward = _backward_lines(module)
    defined = "\n".join(helpers)
    backward_helpers = _helpers_used(module, backward, defined)
    torch = ["import torch", "", *(_bare(h) + "\n" for h in torch_helpers),
             "# The same numbers as tensors; autograd records what is computed from the params",
             "def data(value):", "    return torch.tensor(value, dtype=torch.float64)", "",
             "def param(value):",
             "    return torch.tensor(value, dtype=torch.float64, requires_grad=True)", "",
             *(tensors(run, False) for run in _grouped(inputs, lambda r: tensors(r, False))),
             *(tensors(run, True) for run in _grouped(params, lambda r: tensors(r, True))),
             *torch_nodes, f"{loss}.backward()", "",
             "# autograd's gradients are the backward pass's",
             "autograd = [" + ", ".join(f"{w}.grad.item()" for w in params) + "]",
             "ours = [" + ", ".join(f"d{loss}_d{w}" for w in params) + "]",
             "assert all(abs(a - b) < 1e-9 for a, b in zip(autograd, ours))"]
    return [blocks.paragraph("The forward pass in NumPy, at the point of the numbers above:"),
            Code(_fitted("\n".join(forward))),
            blocks.paragraph("The backward pass, as ", Mono("symprop compile"), " writes it: "
                             "every adjoint once, from the loss backwards:"),
            Code(_fitted("\n\n".join(backward_helpers + [backward]))),
            blocks.paragraph("And in PyTorch: the same graph built from tensors, and ",
                             Mono("backward()"), ", which gives every gradient again:"),
            Code(_fitted("\n".join(torch)))]


def _matrix_code(graph, values) -> list:
    """A matrix graph's code section: its compiled NumPy function, which needs no point."""
    module = graph.form.module_source(graph, None, "numpy", None)
    return [blocks.paragraph("The forward and backward passes in NumPy, as ",
                             Mono("symprop compile"), " writes them (", Mono("--backend torch"),
                             " writes the same with torch tensors, which autograd checks):"),
            Code(_function(module))]


def code_blocks(graph, values=None, heading: str = "The same computation in code") -> list:
    """The code section's blocks: NumPy forward and backward, PyTorch's autograd (scalar form);
    the compiled NumPy function (matrix form).  Empty without a point for a scalar graph."""
    found = graph.form.code_blocks(graph, values)
    return [blocks.heading(heading), *found] if found else []


def _scalar_code(graph, values) -> list:
    """A scalar graph's code section at ``values`` (else the graph's own); [] with no point."""
    point = values if values is not None else graph.values
    return _scalar_blocks(graph, point) if point else []
