r"""Screening and normalizing a LaTeX claim before anything parses it.

Screening refuses, in bounded time, what no hand derivation needs: too much
text, TeX programming (``\def``, ``\input``, ...), unbalanced or deeply
nested brackets, commands outside a small whitelist.  Normalizing rewrites
spellings (``\left(``, ``\operatorname``, the lesson's ``1 . x``) into one
form and splits a chain ``A = B = C`` into its sides.

>>> _split_sides(_normalize(r"\left(a\right) = b"))
['(a ) ', ' b']
"""
from __future__ import annotations

import difflib
import re
import unicodedata

from ..errors import SympropError, checked_text
from ..registry.functions import read_spellings

MAX_LENGTH = 4000          # characters; a hand derivation is far shorter
MAX_DEPTH = 12             # nested brackets; latex2sympy2's time grows fast with depth
MAX_STEPS = 20             # sides of one chain A = B = C; each side is compared twice
MAX_SUPERSCRIPTS = 3       # x^{y^{z}}: latex2sympy2's time grows fast with their nesting

FORBIDDEN = ("def", "edef", "gdef", "xdef", "let", "input", "include", "includeonly", "write",
             "read", "openin", "openout", "immediate", "catcode", "csname", "newcommand",
             "renewcommand", "providecommand", "newenvironment", "usepackage", "special",
             "expandafter", "loop", "directlua", "documentclass")
GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
         "nu xi rho tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma "
         "Upsilon Phi Psi Omega").split()
DECORATIONS = ("hat", "bar", "tilde", "vec", "mathcal", "mathbf", "mathit", "boldsymbol", "mathrm")
ALLOWED = set(GREEK) | set(DECORATIONS) | set(
    ("frac dfrac tfrac partial cdot times left right big Big bigl bigr Bigl Bigr pi "
     "sqrt operatorname text to rightarrow color textcolor displaystyle quad qquad "
     "begin end notag nonumber").split())   # and every registry function's own command
ENVIRONMENTS = ("aligned", "align", "align*", "split", "gathered", "gather", "gather*", "equation",
                "equation*", "eqnarray", "eqnarray*", "multline", "multline*")
SPACES = (r"\,", r"\;", r"\:", r"\!", r"\ ", "~", "$", r"\displaystyle", r"\qquad", r"\quad",
          r"\notag", r"\nonumber", r"\bigl", r"\bigr", r"\Bigl", r"\Bigr", r"\big", r"\Big")




class LatexReadError(SympropError):
    """A claim symprop cannot read: the message says what and where reading stopped."""


# ------------------------------------------------------------------ screening
def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 3] + "...")


def function_commands() -> set[str]:
    r"""The registry's function spellings that are one command: ``\\sigma`` gives ``sigma``.

    >>> {"sigma", "tanh", "ln"} <= function_commands()
    True
    """
    return {s[1:] for s in read_spellings() if re.fullmatch(r"\\[A-Za-z]+", s)}


_PRIME = re.compile(r"\^\s*\{\s*((?:\\prime\s*|'\s*)+)\}|\^\s*\\prime(?![A-Za-z])")


def written_primes(text: str) -> str:
    r"""Every way a prime is written, as the ``'`` it means: ``\sigma^{\prime}(z)``,
    ``\sigma^\prime(z)`` and ``\sigma^{\prime\prime}(z)`` read as ``\sigma'(z)`` and
    ``\sigma''(z)``.

    >>> written_primes(r"\sigma^{\prime}(z) + \tanh^\prime(u) + f^{\prime\prime}(v)")
    "\\sigma'(z) + \\tanh'(u) + f''(v)"
    """
    if not isinstance(text, str):   # refused by the screen, which names what it got
        return text
    return _PRIME.sub(lambda m: "'" * (m.group(0).count(r"\prime") + (m.group(1) or "").count("'")),
                      text)


