r"""A scalar of a matrix in a claim: its trace, ``\operatorname{tr}(G M^{\top})``, and its
Frobenius norm, ``\|W_1\|_F^2``, ``\lVert W \rVert_{F}^{2}``.

A weight decay's penalty is written with it (*Improving Deep Neural Networks*:
``\frac{\lambda}{2m} \sum_l \|W^{[l]}\|_F^2``).  The norm of a matrix reads as the square
root of ``tr(W W^T)``, the sum of its squared entries, so ``\|W\|_F^2`` is that sum; an
unsubscripted ``\|W\|`` of a matrix is read as the same norm, as the course writes it.
"""
from __future__ import annotations

import re

import sympy

from ..ir import matrix_ops as ops
from .matrix_build import settled
from .matrix_names import TRACE

OPEN = re.compile(r"\\\||\\lVert(?![A-Za-z])|\\Vert(?![A-Za-z])")
CLOSE = re.compile(r"\\\||\\rVert(?![A-Za-z])|\\Vert(?![A-Za-z])")
FROBENIUS = re.compile(r"\s*_\s*(?:F|\{\s*(?:F|\\(?:mathrm|text|rm|mathsf)\s*\{\s*F\s*\})\s*\})")
_DEPTH = {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}


class NormReading:
    """The reader's rules for a trace and a norm; they use the parser's ``text``, ``pos``,
    ``names``."""

    def scalar_of_matrix(self, start):
        """The trace or the norm written at ``start``, or None where neither is."""
        if OPEN.match(self.text, start):
            return self.norm(start)
        trace = TRACE.match(self.text, start)
        if trace is None or self.names.lookup(trace.group()) is not None:
            return None
        self.pos = trace.end()   # tr(G M^T): of a square matrix
        if not self.peek("(", "[", "{"):
            raise self.error(r"a trace is read with its argument in brackets, as in "
                             r"\operatorname{tr}\left(G A^{\top}\right)", start)
        return self.names.trace(settled(self.atom()), self.span(start), self.where(start))

    def norm(self, start):
        r"""``\|X\|_F`` at ``start`` (the opening bar already matched): sqrt(tr(X X^T))."""
        inner_start = OPEN.match(self.text, start).end()
        close = _closing(self.text, inner_start)
        if close is None:
            raise self.error(r"a norm opened here is not closed; write \|W\|_F^2", start)
        inner = self.text[inner_start:close.start()]
        value = type(self)(inner, self.offset + inner_start, self.names, self.nesting + 1).side()
        self.pos = close.end()
        if sub := FROBENIUS.match(self.text, self.pos):
            self.pos = sub.end()
        if not isinstance(value, sympy.MatrixExpr):
            raise self.error("a norm is read of a matrix (the Frobenius norm, \\|W\\|_F); "
                             "a number's size is |x|, not read", start)
        return sympy.sqrt(ops.trace(ops.matmul(value, value.T)))


def _closing(text, at):
    """The bar that closes a norm opened before ``at``, outside any brackets, or None."""
    depth = 0
    for i in range(at, len(text)):
        if depth == 0 and (close := CLOSE.match(text, i)):
            return close
        depth += _DEPTH.get(text[i], 0)
    return None


__all__ = ["NormReading"]
