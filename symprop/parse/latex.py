r"""Reading hand derivations written in LaTeX, in the lessons' notation.

latex2sympy2 reads the text (:mod:`.grammar`, the only module that imports it).  Before it sees
anything, the text is screened (length, TeX programming commands, braces,
commands outside a small whitelist) and every graph name is replaced by a
placeholder, so ``a_1^{[2]}`` is a name, never a power:

>>> from symprop import mlp
>>> g = mlp([1, 2, 1])
>>> read_latex(r"a_1^{[2]} (1 - a_1^{[2]})", g)
a2_1*(1 - a2_1)
>>> read_latex(r"\frac{\partial \mathcal{L}}{\partial z_1^{[2]}} \, a_{1}^{[1]}", g)
a1_1*(a2_1 - y)
>>> [str(s.expr) for s in read_derivation(r"\frac{\partial \mathcal{L}}{\partial b_1^{[2]}}"
...                                       r" = \sigma(z_1^{[2]}) - y = a_1^{[2]} - y", g).steps]
['-y + sigmoid(z2_1)', 'a2_1 - y']
"""
from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass

import sympy
from sympy.core.function import AppliedUndef

from ..errors import SympropError
from ..registry.functions import CALLABLE, REGISTRY

from ..verify.claim_bounds import build as _apply, number_too_large, power_too_large, tangled, tangles
from .latex_names import _Names, derivative, functions, generic_functions, read_functions, shorthand
from .latex_text import (DECORATIONS, GREEK, LatexReadError, _closing, _group, written_primes,
                         _multiply_before_parenthesis, _normalize, _quote, _screen,
                         _split_sides, _strip_braces)
from .grammar import parse_math, reading_cost
from .quick_grammar import quick_math
from .layout import ascii_operators, blank_annotations, chains, grouped_steps

MAX_TOKENS = 300           # symbols latex2sympy2 may read for one line, weighed by WEIGHTS
MAX_CLAIM_TOKENS = 500     # ... and for a whole chain A = B = C (about 1 ms a symbol)
QUICK_SHARE = 2            # plain arithmetic (quick_grammar) counts half a symbol
UNSAFE_LETTERS = "eEIdTcot"   # read specially by latex2sympy2, or inserted as \\cdot


FREE_LETTERS = {"e": "Euler's number", "m": "the batch size"}   # letters that need no declaration

@dataclass(frozen=True)
class LatexStep:
    r"""One side of ``A = B = C``: its LaTeX as written and what it reads as (node values).

    ``about`` is ``(loss, v)`` when the line it is on names dL/dv on its left
    (``\frac{\partial \mathcal{L}}{\partial w} = ...``, ``\delta^{[2]} = ...``), else None.
    """

    latex: str
    expr: sympy.Expr
    derivatives: frozenset = frozenset()   # the (of, wrt) pairs of the fractions it uses
    about: tuple | None = None


@dataclass(frozen=True)
class LatexDerivation:
    r"""A chain ``A = B = C`` or an ``aligned`` block, read step by step.

    ``about`` is ``(loss, parameter)`` when the first side was the derivative
    itself (``\frac{\partial \mathcal{L}}{\partial w} = ...``), which is then
    not a step.  A block may state several quantities in turn (the error of a
    node, then a weight's gradient): each step's ``about`` says which its line names.
    """

    steps: tuple[LatexStep, ...]
    about: tuple[sympy.Symbol, sympy.Symbol] | None = None

    def chains(self) -> list[tuple[tuple | None, tuple[LatexStep, ...]]]:
        """The steps grouped by the quantity they state, in order: ``[(about, steps), ...]``."""
        return grouped_steps(self.steps)


def read_latex(text: str, graph) -> sympy.Expr:
    r"""One expression, in the graph's symbols (node values where the text uses them).

    >>> from symprop import mlp
    >>> read_latex(r"w_{1\to 1}^{[2]} \cdot x", mlp([1, 2, 1]))
    w2_1_1*x
    """
    derivation = read_derivation(text, graph)
    if len(derivation.steps) != 1 or derivation.about is not None:
        raise LatexReadError(f"expected one expression, found an equation {_quote(text)}; "
                             "use read_derivation for a chain A = B = C")
    return derivation.steps[0].expr


def read_derivation(text: str, graph) -> LatexDerivation:
    """A chain ``A = B = C`` (or an ``aligned`` block), every side read by :func:`read_latex`.

    A block's lines are laid out as :func:`.layout.chains` reads them: each line
    that names a quantity on its left starts the steps about it.
    """
    text = written_primes(blank_annotations(ascii_operators(text)))
    _screen(text, primes=True)
    text = _normalize(text)
    _split_sides(text)                       # refuses a chain too long, before any reading
    reader = _Reader(graph)
    found = chains(text, lambda side: reader.leading_derivative(side) is not None)
    steps, first = [], None
    for number, chain in enumerate(found):
        about = reader.leading_derivative(chain.lhs) if chain.lhs is not None else None
        first = about if number == 0 else first
        for side in chain.sides:
            side = side.replace("\\\\", " ").strip().rstrip(".,; ")
            if not side:
                raise LatexReadError(f"an '=' in {_quote(text)} has nothing on one side")
            expr = reader.read(side)
            steps.append(LatexStep(side, expr, frozenset(reader.used), about))
    return LatexDerivation(tuple(steps), first)


