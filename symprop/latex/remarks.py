r"""Remarks on a source's derivations: each claim a spec's ``[notes] claims`` lists, verified,
and said right or wrong (with the diagnosis and the gradient itself) in the notes, as a
lecturer points out a textbook's slip.

>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> remark = remarks_blocks(g, [("b2_1", r"a_{1}^{[2]} + y", "the homework")])
>>> [type(b).__name__ for b in remark]
['Heading', 'Paragraph', 'Display', 'Paragraph', 'Display']
"""
from __future__ import annotations

from ..errors import SympropError, printable
from . import blocks
from .blocks import Mono
from .derivation import Line
from .printer import partial_fraction


def remarks_blocks(graph, claims, heading: str = "Remarks on the source's derivations") -> list:
    """For each ``(wrt, claim LaTeX, source)``: the claim as written, and whether it is the
    gradient, and if not, why and what the gradient is. A claim that cannot be read is
    said so; the notes are written all the same."""
    if not claims:
        return []
    out = [blocks.heading(heading)]
    for wrt, claim, source in claims:
        out += _remark(graph, wrt, claim, source)
    return out


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


__all__ = ["remarks_blocks"]
