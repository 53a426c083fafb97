r"""Reading a source's definition of the loss, ``J = \sum ylog(p)``, as a formula symprop evaluates.

A loss claim is one formula, optionally with a single name for the cost on its left
(``J =``, ``L =``, ``\mathcal{L} =``).  Its right side is read by the matrix reader
(:mod:`.matrix_latex`) with three readings of its own, used for loss claims only:

- ``\sum E`` is the sum of every entry of ``E`` (classes and examples), an
  :class:`EntrySum`, and it takes the whole product after it (``\sum Y \log(P)``);
- juxtaposed matrices of one shape multiply entry by entry (``y log(p)`` is y·log(p)),
  and a letter glued to ``log`` is two words (``ylog(p)``);
- an entry written with its indices, ``y_k^{(i)}``, is its matrix's, as the sum is over
  every entry anyway;
- the usual names of the network's output (``p``, ``P``, ``\hat{y}``, ``a``, ``y_p``)
  and of its targets (``y``, ``Y``) mean the graph's, where it has no such names itself.

>>> from symprop import matrix_mlp
>>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> reading = read_matrix_loss(r"J = \sum ylog(p)", g)
>>> reading.name, reading.expr
('J', EntrySum(HadamardProduct(Y, Apply(Lambda(_d, log(_d)), A2))))
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from ..ir import matrix_ops as ops
from .latex_text import MAX_LENGTH, LatexReadError
from .layout import ascii_operators, blank_annotations
from .matrix_build import is_matrix, settled
from .matrix_latex import layer_scripts
from .matrix_reader import _Parser
from .matrix_names import Names, name_key, quote, screen

OUTPUT_ALIASES = ("p", "P", r"\hat{y}", r"\hat{Y}", r"\hat{p}", r"\hat{P}", "a", "A", "y_p",
                  r"\hat{y}_p")
TARGET_ALIASES = ("y", "Y", "t")
# The one name a loss claim may have on its left: J, L_{CE}, \mathcal{L}, \ell, J(W, b).
_LEFT = re.compile(r"\s*(?:(?P<letter>[A-Za-z])|\\mathcal\s*\{\s*(?P<calligraphic>[A-Za-z])\s*\}"
                   r"|\\(?P<ell>ell)(?![A-Za-z]))"
                   r"(?:\s*_\s*(?:\{[^{}=]{0,20}\}|[A-Za-z0-9]))?"
                   r"(?:\s*\([^()=]{0,60}\))?\s*=(?!=)")
INDEXED = re.compile(r"(.+?)_\s*(?:\{\s*[ijkcn]\s*\}|[ijkcn])")     # y_k: an entry of y
EXAMPLE = re.compile(r"\(\s*[ijn]\s*\)")                       # p^{(i)}: of example i
GLUED = re.compile(r"(?<![\\A-Za-z])([A-Za-z])(log|ln|exp)(?=\s*[(\[])")   # ylog(p)


class EntrySum(sympy.Expr):
    r"""The sum of every entry of a matrix: a loss claim's ``\sum``, over classes and examples.

    >>> Y = sympy.MatrixSymbol("Y", 3, sympy.Symbol("m"))
    >>> EntrySum(Y), sympy.latex(EntrySum(Y))
    (EntrySum(Y), '\\sum Y')
    """

    is_commutative = True

    def __new__(cls, matrix):
        return super().__new__(cls, matrix)

    @property
    def matrix(self):
        return self.args[0]

    def _latex(self, printer):
        text = printer._print(self.matrix)
        wrapped = isinstance(self.matrix, (sympy.MatAdd, sympy.MatMul)) and not (
            isinstance(self.matrix, sympy.MatMul) and len(self.matrix.args) == 1)
        return r"\sum " + (rf"\left({text}\right)" if wrapped else text)

    _symprop_latex = _latex      # symprop's printers (printmethod) print it the same way


@dataclass(frozen=True)
class LossReading:
    """A loss claim read: ``expr`` (its value, a number of the graph's symbols), ``name`` (the
    cost's name on its left as plain text, None if none) and ``name_latex`` (that name as
    symprop writes it: only what the left side's pattern allows, never the raw text)."""

    expr: sympy.Basic
    name: str | None
    name_latex: str | None


def split_loss(text) -> tuple[str | None, str | None, str]:
    r"""``(name, name in LaTeX, right side)`` of ``J = ...``; the name None without a left side.

    >>> split_loss(r"\mathcal{L} = -\sum Y \log(P)")
    ('L', '\\mathcal{L}', ' -\\sum Y \\log(P)')
    >>> split_loss(r"J(W, b) = \sum y")[:2], split_loss(r"\sum y")[:2]
    (('J', 'J'), (None, None))
    """
    if not isinstance(text, str):
        raise LatexReadError(f"a loss claim must be LaTeX text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise LatexReadError(f"the claim is {len(text)} characters long; symprop reads at most "
                             f"{MAX_LENGTH} (a loss is far shorter)")
    left = _LEFT.match(text)
    rest = text[left.end():] if left else text
    if "=" in re.sub(r"_\s*\{[^{}]*\}", "", rest):      # \sum_{i=1}^{m} is no second side
        raise LatexReadError("a loss claim is one formula, 'J = ...' or its right side alone; "
                             + ("it has more than one '='" if left else
                                "the left side of its '=' is not one name for the cost "
                                "(J, L, \\mathcal{L})"))
    if left is None:
        return None, None, rest
    if left["calligraphic"]:
        return left["calligraphic"], r"\mathcal{%s}" % left["calligraphic"], rest
    if left["ell"]:
        return "l", r"\ell", rest
    return left["letter"], left["letter"], rest


def read_matrix_loss(text: str, graph, outputs=None, targets=None,
                     columns: bool = False) -> LossReading:
    r"""A loss claim over a matrix graph: the right side an :class:`EntrySum`'s number (or a
    1×1 matrix), in the graph's symbols.  ``outputs``, ``targets``: the symbols the usual
    names mean (default: the arguments of the graph's loss); ``columns``: a matrix is
    let through (a scalar graph's one example, :mod:`.scalar_loss`, writes it out).

    >>> from symprop import matrix_mlp
    >>> g = matrix_mlp([2, 1], output="sigmoid", loss="bce")
    >>> read_matrix_loss(r"-\frac{1}{m}\sum Y \log(\hat{y})", g).expr
    -EntrySum(HadamardProduct(Y, Apply(Lambda(_d, log(_d)), A1)))/m
    """
    name, name_latex, right = split_loss(text)
    right = layer_scripts(ascii_operators(blank_annotations(right)))
    right = GLUED.sub(lambda m: f"{m[1]} \\{m[2]}", right)
    screen(right)
    if outputs is None and isinstance(loss := graph.expr(graph.loss_symbol), ops.Loss):
        outputs, targets = loss.outputs, loss.targets
    names = aliased(Names(graph), outputs, targets)
    expr = settled(_LossParser(right, 0, names).side())
    names.spend_written_out(expr, "")
    if is_matrix(expr) and tuple(expr.shape) != (1, 1) and not columns:
        raise LatexReadError(f"the claim {quote(right)} is a {'×'.join(map(str, expr.shape))} "
                             "matrix, not a number: a loss adds up its entries (\\sum)")
    if not expr.has(*graph.symbols):
        raise LatexReadError(f"the claim {quote(right)} uses none of the network's values")
    return LossReading(expr, name, name_latex)


def aliased(names: Names, outputs, targets) -> Names:
    """``names`` with the usual names of the output and the targets, where the graph has none."""
    for aliases, symbol in ((OUTPUT_ALIASES, outputs), (TARGET_ALIASES, targets)):
        if symbol is None:
            continue
        for spelling in aliases:
            key = name_key(spelling)
            if key not in names.by_key and not names.folded.get(key.lower()):
                names.by_key[key] = symbol
    names.folded = {}
    for key, s in names.by_key.items():
        names.folded.setdefault(key.lower(), set()).add(s)
    return names


class _LossParser(_Parser):
    """The matrix reader with a loss claim's readings: ``\\sum`` of every entry, entry-by-entry
    juxtaposition of matrices of one shape, ``\\log P`` without parentheses."""

    def batch_sum(self, start):
        for script in ("_", "^"):                 # \sum_{i=1}^{m} \sum_k: bounds say nothing more
            if self.take(script):
                self.group()
        term_at = self.skip()
        term = settled(self.product())
        if isinstance(term, EntrySum) or (not is_matrix(term) and term.has(EntrySum)):
            return term                           # \sum_i \sum_k: one sum over every entry
        if not is_matrix(term):
            raise self.error(f"a sum in a loss adds up the entries of a matrix, not of "
                             f"{quote(self.span(term_at))}", start)
        return EntrySum(term)

    def name(self, start):
        try:
            return super().name(start)
        except LatexReadError:                    # y_k, \hat{y}_k: an entry of y, \hat{y}
            self.pos = start
            indexed = INDEXED.fullmatch(self.read_name()[0])
            symbol = self.names.lookup(indexed[1]) if indexed else None
            if symbol is None or not is_matrix(symbol):
                raise
            return symbol

    def superscript(self, value, content: str, at: int):
        if is_matrix(value) and EXAMPLE.fullmatch(content):
            return value                          # p^{(i)}: of example i, summed over anyway
        return super().superscript(value, content, at)

    def function(self, name: str, primes: int = 0):
        if primes or self.peek("(", "[", "'", "^"):
            return super().function(name, primes)
        return self.apply(name, [self.factor()])  # \log P, as a loss is often written

    def combine(self, op, left, right, left_text, right_text, start):
        if (op == "product" and is_matrix(left) and is_matrix(right)
                and left.shape == right.shape and left.shape[1] != right.shape[0]):
            op = "Hadamard product"               # y log(p): entry by entry
        return super().combine(op, left, right, left_text, right_text, start)


__all__ = ["EntrySum", "GLUED", "LossReading", "OUTPUT_ALIASES", "TARGET_ALIASES", "aliased",
           "read_matrix_loss", "split_loss"]
