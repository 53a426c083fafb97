r"""What Jupyter shows for symprop's objects: a graph as SVG, a verdict and a check as HTML.

``Graph._repr_svg_`` draws the graph, in either form
(:func:`symprop.latex.picture.draw`; None without graphviz's dot, so the notebook
shows the text form).  ``Verdict._repr_html_`` gives the verdict, the diagnosis,
and the claim and the truth typeset (``$...$``, which Jupyter's MathJax or KaTeX
renders); ``CheckReport._repr_html_`` an HTML table, one row per compared value.
Every word and every piece of TeX is HTML-escaped: a claim is a user's text.

>>> from symprop.front.seeds import logistic_regression
>>> g = logistic_regression()
>>> page = verdict_html(g.verify("w1", r"x_1 (\hat{y} - y)"))
>>> page.splitlines()[0]
'<div class="symprop-verdict"><p><strong style="color:#008000">equivalent</strong> (symbolic)</p>'
"""
from __future__ import annotations

import html
import shutil

GREEN, RED, GRAY = "#008000", "#c00000", "#666666"


def graph_svg(graph) -> str | None:
    """The graph drawn as SVG text, or None when graphviz's dot is not installed."""
    if shutil.which("dot") is None:
        return None
    from .picture import draw

    return draw(graph).pipe("svg").decode("utf-8")


def _math(tex: str) -> str:
    return html.escape("$" + " ".join(str(tex).split()) + "$")


def verdict_html(verdict) -> str:
    """The verdict, why, the claim and the truth (typeset), and any counterexample."""
    head, color = {True: ("equivalent", GREEN), False: ("NOT equivalent", RED),
                   None: ("undecided", GRAY)}[verdict.equivalent]
    rows = [f'<div class="symprop-verdict"><p><strong style="color:{color}">{head}</strong> '
            f"({html.escape(verdict.method)})</p>"]
    if verdict.diagnosis:
        rows.append(f"<p>Why: {html.escape(verdict.diagnosis)}</p>")
    if getattr(verdict, "reading", None):
        rows.append(f"<p>Read as: {html.escape(verdict.reading)}</p>")
    rows.append(f"<p>Claim: {_math(verdict.claim_latex)}</p>")
    rows.append(f"<p>Truth: {_math(verdict.truth_latex)}</p>")
    if verdict.counterexample:
        point = ", ".join(f"{html.escape(str(k))} = {v:g}"
                          for k, v in verdict.counterexample["point"].items())
        values = ", ".join(f"{html.escape(str(k))} = {html.escape(repr(v))}"
                           for k, v in verdict.counterexample.items() if k != "point")
        rows.append(f"<p>At {point}: {values}</p>")
    return "\n".join(rows) + "\n</div>"


def _number(value) -> str:
    return "&ndash;" if value is None else f"{value:.10g}"


def report_html(report) -> str:
    """The check as a table: each value, symprop's, the compiled one's, the reference, errors."""
    verdict = (f'<strong style="color:{GREEN}">agree</strong>' if report.ok else
               f'<strong style="color:{RED}">DISAGREE</strong> ({len(report.failures)} row(s))')
    ours = any(r.symprop is not None for r in report.rows)
    matrix = report.batch is not None
    header = ["point", "value", *(["shape"] if matrix else []), *(["symprop"] if ours else []),
              "compiled", html.escape(report.method), "abs error", "rel error", ""]
    body = []
    for r in report.rows:
        what = ("loss " if r.quantity == "loss" else "d/d") + r.parameter
        cells = [str(r.point), html.escape(what)]
        if matrix:
            cells.append("&times;".join(map(str, r.shape or ())) or "scalar")
        if ours:
            cells.append(_number(r.symprop))
        agrees = r.rel_error <= report.rtol
        cells += [_number(r.compiled), _number(r.reference), f"{r.abs_error:.2e}",
                  f"{r.rel_error:.2e}", "" if agrees else
                  f'<span style="color:{RED}">disagrees</span>']
        body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    notes = "".join(f"<p>Note: {html.escape(n)}</p>" for n in report.notes)
    return (f'<div class="symprop-check"><p>Compared with {html.escape(report.method)} at '
            f"{len(report.points)} point(s): they {verdict}; tolerance "
            f"{html.escape(report.tolerance)}, rtol = {report.rtol:g}.</p>{notes}\n<table>\n"
            "<thead><tr>" + "".join(f"<th>{h}</th>" for h in header) + "</tr></thead>\n"
            "<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n</div>")
