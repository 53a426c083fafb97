"""The notes' numbers: every forward and backward value at the spec's point, named with the
d the derivations above use (d for a function of one variable, as the lesson writes it)."""
import math

from symprop.front.seeds import chain_rule_case2, logistic_regression
from symprop.latex.to_markdown import markdown_block
from symprop.latex.walkthrough import numbers_blocks


def tables(graph, values):
    return "\n".join(markdown_block(b) for b in numbers_blocks(graph, values))


def test_a_function_of_one_variable_is_walked_through_with_d():
    # f = g h - sin(h), g = 3x + 1, h = x^2 at x = 0.5: df/dx = 3h + 2x (g - cos h).
    text = tables(chain_rule_case2(), {"x": 0.5})
    x, g, h = 0.5, 2.5, 0.25
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip()
            for line in text.splitlines() if line.startswith("| $")}
    assert rows[r"$\mathrm{d} h / \mathrm{d} x$"] == f"${2 * x:.4f}$"
    assert rows[r"$\mathrm{d} f / \mathrm{d} x$"] == f"${3 * h + 2 * x * (g - math.cos(h)):.4f}$"
    assert rows[r"$\partial f / \partial h$"] == f"${g - math.cos(h):.4f}$"   # f has two arguments
    assert rows[r"$\partial f / \partial g$"] == f"${h:.4f}$"


def test_a_network_keeps_its_partials():
    text = tables(logistic_regression(), None)
    assert r"\mathrm{d}" not in text and r"\partial \mathcal{L} / \partial z" in text