def _screen(text, allowed=ALLOWED, primes: bool = False) -> None:
    """Refuse what is not a formula before any parsing: size, TeX programs, braces, commands.

    ``allowed``: the commands a reader knows, besides the registry's functions
    (:func:`function_commands`); ``primes``: whether it reads a prime (sigma'(z)).
    """
    allowed = set(allowed) | function_commands()
    checked_text(text, "a claim", MAX_LENGTH, LatexReadError, "LaTeX text",
                 f"the claim is {len(text) if isinstance(text, str) else 0} characters long; "
                 f"symprop reads at most {MAX_LENGTH} (a hand derivation is far shorter)")
    if other := re.search(r"[^\x20-\x7e\t\n\r]", text):   # х for x, NUL, ESC: named, never echoed
        char = other.group()
        raise LatexReadError(f"the character U+{ord(char):04X} "
                             f"({unicodedata.name(char, 'a control character')}) at character "
                             f"{other.start()} is not read, reading stopped there; claims are "
                             "ASCII LaTeX, such as x_1 (\\hat{y} - y) or \\sigma(z)")
    scan = text.replace("\\\\", "  ")  # a line break \\ is no command
    commands = [(m.start(), m.group(1)) for m in re.finditer(r"\\([A-Za-z]+)", scan)]
    for at, name in commands:
        if name in FORBIDDEN:
            raise LatexReadError(f"the claim uses \\{name} (at character {at}); claims are "
                                 "formulas, not TeX programs, and are never executed")
    _check_balance(text)
    for at, name in commands:
        if name not in allowed:
            close = difflib.get_close_matches(name, sorted(allowed), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(chr(92) + c for c in close)}?" if close else ""
            raise LatexReadError(f"unknown command \\{name} at character {at}, "
                                 f"reading stopped there{hint}")
    for m in re.finditer(r"\\(begin|end)\s*\{([^{}]*)\}", scan):
        if m.group(2) not in ENVIRONMENTS:
            raise LatexReadError(f"environment {m.group(2)!r} at character {m.start()} is not "
                                 f"read; use one of {', '.join(ENVIRONMENTS)}")
    other = re.search(r"\\[^A-Za-z,;:! {}|]", scan)   # \| is a norm's bar
    if other:
        raise LatexReadError(f"unknown command {other.group()} at character {other.start()}, "
                             "reading stopped there")
    if "'" in text and not primes:
        raise LatexReadError(f"a prime ' at character {text.index(chr(39))} is not read; write "
                             "the derivative out, e.g. \\sigma(z)(1 - \\sigma(z))")


def _check_balance(text: str) -> None:
    pairs, stack = {"}": "{", ")": "(", "]": "["}, []
    i = 0
    while i < len(text):
        char = text[i]
        if text.startswith("\\\\", i):
            i += 2
            continue
        if char == "\\" and i + 1 < len(text) and text[i + 1] in "{}":
            raise LatexReadError(f"\\{text[i + 1]} at character {i} is not read; "
                                 "use ( ) for grouping")
        if char in "{([":
            stack.append((char, i))
            if len(stack) > MAX_DEPTH:
                raise LatexReadError(f"brackets nested more than {MAX_DEPTH} deep at character "
                                     f"{i}; symprop reads hand derivations, not this")
        elif char in "})]":
            if not stack or stack[-1][0] != pairs[char]:
                raise LatexReadError(f"unbalanced {char!r} at character {i}: "
                                     f"nothing open to close, reading stopped there")
            stack.pop()
        i += 1
    if stack:
        char, at = stack[-1]
        raise LatexReadError(f"unbalanced {char!r} at character {at} is never closed")
    _check_superscripts(text)


