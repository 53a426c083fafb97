r"""A lesson of several graphs as one document, in any of the notes' formats.

A lesson (:mod:`symprop.front.lesson_spec`) is a list of parts, each a graph and the
sections to show of it; every section is one of the notes' own builders
(``forward_blocks``, ``gradient_blocks``, ``figure_blocks``...), so a lesson is blocks
(:mod:`symprop.latex.blocks`) and is written as LaTeX, a PDF, Markdown, HTML, slides or a
notebook as the notes of one graph are.  A part's prose is plain text, escaped by each
renderer as running text.

>>> from symprop.front.lesson_spec import loads_lesson
>>> lesson = loads_lesson('''
... [lesson]
... title = "Case 1"
... [[lesson.part]]
... heading = "The chain rule"
... prose = "f is a function of g, which is a function of x."
... sections = ["derivation"]
... params = ["x"]
... steps = ["chain"]
... [lesson.part.graph]
... params = ["x"]
... loss = "f"
... nodes = { g = "exp(x) + x", f = "g**2" }
... ''')
>>> text = lesson_notes(lesson, format="markdown")
>>> print(text[text.index("## The"):].strip())
## The chain rule
<BLANKLINE>
f is a function of g, which is a function of x.
<BLANKLINE>
$$
\begin{aligned}
\frac{\mathrm{d} f}{\mathrm{d} x} &= \frac{\mathrm{d} f}{\mathrm{d} g} \frac{\mathrm{d} g}{\mathrm{d} x}
\end{aligned}
$$
"""
from __future__ import annotations

from dataclasses import replace

from ..errors import SympropError
from . import blocks
from .blocks import Code, Figure, Heading, Math
from .code_section import code_blocks
from .derivation import derivation_lines
from .document import (backprop_blocks, forward_blocks, gradient_blocks, notes_blocks,
                       partials_blocks)
from .figure import figure_blocks
from .lesson import functions_blocks, update_blocks
from .operations_figure import operations_figure_blocks
from .printer import printer, symbol_latex
from .remarks import remarks_blocks
from .walkthrough import numbers_blocks

NUMBERED = ("numbers", "operations", "code")   # what --no-numbers leaves out


def _params(part):
    return list(part.params) if part.params else None


def _derivation(part) -> list:
    names = dict(part.names) or None
    graph = part.graph
    said = [blocks.paragraph("Relabelling ", *blocks.listed(
        Math(f"{symbol_latex(graph, name)} = {shown}") for name, shown in part.names.items()),
        ":")] if names else []
    return said + [blocks.display(derivation_lines(part.graph.derive(p), names=names, **part.options))
            for p in part.params]


def _numbers(part) -> list:
    return numbers_blocks(part.graph) if part.graph.values else []


def _figure(part) -> list:
    return figure_blocks(part.graph, part.params[0] if part.params else None)


def _notes(part) -> list:
    graph = part.graph
    body = notes_blocks(graph, _params(part), **part.options)
    return body + code_blocks(graph, graph.values or None) + remarks_blocks(graph,
                                                                            part.spec.claims)


SECTIONS = {
    "forward": lambda part: forward_blocks(part.graph),
    "functions": lambda part: functions_blocks(part.graph),
    "partials": lambda part: partials_blocks(part.graph),
    "figure": _figure,
    "derivation": _derivation,
    "gradients": lambda part: gradient_blocks(part.graph, _params(part), **part.options),
    "backprop": lambda part: backprop_blocks(part.graph),
    "numbers": _numbers,
    "operations": lambda part: operations_blocks(part.graph),
    "code": lambda part: code_blocks(part.graph, part.graph.values or None),
    "update": lambda part: update_blocks(part.graph, part.params),
    "remarks": lambda part: remarks_blocks(part.graph, part.spec.claims),
    "notes": _notes,
}


