r"""NumPy written in a matrix claim, as deeplearning.ai's assignments write backprop, read as
the LaTeX the matrix reader reads: text to text, before the reader screens it.

``np.dot(a, b)`` and ``np.matmul(a, b)`` are the matrix product, ``a @ b`` too;
``np.multiply(a, b)`` and ``*`` the entrywise product; ``np.sum(a, axis=1,
keepdims=True)`` the row sums ``a 1`` (a bias's gradient), with ``axis=0`` the column sums
``1^T a``; ``np.divide(a, b)`` the entrywise quotient; ``a.T`` the transpose;
``a ** 2``, ``np.square(a)`` and ``np.power(a, 2)`` the entrywise square; ``np.exp``,
``np.log``, ``np.tanh`` and every other function of the registry by its name; ``Z1 > 0`` is ReLU's mask ``H(Z_1)``.
Anything else after ``np.`` is refused by name: a claim is never run.

>>> numpy_to_latex("1/m * np.dot(dZ2, A1.T)")
'1/m * ((dZ2) (A1^{\\top}))'
>>> numpy_to_latex("1/m * np.sum(dZ2, axis=1, keepdims=True)")
'1/m * ((dZ2) \\mathbf{1})'
>>> numpy_to_latex(r"\frac{1}{m} dZ_2 A_1^T")     # no NumPy: as it was
'\\frac{1}{m} dZ_2 A_1^T'
"""
from __future__ import annotations

import re

from .latex_text import MAX_LENGTH, LatexReadError

MAX_DEPTH = 12                      # nested calls, as the claim's brackets
_CALL = re.compile(r"\bnp\s*\.\s*([A-Za-z_]+)\s*\(")
_TRANSPOSE = re.compile(r"([A-Za-z][A-Za-z0-9_]*|\)|\})\s*\.\s*T\b")
_SQUARE = re.compile(r"\*\*\s*2\b")
_FLOAT = re.compile(r"(?<![\w.])(\d+)\.(?![\w.])")
_MASK = re.compile(r"\b([A-Za-z][A-Za-z0-9_]*)\s*>\s*0(?![\w.])")
_READ = ("np.dot, np.matmul, np.multiply, np.divide, np.sum(..., axis=1 or 0, keepdims=True), "
         "np.square, "
         "np.power(..., 2) and the registry's functions (np.exp, np.log, np.tanh, ...)")


def _registry_names() -> dict:
    """NumPy's name of each of the registry's entrywise functions -> its spelling in a claim."""
    from ..registry.functions import REGISTRY

    return {name: rf"\operatorname{{{e.name.replace('_', '')}}}"
            for e in REGISTRY.values() if not e.vector_valued for name in (e.name, *e.aliases)}


def numpy_to_latex(text: str) -> str:
    """``text`` with its NumPy written as LaTeX; text without NumPy comes back unchanged."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH or not re.search(
            r"\bnp\s*\.|\.\s*T\b|@|\*\*", text):
        return text      # not text, or too long: the screen refuses it, naming why
    text = _calls(text, 0)
    if other := re.search(r"\bnp\s*\.\s*[\w.]*", text):
        raise LatexReadError(f"{other.group()} is not read; a claim may use " + _READ)
    text = _FLOAT.sub(r"\1", text)                            # 1./m
    text = _MASK.sub(r"H(\1)", text)                          # Z1 > 0: ReLU's mask
    text = _TRANSPOSE.sub(lambda m: m.group(1) + r"^{\top}", text)
    text = _SQUARE.sub(r"^{\\circ 2}", text)
    return text.replace("@", " ")


def _calls(text: str, depth: int) -> str:
    out, i = [], 0
    while m := _CALL.search(text, i):
        if depth >= MAX_DEPTH:
            raise LatexReadError(f"NumPy calls nested more than {MAX_DEPTH} deep are not read")
        name, end = m.group(1), _closing(text, m.end() - 1)
        arguments = [_calls(a, depth + 1).strip() for a in _split(text[m.end():end])]
        out += [text[i:m.start()], _call(name, arguments)]
        i = end + 1
    return "".join(out) + text[i:]


def _call(name: str, arguments: list[str]) -> str:
    positional = [a for a in arguments if "=" not in a]
    keywords = {}
    for argument in (a for a in arguments if "=" in a):
        written = re.fullmatch(r"\s*(\w+)\s*=\s*(\w+)\s*", argument)
        keywords[written.groups()[0] if written else argument] = (
            written.groups()[1] if written else None)
    if name in ("dot", "matmul") and len(positional) == 2 and not keywords:
        return f"(({positional[0]}) ({positional[1]}))"
    if name == "multiply" and len(positional) == 2 and not keywords:
        return rf"(({positional[0]}) \odot ({positional[1]}))"
    if name == "sum" and len(positional) == 1 and keywords == {"axis": "1", "keepdims": "True"}:
        return rf"(({positional[0]}) \mathbf{{1}})"
    if name == "sum" and len(positional) == 1 and keywords == {"axis": "0", "keepdims": "True"}:
        return rf"(\mathbf{{1}}^{{\top}} ({positional[0]}))"     # column sums: a 1 x m row
    if name == "divide" and len(positional) == 2 and not keywords:
        return rf"(({positional[0]}) \odot ({positional[1]})^{{\circ -1}})"
    if name == "square" and len(positional) == 1 and not keywords:
        return rf"({positional[0]})^{{\circ 2}}"
    if name == "power" and positional[1:] == ["2"] and not keywords:
        return rf"({positional[0]})^{{\circ 2}}"
    if name in (functions := _registry_names()) and len(positional) == 1 and not keywords:
        return rf"{functions[name]}({positional[0]})"
    written = ", ".join(arguments)
    raise LatexReadError(f"np.{name}({written[:60]}) is not read; a claim may use " + _READ)


def _closing(text: str, start: int) -> int:
    depth = 0
    for j in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return j
    raise LatexReadError(f"an unclosed parenthesis after {text[max(0, start - 20):start + 1]!r}")


def _split(inside: str) -> list[str]:
    """Top-level comma-separated arguments."""
    parts, depth, start = [], 0, 0
    for j, c in enumerate(inside):
        depth += {"(": 1, ")": -1, "{": 1, "}": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(inside[start:j])
            start = j + 1
    return parts + [inside[start:]]


__all__ = ["numpy_to_latex"]