def _check_superscripts(text: str) -> None:
    """Refuse superscripts nested more than MAX_SUPERSCRIPTS deep (``x^{x^{x^{x}}}``)."""
    kinds, before = [], ""                # for each open brace: is it a superscript's?
    for i, char in enumerate(text):
        if char == "{":
            kinds.append(before == "^")
            if sum(kinds) > MAX_SUPERSCRIPTS:
                raise LatexReadError(f"superscripts nested more than {MAX_SUPERSCRIPTS} deep at "
                                     f"character {i}; a hand derivation does not need them")
        elif char == "}" and kinds:
            kinds.pop()
        before = before if char.isspace() else char


# ------------------------------------------------------------------ normalizing
def _normalize(text: str) -> str:
    """Rewrite spellings latex2sympy2 reads differently (or not at all) into ones it reads."""
    text = re.sub(r"\\(?:text)?color\s*\{[^{}]*\}", " ", text)
    text = re.sub(r"\\(begin|end)\s*\{[^{}]*\}", " ", text)
    text = re.sub(r"\\(left|right)\s*\.", " ", text)
    text = re.sub(r"\\(left|right)(?![A-Za-z])", " ", text)
    text = text.replace("&", " ")                # lines (\\) are cut by layout.chains
    for space in SPACES:
        text = text.replace(space, " ")
    text = re.sub(r"\\[dt]frac(?![A-Za-z])", r"\\frac", text)
    text = re.sub(r"\\(operatorname|text)\s*\{", r"\\mathrm{", text)
    text = re.sub(r"\\mathrm\s*\{\s*e\s*\}", "e", text)
    text = re.sub(r"\\log(?![A-Za-z])", r"\\ln", text)       # natural log, as in the seeds
    text = re.sub(r"\\times(?![A-Za-z])", r"\\cdot", text)
    text = re.sub(r"\\rightarrow(?![A-Za-z])", r"\\to", text)
    text = text.strip().rstrip(".,; ")
    return re.sub(r"(?<!\d)\.|\.(?!\d)", r" \\cdot ", text)   # the lessons' "1 . x" product


def _split_sides(text: str) -> list[str]:
    """``A = B = C`` -> ``[A, B, C]``, split only at top-level ``=``; at most MAX_STEPS sides."""
    if text.count("=") >= MAX_STEPS:        # each side costs two comparisons: refuse first
        sides = text.count("=") + 1
        raise LatexReadError(f"the claim is a chain of {sides} sides or more; symprop reads at "
                             f"most {MAX_STEPS} (a hand derivation is far shorter)")
    sides, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "{([":
            depth += 1
        elif char in "})]":
            depth -= 1
        elif char == "=" and depth == 0:
            sides.append(text[start:i])
            start = i + 1
    return sides + [text[start:]]


def _group(text: str, i: int) -> tuple[str, int]:
    """The argument at ``i``: a braced group's content or one token; returns (text, end)."""
    while i < len(text) and text[i] == " ":
        i += 1
    if i >= len(text):
        raise LatexReadError("the claim ends where an argument was expected")
    if text[i] == "{":
        depth = 0
        for j in range(i, len(text)):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                return text[i + 1:j], j + 1
    if text[i] == "\\":
        m = re.match(r"\\[A-Za-z]+|\\.", text[i:])
        return m.group(), i + m.end()
    return text[i], i + 1


def _closing(text: str, i: int) -> int:
    """The index of the bracket closing the one at ``i`` (the text is known balanced)."""
    depth = 0
    for j in range(i, len(text)):
        depth += 1 if text[j] in "({[" else -1 if text[j] in ")}]" else 0
        if depth == 0:
            return j
    raise LatexReadError(f"unbalanced {text[i]!r} is never closed")


def _multiply_before_parenthesis(text: str, i: int, out: list) -> None:
    """A name is never a function: ``a(1 - a)`` is a product, so say so to latex2sympy2."""
    rest = text[i:].lstrip(" ")
    if rest.startswith("(") or rest.startswith(r"\mathrm"):
        out.append(r" \cdot ")


def _strip_braces(text: str) -> str:
    text = text.strip()
    while text.startswith("{") and _group(text, 0)[1] == len(text):
        text = text[1:-1].strip()
    return text
