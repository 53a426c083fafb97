r"""A claim of several lines, each ``lhs = rhs`` about the quantity its left side names.

A student writes the error of the last layer, then the layer before, then the
gradient: ``\delta^{[2]} = ... \\ \delta^{[1]} = ... \\ \frac{\partial L}{\partial w} = ...``.
Each line whose left side is a derivative of the loss (``\frac{\partial
\mathcal{L}}{\partial z}``, ``dZ_2``, ``\delta``: whatever the reader reads as
dL/dnode) starts a statement about that node; a line starting with ``=`` (an
``aligned`` continuation) or without a left side continues the statement
before.  Each statement is judged against its own quantity, and the verdicts
are combined into one, which points at the first wrong line.

>>> rows(r"\begin{aligned} dZ_2 &= A_2 - Y \\ &= P - Y \\ dW_2 &= dZ_2 A_1^T \end{aligned}")
['\\begin{aligned} dZ_2 &= A_2 - Y &= P - Y', 'dW_2 &= dZ_2 A_1^T \\end{aligned}']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..errors import SympropError
from .claim_bounds import short

MAX_STATEMENTS = 8      # lines naming a quantity; each is a whole verdict's work
ENVIRONMENT = re.compile(r"\\(?:begin|end)\s*\{[^{}]*\}")


@dataclass(frozen=True)
class Statement:
    """The steps (the reader's) of one statement about d(loss)/d``about``; ``text`` as written."""

    about: object
    steps: tuple
    text: str
    named: bool     # its left side named the quantity (else it is the one checked)


def _split_rows(text: str) -> list[str]:
    """``text`` cut at LaTeX row breaks (two backslashes) outside braces (a newline is only a space)."""
    pieces, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and text.startswith("\\\\", i):
            pieces.append(text[start:i])
            i += 2
            start = i
            continue
        elif char == "\\":
            i += 2        # an escaped character: \{ is not a brace
            continue
        i += 1
    return pieces + [text[start:]]


def _top_level_equals(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"{": 1, "(": 1, "[": 1, "}": -1, ")": -1, "]": -1}.get(char, 0)
        if char == "=" and depth == 0:
            return True
    return False


def rows(text: str) -> list[str]:
    """The lines of a claim: a row starting with ``=``, or without ``=``, joins the one before,
    and so does every row after one that ends with ``=``."""
    out, open_end = [], False
    for piece in _split_rows(text):
        bare = ENVIRONMENT.sub(" ", piece).replace("&", " ").strip()
        joins = out and (open_end or not bare or bare.startswith("=")
                         or not _top_level_equals(bare))
        if joins:
            out[-1] += " " + piece.strip()
        elif bare:
            out.append(piece.strip())
        open_end = bare.endswith("=") if bare else open_end
    return out or [text]


def read_statements(text: str, graph, wrt, read) -> list[Statement]:
    """The statements of ``text``; ``read(text) -> (named node or None, steps)`` reads one line.

    A claim of one line reads as a whole, as it always did; its quantity must be ``wrt``.
    """
    lines = rows(text)
    if len(lines) > MAX_STATEMENTS:
        raise SympropError(f"the claim has {len(lines)} lines that each state a quantity; "
                           f"symprop reads at most {MAX_STATEMENTS}")
    if len(lines) == 1:
        lines = [text]
    statements: list[Statement] = []
    for line in lines:
        about, steps = read(line)
        if about is None and statements:        # no left side of its own: it continues
            last = statements[-1]
            statements[-1] = replace(last, steps=last.steps + tuple(steps),
                                     text=f"{last.text} {line}")
        else:
            statements.append(Statement(about if about is not None else wrt, tuple(steps),
                                        line, about is not None))
    loss = graph.loss_symbol
    if all(s.about != wrt for s in statements):
        named = ", ".join(f"d{loss}/d{s.about}" for s in statements)
        start = "starts with" if len(statements) == 1 else "states"
        raise SympropError(f"the claim {start} {named}, but it is checked as d{loss}/d{wrt}")
    return statements


def combine(statements, verdicts, wrt, loss, step_type):
    """One verdict for the whole claim: the statement about ``wrt`` (its last), every line's steps,
    and a diagnosis naming each wrong line, the first one first."""
    if len(verdicts) == 1:
        return verdicts[0]
    main = [v for s, v in zip(statements, verdicts) if s.about == wrt][-1]
    steps, problems, number = [], [], 0
    for k, (statement, verdict) in enumerate(zip(statements, verdicts), 1):
        own = verdict.steps or (step_type(1, statement.text, verdict.claim, None,
                                          verdict.equivalent, verdict.counterexample),)
        for step in own:
            number += 1
            steps.append(replace(step, number=number, about=statement.about))
        if verdict.equivalent is not True:
            said = verdict.diagnosis or verdict.method
            where = "the first line is already wrong" if k == 1 else f"line {k} is wrong"
            if verdict.equivalent is None:
                where = f"line {k} is undecided"
            problems.append(f"{where} ({short(statement.text.strip(), 70)}, about "
                            f"d{loss}/d{statement.about}): {said}")
    values = [v.equivalent for v in verdicts]
    equivalent = False if False in values else (None if None in values else True)
    bad = next((v for v in verdicts if v.equivalent is not True), main)
    return replace(main, equivalent=equivalent, steps=tuple(steps),
                   diagnosis="; ".join(problems) or None,
                   method=main.method if equivalent else bad.method,
                   counterexample=main.counterexample or bad.counterexample,
                   reading="; ".join(dict.fromkeys(v.reading for v in verdicts if v.reading))
                   or None)


__all__ = ["Statement", "rows", "read_statements", "combine", "MAX_STATEMENTS"]
