r"""Unreadable or hostile LaTeX: a clear LatexReadError, quickly, and nothing executed."""
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
import sympy

from hypothesis_profiles import examples
from corpus import logistic_regression
from symprop.parse.latex import LatexReadError, read_derivation
from symprop.parse.latex_text import MAX_LENGTH

G = logistic_regression()
read_derivation(r"\ln x_1", G)              # loads latex2sympy2 the way symprop does (\ln is
latex2sympy2 = sys.modules["latex2sympy2"]   # the grammar's: plain arithmetic is read without it)


@pytest.mark.parametrize("text, phrase", [
    (r"x_1 (\hat{y} - y", r"unbalanced '\(' at character 4"),
    (r"\frac{x_1}{2", "unbalanced '{' at character 10"),
    (r"x_1 } + y", "unbalanced '}' at character 4"),
    (r"x_1 ) + y", r"unbalanced '\)' at character 4"),
    (r"\foo{x_1}", r"unknown command \\foo at character 0"),
    (r"\sum_{i} x_i", r"unknown command \\sum"),
    (r"\frca{1}{2}", r"did you mean \\frac"),
    (r"\def\x{1} \x", r"\\def .*never executed"),
    (r"\input{/etc/passwd}", r"\\input"),
    (r"\include{notes}", r"\\include"),
    (r"\write18{rm -rf /}", r"\\write"),
    (r"\immediate\write18{ls}", r"\\immediate"),
    (r"\catcode`\^=13", r"\\catcode"),
    (r"\csname x\endcsname", r"\\csname"),
    (r"\newcommand{\x}{1}", r"\\newcommand"),
    (r"\variable{__import__('os').system('ls')}", r"\\variable"),
    (r"\begin{tabular}{c} x \end{tabular}", "environment 'tabular'"),
    (r"\{x_1\}", r"\\\{ at character 0"),
    ("x_1 + " * 2000, f"at most {MAX_LENGTH}"),
    ("(" * 1000 + "x_1" + ")" * 1000, "nested more than"),
    ("x_1 + " * 400 + "y", "too long to read"),
    (r"2^{2^{2^{200}}}", "too large"),
    (r"10^{10^{5}}", "too large"),
    ("", "empty"),
    ("   ", "empty"),
])
def test_hostile_latex_is_refused_with_a_clear_error(text, phrase):
    with pytest.raises(LatexReadError, match=phrase):
        read_derivation(text, G)


def test_non_text_is_refused():
    with pytest.raises(LatexReadError, match="LaTeX text"):
        read_derivation(b"x_1", G)


def test_verify_reports_the_reader_error():
    with pytest.raises(LatexReadError, match="unbalanced"):
        G.verify("w1", r"x_1 (\hat{y} - y")


def test_nothing_is_evaluated_as_code(monkeypatch):
    """latex2sympy2 can call parse_expr; the reader must never let it, nor sympify a string."""
    def refuse(*args, **kwargs):
        raise AssertionError("a string reached sympify/parse_expr")

    monkeypatch.setattr(latex2sympy2, "parse_expr", refuse)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", refuse)
    monkeypatch.setattr(sympy, "sympify", refuse)
    for text in (r"x_1 (\hat{y} - y)", r"\sigma(w_1 x_1 + w_2 x_2 + b) - y",
                 r"\frac{\partial \mathcal{L}}{\partial z} x_1"):
        assert read_derivation(text, G).steps
    with pytest.raises(LatexReadError):
        read_derivation(r"\variable{x}", G)


@pytest.mark.parametrize("text", ["σ(z)", "x_1 ŷ", "x_1 \x00 y", "x_1 \u200b y"])
def test_non_latex_characters_stop_reading(text):
    with pytest.raises(LatexReadError, match="reading stopped"):
        read_derivation(text, G)


TOKENS = ["x_1", "x_2", r"\hat{y}", "y", "w_1", "b", "z", "(", ")", "{", "}", "^", "_", "+", "-",
          "=", r"\frac", r"\sigma", r"\partial", r"\mathcal{L}", r"\cdot", ".", "2", "e", "m",
          r"\left(", r"\right)", r"\\", "&", r"\log", "[1]", "'", ",", r"\begin{aligned}", "q"]


@settings(max_examples=examples(80))
@given(st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14))
def test_any_token_soup_reads_or_raises_a_reader_error(tokens):
    try:
        derivation = read_derivation(" ".join(tokens), G)
    except LatexReadError:
        return
    assert all(isinstance(step.expr, sympy.Expr) for step in derivation.steps)
