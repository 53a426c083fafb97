r"""Remarks on a source's derivations: each claim a spec's ``[notes] claims`` lists, verified,
and said right or wrong (with the diagnosis and the gradient itself) in the notes, as a
lecturer points out a textbook's slip.  A claim is a gradient, ``(wrt, claim, source)``,
or a definition of the loss, a :class:`~symprop.verify.loss_claims.LossClaim` (or
``(None, loss, source)``), judged by :mod:`symprop.verify.loss_claims`.

>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> remark = remarks_blocks(g, [("b2_1", r"a_{1}^{[2]} + y", "the homework")])
>>> [type(b).__name__ for b in remark]
['Heading', 'Paragraph', 'Display', 'Paragraph', 'Display']
>>> remark = remarks_blocks(g, [(None, r"L = (a_1^{[2]} - y)^2", "the homework")])
>>> [type(b).__name__ for b in remark]
['Heading', 'Paragraph', 'Display', 'Paragraph', 'Display']
"""
from __future__ import annotations

import sympy

from ..errors import SympropError, printable
from . import blocks
from .blocks import Mono
from .derivation import Line
from .printer import partial_fraction, printer, symbol_latex


def remarks_blocks(graph, claims, heading: str = "Remarks on the source's derivations") -> list:
    """For each ``(wrt, claim LaTeX, source)``: the claim as written, and whether it is the
    gradient, and if not, why and what the gradient is; for each loss claim, whether it
    is the loss, why not, and the loss. A claim that cannot be read is said so; the notes
    are written all the same."""
    from ..verify.loss_claims import as_loss_claim

    if not claims:
        return []
    out = [blocks.heading(heading)]
    for item in claims:
        loss = as_loss_claim(item)
        out += _loss_remark(graph, loss.loss, loss.source) if loss else _remark(graph, *item)
    return out


def _loss_remark(graph, claim, source) -> list:
    from ..verify.loss_claims import judge_loss

    source = printable(str(source))[:200]   # running text: each format escapes it
    try:
        verdict = judge_loss(graph, claim)
        written = loss_latex(graph, verdict.claim)
    except SympropError as error:
        return [blocks.paragraph(f"{source} writes ", Mono(claim), " for the loss; symprop "
                                 f"cannot read it: {error}")]
    name = verdict.name_latex or symbol_latex(graph, graph.loss_symbol)
    opening = [blocks.paragraph(f"{source} writes ", Mono(claim), " for the loss, that is"),
               blocks.display([Line(name, written)])]      # in TeX, symprop's printing only
    if verdict.equivalent:
        return [*opening, blocks.paragraph("which is right: it is the loss the notes use.")]
    if verdict.equivalent is None:
        return [*opening, blocks.paragraph("and symprop could not decide whether it is the "
                                           f"loss ({verdict.method}).")]
    why = verdict.diagnosis[:1].upper() + verdict.diagnosis[1:]
    return [*opening, blocks.paragraph(f"which is not the loss. {why}. The loss is"),
            blocks.display(loss_definition(graph))]


def loss_definition(graph) -> list:
    r"""The graph's loss as the notes define it, and a matrix graph's written out entry by entry.

    >>> from symprop import matrix_mlp
    >>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce")
    >>> [(line.lhs, line.rhs) for line in loss_definition(g)]
    [('\\mathcal{L}', '\\frac{1}{m} \\sum \\operatorname{ce}(A_{2}, Y)'), ('', '- \\frac{1}{m} \\sum Y \\odot \\log(A_{2})')]
    """
    from ..ir import matrix_ops as ops
    from ..parse.loss_latex import EntrySum

    loss = graph.loss_symbol
    definition = graph.expr(loss)
    lines = [Line(symbol_latex(graph, loss), loss_latex(graph, definition))]
    if isinstance(definition, ops.Loss):
        per_entry, a, y = definition.per_entry()
        coeff, body = (-1, -per_entry) if per_entry.could_extract_minus_sign() else (1, per_entry)
        terms = [ops.lift(t, {a: definition.outputs, y: definition.targets},
                          definition.outputs.shape) for t in sympy.Add.make_args(body)]
        from .matrix_printer import MatrixLatexPrinter

        written = loss_latex(graph, coeff / graph.batch * EntrySum(ops.add(*terms)))
        lines.append(Line("", written + MatrixLatexPrinter(graph).penalty(definition)))
    return lines


def loss_latex(graph, expr) -> str:
    r"""A loss (or a loss claim as read) in LaTeX, its constant in front: ``-\frac{1}{m} \sum ...``."""
    from ..parse.loss_latex import EntrySum

    if not graph.form.batched:
        return printer(graph).doprint(expr)
    from .matrix_printer import matrix_latex

    factors = sympy.Mul.make_args(expr) if isinstance(expr, sympy.Mul) else (expr,)
    constant = sympy.Mul(*(f for f in factors if not f.has(EntrySum)))
    body = sympy.Mul(*(f for f in factors if f.has(EntrySum)))
    if constant == 1 or body == 1:
        return matrix_latex(expr, graph)
    text = matrix_latex(body, graph)
    text = rf"\left({text}\right)" if isinstance(body, sympy.Add) else text
    if constant == -1:
        return "- " + text
    return matrix_latex(constant, graph) + " " + text


def _remark(graph, wrt, claim, source) -> list:
    source = printable(str(source))[:200]   # running text: each format escapes it
    try:
        verdict = graph.verify(wrt, claim)
        lhs = partial_fraction(graph, graph.loss_symbol, graph.symbol(wrt))
    except SympropError as error:
        return [blocks.paragraph(f"{source} writes ", Mono(claim), f" for the gradient with "
                                 f"respect to {wrt}; symprop cannot read it: {error}")]
    if isinstance(verdict.claim, str):   # not read as an expression (its shapes do not fit):
        opening = [blocks.paragraph(f"{source} writes ", Mono(claim), " for ", Mono(wrt))]
    else:                                # the raw text never reaches TeX; symprop's printing does
        opening = [blocks.paragraph(f"{source} writes"),
                   blocks.display([Line(lhs, verdict.claim_latex)])]
    if verdict.equivalent:
        return [*opening,
                blocks.paragraph("which is right: it is the gradient derived above.")]
    if verdict.equivalent is None:
        return [*opening,
                blocks.paragraph("and symprop could not decide whether it is the gradient "
                                 f"({verdict.method}).")]
    return [*opening,
            blocks.paragraph("which is not the gradient: ", Mono(verdict.diagnosis or "it differs"),
                             ". The gradient is"),
            blocks.display([Line(lhs, verdict.truth_latex)])]


__all__ = ["loss_definition", "loss_latex", "remarks_blocks"]
