r"""latex2sympy2's grammar: the only module that imports it, and what its reading costs.

latex2sympy2 pins an old ANTLR runtime, so a swap stays a change to
:func:`parse_math` alone.  It reads slowly (about 1 ms a symbol, far more for
powers and function commands), so text is weighed first:

>>> reading_cost("a^{b}"), reading_cost("a^{b^{c}}")
(12, 31)
"""
from __future__ import annotations

import importlib.util
import re
import sys
import warnings
from pathlib import Path

import sympy

from .latex_text import LatexReadError, function_commands
from .quick_grammar import quick_math

WEIGHTS = {"^": 8, r"\frac": 8, r"\sqrt": 4}  # what latex2sympy2 reads slowly counts as several
FUNCTION_WEIGHT = 12       # ... as a function command does (\exp x, \ln x: ~20 ms each)
_TOKEN = re.compile(r"\\[A-Za-z]+|\d+|[A-Za-z]|\S")


def reading_cost(text: str) -> int:
    """latex2sympy2's work for ``text`` in symbols, weighed by WEIGHTS; a power inside an
    exponent counts twice as much as the power around it (towers are read slowly)."""
    cost, exponents, after_caret = 0, [], False
    weights = WEIGHTS | {"\\" + c: FUNCTION_WEIGHT for c in function_commands()}
    for token in _TOKEN.findall(text):
        depth = sum(exponents)
        cost += weights.get(token, 1) << min(depth, 6) if token == "^" else weights.get(token, 1)
        if token == "{":
            exponents.append(after_caret)
        elif token == "}" and exponents:
            exponents.pop()
        after_caret = token == "^"
    return cost


def _import_latex2sympy2():
    """latex2sympy2, with its own grammar package.

    latex2sympy2 imports its generated grammar as the top-level package ``gen``,
    so a ``gen.py`` or ``gen/`` earlier on ``sys.path`` (a user's working folder)
    would be imported, and run, in its place.  Load the installed one by path.
    """
    if "latex2sympy2" in sys.modules:
        return sys.modules["latex2sympy2"]
    folder = Path(importlib.util.find_spec("latex2sympy2").origin).parent / "gen"
    spec = importlib.util.spec_from_file_location(
        "gen", folder / "__init__.py", submodule_search_locations=[str(folder)])
    previous = sys.modules.get("gen")
    sys.modules["gen"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sys.modules["gen"])
    try:
        import latex2sympy2
    finally:
        if previous is not None:  # give the user's own gen back
            sys.modules["gen"] = previous
    return latex2sympy2


def parse_math(text: str, where) -> sympy.Expr:
    """latex2sympy2's grammar over prepared text; every token must be read (no silent tail).

    Plain arithmetic (most claims, once names are placeholders) is read by
    :func:`.quick_grammar.quick_math` into the same tree, without importing the grammar.
    """
    if (quick := quick_math(text)) is not None:
        return quick
    with warnings.catch_warnings():
        # antlr4 4.7.2 (pinned by latex2sympy2) imports typing.io, deprecated since Python 3.8.
        warnings.simplefilter("ignore", DeprecationWarning)
        from antlr4 import CommonTokenStream, InputStream, Token
        from antlr4.atn.PredictionMode import PredictionMode
        from antlr4.error.ErrorListener import ErrorListener
        latex2sympy2 = _import_latex2sympy2()

    class Stop(ErrorListener):
        def syntaxError(self, recognizer, symbol, line, column, msg, e):
            raise LatexReadError(f"cannot read the claim after {where(text, column)}: "
                                 "reading stopped there")

    def parsed(mode):
        lexer = latex2sympy2.PSLexer(InputStream(text))
        lexer.removeErrorListeners()
        lexer.addErrorListener(Stop())
        tokens = CommonTokenStream(lexer)
        parser = latex2sympy2.PSParser(tokens)
        parser.removeErrorListeners()
        parser.addErrorListener(Stop())
        parser._interp.predictionMode = mode
        math = parser.math()
        rest = tokens.LT(1)
        if rest.type != Token.EOF:
            raise LatexReadError(f"cannot read {rest.text!r} after {where(text, rest.start)}: "
                                 "reading stopped there")
        return math

    # latex2sympy2 keeps state in module globals; start every parse clean.
    latex2sympy2.var, latex2sympy2.variances, latex2sympy2.VARIABLE_VALUES = {}, {}, {}
    # Two stages, as ANTLR advises: SLL prediction gives LL's parse tree or a syntax error,
    # at a hundredth of the cost on this grammar (2 ms, not 220 ms, for a claim of a
    # seed-sized network); only where it reports an error is the text parsed again by LL.
    try:
        math = parsed(PredictionMode.SLL)
    except LatexReadError:
        math = parsed(PredictionMode.LL)
    if math.relation_list():
        raise LatexReadError(f"a list (comma) in the claim after {where(text, 0)} is not read")
    try:
        return latex2sympy2.convert_relation(math.relation())
    except LatexReadError:
        raise
    except Exception as error:  # latex2sympy2 raises bare Exceptions on what it cannot convert
        raise LatexReadError(f"cannot read the claim: {str(error).splitlines()[0]}") from None
