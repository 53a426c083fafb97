r"""Reading one side of an equation in a LaTeX claim into the graph's symbols.

Every derivative fraction, function call and graph name is replaced by a one-letter
placeholder (so ``a_1^{[2]}`` is a name, never a power), what is left is read by the
quick grammar or latex2sympy2 within a budget of symbols, and the placeholders are
put back (:func:`.latex_meanings._rebuild`):

>>> from symprop import mlp
>>> _Reader(mlp([1, 2, 1])).read(r"\sigma(z_1^{[2]}) - y")
-y + sigmoid(z2_1)
"""
from __future__ import annotations

import re
import string

import sympy

from ..registry.functions import REGISTRY
from .latex_meanings import FREE_LETTERS, _Error, _arguments, _call, _derivative_of, _greek, _rebuild
from .latex_names import _Names, derivative, functions, generic_functions, shorthand
from .latex_text import (DECORATIONS, GREEK, LatexReadError, _closing, _group,
                         _multiply_before_parenthesis, _quote, _strip_braces)
from .grammar import parse_math, reading_cost
from .quick_grammar import quick_math

MAX_TOKENS = 300           # symbols latex2sympy2 may read for one line, weighed by WEIGHTS
MAX_CLAIM_TOKENS = 500     # ... and for a whole chain A = B = C (about 1 ms a symbol)
QUICK_SHARE = 2            # plain arithmetic (quick_grammar) counts half a symbol
UNSAFE_LETTERS = "eEIdTcot"   # read specially by latex2sympy2, or inserted as \\cdot


