"""What Jupyter shows: a graph as SVG, a verdict and a check as HTML, every user string escaped."""
import dataclasses
import shutil

import pytest

import corpus
from symprop import mlp


def test_a_verdict_shows_its_diagnosis_and_both_sides_typeset():
    g = corpus.logistic_regression()
    right = g.verify("w1", r"x_1 (\hat{y} - y)")._repr_html_()
    assert ">equivalent</strong>" in right and r"$x_{1} \left(\hat{y} - y\right)$" in right
    wrong = g.verify("w1", r"x_2 (\hat{y} - y)")._repr_html_()
    assert ">NOT equivalent</strong>" in wrong
    assert "<p>Why: the claim is dL/dw2" in wrong and "<p>At " in wrong
    assert r"<p>Claim: $x_{2} \left(\hat{y} - y\right)$</p>" in wrong


def test_a_claim_cannot_become_markup():
    g = corpus.logistic_regression()
    verdict = dataclasses.replace(g.verify("w1", r"x_2 (\hat{y} - y)"),
                                  claim_latex="<img src=x onerror=alert(1)>",
                                  diagnosis="</p><script>alert(2)</script>")
    page = verdict._repr_html_()
    assert "<img" not in page and "<script" not in page
    assert "$&lt;img src=x onerror=alert(1)&gt;$" in page


def test_a_check_is_an_html_table_with_a_row_per_value():
    g = corpus.logistic_regression()
    report = g.check(g.values)
    page = report._repr_html_()
    assert ">agree</strong>" in page
    assert page.count("<tr>") == len(report.rows) + 1
    assert "<th>torch autograd</th>" in page and "<td>d/dw1</td>" in page
    matrix = mlp([3, 4, 2], activation="relu", output="softmax", loss="ce", one_hot=True,
                 form="matrix").check()._repr_html_()
    assert "<th>shape</th>" in matrix and "<td>4&times;3</td>" in matrix


@pytest.mark.parametrize("graph", [corpus.logistic_regression,
                                   lambda: mlp([2, 3, 2], form="matrix")])
def test_a_graph_is_drawn_as_svg(graph, monkeypatch):
    if shutil.which("dot") is None:
        pytest.skip("graphviz's dot is not installed")
    svg = graph()._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "</svg>" in svg
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert graph()._repr_svg_() is None   # without dot, Jupyter shows the text form
