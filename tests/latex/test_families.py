r"""One derivation for a layer's weights: every generic line holds for every member.

Each generic line is instantiated back (its letters replaced by a member's unit
numbers, in the LaTeX) and judged independently of the families: a gradient by
``verify`` (exact arithmetic), a local partial by sympy.diff of the node's expression.
"""
import random
import re

import pytest
import sympy

from symprop import Graph, mlp
from symprop.latex.document import notes
from symprop.latex.families import edge_families, letters_for, parameter_families
from symprop.latex.printer import printer

NETWORKS = {
    "softmax 2-3-3": lambda: mlp([2, 3, 3], activation="relu", output="softmax", loss="ce",
                                 one_hot=True),
    "tanh 3-4-2 mse": lambda: mlp([3, 4, 2], activation="tanh", output="identity", loss="mse"),
    "sigmoid 2-3-3-1": lambda: mlp([2, 3, 3, 1]),
    "gelu 1-3-1 short weights": lambda: mlp([1, 3, 1], activation="gelu"),
}
_BUILT = {}


def network(name):
    if name not in _BUILT:
        _BUILT[name] = NETWORKS[name]()
    return _BUILT[name]


def instantiate(tex: str, number: dict) -> str:
    """``tex`` with each letter written as its unit number (``{letter: n}``)."""
    for letter, n in number.items():
        tex = re.sub(r"(?<=[{\s])%s(?=\\to|[}\s])" % letter, str(n), tex)
    return tex


NAME = re.compile(r"w_\{\d+\\to \d+\}\^\{\[\d+\]\}|[a-z]_\{\d+\}(?:\^\{\[\d+\]\})?")


def same_up_to_order(tex: str, other: str) -> bool:
    """The same text with the same names, a product's factors in any order (a_1 a_2, a_2 a_1)."""
    return all(NAME.sub("#", a) == NAME.sub("#", b) and sorted(NAME.findall(a)) ==
               sorted(NAME.findall(b)) for a, b in [(tex, other)])


def numbers(letters, first_units, member_units) -> dict:
    """{letter: the member's unit number where the first member has that letter's unit}."""
    return {letters[a]: b[1] for a, b in zip(first_units, member_units)}


def units_of(graph, *symbols) -> tuple:
    return sum((graph.units.of[str(s)].units for s in symbols if str(s) in graph.units.of), ())


def _point(graph, seed=3):
    rng = random.Random(seed)
    point = {s: sympy.Rational(rng.randint(-900, 900), 1000) for s in
             graph.input_symbols + graph.param_symbols}
    for group in graph.one_hot_groups:
        total = sum(abs(point[y]) + 1 for y in group)
        point.update({y: (abs(point[y]) + 1) / total for y in group})
    return point


@pytest.mark.parametrize("name", NETWORKS)
def test_every_generic_gradient_is_each_members_gradient(name):
    g = network(name)
    families = parameter_families(g)
    assert sum(len(f.members) for f in families) == len(g.param_symbols)
    assert any(len(f.members) >= 3 for f in families)
    for family in families:
        if len(family.members) == 1:
            continue
        generic = printer(g, family.names).doprint(g.derive(family.first).result)
        for member in family.members:
            claim = instantiate(generic, numbers(family.letters, units_of(g, family.first),
                                                 units_of(g, member)))
            # verify decides in exact arithmetic against the member's own derivation, which
            # the suite checks against torch autograd (tests/check)
            assert g.verify(member, claim), (member, claim)


@pytest.mark.parametrize("name", NETWORKS)
def test_every_generic_partial_is_each_edges_partial(name):
    g = network(name)
    edges = [e for e in g.edges if g.kind(e.parent) != "input"]
    families = edge_families(g, edges)
    assert sum(len(f.members) for f in families) == len(edges) > len(families)
    plain, point = printer(g), _point(g)
    for family in families:
        generic = printer(g, family.names).doprint(family.first.partial)
        first = units_of(g, family.first.parent, family.first.child)
        for e in family.members:
            truth = g.composed(sympy.diff(g.expr(e.child), e.parent)).xreplace(point)
            assert abs(sympy.N(g.composed(e.partial).xreplace(point) - truth, 30)) < 1e-25
            if len(family.members) > 1:
                mine = numbers(family.letters, first, units_of(g, e.parent, e.child))
                assert same_up_to_order(instantiate(generic, mine), plain.doprint(e.partial))
            else:
                assert generic == plain.doprint(e.partial)


def test_softmax_jacobian_lines_say_which_units_differ():
    tex = notes(network("softmax 2-3-3"), numbers=False)
    partials = tex[tex.index("Local partial"):tex.index("Gradients")]
    assert r"\frac{\partial a_{k}^{[2]}}{\partial z_{k}^{[2]}}" in partials
    assert r"\frac{\partial a_{i}^{[2]}}{\partial z_{k}^{[2]}}" in partials
    assert r"(i \neq k)" in partials


def test_a_derivation_naming_other_units_of_its_layer_is_worked_for_one_then_stated():
    g = network("softmax 2-3-3")
    by_first = {str(f.first): f for f in parameter_families(g)}
    assert by_first["w1_1_1"].generic       # names only layer 2's units besides its own
    assert not by_first["w2_1_1"].generic   # the softmax's simplification names a_2, a_3
    tex = notes(g, numbers=False)
    gradients = tex[tex.index("Gradients"):tex.index("Back propagation")]
    assert r"here is $w_{1\to 1}^{[2]}$" in gradients
    assert r"\frac{\partial \mathcal{L}}{\partial w_{j\to k}^{[2]}} &= a_{j}^{[1]}" in gradients


def test_letters_name_the_top_layer_k_and_the_one_below_j():
    assert letters_for(((1, 2), (2, 3))) == {(2, 3): "k", (1, 2): "j"}
    assert letters_for(((2, 1), (2, 3))) == {(2, 1): "k", (2, 3): "i"}


def test_two_of_a_kind_are_each_derived_as_the_lesson_derives_them():
    families = parameter_families(mlp([1, 2, 1]))
    assert all(len(f.members) == 1 for f in families)


def test_graphs_without_units_or_with_names_of_their_own_are_not_grouped():
    g = Graph()
    x = g.inputs("x")
    w1, w2, w3 = g.params("w1 w2 w3")
    g.loss("L", (w1 * x + w2 * x + w3 * x) ** 2)
    assert all(len(f.members) == 1 for f in parameter_families(g))
    renamed = mlp([2, 3, 3])
    renamed.set_latex("w1_1_2", r"\theta")
    assert all(len(f.members) == 1 for f in parameter_families(renamed)
               if str(f.first).startswith("w1"))