# ------------------------------------------------------------------ reading one side
class _Reader:
    """Reads one side of an equation into the graph's symbols."""

    def __init__(self, graph):
        self.graph = graph
        # Gathered once per graph and display names (set_latex does not clear the graph's cache).
        key = ("claim names", tuple(graph.latex_name(s) for s in graph.symbols))
        self.names = graph._cached(key, lambda: _Names(graph))
        self._claim_budget = MAX_CLAIM_TOKENS
        self.functions = functions()
        commands = "|".join(s[1:] for s in self.functions if re.fullmatch(r"\\[a-z]+", s))
        # A function spelled with plain letters (the step's H) is one only before "(",
        # and only where the graph has no name spelled so.
        spelled = {e.latex: e for e in REGISTRY.values()
                   if e.latex and re.fullmatch(r"[A-Za-z]+", e.latex) and not e.vector_valued
                   and self.names.lookup(e.latex) is None}
        self._plain = {k.lower(): e for k, e in spelled.items()}
        self._generic = graph._cached(("claim generic functions",) + key,   # f, g, h
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

    # back to the graph ------------------------------------------------

@dataclass(frozen=True)
class _Error:
    """A node's error δ as a name resolves it: the node, and dL/d(node) in node values."""

    node: sympy.Symbol
    value: sympy.Expr


def _arguments(text: str) -> list[str]:
    """The comma-separated arguments of a function, commas inside brackets not counted."""
    parts, depth, start = [], 0, 0
    for j, char in enumerate(text):
        depth += 1 if char in "({[" else -1 if char in ")}]" else 0
        if char == "," and depth == 0:
            parts.append(text[start:j])
            start = j + 1
    return parts + [text[start:]]


def _call(entry, arguments, where: str):
    """The registry's function of ``entry`` on the arguments a claim gives it."""
    try:
        if len(arguments) in entry.sympy_class.nargs:
            return _apply(CALLABLE[entry.name], arguments)
    except SympropError:
        raise
    except (TypeError, ValueError):   # where(z, 1, 0): no comparison to branch on
        pass
    raise LatexReadError(f"{where} does not take {len(arguments)} argument"
                         f"{'s' if len(arguments) > 1 else ''} as written")


MAX_PRIMES = 3     # as the matrix reader: each derivative grows the formula


def _derivative_of(entry, arguments, primes: int, where: str):
    """The registry's function of one argument differentiated ``primes`` times, at it:
    ``\\sigma'(z)`` reads as ``sigma(z)(1 - sigma(z))``, the partial symprop itself derives."""
    if len(arguments) != 1:
        raise LatexReadError(f"{where}: a prime is read on a function of one argument")
    if primes > MAX_PRIMES:
        raise LatexReadError(f"{where}: more than {MAX_PRIMES} primes are not read")
    t = sympy.Dummy("t")
    derivative = sympy.diff(CALLABLE[entry.name](t), t, primes)
    if derivative.has(sympy.Derivative, sympy.Subs):
        raise LatexReadError(f"{where}: symprop does not write that derivative in closed form")
    return derivative.xreplace({t: arguments[0]})


def _greek(command: str) -> bool:
    """Whether ``\\command`` is a Greek letter, which latex2sympy2 would read as a name."""
    try:
        unicodedata.lookup(f"GREEK SMALL LETTER {command}")
    except KeyError:
        return False
    return True


def _rebuild(expr, reader: _Reader, side: str):
    """Bottom-up: placeholders -> meanings, function names -> registry, only readable nodes."""
    if isinstance(expr, sympy.Symbol):
        if expr.name in reader._meaning:
            return reader._meaning[expr.name]
        if expr.name in FREE_LETTERS:
            return sympy.Symbol(expr.name, positive=True)
        raise reader.names.unknown(expr.name)
    if expr is sympy.I:
        raise reader.names.unknown("I")
    if expr.is_Number or expr in (sympy.E, sympy.pi):
        return expr
    args = [_rebuild(a, reader, side) for a in expr.args]
    if isinstance(expr, AppliedUndef):
        entry = reader.functions.get(type(expr).__name__.lower())
        if entry is None:
            raise LatexReadError(f"unknown function {type(expr).__name__} in {_quote(side)}; "
                                 f"symprop reads {', '.join(sorted(reader.functions))}")
        return _call(entry, args, f"{type(expr).__name__} in {_quote(side)}")
    if isinstance(expr, sympy.Pow):
        _check_power(*args, side)
    elif not isinstance(expr, (sympy.Add, sympy.Mul) + read_functions()):
        raise LatexReadError(f"{_quote(side)} uses {type(expr).__name__}, which a gradient "
                             "claim cannot contain")
    if isinstance(expr, sympy.log) and len(args) == 2:
        return sympy.log(args[0]) / sympy.log(args[1])
    function = isinstance(expr, read_functions()) or (
        isinstance(expr, sympy.Pow) and not args[1].is_Integer)
    built = _apply(expr.func, args, tangled if function else tangles)
    if number_too_large(built):           # 99999 written 60 times over
        raise LatexReadError(f"a number in {_quote(side)} is beyond 10^300; a gradient's "
                             "constants are far smaller")
    return built


def _check_power(base, exponent, side):
    if power_too_large(base, exponent, f"the exponent in {_quote(side)}"):
        raise LatexReadError(f"a power in {_quote(side)} is too large to evaluate")
