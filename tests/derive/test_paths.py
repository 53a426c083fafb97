"""Chain-rule paths: lazy enumeration, counting by dynamic programming."""
import itertools

import pytest
import sympy

from corpus import CORPUS, multiple_paths
from symprop import Graph, SympropError, mlp
from symprop.derive.derivation import MAX_LISTED_FACTORS, MAX_LISTED_PATHS
from symprop.derive.paths import longest_path


def brute_force_count(graph, node):
    """Count paths by plain recursion (an independent oracle, small graphs only)."""
    if node == graph.loss_symbol:
        return 1
    return sum(brute_force_count(graph, e.child) for e in graph.out_edges(node))


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_count_equals_enumeration_and_brute_force(name):
    g = CORPUS[name]()
    for p in g.param_symbols:
        assert g.count_paths(p) == len(g.derive(p).paths) == brute_force_count(g, p)


def test_paths_run_from_parameter_to_loss_with_matching_factors():
    g = multiple_paths()
    for path in g.derive("w").paths:
        assert path.nodes[0] == sympy.Symbol("w") and path.nodes[-1] == g.loss_symbol
        assert len(path.factors) == len(path.nodes) - 1
        for parent, child, factor in zip(path.nodes, path.nodes[1:], path.factors):
            assert factor == g.partial(parent, child)


def test_multiple_paths_are_all_found():
    g = multiple_paths()
    routes = sorted(tuple(map(str, p.nodes)) for p in g.derive("w").paths)
    assert routes == [("w", "h", "p", "yhat", "L"), ("w", "h", "q", "yhat", "L"),
                      ("w", "q", "yhat", "L")]


def test_a_deep_wide_network_is_counted_and_derived_without_enumerating():
    g = mlp([2, 8, 8, 8, 8, 8, 8, 1])
    d = g.derive("w1_1_1")
    assert d.path_count == 8**5  # one path per choice of node in hidden layers 2 to 6
    assert d.path_count > MAX_LISTED_PATHS
    assert d.result != 0  # backprop computed it
    with pytest.raises(SympropError, match="too many to list"):
        d.paths
    # Lazy enumeration still hands out paths one at a time.
    first = list(itertools.islice(d.iter_paths(), 3))
    assert len(first) == 3 and all(p.nodes[-1] == g.loss_symbol for p in first)


def diamonds(n):
    g = Graph()
    u = g.params("w")
    for i in range(n):
        u = g.node(f"u{i}", g.node(f"a{i}", 2 * u) + g.node(f"b{i}", 3 * u))
    g.loss("L", u**2)
    return g


def test_longest_path_counts_edges_by_dynamic_programming():
    g = diamonds(5)
    assert longest_path(g, "w") == 11  # two edges a diamond, one to the loss
    assert all(len(p.nodes) - 1 == 11 for p in g.derive("w").iter_paths())


def test_paths_are_listed_only_within_the_local_partials_limit():
    # 8192 paths are under the path limit, but 8192 x 40 local partials are not.
    d = diamonds(13).derive("w")
    assert d.path_count == 2**13 < MAX_LISTED_PATHS
    assert d.path_count * longest_path(d.graph, d.wrt) > MAX_LISTED_FACTORS
    assert not d.listable
    with pytest.raises(SympropError, match="too many to list"):
        d.paths
    assert "8192 path(s)" in d.text()
    assert diamonds(4).derive("w").listable
