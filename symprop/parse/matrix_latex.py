r"""Reading hand derivations in matrix form, seed 001's notation, order of products kept.

latex2sympy2 makes commutative symbols, so ``(P - Y) A_1^T`` and ``A_1^T (P - Y)``
would read alike; this small recursive-descent reader builds sympy matrix
expressions instead, and a product whose shapes do not fit is a
:class:`MatrixShapeError` naming both operands as written:

>>> from symprop.matrix import matrix_mlp
>>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
>>> g.set_latex("A2", "P")
>>> d = read_matrix_derivation(r"\frac{\partial \mathcal{L}}{\partial W_2} = "
...                            r"\frac{1}{m}(P - Y) A_1^{\top}", g)
>>> d.about, d.steps[0].expr
((L, W2), 1/m*(A2 - Y)*A1.T)
>>> read_matrix_derivation(r"A_1^T (P - Y)", g)
Traceback (most recent call last):
...
symprop.parse.matrix_latex.MatrixShapeError: the product A_1^T (P - Y) multiplies a m×5 matrix by a 3×m matrix (at character 0)
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import sympy
from sympy import HadamardPower, MatrixExpr, MatrixSymbol, OneMatrix

from ..functions import CALLABLE, REGISTRY
from ..matrix import ops
from ..simplify import tidy_closed_form
from .latex_text import (ENVIRONMENTS, FORBIDDEN, GREEK, MAX_DEPTH, MAX_LENGTH, LatexReadError,
                         _check_balance, _quote, _split_sides)

MAX_EXPONENT = 1000            # a numeric power beyond this is refused, not computed
MAX_NESTING = 4 * MAX_DEPTH    # nested atoms (fractions without braces nest without brackets)
FONTS = ("mathbf", "boldsymbol", "bm", "mathit", "mathrm", "mathsf", "text", "textrm",
         "operatorname")
ACCENTS = ("hat", "bar", "tilde", "vec", "mathcal")
ALLOWED = set(GREEK) | set(FONTS) | set(ACCENTS) | set(
    ("frac dfrac tfrac partial cdot times odot circ top intercal prime mathbb sum gt tanh exp "
     "log ln sin cos left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr "
     "begin end displaystyle quad qquad notag nonumber sigma").split())
# What the reader steps over: spacing, alignment, \left / \right and sized brackets.
SKIP = re.compile(r"(?:\s|\\\\|&|~|\$|\\[,;:! ]|\\(?:begin|end)\s*\{[^{}]*\}"
                  r"|\\(?:left|right)(?![A-Za-z])(?:\s*\.)?"
                  r"|\\(?:[bB]igg?[lrm]?|displaystyle|quad|qquad|notag|nonumber)(?![A-Za-z]))+")
TRANSPOSE = {"T", r"\top", r"\intercal", r"\mathsfT", r"\mathrmT", r"\mathbfT"}
LOSS_SPELLINGS = ("L", "J", r"\mathcal{L}", r"\mathcal{J}")
FUNCTION_ALIASES = {"ln": "log"}                 # spellings the registry's LaTeX does not give
MATRIX_FUNCTIONS = {"softmax": ops.Softmax}      # functions of a whole column, not entry by entry
CLOSING = {"(": ")", "[": "]", "{": "}"}


class MatrixShapeError(LatexReadError):
    """Two operands whose shapes do not fit, named as the user wrote them."""

    VERBS = {"product": "multiplies a {} matrix by a {} matrix",
             "Hadamard product": "multiplies entry by entry a {} matrix and a {} matrix",
             "sum": "adds a {} matrix and a {} matrix"}

    def __init__(self, operation, left_latex, right_latex, left_shape, right_shape,
                 written=None, where=""):
        self.operation, self.left_latex, self.right_latex = operation, left_latex, right_latex
        self.left_shape, self.right_shape = tuple(left_shape), tuple(right_shape)
        written = written or f"{left_latex} {right_latex}"
        verb = self.VERBS[operation].format(_shape(left_shape), _shape(right_shape))
        super().__init__(f"the {operation} {written} {verb}{where}")


def _shape(shape) -> str:
    return "×".join(str(n) for n in shape) if shape else "scalar"


@dataclass(frozen=True)
class MatrixStep:
    """One side of the chain: its LaTeX as written and the matrix expression it reads as."""

    latex: str
    expr: sympy.Basic


@dataclass(frozen=True)
class MatrixDerivation:
    r"""A chain read side by side; ``about`` is ``(loss, symbol)`` when it starts with dL/dsymbol."""

    about: tuple | None
    steps: tuple


def read_matrix_derivation(text: str, graph) -> MatrixDerivation:
    r"""Read ``A = B = C`` (or an ``aligned`` block) over a :class:`~symprop.matrix.MatrixGraph`.

    A leading side that is only a derivative of the loss (``\frac{\partial
    \mathcal{L}}{\partial W_2}``, ``dW_2``) sets ``about`` and is not a step;
    a derivative anywhere else reads as the placeholder ``dL_d<name>``.

    >>> from symprop.matrix import matrix_mlp
    >>> g = matrix_mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True)
    >>> read_matrix_derivation(r"dW_1 = dZ_1 X^T", g).steps[0].expr
    dL_dZ1*X.T
    """
    _screen(text)
    names = _Names(graph)
    steps, offset = [], 0
    for side in _split_sides(text):
        if not SKIP.sub("", side).strip(".,; "):
            raise LatexReadError(f"an '=' in {_quote(text)} has nothing on one side "
                                 f"(at character {offset})")
        steps.append(MatrixStep(side.strip(), _Parser(side, offset, names).side()))
        offset += len(side) + 1
    about = None
    if len(steps) > 1 and steps[0].expr in names.placeholders:
        about = (graph.loss_symbol, names.placeholders[steps[0].expr])
        steps = steps[1:]
    return MatrixDerivation(about, tuple(steps))


# ------------------------------------------------------------------ screening
def _screen(text) -> None:
    """Refuse, in time linear in the text, what is not a formula: size, TeX programs, brackets."""
    if not isinstance(text, str):
        raise LatexReadError(f"a claim must be LaTeX text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise LatexReadError(f"the claim is {len(text)} characters long; symprop reads at most "
                             f"{MAX_LENGTH} (a hand derivation is far shorter)")
    if not text.strip():
        raise LatexReadError("the claim is empty")
    scan = text.replace("\\\\", "  ")
    commands = [(m.start(), m.group(1)) for m in re.finditer(r"\\([A-Za-z]+)", scan)]
    for at, name in commands:
        if name in FORBIDDEN:
            raise LatexReadError(f"the claim uses \\{name} (at character {at}); claims are "
                                 "formulas, not TeX programs, and are never executed")
    _check_balance(text)
    for at, name in commands:
        if name not in ALLOWED:
            close = difflib.get_close_matches(name, sorted(ALLOWED), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(chr(92) + c for c in close)}?" if close else ""
            raise LatexReadError(f"unknown command \\{name} at character {at}{hint}")
    for m in re.finditer(r"\\(?:begin|end)\s*\{([^{}]*)\}", scan):
        if m.group(1) not in ENVIRONMENTS:
            raise LatexReadError(f"environment {m.group(1)!r} at character {m.start()} is not "
                                 f"read; use one of {', '.join(ENVIRONMENTS)}")
    other = re.search(r"\\[^A-Za-z,;:! ]", scan)
    if other:
        raise LatexReadError(f"unknown command {other.group()} at character {other.start()}")


# ------------------------------------------------------------------ names
def _key(spelling: str) -> str:
    """One spelling per name: ``W2``, ``W_{2}``, ``W^{[2]}``, ``\\mathbf{W}_2`` all give ``W_2``."""
    text = re.sub(r"\\(?:%s)(?![A-Za-z])\s*(?:\{([^{}]*)\}|(\w))" % "|".join(FONTS),
                  lambda m: m[1] or m[2], spelling)
    text = re.sub(r"[\s{}]", "", text)
    m = re.fullmatch(r"(.+?)(?:_?(\d+)|\^[\[(](\d+)[\])])", text)
    return f"{m[1]}_{m[2] or m[3]}" if m else text


def _function_table() -> dict[str, str]:
    """Every spelling of a registry function (its name, its LaTeX name), lower case -> name."""
    table = {}
    for entry in REGISTRY.values():
        latex = re.sub(r"\\operatorname\{(.*)\}", r"\1", entry.latex).lstrip("\\")
        for spelling in (entry.name, entry.name.replace("_", ""), latex):
            if spelling:
                table.setdefault(spelling.lower(), entry.name)
    for alias, name in FUNCTION_ALIASES.items():
        table[alias] = name
    return table


FUNCTIONS = _function_table()


class _Names:
    """What names mean in one graph: its symbols, the batch size, derivative placeholders."""

    def __init__(self, graph):
        self.graph, self.by_key, self.folded = graph, {}, {}
        for s in graph.symbols:
            for spelling in (s.name, graph.latex_name(s)):
                self.by_key.setdefault(_key(spelling), s)
        for key, s in self.by_key.items():
            self.folded.setdefault(key.lower(), set()).add(s)
        self.loss_keys = {_key(x) for x in LOSS_SPELLINGS} | {
            k for k, s in self.by_key.items() if s == graph.loss_symbol}
        self.placeholders: dict = {}     # dL_d<name> MatrixSymbol -> the graph's symbol

    def lookup(self, spelling: str):
        key = _key(spelling)
        if key in self.by_key:
            return self.by_key[key]
        # y for Y only where the graph has no name of that case: then it cannot mean another.
        candidates = self.folded.get(key.lower(), set())
        return next(iter(candidates)) if len(candidates) == 1 else None

    def derivative(self, symbol):
        if symbol == self.graph.loss_symbol:
            return sympy.Integer(1)
        placeholder = MatrixSymbol("dL_d" + symbol.name, *symbol.shape)
        self.placeholders[placeholder] = symbol
        return placeholder

    def unknown(self, spelling: str, where: str) -> LatexReadError:
        known = {_key(self.graph.latex_name(s)): s for s in self.graph.symbols}
        known.update({s.name: s for s in self.graph.symbols})
        close = difflib.get_close_matches(_key(spelling), sorted(known), n=3, cutoff=0.5)
        listed = sorted({known[c].name for c in close}) or [s.name for s in self.graph.symbols]
        what = "did you mean" if close else "the graph's names are"
        return LatexReadError(f"unknown name {spelling.strip()!r}{where}; {what} "
                              + ", ".join(f"{self.graph.latex_name(n)} ({n})" for n in listed))


# ------------------------------------------------------------------ building
def _is_matrix(x) -> bool:
    return isinstance(x, MatrixExpr)


def _negate(x):
    return ops.scale(-1, x) if _is_matrix(x) else -x


def _scalar_times(x, y):
    if _is_matrix(x):
        x, y = y, x
    return ops.scale(x, y) if _is_matrix(y) else x * y


def _ones_like(c, shape):
    return ops.scale(c, OneMatrix(*shape))


# ------------------------------------------------------------------ the reader
class _Parser:
    """Recursive descent over one side; products left-associative at one precedence, as numpy's."""

    def __init__(self, text: str, offset: int, names: _Names):
        self.text, self.offset, self.names = text, offset, names
        self.pos, self.nesting = 0, 0

    # -- scanning
    def where(self, at=None) -> str:
        return f" (at character {self.offset + (self.pos if at is None else at)})"

    def error(self, message: str, at=None) -> LatexReadError:
        return LatexReadError(message + self.where(at))

    def skip(self) -> int:
        m = SKIP.match(self.text, self.pos)
        self.pos = m.end() if m else self.pos
        return self.pos

    def peek(self, *tokens) -> str | None:
        """The first of ``tokens`` after skippable text (the cursor then before it), or None."""
        before = self.pos
        self.skip()
        for token in tokens:
            if self.text.startswith(token, self.pos) and not (
                    token[-1].isalpha() and token[0] == "\\"
                    and self.text[self.pos + len(token):self.pos + len(token) + 1].isalpha()):
                return token
        self.pos = before       # spans of what was read stay free of a trailing \right
        return None

    def take(self, *tokens) -> str | None:
        token = self.peek(*tokens)
        if token:
            self.pos += len(token)
        return token

    def expect(self, token: str, what: str) -> None:
        if not self.take(token):
            raise self.error(f"expected {token!r} {what}, found {self.rest()}")

    def rest(self) -> str:
        return _quote(self.text[self.skip():], 20) if self.pos < len(self.text) else "the end"

    def group_text(self) -> str:
        """The raw argument at the cursor: a braced group's content, a command or one character."""
        self.skip()
        if self.pos >= len(self.text):
            raise self.error("the side ends where an argument was expected")
        start = self.pos
        if self.text[start] == "{":
            self.pos = _closing(self.text, start) + 1
            return self.text[start + 1:self.pos - 1]
        m = re.compile(r"\\[A-Za-z]+|.").match(self.text, start)
        self.pos = m.end()
        return m.group()

    # -- grammar
    def side(self):
        value = self.expression()
        while self.take(".", ",", ";"):
            pass
        if self.skip() < len(self.text):
            raise self.error(f"cannot read {self.rest()}, reading stopped there")
        return value

    def expression(self):
        start = self.skip()
        value = self.product()
        while op := self.take("+", "-"):
            right_start = self.skip()
            right = self.product()
            left_text, right_text = self.text[start:right_start].strip(), self.span(right_start)
            value = self.add(value, right if op == "+" else _negate(right),
                             left_text[:-1].strip(), right_text, left_text + " " + right_text)
        return value

    def span(self, start) -> str:
        return self.text[start:self.pos].strip()

    def product(self):
        start = self.skip()
        value = self.factor()
        while True:
            before = self.pos
            op_start = self.skip()
            op = self.operator()
            if op is None:
                self.pos = before
                return value
            left_text = self.text[start:op_start].strip()
            right_start = self.skip()
            right = self.factor()
            value = self.combine(op, value, right, left_text, self.span(right_start),
                                 self.span(start), start)

    def operator(self) -> str | None:
        if self.take(r"\cdot", r"\times"):
            return "product"
        if self.peek(".") and not SKIP.sub("", self.text[self.pos + 1:]).strip(".,; "):
            return None                      # a full stop ends the side
        if self.take("."):
            return "product"                 # the seed's (Z_2-y).Z_1
        if self.take(r"\odot", r"\circ"):
            return "Hadamard product"
        if self.take("*"):
            return "*"
        if self.take("/"):
            return "/"
        char = self.text[self.pos:self.pos + 1]
        if char.isalnum() or (char and char in "([{") or (char == "\\" and not self.peek(
                r"\partial", r"\gt", r"\top", r"\prime")):
            return "product"                 # juxtaposition
        return None

    def factor(self):
        negative = False
        while sign := self.take("-", "+"):
            negative ^= sign == "-"
        value = self.postfix(self.atom())
        return _negate(value) if negative else value

    def postfix(self, value):
        while True:
            if self.peek("'"):
                raise self.error("a prime ' is read only on a function, as in \\sigma'(Z_1)")
            if not self.take("^"):
                return value
            at = self.pos
            value = self.superscript(value, re.sub(r"[\s{}]", "", self.group_text()), at)

    def superscript(self, value, content: str, at: int):
        if content in TRANSPOSE:
            return value.T if _is_matrix(value) else value
        if not re.fullmatch(r"-?\d+", content) or abs(int(content)) > MAX_EXPONENT:
            raise self.error(f"cannot read the superscript {content!r}: symprop reads a "
                             f"transpose (^\\top) or an integer power up to {MAX_EXPONENT}", at)
        if _is_matrix(value):
            return HadamardPower(value, int(content))
        if value.is_Rational and value != 0 and (abs(value.p).bit_length() + value.q.bit_length()) \
                * abs(int(content)) > 20000:
            raise self.error("a power is too large to evaluate", at)
        if value == 0 and int(content) < 0:
            raise self.error("a power divides by zero", at)
        return value ** int(content)

    # -- atoms
    def atom(self):
        self.nesting += 1
        if self.nesting > MAX_NESTING:
            raise self.error(f"the expression nests more than {MAX_NESTING} deep")
        try:
            return self._atom()
        finally:
            self.nesting -= 1

    def _atom(self):
        start = self.skip()
        char = self.text[start:start + 1]
        if char in CLOSING:
            self.pos += 1
            value = self.expression()
            self.expect(CLOSING[char], f"to close the {char!r} at character {self.offset + start}")
            return value
        if m := re.compile(r"\d+(?:\.\d+)?").match(self.text, start):
            self.pos = m.end()
            return sympy.Rational(m.group())
        if self.take(r"\frac", r"\dfrac", r"\tfrac"):
            return self.fraction(start)
        if self.peek(r"\mathbf", r"\boldsymbol", r"\mathbb") and re.match(
                r"\\[a-z]+\s*\{\s*1\s*\}", self.text[start:]):
            return self.ones(start)
        if self.take(r"\sum"):
            return self.batch_sum(start)
        if self.peek(r"\partial"):
            raise self.error("\\partial outside a derivative fraction; write "
                             "\\frac{\\partial \\mathcal{L}}{\\partial Z_2} or dZ_2")
        if char.isalpha() or char == "\\":
            return self.name(start)
        raise self.error(f"cannot read {self.rest()}, reading stopped there")

    def fraction(self, start):
        top_at = self.skip()
        top = self.group_text()
        bottom_at = self.skip()
        bottom = self.group_text()
        derivative = self.derivative_fraction(top, bottom, top_at, bottom_at)
        if derivative is not None:
            return derivative
        numerator = _Parser(top, self.offset + top_at + 1, self.names).side()
        denominator = _Parser(bottom, self.offset + bottom_at + 1, self.names).side()
        return self.divide(numerator, denominator, self.span(start), start)

    def derivative_fraction(self, top, bottom, top_at, bottom_at):
        marks = re.compile(r"\s*(\\partial(?![A-Za-z])|\\mathrm\s*\{\s*d\s*\}|d(?=\s*[A-Z\\]))")
        upper, lower = marks.match(top), marks.match(bottom)
        if not upper or not lower:
            if upper and "partial" in upper.group():
                raise self.error("a \\partial on top needs one below, as in "
                                 "\\frac{\\partial \\mathcal{L}}{\\partial W_2}", bottom_at)
            return None
        of = top[upper.end():]
        if _key(of) not in self.names.loss_keys:
            raise self.error(f"only derivatives of the loss are read in matrix form, not of "
                             f"{of.strip()!r}; write \\frac{{\\partial \\mathcal{{L}}}}"
                             f"{{\\partial {bottom[lower.end():].strip()}}}", top_at)
        wrt = self.names.lookup(bottom[lower.end():])
        if wrt is None:
            raise self.names.unknown(bottom[lower.end():], self.where(bottom_at))
        return self.names.derivative(wrt)

    def divide(self, numerator, denominator, written, at):
        if _is_matrix(denominator):
            raise self.error(f"{_quote(written)} divides by a matrix; only scalars divide", at)
        if denominator == 0:
            raise self.error(f"{_quote(written)} divides by zero", at)
        return _scalar_times(1 / denominator, numerator)

    def ones(self, start):
        command = self.take(r"\mathbf", r"\boldsymbol", r"\mathbb")
        self.group_text()
        if command == r"\mathbb" and self.peek("[", "(", "_"):
            return self.indicator()
        if self.take("_"):
            if re.sub(r"[\s{}]", "", self.group_text()) != "m":
                raise self.error("a ones vector here has m entries, one per example", start)
        return OneMatrix(self.names.graph.batch, 1)

    def indicator(self):
        r"""``\mathbb{1}[Z > 0]``: the step function of the registry, entry by entry."""
        self.take("_")
        opening = self.take("[", "(", "{")
        if opening is None:
            raise self.error("write the indicator as \\mathbb{1}[Z > 0]")
        argument = self.expression()
        if not self.take(">", r"\gt") or self.expression() != 0:
            raise self.error("symprop reads the indicator \\mathbb{1}[Z > 0] only")
        self.expect(CLOSING[opening], "to close the indicator")
        return ops.apply(CALLABLE["step"], argument) if _is_matrix(argument) \
            else CALLABLE["step"](argument)

    def batch_sum(self, start):
        for mark in ("_", "^"):
            if self.take(mark):
                limit = re.sub(r"[\s{}]", "", self.group_text())
                if mark == "^" and limit != "m":
                    raise self.error("a sum runs over the batch, i = 1 to m", start)
        term_start = self.skip()
        term = self.postfix(self.atom())
        m = self.names.graph.batch
        if not _is_matrix(term) or term.shape[1] != m:
            raise self.error(f"the sum over the batch needs a matrix with m columns; "
                             f"{_quote(self.span(term_start))} is "
                             f"{_shape(getattr(term, 'shape', ()))}", start)
        return ops.matmul(term, OneMatrix(m, 1))

    # -- names and functions
    def name(self, start):
        spelling, base, transposed = self.read_name()
        symbol = self.names.lookup(spelling)
        loss = self.names.graph.loss_symbol
        if _key(spelling) in self.names.loss_keys and symbol in (None, loss):
            raise self.error(f"the loss {spelling.strip()} is read only inside a derivative, "
                             "as in \\frac{\\partial \\mathcal{L}}{\\partial W_2}", start)
        function = FUNCTIONS.get(re.sub(r"[\s{}\\]|operatorname|mathrm|text(?:rm)?", "",
                                        base).lower())
        if symbol is None and function and self.peek("(", "[", "'", "^"):
            self.pos = start + len(base)
            return self.function(function)
        if symbol is None and (m := re.match(r"d(?=[A-Za-z\\])|\\mathrm\s*\{\s*d\s*\}",
                                             spelling)):
            wrt = self.names.lookup(spelling[m.end():])
            if wrt is not None and wrt != loss:        # Andrew Ng's dZ_2: dL/dZ2
                symbol = self.names.derivative(wrt)
        if symbol is None and re.fullmatch(r"[A-Za-z]{2,}\w*", base):
            for cut in range(len(base) - 1, 0, -1):     # PY: a product of two names
                head = base[:cut]
                if (self.names.lookup(head) or head == "m") and not base[cut].isdigit():
                    self.pos, spelling, transposed = start + cut, head, False
                    symbol = self.names.lookup(head)
                    break
        if symbol is None and spelling == "m":
            return self.names.graph.batch
        if symbol is None:
            raise self.names.unknown(spelling, self.where(start))
        return symbol.T if transposed else symbol

    def read_name(self) -> tuple[str, str, bool]:
        r"""``(spelling, head, transposed)`` of the name at the cursor: ``W_2``, ``\mathbf{W}^{[2]}``.

        Andrew Ng's ``A^{[1]T}`` carries its transpose inside the layer superscript.
        """
        start = self.skip()
        fonts = re.compile(r"\\(?:%s)(?![A-Za-z])" % "|".join(FONTS + ACCENTS))
        if m := fonts.match(self.text, start):
            self.pos = m.end()
            content = self.group_text()
            if m.group() == r"\mathrm" and content.strip() == "d":   # \mathrm{d}Z_2
                spelling, _, transposed = self.read_name()
                return r"\mathrm{d}" + spelling, self.text[start:self.pos], transposed
        elif m := re.compile(r"\\[A-Za-z]+|[A-Za-z][A-Za-z0-9]*").match(self.text, start):
            self.pos = m.end()
        base = self.text[start:self.pos]
        if self.take("_"):
            self.group_text()
        spelling, before = self.text[start:self.pos], self.pos
        if self.take("^"):
            layer = re.fullmatch(r"\s*([\[(]\s*\d+\s*[\])])\s*(T|\\top|\\intercal)?\s*",
                                 self.group_text())
            if layer:
                return spelling + "^" + layer.group(1), base, bool(layer.group(2))
        self.pos = before
        return spelling, base, False

    def function(self, name: str):
        primes, power = 0, None
        while True:
            if self.take("'"):
                primes += 1
            elif self.take("^"):
                content = re.sub(r"[\s{}]", "", self.group_text())
                if content == r"\prime":
                    primes += 1
                elif re.fullmatch(r"\d+", content) and int(content) <= MAX_EXPONENT:
                    power = int(content)
                else:
                    raise self.error(f"cannot read the superscript {content!r} of a function")
            else:
                break
        opening = self.take("(", "[")
        if opening is None:
            raise self.error(f"the function {name} needs its argument in parentheses")
        argument = self.expression()
        self.expect(CLOSING[opening], f"to close the argument of {name}")
        if name in MATRIX_FUNCTIONS:
            if primes or not _is_matrix(argument):
                raise self.error(f"{name} is read only as {name}(Z) of a matrix Z")
            value = MATRIX_FUNCTIONS[name](argument)
        else:
            d = sympy.Dummy("d")
            body = CALLABLE[name](d)
            for _ in range(primes):
                body = tidy_closed_form(sympy.diff(body, d))
            f = sympy.Lambda(d, body)
            value = ops.apply(f, argument) if _is_matrix(argument) else f(argument)
        return value if power is None else self.superscript(value, str(power), self.pos)

    # -- operations, with the shapes checked before sympy sees them
    def combine(self, op, left, right, left_text, right_text, written, at):
        if op == "/":
            return self.divide(left, right, written, at)
        if not (_is_matrix(left) and _is_matrix(right)):
            return _scalar_times(left, right)
        if op == "product":
            if left.shape[1] != right.shape[0]:
                raise MatrixShapeError("product", left_text, right_text, left.shape,
                                       right.shape, written, self.where(at))
            return ops.matmul(left, right)
        if left.shape != right.shape:
            raise MatrixShapeError("Hadamard product", left_text, right_text, left.shape,
                                   right.shape, written, self.where(at))
        return ops.hadamard(left, right)

    def add(self, left, right, left_text, right_text, written):
        if not _is_matrix(left) and not _is_matrix(right):
            return left + right
        if not _is_matrix(left):
            left = _ones_like(left, right.shape)      # 1 - A: the scalar in every entry
        if not _is_matrix(right):
            right = _ones_like(right, left.shape)
        if left.shape != right.shape:
            raise MatrixShapeError("sum", left_text, right_text, left.shape, right.shape,
                                   written, self.where(0))
        return ops.add(left, right)


def _closing(text: str, i: int) -> int:
    """The index of the brace closing the one at ``i`` (the text is known balanced)."""
    depth = 0
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return j
    raise LatexReadError(f"unbalanced '{{' at character {i} is never closed")


__all__ = ["MatrixShapeError", "MatrixStep", "MatrixDerivation", "read_matrix_derivation"]
