"""Identifiers: NFKC-normalised as Python reads them, so that look-alikes collide at declaration."""
import pytest

from symprop import Graph, SympropError
from symprop.ir.notation import check_identifier


@pytest.mark.parametrize("name, normal", [("ﬁ", "fi"), ("ｗ", "w"), ("θ", "θ"),
                                          ("ℌ", "H")])
def test_identifiers_are_normalised(name, normal):
    assert check_identifier(name) == normal


@pytest.mark.parametrize("first, second", [("fi", "ﬁ"), ("w", "ｗ")])
def test_names_python_would_merge_collide_at_declaration(first, second):
    g = Graph()
    g.params(first)
    with pytest.raises(SympropError, match="already declared"):
        g.inputs(second)


@pytest.mark.parametrize("name", ["ｎｐ", "＿x", "_x", "np"])
def test_names_generated_code_reserves_are_refused_in_any_spelling(name):
    with pytest.raises(SympropError, match="reserved|not a valid identifier"):
        Graph().params(name)


def test_a_name_longer_than_a_textbook_would_use_is_refused():
    with pytest.raises(SympropError, match="at most 100 characters"):
        Graph().params("w" * 101)


def test_lookups_normalise_too():
    g = Graph()
    w = g.params("w")
    assert g.symbol("ｗ") is w and g.parameter("ｗ") is w