def operations_blocks(graph, heading: str = "The computation graph") -> list:
    r"""The graph as the lesson's computation graph (:mod:`symprop.latex.operations`): every
    operation in the order it is computed, what it computes, and, at ``graph.values``, its
    value and its gradient (a product's is its sum's: the sum passes the gradient through);
    then the same as the lesson's figure of ``×`` and ``+`` vertices, where the graph has one.

    >>> from symprop.front.seeds import logistic_regression
    >>> from symprop.latex.to_markdown import markdown_block
    >>> table = operations_blocks(logistic_regression())[2]
    >>> print(markdown_block(table).splitlines()[2])
    | $w_{1} x_{1}$ | $\times$ | $-6$ | $-0.3775$ |
    """
    from .operations import _numbers as numbers, operations

    vertices = [v for v in operations(graph) if v.operation]
    values = dict(graph.values)
    found = numbers(graph, vertices, values) if values else {}
    p = printer(graph)

    def named(v):
        return symbol_latex(graph, v.name) if v.name in graph.namespace() else p.doprint(v.expr)

    def operation(v):
        symbol = {"×": r"\times", "+": "+"}.get(v.operation)
        return Math(symbol or p.doprint(v.expr))   # a function: what it computes, σ(z)

    rows = []
    for v in vertices:
        value, gradient = found.get(v.name, (None, None))
        rows.append((Math(named(v)), operation(v), _value(value), _value(gradient)))
    loss = symbol_latex(graph, graph.loss_symbol)
    return [blocks.heading(heading),
            blocks.paragraph("Each operation is a vertex of the computation graph, computed "
                             "once its operands are known; the backward pass gives each its "
                             "gradient ", Math(rf"\partial {loss} / \partial v"), ". A sum "
                             "passes the gradient through, a product multiplies it by the "
                             "other operand:"),
            blocks.table(("vertex", "operation", "value", "gradient"), rows, "llrr"),
            *operations_figure_blocks(graph, values or None)]


def _value(value):
    """A vertex's number as the lesson's cells print it, four decimals at most (-6, 0.6225)."""
    if value is None:
        return ""
    text = f"{float(value):.4f}".rstrip("0").rstrip(".")
    return Math("0" if text in ("-0", "") else text)


def part_blocks(part, numbers: bool = True) -> list:
    """One part as blocks: its heading, its prose, then its sections in the order given,
    their headings one level below the part's."""
    out = [blocks.heading(part.heading, level=part.level)] if part.heading else []
    out += [blocks.paragraph(text) for text in part.prose]
    shift = part.level if part.heading else 0
    alone = part.heading and len(part.sections) == 1   # the part's heading names it
    for name in part.sections:
        if not numbers and name in NUMBERED:
            continue
        for block in SECTIONS[name](part):
            if isinstance(block, Heading) and alone and block.level == 1:
                continue
            if isinstance(block, Heading):
                block = replace(block, level=min(4, block.level + shift))
            out.append(block)
    return out


def lesson_blocks(lesson, numbers: bool = True) -> list:
    """The whole lesson as blocks, part after part."""
    return [block for part in lesson.parts for block in part_blocks(part, numbers)]


def lesson_notes(lesson, path=None, title: str | None = None, format: str | None = None,
                 numbers: bool = True) -> str:
    """The lesson's notes, written to ``path`` when one is given (its suffix, or ``format``,
    chooses the format as for :func:`symprop.latex.document.notes`); returns the text."""
    from . import formats
    from .output_files import write_atomically

    chosen = formats.choose(path, format)
    title = "".join(c if c.isprintable() else " " for c in (title or lesson.title))
    if chosen.name == "notebook":
        text = lesson_notebook(lesson, title, numbers)
        if path is not None:
            write_atomically(path, text)
        return text
    return chosen.write(None, lesson_blocks(lesson, numbers), title, path)


def lesson_notebook(lesson, title: str, numbers: bool = True) -> str:
    """The lesson as a Jupyter notebook: each part's sections as Markdown cells, and where a
    part shows ``code``, the cells that compute its graph (as a graph's notebook has)."""
    try:
        import nbformat
    except ImportError:
        raise SympropError("writing a notebook (.ipynb) needs the nbformat package "
                           "(pip install nbformat)") from None
    from .to_markdown import escape_markdown, markdown_block
    from .to_notebook import code_cells

    cells = [("markdown", f"# {escape_markdown(title)}")]
    for part in lesson.parts:
        shown = replace(part, sections=tuple(s for s in part.sections if s != "code"))
        for block in part_blocks(shown, numbers):
            if isinstance(block, Figure):       # Markdown has no figure
                continue
            text = markdown_block(block)
            if isinstance(block, Code):
                cells.append(("code", block.source))
            elif isinstance(block, Heading) and block.level == 1 or cells[-1][0] == "code":
                cells.append(("markdown", text))
            else:
                cells[-1] = ("markdown", cells[-1][1] + "\n\n" + text)
        if numbers and "code" in part.sections:
            cells += [(c.kind, c.source) for c in code_cells(part.graph, part.graph.values)]
    made = [nbformat.v4.new_markdown_cell(source, id=f"cell-{i}") if kind == "markdown"
            else nbformat.v4.new_code_cell(source, id=f"cell-{i}")
            for i, (kind, source) in enumerate(cells)]
    book = nbformat.v4.new_notebook(cells=made, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(book)
    return nbformat.writes(book)


__all__ = ["SECTIONS", "lesson_blocks", "lesson_notebook", "lesson_notes", "operations_blocks",
           "part_blocks"]
