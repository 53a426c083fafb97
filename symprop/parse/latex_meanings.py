r"""What the pieces of a LaTeX claim mean in the graph, once read.

A function call's arguments and value (the registry's function, or its derivative
where the claim writes primes: ``\sigma'(z)``), a node's error δ, and the expression
latex2sympy2 read rebuilt bottom-up from its placeholders, only the nodes a gradient
can hold, each bounded before it is built (:mod:`symprop.verify.claim_bounds`).

>>> _arguments("x, f(a, b)")
['x', ' f(a, b)']
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import sympy
from sympy.core.function import AppliedUndef

from ..errors import SympropError
from ..registry.functions import CALLABLE
from ..verify.claim_bounds import build as _apply, number_too_large, power_too_large, tangled, tangles
from .latex_names import read_functions
from .latex_text import LatexReadError, _quote

FREE_LETTERS = {"e": "Euler's number", "m": "the batch size"}   # letters that need no declaration


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
