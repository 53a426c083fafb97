r"""Reading hand derivations in matrix form, *Backprop Implementation*'s notation, order of products kept.

latex2sympy2 makes commutative symbols, so ``(P - Y) A_1^T`` and ``A_1^T (P - Y)``
would read alike; this small recursive-descent reader builds sympy matrix
expressions instead, and a product whose shapes do not fit is a
:class:`MatrixShapeError` naming both operands as written:

>>> from symprop import matrix_mlp
>>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> g.set_latex("A2", "P")
>>> d = read_matrix_derivation(r"\frac{\partial \mathcal{L}}{\partial W_2} = "
...                            r"\frac{1}{m}(P - Y) A_1^{\top}", g)
>>> d.about, d.steps[0].expr
((L, W2), 1/m*(A2 - Y)*A1.T)
>>> read_matrix_derivation(r"A_1^T (P - Y)", g)
Traceback (most recent call last):
...
symprop.parse.matrix_names.MatrixShapeError: the product A_1^T (P - Y) multiplies an m×5 matrix by a 3×m matrix; the two factors in the other order would fit (at character 0)

A scalar vertex (a parameter ``s`` declared without a shape) reads as a scalar, and
``\operatorname{tr}(...)`` (``\mathrm{tr}``, ``\text{tr}``, ``\operatorname{Tr}``,
``\operatorname{trace}``, ...) as the trace of a square matrix, its scalar factor in front:

>>> read_matrix_derivation(r"\operatorname{tr}\left(\frac{1}{m} A_1 A_1^{\top}\right)", g).steps[0].expr
Trace(A1*A1.T)/m
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from .latex_text import LatexReadError, _split_sides
from .layout import ascii_operators, blank_annotations, chains, grouped_steps
from .numpy_claims import numpy_to_latex
from .matrix_names import MatrixShapeError, Names, quote, screen
from .matrix_reader import SKIP, _Parser


@dataclass(frozen=True)
class MatrixStep:
    """One side of the chain: its LaTeX as written and the matrix expression it reads as.

    ``about`` is ``(loss, symbol)`` when its line names dL/dsymbol on its left, else None.
    """

    latex: str
    expr: sympy.Basic
    adjoints: frozenset = frozenset()     # the symbols whose dL/d it uses (dZ_2, dW_2)
    about: tuple | None = None


@dataclass(frozen=True)
class MatrixDerivation:
    r"""A chain read side by side; ``about`` is ``(loss, symbol)`` if it starts with dL/dsymbol.

    A block may state several quantities in turn (``dZ_2 = ...``, then ``dW_2 = ...``):
    each step's ``about`` says which its line names.
    """

    about: tuple | None
    steps: tuple

    def chains(self) -> list[tuple[tuple | None, tuple]]:
        """The steps grouped by the quantity they state, in order: ``[(about, steps), ...]``."""
        return grouped_steps(self.steps)


_LAYER_TRANSPOSE = re.compile(r"\^\s*\{\s*([\[(]\d+[\])])\s*\^\s*(?:\{\s*(?:T|\\top)\s*\}|T)\s*\}")
_LAYER_POWER = re.compile(r"(?<![A-Za-z\\])([A-Za-z]+)\s*\^\s*\{\s*([\[(]\d+[\])])\s*(\d{1,2})\s*\}")


def layer_scripts(text: str) -> str:
    r"""Andrew Ng's layer superscripts that carry more than the layer, written out:
    ``A^{[1]2}`` (his ``np.power(A1, 2)``) as ``(A^{[1]})^{2}``, and a transpose
    typed as ``ᵀ`` inside them (``W^{[2]ᵀ}``, read as ``W^{[2]^{T}}``) as ``W^{[2]T}``.

    >>> layer_scripts(r"1 - A^{[1]2} + W^{[2]^{T}}")
    '1 - (A^{[1]})^{2} + W^{[2]T}'
    """
    if not isinstance(text, str) or "^" not in text:
        return text
    text = _LAYER_TRANSPOSE.sub(lambda m: "^{" + m.group(1) + "T}", text)
    return _LAYER_POWER.sub(lambda m: f"({m.group(1)}^{{{m.group(2)}}})^{{{m.group(3)}}}", text)


def read_matrix_expression(text: str, graph):
    r"""One matrix expression over ``graph``'s symbols, in the notes' LaTeX (a node's
    definition in a spec): no derivative, no ``=``.

    >>> from symprop import matrix_mlp
    >>> g = matrix_mlp([3, 2])
    >>> read_matrix_expression(r"\sigma(W_1 X + b_1 \mathbf{1}^{\top})", g)
    Apply(Lambda(_d, sigmoid(_d)), W1*X + b1*1)
    """
    text = numpy_to_latex(blank_annotations(layer_scripts(ascii_operators(text))))
    screen(text)
    if len(_split_sides(text)) != 1:
        raise LatexReadError(f"{quote(text)} is one expression: it has no '='")
    names = Names(graph)
    expr = _Parser(text, 0, names).side()
    if names.placeholders:
        raise LatexReadError(f"{quote(text)} uses a derivative; a node's definition is a "
                             "forward expression")
    return expr


def read_matrix_derivation(text: str, graph) -> MatrixDerivation:
    r"""Read ``A = B = C`` (or an ``aligned`` block) over a :class:`~symprop.MatrixGraph`.

    A leading side that is only a derivative of the loss (``\frac{\partial
    \mathcal{L}}{\partial W_2}``, ``dW_2``) sets ``about`` and is not a step;
    a derivative anywhere else reads as the placeholder ``dL_d<name>``.  A block's
    lines are laid out as :func:`.layout.chains` reads them: each line naming a
    quantity on its left starts the steps about it.

    >>> from symprop import matrix_mlp
    >>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    >>> read_matrix_derivation(r"dW_1 = dZ_1 X^T", g).steps[0].expr
    dL_dZ1*X.T
    >>> [s.about[1] for s in read_matrix_derivation(r"dZ_2 &= A_2 - Y \\ dW_2 &= dZ_2 A_1^T",
    ...                                              g).steps]
    [Z2, W2]
    """
    text = numpy_to_latex(blank_annotations(layer_scripts(ascii_operators(text))))
    screen(text)
    names = Names(graph)
    _split_sides(text)                       # refuses a chain too long, before any reading

    def named(side):
        """The symbol whose dL/d ``side`` is alone, or None."""
        try:
            expr = _Parser(side, 0, names).side()
        except LatexReadError:
            return None
        return names.placeholders.get(expr) if not isinstance(expr, sympy.Integer) else None

    steps, first = [], None
    for number, chain in enumerate(chains(text, lambda side: named(side) is not None)):
        symbol = named(chain.lhs) if chain.lhs is not None else None
        about = (graph.loss_symbol, symbol) if symbol is not None else None
        first = about if number == 0 else first
        for side, offset in zip(chain.sides, chain.starts):
            if not SKIP.sub("", side).strip(".,; "):
                raise LatexReadError(f"an '=' in {quote(text)} has nothing on one side "
                                     f"(at character {offset})")
            written = re.sub(r"\\(?:begin|end)\s*\{[^{}]*\}|&|\\\\", " ", side).strip(" .,;\n")
            names.used = set()
            expr = _Parser(side, offset, names).side()
            names.spend_written_out(expr, f" (at character {offset})")
            steps.append(MatrixStep(written, expr, frozenset(names.used), about))
    return MatrixDerivation(first, tuple(steps))


__all__ = ["MatrixShapeError", "MatrixStep", "MatrixDerivation", "read_matrix_derivation"]
