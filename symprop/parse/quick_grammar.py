r"""latex2sympy2's reading of the plain arithmetic most claims come to, without its grammar.

By the time text reaches the grammar every name, derivative and function is a one-letter
placeholder, so most claims are letters, numbers, ``+ - \cdot \times * /``, ``\frac``,
``\sqrt``, ``^`` and brackets.  Importing latex2sympy2 and warming its ANTLR tables cost
about 0.8 s in a fresh interpreter (a grading script's ``symprop verify``), against
about a millisecond here.  :func:`quick_math` builds the very tree latex2sympy2 builds
(the same unevaluated ``Add``, ``Mul`` and ``Pow``, flattened the same way, in the same
order: tests/parse/test_quick_grammar.py compares the two on every claim of the test
corpora and on random text) and answers ``None`` for anything else, which then goes to
latex2sympy2: other commands, subscripts, relations, commas, primes, postfix operators,
letters the grammar reads specially, and a letter before a bracketed atom (``b(c)``,
which latex2sympy2 reads as a function call).

>>> from sympy import srepr
>>> quick_math(r"x \cdot (1 - a) b").args         # unevaluated, in the order written
(x, 1 - a, b)
>>> srepr(quick_math(r"\frac{a}{b^{2}}"))
"Mul(Symbol('a'), Pow(Pow(Symbol('b'), Integer(2)), Integer(-1)))"
>>> quick_math(r"b(c)") is None and quick_math(r"x_1") is None
True
"""
from __future__ import annotations

import re

import sympy

# Letters the grammar reads as something else (E: an exponent, I: the imaginary unit,
# d: a differential, T: a transpose) or that spell a word it knows; e is read as the
# grammar reads it, exp(1), or exp(u) with its exponent u.
_SPECIAL_LETTERS = set("EIdT")
_WORDS = ("arsinh", "arcsinh", "arcosh", "arccosh", "artanh", "arctanh", "gcd", "lcm",
          "floor", "ceil", "eye", "zeros", "ones", "cols", "rows", "diag", "norm", "rank",
          "rref", "hstack", "vstack", "nullspace", "matrix", "pmatrix", "bmatrix", "vmatrix")
_TOKEN = re.compile(r"\s*(?:(\\[A-Za-z]+)|(\d*\.\d+|\d+)|([A-Za-z]+)|(\S))")
_COMMANDS = {r"\frac", r"\sqrt", r"\cdot", r"\times", r"\pi"}
_OPEN = {"(": ")", "[": "]", "{": "}"}


class _Refuse(Exception):
    """Not in the plain subset: latex2sympy2 reads it."""


def _tokens(text: str) -> list[tuple[str, str]]:
    out, i = [], 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if m is None:          # only blanks left
            break
        command, number, letters, other = m.groups()
        i = m.end()
        if command is not None:
            if command not in _COMMANDS:
                raise _Refuse
            out.append(("cmd", command))
        elif number is not None:
            if i < len(text) and text[i] in ".,":      # 5. or 1,000: the grammar's own
                raise _Refuse
            out.append(("num", number))
        elif letters is not None:
            if set(letters) & _SPECIAL_LETTERS or (len(letters) > 1 and any(
                    w in letters for w in _WORDS)):
                raise _Refuse
            if letters[-1] == "e" and i < len(text) and text[i].isdigit():
                raise _Refuse                                   # 2e5: the grammar's to judge
            out.extend(("e" if c == "e" else "letter", c) for c in letters)
        elif other in "+-*/()[]{}^":
            out.append(("op", other))
        else:
            raise _Refuse
    return out


# latex2sympy2's own builders (latex2sympy2.add_flat, mul_flat), kept to the letter.
def _add_flat(lh, rh):
    if lh.is_Add or rh.is_Add:
        args = (list(lh.args) if lh.is_Add else [lh]) + (list(rh.args) if rh.is_Add else [rh])
        return sympy.Add(*args, evaluate=False)
    return sympy.Add(lh, rh, evaluate=False)


def _mul_flat(lh, rh):
    if lh.is_Mul or rh.is_Mul:
        args = (list(lh.args) if lh.is_Mul else [lh]) + (list(rh.args) if rh.is_Mul else [rh])
        return sympy.Mul(*args, evaluate=False)
    return sympy.Mul(lh, rh, evaluate=False)


def _negate(value):
    return -value if value.func.is_Number else _mul_flat(sympy.Integer(-1), value)