class _Reader:
    """Reads one side of an equation into the graph's symbols."""

    def __init__(self, graph):
        self.graph = graph
        # Gathered once per graph (set_latex forgets them with the names they were read from).
        self.names = graph._cached("claim names", lambda: _Names(graph))
        self._claim_budget = MAX_CLAIM_TOKENS
        self.functions = functions()
        commands = "|".join(s[1:] for s in self.functions if re.fullmatch(r"\\[a-z]+", s))
        # A function spelled with plain letters (the step's H) is one only before "(",
        # and only where the graph has no name spelled so.
        spelled = {e.latex: e for e in REGISTRY.values()
                   if e.latex and re.fullmatch(r"[A-Za-z]+", e.latex) and not e.vector_valued
                   and self.names.lookup(e.latex) is None}
        self._plain = {k.lower(): e for k, e in spelled.items()}
        self._generic = graph._cached("claim generic functions",   # f, g, h
                                      lambda: generic_functions(graph, self.names))
        spelled.update(self._generic)
        plain = "|".join(spelled) or "(?!)"
        self._function_pattern = re.compile(
            r"\\(%s)(?![A-Za-z])|\\mathrm\s*\{\s*([A-Za-z]+)\s*\}|(?<![A-Za-z0-9\\_^{])(%s)(?=\s*'*\s*\()"
            % (commands, plain))

    def leading_derivative(self, side: str):
        r"""``(L, w)`` when ``side`` is just ``\frac{\partial L}{\partial w}`` (or a node's
        error ``\delta_j^{[l]}``, ``w`` then the node z), else None."""
        side = _strip_braces(side)
        if side.startswith(r"\delta"):
            self._spare, self._meaning, self._spelling, self._letter_of = ["A"], {}, {}, {}
            out, used = [], set(self.used) if hasattr(self, "used") else set()
            self.used = set()
            try:
                end = self._name_from(side, 0, r"\delta", len(r"\delta"), out)
            except LatexReadError:
                return None
            finally:
                found, self.used = self.used, used
            return next(iter(found)) if found and not side[end:].strip() else None
        if (symbol := shorthand(self.names, side)) is not None:
            return self.graph.loss_symbol, symbol
        if not side.startswith(r"\frac"):
            return None
        pair, end = self._derivative_at(side, 0)
        return pair if pair and not side[end:].strip() else None

    def read(self, side: str) -> sympy.Expr:
        # One letter per meaning, from the letters the side does not use: a one-token
        # placeholder keeps latex2sympy2 (slow, ~4 ms a token) as fast as it gets.
        self._spare = [c for c in string.ascii_letters if c not in side and c not in UNSAFE_LETTERS]
        self._meaning, self._spelling, self._letter_of = {}, {}, {}
        self._budget, self.used = MAX_TOKENS, set()
        text = self._replace_derivatives(side)
        if r"\partial" in text or r"\mathrm{d}" in text:
            raise LatexReadError(f"\\partial or d outside a derivative fraction in {_quote(side)}; "
                                 "write derivatives as \\frac{\\partial u}{\\partial v}")
        expr = self._read_fragment(text, side)
        if expr.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
            raise LatexReadError(f"{_quote(side)} divides by zero or is infinite")
        return expr

    def _read_fragment(self, text: str, side: str) -> sympy.Expr:
        """Functions (read recursively), then names, then latex2sympy2, then back to the graph."""
        text = self._replace_functions(text, side)
        if "'" in text:
            raise LatexReadError(f"a prime ' in {_quote(side)} is read only after a function's "
                                 "name, as in \\sigma'(z); write other derivatives out")
        text = self._replace_names(text)
        tokens = reading_cost(text)
        if quick_math(text) is not None:      # plain arithmetic: read without latex2sympy2,
            tokens = -(-tokens // QUICK_SHARE)  # at a small share of its time a symbol
        self._budget, self._claim_budget = self._budget - tokens, self._claim_budget - tokens
        if self._budget < 0:
            raise LatexReadError(f"{_quote(side)} is too long to read: more than {MAX_TOKENS} "
                                 "symbols in one line")
        if self._claim_budget < 0:
            raise LatexReadError(f"the claim is too long to read: more than {MAX_CLAIM_TOKENS} "
                                 f"symbols in all, the last in {_quote(side)}")
        parsed = parse_math(text, self._where)
        if not isinstance(parsed, sympy.Expr) or isinstance(parsed, sympy.MatrixBase):
            raise LatexReadError(f"{_quote(side)} does not read as one expression")
        return _rebuild(parsed, self, side)

    def _placeholder(self, meaning, spelling: str) -> str:
        meaning = meaning.value if isinstance(meaning, _Error) else meaning
        if meaning not in self._letter_of:
            if not self._spare:
                raise LatexReadError(f"too many different names in {_quote(spelling)} to read")
            letter = self._spare.pop(0)
            self._letter_of[meaning], self._meaning[letter] = letter, meaning
            self._spelling[letter] = spelling
        return f" {self._letter_of[meaning]} "

    def _replace_functions(self, text: str, side: str) -> str:
        r"""``\sigma(u)``, ``\exp(u)``, ``\mathrm{ReLU}(u)``, ``\max(0, u)`` -> placeholders.

        latex2sympy2 misreads ``\sigma(u + v)``, and its grammar takes ~20 ms for
        each ``\exp(u)``: read here, each is one symbol to it.  A Greek letter
        (``\sigma``) or ``\mathrm{...}`` needs its parentheses; other commands
        without them (``\ln x``, ``\cos^2(x)``) are left to latex2sympy2.
        """
        out, i = [], 0
        while m := self._function_pattern.search(text, i):
            if m.group(3) is not None:
                spelling = m.group(3)
                function = self._generic.get(spelling) or self._plain[spelling.lower()]
            else:
                spelling = "\\" + m.group(1) if m.group(2) is None else rf"\mathrm{{{m.group(2)}}}"
                function = self.functions.get(spelling.lower())
            k, primes = m.end(), 0
            while k < len(text) and text[k] in " '":   # sigma'(z): the derivative, primes times
                primes += text[k] == "'"
                k += 1
            if function is None or (m.group(1) is not None and not _greek(m.group(1)) and (
                    k >= len(text) or text[k] not in "({")):
                out.append(text[i:m.end()])
                i = m.end()
                continue
            if k >= len(text) or text[k] not in "({":
                raise LatexReadError(f"{spelling} in {_quote(side)} needs its argument in "
                                     f"parentheses, e.g. {spelling}(z)")
            end = _closing(text, k)
            arguments = [self._read_fragment(part, side) for part in _arguments(text[k + 1:end])]
            out.append(text[i:m.start()])
            where = f"{spelling}{chr(39) * primes} in {_quote(side)}"
            value = (_derivative_of(function, arguments, primes, where) if primes
                     else _call(function, arguments, where))
            out.append(" " + self._placeholder(value, text[m.start():end + 1]) + " ")
            i = end + 1
        return "".join(out) + text[i:]

    def _where(self, transformed: str, column: int) -> str:
        before = "".join(self._spelling.get(c, c) for c in transformed[:column])
        return _quote(before[-40:]) if before.strip() else "the start"

    # derivatives ----------------------------------------------------
    def _derivative_at(self, text: str, i: int):
        """``((of, wrt), end)`` if a derivative fraction starts at ``i``, else ``(None, end)``."""
        top, j = _group(text, i + len(r"\frac"))
        bottom, end = _group(text, j)
        top, bottom = _strip_braces(top), _strip_braces(bottom)
        for mark in (r"\partial", r"\mathrm{d}", "d"):
            if top.startswith(mark) and bottom.startswith(mark):
                of = self.names.loss_named(top[len(mark):]) or self.names.lookup(top[len(mark):])
                wrt = self.names.lookup(bottom[len(mark):])
                if mark == "d" and (of is None or wrt is None):
                    continue
                for spelling, symbol in ((top[len(mark):], of), (bottom[len(mark):], wrt)):
                    if symbol is None:
                        raise self.names.unknown(spelling)
                return (of, wrt), end
        return None, end

    def _replace_derivatives(self, text: str) -> str:
        out, i = [], 0
        while (k := text.find(r"\frac", i)) >= 0:
            pair, end = self._derivative_at(text, k)
            if pair is None:
                out.append(text[i:k + len(r"\frac")])
                i = k + len(r"\frac")
                continue
            out.append(text[i:k])
            self.used.add(pair)
            out.append(self._placeholder(derivative(self.graph, *pair), text[k:end]))
            i = end
        return "".join(out) + text[i:]

    # names ----------------------------------------------------------
    def _replace_names(self, text: str) -> str:
        out, i = [], 0
        while i < len(text):
            char = text[i]
            if char in self._meaning:
                out.append(char)
                i += 1
            elif char == "\\":
                m = re.match(r"\\([A-Za-z]+)", text[i:])
                if not m:
                    out.append(text[i:i + 2])
                    i += 2
                    continue
                command, j = m.group(1), i + m.end()
                if command in DECORATIONS:
                    argument, j = _group(text, j)
                    if command == "mathrm" and rf"\mathrm{{{argument}}}".lower() in self.functions:
                        out.append(text[i:j])
                        i = j
                        continue
                    base = rf"\{command}{{{argument}}}"
                elif command in GREEK:
                    base = "\\" + command
                else:
                    out.append(m.group())
                    i = j
                    continue
                i = self._name_from(text, i, base, j, out)
            elif char.isascii() and char.isalpha():
                word = re.match(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*", text[i:]).group()
                if word in self.names.identifiers:
                    out.append(self._placeholder(self.names.identifiers[word], word))
                    i += len(word)
                    _multiply_before_parenthesis(text, i, out)
                    continue
                letters = re.match(r"[A-Za-z]+", word).group()
                if (j := self._long_name(text, i, letters, out)) is not None:
                    i = j
                    continue
                self._check_word(letters)
                i = self._name_from(text, i, char, i + 1, out)
            else:
                out.append(char)
                i += 1
        return "".join(out)

    def _long_name(self, text: str, i: int, letters: str, out: list):
        r"""A name of several letters with its scripts (Mazur's ``out_{h1}``), or deeplearning.ai's
        ``dz``, ``dw_1``: dL/dz; the index after it, else None."""
        if len(letters) < 2:
            return None
        if text.startswith(("_", "^"), i + len(letters)):
            try:
                return self._name_from(text, i, letters, i + len(letters), list(out)) and \
                    self._name_from(text, i, letters, i + len(letters), out)
            except LatexReadError:
                pass
        word = re.match(r"[A-Za-z0-9]+(?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?", text[i:]).group()
        symbol = shorthand(self.names, word)
        if symbol is None:
            return None
        self.used.add((self.graph.loss_symbol, symbol))
        out.append(self._placeholder(derivative(self.graph, self.graph.loss_symbol, symbol), word))
        _multiply_before_parenthesis(text, i + len(word), out)
        return i + len(word)

    def _check_word(self, letters: str) -> None:
        if len(letters) > 1 and any(self.names.lookup(c) is None and c not in FREE_LETTERS
                                    for c in letters):
            raise self.names.unknown(letters)

    def _name_from(self, text: str, start: int, base: str, j: int, out: list) -> int:
        """Read ``base`` with its subscript and layer; append a placeholder or the text.

        The layer is ``^{[l]}``, ``^{(l)}``, or a bare superscript (``a^2_1``, Nielsen's
        ``a^L_j`` with L the output layer) where that names a graph symbol, else a power.
        ``\\delta`` with a node's indices is that node's error, dL/dz (:meth:`error`).
        """
        sub = layer = None
        written_bare = False
        while True:
            k = j
            while k < len(text) and text[k] == " ":
                k += 1
            if k < len(text) and text[k] == "_" and sub is None:
                sub, j = _group(text, k + 1)
            elif k < len(text) and text[k] == "^" and layer is None:
                argument, end = _group(text, k + 1)
                found = re.fullmatch(r"\s*[\[(]\s*(\d+)\s*[\])]\s*|\s*(\d+|L)\s*", argument)
                if not found:
                    break
                bare = found.group(2)
                candidate = found.group(1) or (str(self.names.depth) if bare == "L" else bare)
                after, later = sub, end
                rest = text[end:].lstrip(" ")
                if bare is not None and after is None and rest.startswith("_"):   # a^2_1
                    after, later = _group(text, len(text) - len(rest) + 1)
                if bare is not None and self._named(base, after, candidate, True) is None:
                    break                                   # x^2: a power
                layer, sub, j = candidate, after, (later if bare is not None else end)
                written_bare = bare is not None
            else:
                break
        symbol = self._named(base, sub, layer, written_bare)
        if symbol is not None:
            out.append(self._placeholder(symbol, text[start:j]))
            _multiply_before_parenthesis(text, j, out)
            return j
        if sub is None and layer is None and (base in FREE_LETTERS or base == r"\pi"):
            out.append(base)
            _multiply_before_parenthesis(text, j, out)
            return j
        raise self.names.unknown(text[start:j])

    def _named(self, base, sub, layer, bare=False):
        """What ``base_{sub}^{[layer]}`` names: a graph symbol, or for ``\\delta`` a node's error.

        A bare superscript (``a^{2}_{1}``) is first the graph's own display name where it has
        one (a network printed in Nielsen's notation numbers its layers from 1), else a layer."""
        scripts = f"_{{{sub}}}" if sub is not None else ""
        if bare and layer is not None:
            as_written = (r"z" if base == r"\delta" else base) + scripts + f"^{{{layer}}}"
            found = self.names.displayed_as(as_written)
            if found is not None:
                return self.error_of(found) if base == r"\delta" else found
        spelling = base + scripts + (f"^{{[{layer}]}}" if layer is not None else "")
        if base == r"\delta":
            return self.error(sub, layer)
        return self.names.lookup(spelling)

    def error(self, sub, layer):
        r"""``\delta_j^{[l]}``: dL/dz of node j of layer l (the only one where a layer has one
        node, the output layer where no layer is written), in node values; None if no node."""
        z = self.names.node_named("z", sub, layer) or self.names.error_node(sub, layer)
        return None if z is None else self.error_of(z)

    def error_of(self, z):
        """The error δ of node ``z``: dL/dz, in node values."""
        self.used.add((self.graph.loss_symbol, z))
        return _Error(z, derivative(self.graph, self.graph.loss_symbol, z))
