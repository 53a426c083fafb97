r"""The layout of a claim, shared by both readers: lines, the quantity each line names, annotations.

People write a derivation as the texts lay it out: an ``aligned``, ``align`` or
``eqnarray`` block with ``&=`` (or ``&=&``), lines broken with ``\\``, a line
that starts a new quantity (``\delta^{[2]} &= ...``, then ``\frac{\partial
\mathcal{L}}{\partial w} &= ...``), ``\text{(...)}`` annotations, an evaluation bar
``\right|_{z = z^{[2]}}``, and Unicode operators pasted from a PDF (``⋅``, ``−``,
``ᵀ``).  Here they become what both readers read: plain ASCII LaTeX, and
:class:`Chain` s of sides, each naming the quantity its left side names.

>>> [(c.lhs.strip() if c.lhs else None, [s.strip() for s in c.sides])
...  for c in chains(r"a &= b \\ &= c \\ d &= e", lambda s: s.strip() == "d")]
[(None, ['a', 'b', 'c']), ('d', ['e'])]
>>> ascii_operators("A⋅Bᵀ − C")
'A \\cdot B^{T} - C'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# Unicode a claim pasted from a PDF or a web page uses for operators, read as their LaTeX;
# anything else outside ASCII is refused by screening (a Cyrillic х is never an x, and a
# Greek letter is written as its command: σ pasted from a PDF may be any of several).
UNICODE = {
    "\u22c5": r" \cdot ", "\u00b7": r" \cdot ", "\u2219": r" \cdot ", "\u00d7": r" \times ",
    "\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2218": r" \circ ", "\u2299": r" \odot ",
    "\u1d40": "^{T}", "\u2032": "'", "\u2202": r"\partial ", "\u2207": r"\nabla ",
    "\u2211": r"\sum ", "\u00b2": "^{2}",
    "\u00a0": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
}
_UNICODE = re.compile("|".join(map(re.escape, UNICODE)))
# \text{(sigmoid with binary cross-entropy)}: words, not mathematics.  A \text{} holding more
# than a name (spaces, brackets, punctuation), or set off by \quad, is an annotation.
_TEXT = r"\\(?:text|textrm|textit|textbf|mbox|mathrm)\s*\{([^{}\\]*)\}"
_ANNOTATION = re.compile(r"(?:\\q?quad\s*)" + _TEXT + r"|" + _TEXT)
# \left. ... \right|_{z = 2}: the value at the graph's point, which is where a claim is read.
_EVALUATION = re.compile(r"\\(?:right|[bB]igg?r?|[bB]ig)\s*\|\s*(?:_\s*(?:\{[^{}]*\}|[^\s{}]))?"
                         r"|\\left\s*\.")


def ascii_operators(text):
    """``text`` with the Unicode operators of :data:`UNICODE` written in LaTeX (others kept)."""
    return _UNICODE.sub(lambda m: UNICODE[m.group()], text) if isinstance(text, str) else text


def blank_annotations(text: str) -> str:
    r"""Annotations and evaluation bars blanked, so positions in messages stay where they were.

    >>> blank_annotations(r"a - y \qquad \text{(chain rule)}").rstrip()
    'a - y'
    >>> blank_annotations(r"\text{ReLU}(z)")
    '\\text{ReLU}(z)'
    """
    if not isinstance(text, str):       # screening names what it is instead
        return text

    def blank(m):
        return " " * len(m.group())

    def annotation(m):
        words = m.group(1) if m.group(1) is not None else m.group(2)
        if m.group(1) is not None or not re.fullmatch(r"\s*[A-Za-z][A-Za-z0-9_]*\s*", words):
            return blank(m)
        return m.group()
    return _EVALUATION.sub(blank, _ANNOTATION.sub(annotation, text))


@dataclass
class Chain:
    """Sides of ``lhs = s1 = s2 ...``; ``lhs`` the text of a left side naming a quantity, or None.

    ``starts`` holds where each side begins in the text :func:`chains` was given.
    """

    lhs: str | None
    sides: list = field(default_factory=list)
    starts: list = field(default_factory=list)


def top_level(text: str, token: str) -> list[int]:
    """Where ``token`` occurs outside every bracket."""
    found, depth, i = [], 0, 0
    while i < len(text):
        if text.startswith("\\\\", i) and token != "\\\\":
            i += 2
            continue
        char = text[i]
        if char in "{([":
            depth += 1
        elif char in "})]":
            depth -= 1
        if depth == 0 and text.startswith(token, i):
            found.append(i)
            i += len(token)
            continue
        if char == "\\" and token != "\\\\":
            i += 2 if i + 1 < len(text) and not text[i + 1].isalpha() else 1
            continue
        i += 1
    return found


def _cut(text: str, at: list[int], width: int, offset: int = 0) -> list[tuple[int, str]]:
    starts = [0] + [i + width for i in at]
    ends = at + [len(text)]
    return [(offset + s, text[s:e]) for s, e in zip(starts, ends)]


def chains(text: str, is_lhs) -> list[Chain]:
    r"""The lines of ``text`` (cut at ``\\``) grouped into chains of sides (cut at ``=``).

    A line ``lhs &= ...`` whose left side ``is_lhs`` (a derivative, a node's error)
    starts a chain about that quantity; a line ``&= ...`` continues the chain above;
    a line without an ``=`` at its start (``&\quad + c``) continues the side above,
    a sum broken across lines.  The first chain's ``lhs`` is None when its first side
    names nothing (``a = b``: two sides of one claim).  A side keeps its length:
    ``&`` becomes a space, a line break joining a side two spaces.
    """
    found: list[Chain] = []
    text = text.replace("&", " ")
    for at, line in _cut(text, top_level(text, "\\\\"), 2):
        if not line.strip():
            continue
        cuts = [i for i in top_level(line, "=") if line[i - 1:i] not in "<>!"]
        sides = _cut(line, cuts, 1, at)
        (head_at, head), rest = sides[0], sides[1:]
        if found and not head.strip() and rest:
            chain = found[-1]                                    # &= c: the chain goes on
        elif rest and is_lhs(head):
            chain = Chain(head)                                  # \delta^{[1]} &= ...
            found.append(chain)
        elif found:
            chain = found[-1]                                    # &\quad + c: the side goes on
            chain.sides[-1] = chain.sides[-1] + "  " + head
        else:
            chain, rest = Chain(None), sides
            found.append(chain)
        chain.sides.extend(side for _, side in rest)
        chain.starts.extend(start for start, _ in rest)
    return found or [Chain(None, [text], [0])]


__all__ = ["Chain", "UNICODE", "ascii_operators", "blank_annotations", "chains", "top_level"]


def grouped_steps(steps) -> list[tuple]:
    """A derivation's steps grouped by the quantity each states, in order:
    ``[(about, steps), ...]`` (steps stating nothing stay with the chain before them).

    >>> from collections import namedtuple
    >>> Step = namedtuple("Step", "about")
    >>> [(about, len(group)) for about, group in grouped_steps([Step("w"), Step("w"), Step("z")])]
    [('w', 2), ('z', 1)]
    """
    groups: list = []
    for step in steps:
        if groups and groups[-1][0] == step.about and (
                step.about is not None or len(groups) == 1):
            groups[-1][1].append(step)
        else:
            groups.append((step.about, [step]))
    return [(about, tuple(group)) for about, group in groups]
