r"""The recursive-descent reader of a matrix claim's side, for :mod:`.matrix_latex`.

One method a grammar rule: a side is terms, a term factors (a product keeps their
order, and a product whose shapes do not fit is a :class:`.matrix_names.MatrixShapeError`),
a factor an atom with its scripts (``^T``, ``^{-1}``, ``^{\circ 2}``).  The names are
the graph's (:class:`.matrix_names.Names`), the functions the registry's
(:class:`.matrix_functions.FunctionReading`); every size is bounded before it is built.
"""
from __future__ import annotations

import re

import sympy
from sympy import HadamardPower, OneMatrix

from ..verify.claim_bounds import MAX_EXPONENT, power_too_large
from ..ir import matrix_ops as ops
from .latex_text import MAX_DEPTH, LatexReadError, _group
from .matrix_build import (Ones, fit_ones, has_large_number,
                           is_matrix, negate, scalar_times, settled)
from .matrix_functions import FunctionReading
from .matrix_names import ACCENTS, FONTS, MatrixShapeError, function_key, name_key, quote
from .matrix_norms import NormReading

MAX_NESTING = 4 * MAX_DEPTH    # nested atoms (fractions without braces nest without brackets)
MAX_FACTORS = 24               # in one product: printing a product costs its length squared
# What the reader steps over: spacing, alignment, \left / \right and sized brackets.
SKIP = re.compile(r"(?:\s|\\\\|&|~|\$|\\[,;:! ]|\\(?:begin|end)\s*\{[^{}]*\}"
                  r"|\\(?:left|right)(?![A-Za-z])(?:\s*\.)?"
                  r"|\\(?:[bB]igg?[lrm]?|displaystyle|quad|qquad|notag|nonumber)(?![A-Za-z]))*")
TRANSPOSE = {"T", r"\top", r"\intercal", r"\mathsfT", r"\mathrmT", r"\mathbfT"}
CLOSING = {"(": ")", "[": "]", "{": "}"}
OPERATORS = (("product", (r"\cdot", r"\times")),
             ("Hadamard product", (r"\odot", r"\circ", r"\ast", "*")),
             ("/", ("/",)))            # juxtaposition and the lesson's "." are products too
HADAMARD = (r"\odot", r"\circ", r"\ast")     # LaTeX's entrywise products; NumPy's * binds as @
NUMBER = re.compile(r"\d+(?:\.\d+)?")
NAME_COMMAND = re.compile(r"\\(?:%s)(?![A-Za-z])" % "|".join(FONTS + ACCENTS))
LAYER_DERIVATIVE = re.compile(r"\(\s*f\s*\^\s*\{?\s*(\d{1,3})\s*\}?\s*\)\s*(?:'|\^\s*\{?\s*\\prime\s*\}?)")
LAYER = re.compile(r"([\[(]\d+[\])])(T|\\top|\\intercal)?")   # W^{[2]}, Ng's A^{[1]T}


