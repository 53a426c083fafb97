r"""The quick reader builds latex2sympy2's own tree, or declines: never another reading.

:func:`symprop.parse.quick_grammar.quick_math` spares a fresh interpreter latex2sympy2's
import and its cold ANTLR tables (about 0.8 s of a grading script's ``symprop verify``).
It is right only if, wherever it answers, latex2sympy2 reads the same text to the very
same unevaluated tree (``==`` on sympy trees compares arguments in order).  Checked on
every text the test suites hand the grammar (tests/parse/data/prepared_texts.txt), on
hand-picked corners of the grammar, and on random text, both grammatical and not.
"""
import ast
import subprocess
import sys
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from hypothesis_profiles import examples
from symprop.parse import grammar
from symprop.parse.latex_text import LatexReadError
from symprop.parse.quick_grammar import quick_math

DATA = Path(__file__).parent / "data" / "prepared_texts.txt"
TEXTS = [ast.literal_eval(line) for line in DATA.read_text().splitlines()
         if line and not line.startswith("#")]


def slow(text):
    """latex2sympy2's reading (the quick reader switched off), or the refusal."""
    quick, grammar.quick_math = grammar.quick_math, lambda _: None
    try:
        return grammar.parse_math(text, lambda t, c: "the start")
    except LatexReadError as refusal:
        return refusal
    finally:
        grammar.quick_math = quick


def agrees(text):
    quick = quick_math(text)
    if quick is None:
        return True
    read = slow(text)
    assert isinstance(read, sympy.Basic) and read == quick, (text, sympy.srepr(quick), read)
    return False


def test_every_prepared_text_of_the_suites_reads_as_latex2sympy2_reads_it():
    declined = [t for t in TEXTS if agrees(t)]
    assert len(TEXTS) > 300 and len(declined) <= len(TEXTS) // 10, declined


CORNERS = [
    "a - b c / f g", "a / b c", "b/c/f", "-1/2 b", "a \\cdot b / c \\cdot f", "- 3 a", "a - 3",
    "a - -b", "b \\cdot - c", "b - + c", "(-1 ) b f", "{ b }^{2}", "(b)^2", "b^2.5", ".5 b",
    "2.5 a", "\\frac{1}{2}", "\\frac{c}{f}^2", "\\sqrt{b}^2", "2 \\sqrt{b} f", "\\pi (c f)",
    "b (c f)", "b(2 c)", "b (-c)", "b(c + f)", "b {c}", "(b)(c)", "[b + c] f", "{b + c}^{2} f",
    "e", "e^{- a }", "e^ a b", "2e^{2 a } + 2 a e^ a", "e (b + c)", "b e", "10^{-15} + b",
    "99999^{1000} a", "2^{2^{2^{20}}} a", "\\frac{1 - b}{1 - c} - \\frac{b}{c}",
    "b \\times c * f", "(1 - b^2) (f g)", "b^{c f} g",
    # declined: the grammar's own readings
    "b(c)", "b (1)", "b [c]", "b^{2} (c)", "b{(c)}", "b(c^2)", "\\pi(c)", "b^e", "2e5",
    "b^-1", "5. b", "1,000 a", "a, b", "a = b", "a !", "b^c^f", "x_1", "\\ln a", "a'",
    "d x", "I", "T", "ones", "", "  ", "(a", "a)", "\\frac{a}", "a +",
]


@pytest.mark.parametrize("text", CORNERS)
def test_corners_of_the_grammar(text):
    agrees(text)


def test_a_letter_before_a_bracketed_atom_is_left_to_the_grammar():
    for text in ("b(c)", "b (1)", "b [c]", "b^{2} (c)", "b{(c)}", "b(c^2)"):
        assert quick_math(text) is None, text
    assert quick_math("b (c f)") == sympy.Mul(*sympy.symbols("b c f"), evaluate=False)


PIECES = ["a", "b", "c", "f", "g", "m", "x", "e", "1", "2", "10", "0.5", "+", "-", "*", "/",
          "\\cdot", "\\times", "^", "^{", "{", "}", "(", ")", "[", "]", "\\frac{", "}{",
          "\\sqrt{", "\\pi", " ", "_", ",", "!", "'", "d", "T", "="]


@settings(max_examples=examples(150))
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14))
def test_random_token_soup(pieces):
    agrees(" ".join(pieces) if len(pieces) % 2 else "".join(pieces))


def _expressions():
    atom = st.sampled_from(["a", "b", "c", "x", "2", "3", "0.5", "e", "\\pi", "m"])

    def grow(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from([" + ", " - ", " \\cdot ", " * ", " / ", " ",
                                              " \\times "]), inner).map("".join),
            inner.map(lambda s: f"({s})"), inner.map(lambda s: f"-{s}"),
            st.tuples(inner, inner).map(lambda p: f"\\frac{{{p[0]}}}{{{p[1]}}}"),
            inner.map(lambda s: f"\\sqrt{{{s}}}"),
            st.tuples(atom, inner).map(lambda p: f"{p[0]}^{{{p[1]}}}"),
            st.tuples(inner, st.sampled_from(["2", "3", "b"])).map(lambda p: f"({p[0]})^{p[1]}"),
        )
    return st.recursive(atom, grow, max_leaves=8)


@settings(max_examples=examples(150))
@given(_expressions())
def test_random_arithmetic(text):
    agrees(text)


def test_a_plain_claim_through_the_command_never_imports_the_grammar():
    spec = Path(__file__).parents[2] / "examples" / "seed_network.toml"
    code = ("import sys; from symprop.front.cli import main; "
            f"status = main(['verify', {str(spec)!r}, '--wrt', 'w1_1_1', '--claim', "
            r"'x w_{1}^{[2]} a_{1}^{[1]} (1 - a_{1}^{[1]}) (a_{1}^{[2]} - y)']); "
            "print(status, 'latex2sympy2' in sys.modules, 'antlr4' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "0 False False", done.stdout + done.stderr
