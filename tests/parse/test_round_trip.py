r"""Everything symprop prints in LaTeX reads back: each line of ``Derivation.latex()`` verifies.

For every example spec and small mlp configurations (every activation in both forms,
every output-and-loss pair in both forms; the whole product in the thorough
profile, ``make test-thorough``), the printed derivation of each parameter is read back whole
(its lines grouped by the quantity each names: the path products, the rules'
annotations, ``H(...)``, ``\operatorname{sign}``, the shared adjoints), and each
line, as its own claim, verifies as equivalent to the quantity its left side
names (``graph.verify``).  The truth comes from the graph's derivation, never
from the reader.
"""
import itertools
from pathlib import Path

import pytest

from hypothesis_profiles import PROFILE
from symprop import mlp
from symprop.front.spec import load_spec
from symprop.parse.latex import read_derivation
from symprop.parse.matrix_latex import read_matrix_derivation
from symprop.registry.functions import LOSSES, activations, outputs
import corpus

EXAMPLES = corpus.example_specs(Path(__file__).parents[2] / "examples")
FORMS = ("scalar", "matrix")
HEADS = list(itertools.product(sorted(outputs()), sorted(LOSSES)))


def _configurations():
    """Each activation with each form, the output-and-loss pairs in turn, so that every pair
    meets both forms too (the reader reads a function the same whatever follows it)."""
    if PROFILE == "thorough":
        return [(a, o, l, f) for a, (o, l), f in itertools.product(sorted(activations()), HEADS,
                                                                      FORMS)]
    turns = max(len(activations()), len(HEADS))
    names = sorted(activations())
    return sorted({(names[i % len(names)], *HEADS[(i + j) % len(HEADS)], form)
                   for i in range(turns) for j, form in enumerate(FORMS)})


CONFIGURATIONS = _configurations()


def _net(activation, output, loss, form):
    layers = [2, 2, 2] if output == "softmax" else [1, 2, 1]
    return mlp(layers, activation=activation, output=output, loss=loss, form=form,
               one_hot=output == "softmax")


def _read(graph, text):
    reader = read_matrix_derivation if graph.form.name == "matrix" else read_derivation
    return reader(text, graph)


def _lines(graph, printed):
    """``(quantity, claim)`` for each printed line: its left side's quantity, its right side."""
    lines, quantity = [], None
    body = printed.split("\n")[1:-1] if printed.startswith(r"\begin") else [printed]
    for row in body:
        row = row.rstrip(" \\")
        if "&" in row:
            lhs, rhs = row.split("&", 1)
            rhs = rhs.lstrip("=").lstrip()
            if lhs.strip():
                about = _read(graph, lhs.strip() + " = 0").about
                quantity = about[1]
            if rhs.startswith((r"\quad +", r"\quad -")):   # a sum broken across lines
                lines[-1] = (quantity, lines[-1][1] + " " + rhs[len(r"\quad"):])
                continue
            lines.append((quantity, rhs))
        else:                                    # matrix form: lhs = local = result
            sides = row.split(" = ")
            quantity = _read(graph, sides[0] + " = 0").about[1]
            lines.extend((quantity, s) for s in sides[1:])
    return lines


def _check(graph, wrt):
    """Every printed line reads and verifies (none is refused as too long: GELU's derivative
    prints as GELU'(z), and plain arithmetic reads at half the cost a symbol); returns the
    printed block."""
    printed = graph.derive(wrt).latex()
    for quantity, claim in _lines(graph, printed):
        if claim.strip() == r"\dots":
            continue
        verdict = graph.verify(quantity, claim)
        assert verdict.equivalent, f"{quantity}: {claim}\n{verdict}"
    return printed


def _parameters(graph):
    """The first and the last: a path through every layer, and one through the output only."""
    return [graph.param_symbols[0], graph.param_symbols[-1]]


@pytest.mark.parametrize("activation, output, loss, form", CONFIGURATIONS,
                         ids=["-".join(c) for c in CONFIGURATIONS])
def test_every_printed_line_of_every_mlp_verifies(activation, output, loss, form):
    graph = _net(activation, output, loss, form)
    for wrt in _parameters(graph):
        printed = _check(graph, wrt)
        derivation = _read(graph, printed)     # the whole block reads too, lines in their chains
        # about wrt, and so is its result line (shared adjoints' definitions may follow it)
        assert derivation.about[1] == wrt
        assert any(step.about[1] == wrt for step in derivation.steps[1:])


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_reads_back(path):
    graph = load_spec(path).graph
    for wrt in graph.param_symbols[:4]:
        _check(graph, wrt)


def test_the_configurations_cover_every_activation_and_head_in_both_forms():
    assert {(a, f) for a, _, _, f in CONFIGURATIONS} == set(itertools.product(activations(), FORMS))
    assert {(o, l, f) for _, o, l, f in CONFIGURATIONS} == {(o, l, f) for (o, l), f in
                                                            itertools.product(HEADS, FORMS)}


def test_a_block_names_each_quantity_it_states():
    graph = mlp([1, 2, 1])
    derivation = _read(graph, graph.derive("w1_1_1").latex())
    stated = [about[1].name for about, _ in derivation.chains()]
    assert stated == ["w1_1_1", "z2_1", "w1_1_1"]