class _Parser:
    """latex2sympy2's rules for the subset: ``additive -> mp -> unary -> postfix+ -> exp``."""

    def __init__(self, tokens):
        self.tokens, self.i = tokens, 0

    def peek(self, k=0):
        j = self.i + k
        return self.tokens[j] if j < len(self.tokens) else ("end", "")

    def take(self, kind, value=None):
        token = self.peek()
        if token[0] != kind or (value is not None and token[1] != value):
            raise _Refuse
        self.i += 1
        return token

    def expr(self):                                   # additive: left-associative + and -
        value = self.mp()
        while self.peek() in (("op", "+"), ("op", "-")):
            sign = self.take("op")[1]
            rh = self.mp()
            value = _add_flat(value, rh if sign == "+" else _negate(rh))
        return value

    def mp(self):                                     # \cdot \times * /, left-associative
        value = self.unary()
        while self.peek() in (("cmd", r"\cdot"), ("cmd", r"\times"), ("op", "*"), ("op", "/")):
            op = self.take(self.peek()[0])[1]
            rh = self.unary()
            value = (sympy.Mul(value, sympy.Pow(rh, -1, evaluate=False), evaluate=False)
                     if op == "/" else _mul_flat(value, rh))
        return value

    def unary(self):
        if self.peek() in (("op", "+"), ("op", "-")):
            sign = self.take("op")[1]
            nested = self.unary()
            return nested if sign == "+" else _negate(nested)
        factors = [self.power()]
        while self._starts_factor():
            factors.append(self.power())
        value = factors[-1]                           # convert_postfix_list folds from the right
        for factor in reversed(factors[:-1]):
            value = _mul_flat(factor, value)
        return value

    def _starts_factor(self):
        kind, value = self.peek()
        return kind in ("num", "letter", "e") or (kind == "op" and value in _OPEN) or (
            kind == "cmd" and value in (r"\frac", r"\sqrt", r"\pi"))

    def power(self):
        letter = self.peek()[0] == "letter"
        base = self.primary()
        if self.peek() == ("op", "^"):
            self.take("op")
            kind, value = self.peek()
            if kind == "op" and value == "{":
                self.take("op")
                exponent = self.expr()
                self.take("op", "}")
            elif kind in ("num", "letter"):
                self.take(kind)
                exponent = self._atom(kind, value)
            else:
                raise _Refuse
            if self.peek() == ("op", "^"):            # towers: the grammar's to judge
                raise _Refuse
            base = sympy.Pow(base, exponent, evaluate=False)
            if letter:
                self._no_call()
        return base

    def _no_call(self):
        """A letter (or its power) before a bracketed atom is a function call to latex2sympy2."""
        kind, value = self.peek()
        if kind == "op" and value == "{" and self.peek(1)[0] == "op" and self.peek(1)[1] in "([":
            raise _Refuse
        if not (kind == "op" and value in "(["):
            return
        j, depth = self.i, 0
        while j < len(self.tokens):               # the bracket's contents, to its partner
            k, v = self.tokens[j]
            depth += k == "op" and v in "([{"
            depth -= k == "op" and v in ")]}"
            if depth == 0:
                break
            j += 1
        inner = self.tokens[self.i + 1:j]
        atoms = {"num", "letter", "e"}
        if (len(inner) == 1 and (inner[0][0] in atoms or inner[0] == ("cmd", r"\pi"))) or (
                len(inner) >= 3 and inner[0][0] in atoms and inner[1] == ("op", "^")):
            raise _Refuse

    @staticmethod
    def _atom(kind, value):
        if kind == "num":
            return sympy.Rational(value)
        return sympy.Symbol(value)

    def primary(self):
        kind, value = self.peek()
        if kind in ("num", "letter"):
            self.take(kind)
            atom = self._atom(kind, value)
            if kind == "letter" and self.peek() != ("op", "^"):
                self._no_call()
            return atom
        if kind == "op" and value in _OPEN:
            self.take("op")
            inner = self.expr()
            self.take("op", _OPEN[value])
            return inner
        if kind == "e":                               # latex2sympy2's EXP_E: exp(sup) or exp(1)
            self.take("e")
            if self.peek() != ("op", "^"):
                return sympy.exp(1)
            self.take("op")
            kind, value = self.peek()
            if (kind, value) == ("op", "{"):
                argument = self._braced()
            elif kind in ("num", "letter"):
                self.take(kind)
                argument = self._atom(kind, value)
            else:
                raise _Refuse
            if self.peek() == ("op", "^"):
                raise _Refuse
            return sympy.exp(argument)
        if (kind, value) == ("cmd", r"\pi"):
            self.take("cmd")
            if self.peek()[0] == "op" and self.peek()[1] in "([{":
                raise _Refuse
            return sympy.pi
        if (kind, value) == ("cmd", r"\frac"):
            self.take("cmd")
            top, bottom = self._braced(), self._braced()
            return sympy.Mul(top, sympy.Pow(bottom, -1, evaluate=False), evaluate=False)
        if (kind, value) == ("cmd", r"\sqrt"):
            self.take("cmd")
            return sympy.Pow(self._braced(), sympy.S.Half, evaluate=False)
        raise _Refuse

    def _braced(self):
        self.take("op", "{")
        inner = self.expr()
        self.take("op", "}")
        return inner


def quick_math(text: str):
    """latex2sympy2's expression for ``text`` when it is plain arithmetic, else ``None``."""
    try:
        tokens = _tokens(text)
        if not tokens:
            return None
        parser = _Parser(tokens)
        value = parser.expr()
        if parser.i != len(tokens):
            return None
        return value
    except (_Refuse, RecursionError):
        return None