class _Parser(FunctionReading, NormReading):
    """Recursive descent over one side; products left-associative at one precedence, as numpy's."""

    def __init__(self, text: str, offset: int, names: Names, nesting: int = 0):
        self.text, self.offset, self.names, self.nesting, self.pos = text, offset, names, nesting, 0

    # -- scanning
    def where(self, at=None) -> str:
        return f" (at character {self.offset + (self.pos if at is None else at)})"

    def error(self, message: str, at=None) -> LatexReadError:
        return LatexReadError(message + self.where(at))

    def skip(self) -> int:
        self.pos = SKIP.match(self.text, self.pos).end()
        return self.pos

    def peek(self, *tokens) -> str | None:
        """The first of ``tokens`` after skippable text (the cursor left at it), or None."""
        before, at = self.pos, self.skip()
        for token in tokens:
            end = at + len(token)
            if self.text.startswith(token, at) and not (
                    token[-1].isalpha() and self.text[end:end + 1].isalpha()):
                return token
        self.pos = before       # so the span of what was read ends where it ends
        return None

    def take(self, *tokens) -> str | None:
        token = self.peek(*tokens)
        self.pos += len(token or "")
        return token

    def expect(self, token: str, what: str) -> None:
        if not self.take(token):
            raise self.error(f"expected {token!r} {what}, found {self.rest()}")

    def rest(self) -> str:
        return quote(self.text[self.skip():], 20) if self.pos < len(self.text) else "the end"

    def group(self, compact=False) -> str:
        """The raw argument at the cursor: a braced group's content or one token."""
        content, self.pos = _group(self.text, self.skip())
        return re.sub(r"[\s{}]", "", content) if compact else content

    def span(self, start) -> str:
        return self.text[start:self.pos].strip()

    # -- grammar
    def side(self):
        value = self.expression()
        while self.take(".", ",", ";"):
            pass
        if self.skip() < len(self.text):
            raise self.error(f"cannot read {self.rest()}, reading stopped there")
        return settled(value)

    def expression(self):
        start = self.skip()
        value = self.product()
        while op := self.take("+", "-"):
            left, right_start = self.text[start:self.pos - 1].strip(), self.skip()
            right = self.product()
            if op == "-":        # A - \mathbf{1}: the ones take A's shape before the sign
                value, right = fit_ones("sum", value, right)
                right = negate(right)
            value = self.combine("sum", value, right, left, self.span(right_start), start)
        return value

    def product(self):
        r"""Entrywise products of matrix products: ``u \odot W^T d`` is ``u \odot (W^T d)``, as
        Wikipedia's ``(f^{l})' \circ (W^{l+1})^T \delta^{l+1}`` means; NumPy's ``*`` binds as
        tightly as its ``@``, left to right."""
        start = self.skip()
        value = self.matrix_product()
        while self.take(*HADAMARD):
            right_start = self.skip()
            right = self.matrix_product()
            value = self.combine("Hadamard product", value, right, self.text[start:right_start]
                                 .strip().removesuffix(r"\odot").removesuffix(
                                     r"\circ").removesuffix(r"\ast").strip(),
                                 self.span(right_start), start)
        return value

    def matrix_product(self):
        start = self.skip()
        value, count = self.factor(), 1
        while True:
            before, op_at = self.pos, self.skip()
            op = self.operator()
            if op is None:
                self.pos = before
                return value
            count, right_start = count + 1, self.skip()
            if count > MAX_FACTORS:
                raise self.error(f"a product of more than {MAX_FACTORS} factors; a hand "
                                 "derivation is far shorter", start)
            right = self.factor()
            value = self.combine(op, value, right, self.text[start:op_at].strip(),
                                 self.span(right_start), start)

    def operator(self) -> str | None:
        """The product at the cursor: \\cdot, ., \\odot, *, / or juxtaposition."""
        if self.peek(*HADAMARD):
            return None                      # the looser entrywise product: product() takes it
        for op, tokens in OPERATORS:
            if self.take(*tokens):
                return op
        rest = self.text[self.pos + 1:]
        if self.text.startswith(".", self.pos) and SKIP.sub("", rest).strip(".,; "):
            self.pos += 1
            return "product"                 # the lesson's (Z_2-y).Z_1; a full stop ends the side
        char = self.text[self.pos:self.pos + 1]
        juxtaposed = char.isalnum() or (char and char in "([{") or (
            char == "\\" and not self.peek(r"\gt", r"\top", r"\intercal", r"\prime"))
        return "product" if juxtaposed else None

    def factor(self):
        negative, self.nesting = False, self.nesting + 1
        if self.nesting > MAX_NESTING:        # brackets are screened; this bounds the rest
            raise self.error(f"the expression nests more than {MAX_NESTING} deep")
        while sign := self.take("-", "+"):
            negative ^= sign == "-"
        value, self.nesting = self.postfix(self.atom()), self.nesting - 1
        return negate(value) if negative else value

    def postfix(self, value):
        while True:
            if self.peek("'"):
                raise self.error("a prime ' is read only on a function, as in \\sigma'(Z_1)")
            if not self.take("^"):
                return value
            at = self.pos
            value = self.superscript(value, self.group(compact=True), at)

    def superscript(self, value, content: str, at: int):
        if content in TRANSPOSE:
            return value.T if is_matrix(value) or isinstance(value, Ones) else value
        value = settled(value)
        content = re.sub(r"\\(?:left|right)(?![A-Za-z])", "", content)
        if (power := re.fullmatch(r"\\(?:circ|odot)\(?(-?\d{1,3})\)?", content)) and is_matrix(value):
            return HadamardPower(value, int(power.group(1)))   # A^{\circ 2}, as symprop prints it
        if not re.fullmatch(r"-?\d{1,4}", content) or abs(int(content)) > MAX_EXPONENT:
            raise self.error(f"cannot read the superscript {quote(content)}: symprop reads a "
                             f"transpose (^\\top) or an integer power up to {MAX_EXPONENT}", at)
        n = int(content)
        if is_matrix(value):
            return HadamardPower(value, n)       # elementwise, as numpy's A**2
        if value == 0 and n < 0:
            raise self.error("a power divides by zero", at)
        if power_too_large(value, sympy.Integer(n)):
            raise self.error("a power is too large to evaluate", at)
        return value ** n

    # -- atoms
    def atom(self):
        start = self.skip()
        char = self.text[start:start + 1]
        self.names.spend(self.where(start))
        if layer := LAYER_DERIVATIVE.match(self.text, start):     # Wikipedia's (f^l)'
            self.pos = layer.end()
            return self.layer_derivative(layer.group(1), start)
        if char and char in CLOSING:
            self.pos += 1
            value = self.expression()
            self.expect(CLOSING[char], f"to close the {char!r} at character {self.offset + start}")
            return value
        if m := NUMBER.match(self.text, start):
            self.pos = m.end()
            return sympy.Rational(m.group())
        if self.take(r"\frac", r"\dfrac", r"\tfrac"):
            return self.fraction(start)
        if re.match(r"\\(?:mathbf|boldsymbol|mathbb)\s*\{\s*1\s*\}", self.text[start:]):
            return self.ones(start)
        if self.take(r"\sum"):
            return self.batch_sum(start)
        if self.take(r"\nabla"):
            return self.gradient(start)
        if self.take(r"\sqrt"):
            argument = settled(_Parser(self.group(), self.offset + self.pos, self.names,
                                       self.nesting).side())
            if is_matrix(argument):
                raise self.error("a square root of a matrix is not read; write it entry by "
                                 "entry, as A^{\\circ 1/2} is not a gradient's form", start)
            return sympy.sqrt(argument)
        if self.peek(r"\pi") and self.names.lookup(r"\pi") is None:
            self.take(r"\pi")
            return sympy.pi
        if self.peek(r"\partial"):
            raise self.error("\\partial outside a derivative fraction; write "
                             "\\frac{\\partial \\mathcal{L}}{\\partial Z_2} or dZ_2")
        if (scalar := self.scalar_of_matrix(start)) is not None:   # \operatorname{tr}(...), \|W\|_F
            return scalar
        if (char.isascii() and char.isalpha()) or char == "\\":     # Ａ_2, А_2: not A_2
            return self.name(start)
        raise self.error(f"cannot read {self.rest()}, reading stopped there")

    def fraction(self, start):
        top_at, top = self.skip(), self.group()
        bottom_at, bottom = self.skip(), self.group()
        derivative = self.names.fraction(top, bottom, self.where(top_at), self.where(bottom_at))
        if derivative is not None:                   # \frac{\partial L}{\partial Z_2}
            return derivative
        numerator, denominator = (_Parser(part, self.offset + at + 1, self.names,
                                          self.nesting).side()
                                  for part, at in ((top, top_at), (bottom, bottom_at)))
        return self.divide(numerator, denominator, start)

    def divide(self, numerator, denominator, start):
        if is_matrix(denominator) or denominator == 0:
            what = "a matrix; only scalars divide" if is_matrix(denominator) else "zero"
            raise self.error(f"{quote(self.span(start))} divides by {what}", start)
        return scalar_times(1 / denominator, numerator)

    def gradient(self, start):
        r"""``\nabla_{W^l} C``, Nielsen's ``\nabla_a C`` (a: the output layer's activations): dC/dv."""
        if not self.take("_"):
            raise self.error("\\nabla is read with what it differentiates by, as in \\nabla_a C",
                             start)
        by = self.group()
        symbol = self.names.lookup(by) or self.names.lookup(by + self.names.output_layer())
        loss = self.text[self.skip():]
        spelled = next((s for s in sorted(self.names.loss_keys, key=len, reverse=True)
                        if loss.startswith(s) or loss.startswith(s.replace("_", ""))), None)
        if symbol is None or spelled is None:
            raise self.error("\\nabla_v C is read as the gradient of the cost C (L, J) with "
                             "respect to one of the graph's names v", start)
        self.read_name()
        return self.names.derivative(symbol)

    def ones(self, start):
        r"""``\mathbf{1}``: ones whose shape its neighbour sets (:class:`_Ones`); ``\mathbb{1}[Z > 0]``: the indicator."""
        command = self.take(r"\mathbf", r"\boldsymbol", r"\mathbb")
        self.group()
        if command != r"\mathbb" or not self.peek("[", "(", "_"):
            if self.take("_") and self.group(compact=True) != "m":
                raise self.error("a ones vector has m entries, one per example", start)
            return Ones(self.names.graph.batch)
        self.take("_")
        opening = self.take("[", "(", "{")
        argument = self.expression() if opening else None
        if argument is None or not self.take(">", r"\gt") or self.expression() != 0:
            raise self.error("symprop reads the indicator as \\mathbb{1}[Z > 0] only", start)
        self.expect(CLOSING[opening], "to close the indicator")
        return self.apply("step", [argument])

    def batch_sum(self, start):
        r"""``\sum_{i=1}^{m} E``: the row sums ``E 1`` over the batch."""
        if self.take("_"):
            self.group()
        if self.take("^") and self.group(compact=True) != "m":
            raise self.error("a sum runs over the batch, i = 1 to m", start)
        term_at, m = self.skip(), self.names.graph.batch
        term = settled(self.factor())
        if not is_matrix(term) or term.shape[1] != m:
            raise self.error(f"a sum over the batch needs a matrix with m columns, not "
                             f"{quote(self.span(term_at))}", start)
        return ops.matmul(term, OneMatrix(m, 1))

    # -- names and functions
    def name(self, start):
        spelling, head, transposed = self.read_name()
        symbol, loss = self.names.lookup(spelling), self.names.loss
        if name_key(spelling) in self.names.loss_keys and symbol in (None, loss):
            raise self.error(f"the loss {spelling.strip()} is read only inside a derivative, "
                             "as in \\frac{\\partial \\mathcal{L}}{\\partial W_2}", start)
        if symbol is None and head == "g":              # Andrew Ng's g^{[1]\prime}(Z^{[1]})
            return self.layer_function(start)
        function = self.names.functions.get(function_key(head))
        if symbol is None and function and (head[0] == "\\" or self.peek("(", "[", "'", "^")):
            self.pos = start + len(head)
            return self.function(function)
        if symbol is None and (m := re.match(r"d(?=[A-Za-z\\])|\\mathrm\s*\{\s*d\s*\}",
                                             spelling)):
            wrt = self.names.lookup(spelling[m.end():])
            if wrt is not None and wrt != loss:        # Andrew Ng's dZ_2: dL/dZ2
                symbol = self.names.derivative(wrt)
        if symbol is None and head == r"\delta":          # a layer's error: dL/dZ of that layer
            symbol = self.layer_error(spelling, start)
        if symbol is None and spelling == "m":
            return self.names.graph.batch
        if symbol is None:
            raise self.names.unknown(spelling, self.where(start))
        return symbol.T if transposed else symbol

    def layer_error(self, spelling: str, start: int):
        r"""``\delta^{[2]}``, ``\delta_2``, ``\delta^2``, ``\delta^L`` (the output layer): dL/dZ_l."""
        layer = re.fullmatch(r"\\delta(?:_(\d+))?", name_key(spelling))
        before = self.pos
        if layer and not layer.group(1) and self.take("^"):
            bare = self.group(compact=True)
            if not re.fullmatch(r"\d+|L", bare):
                self.pos = before
                bare = None
        else:
            bare = None
        layers = [int(m[1]) for s in self.names.graph.symbols if (m := re.fullmatch(r"Z(\d+)", s.name))]
        number = (layer.group(1) if layer else None) or (
            str(max(layers, default=0)) if bare in (None, "L") else bare)
        node = self.names.layer_error(number, bare)
        if node is None:
            raise self.error(f"{spelling.strip()} names no layer's error: the graph's layers "
                                f"are {', '.join(map(str, sorted(layers)))}", start)
        return self.names.derivative(node)

    def read_name(self) -> tuple[str, str, bool]:
        r"""``(spelling, head, transposed)`` of the name at the cursor (``\mathbf{W}^{[2]}``).

        Andrew Ng's ``A^{[1]T}`` carries its transpose inside the layer superscript.
        """
        start = self.skip()
        if m := NAME_COMMAND.match(self.text, start):
            self.pos = m.end()
            if self.group(compact=True) == "d" and m.group() == r"\mathrm":   # \mathrm{d}Z_2
                spelling, _, transposed = self.read_name()
                return r"\mathrm{d}" + spelling, self.text[start:self.pos], transposed
        elif m := re.compile(r"\\[A-Za-z]+|[A-Za-z][A-Za-z0-9]*").match(self.text, start):
            self.pos = m.end()
        head = self.text[start:self.pos]
        if self.take("_"):
            self.group()
        spelling, before = self.text[start:self.pos], self.pos
        if self.take("^") and (layer := LAYER.fullmatch(self.group(compact=True))):
            return spelling + "^" + layer.group(1), head, bool(layer.group(2))
        self.pos = before
        if spelling == head and (layer := self.names.bare_layer(head, self)):   # Nielsen's a^L
            return layer, head, False
        self.pos = before
        return spelling, head, False

    # -- operations, shapes checked here (sympy lets 3×m times 5×m through: m might be 5)
    def combine(self, op, left, right, left_text, right_text, start):
        left, right = fit_ones(op, left, right)
        if op == "/":
            return self.divide(left, right, start)
        if op == "sum" and is_matrix(left) != is_matrix(right):
            shape = (left if is_matrix(left) else right).shape    # 1 - A: 1 in every entry
            left, right = (x if is_matrix(x) else ops.scale(x, OneMatrix(*shape))
                           for x in (left, right))
        if not (is_matrix(left) and is_matrix(right)):
            return self.bounded(left + right if op == "sum" else scalar_times(left, right), start)
        fits = left.shape[1] == right.shape[0] if op == "product" else left.shape == right.shape
        if not fits:
            raise MatrixShapeError(op, left_text, right_text, left.shape, right.shape,
                                   self.span(start), self.where(start))
        return self.bounded({"product": ops.matmul, "sum": ops.add}.get(op, ops.hadamard)(
            left, right), start)

    def bounded(self, value, start):
        if has_large_number(value):          # 99999 written 60 times over
            raise self.error("a number is beyond 10^300, too large to evaluate", start)
        return value


__all__ = ["SKIP"]
