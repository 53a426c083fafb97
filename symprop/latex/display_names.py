r"""Display names are data: a whitelisting reader of the LaTeX a textbook name needs.

A display name (``[graph.latex]`` in a spec, ``latex=`` in the Python API,
``set_latex``) is printed into every ``.tex`` symprop writes and compiled by
pdflatex.  TeX is a programming language that can read files and run programs,
so a name is read here first, against a small subset of LaTeX: letters, digits,
sub- and superscripts, braces, primes, Greek letters, accents and math fonts
(``\hat \bar \tilde \vec \dot \mathcal \mathbf \mathrm \boldsymbol \mathbb
\operatorname``...), ``\to``, ``\left( ... \right)`` and harmless punctuation.
The reader also keeps what TeX would reject where symprop prints a name: one
subscript and one superscript per symbol (primes count as a superscript, and
come after the subscript: ``x_1'``), a name that starts with a symbol rather
than a script (it is printed next to other names), balanced braces and
``\left``/``\right``, at most 200 characters and 8 levels of nesting.
Anything else is refused, naming the command or character:

>>> check_display_name(r"w_{1\to 2}^{[1]}")
'w_{1\\to 2}^{[1]}'
>>> check_display_name(r"\newread\r \openin\r=/etc/passwd")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
symprop.errors.SympropError: display name '\newread...': the command \newread is not allowed ...
"""
from __future__ import annotations

import unicodedata

import sympy

from ..errors import SympropError

MAX_LENGTH = 200   # a textbook name is a few dozen characters; the rest is an attack
MAX_DEPTH = 8      # nesting of braces and \left ... \right

GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta",
    "vartheta", "iota", "kappa", "varkappa", "lambda", "mu", "nu", "xi", "pi",
    "varpi", "rho", "varrho", "sigma", "varsigma", "tau", "upsilon", "phi", "varphi", "chi",
    "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon",
    "Phi", "Psi", "Omega",
}
# Commands that print one symbol and take no argument (sympy's other_symbols among them).
SYMBOLS = GREEK | {
    "to", "prime", "ell", "hbar", "hslash", "aleph", "beth", "daleth", "gimel", "eth", "mho",
    "wp", "imath", "jmath", "infty", "partial", "nabla", "star", "ast", "circ", "bullet",
    "dagger", "ddagger", "cdot", "times", "pm", "mp", "top", "bot", "perp", "emptyset",
    "varnothing", "natural", "sharp", "flat", "rightarrow", "leftarrow", "mapsto",
    "ldots", "cdots", "dots", "langle", "rangle", "lvert", "rvert", "lVert", "rVert",
    "quad", ",", ";", ":", "!", "{", "}", "|", "_",
}
# Symbols that are macros of several tokens: an argument only inside braces (x_{\dots}).
SPACES_AND_DOTS = {",", ";", ":", "!", "quad", "dots", "ldots", "cdots"}
# Commands of one argument: accents and math fonts (all in amsmath and amssymb; not
# \mathscr, whose font TeX Live's basic installation lacks).
ONE_ARGUMENT = {
    "hat", "bar", "tilde", "vec", "dot", "ddot", "dddot", "ddddot", "check", "breve",
    "acute", "grave", "mathring", "widehat", "widetilde", "overline", "underline",
    "mathcal", "mathbf", "mathrm", "mathit", "mathsf", "mathtt", "mathbb", "mathfrak",
    "boldsymbol", "operatorname",
}
TEXT = "text"      # \text{...}: plain words only (text mode has its own specials)
DELIMITERS = {"(", ")", "[", "]", "|", ".", "/"}
DELIMITER_COMMANDS = {"|", "{", "}", "langle", "rangle", "lvert", "rvert", "lVert", "rVert"}
PUNCTUATION = set("()[],.;:+-=*/|<>!?")
TEXT_CHARACTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.,()")
ALLOWED = ("letters, digits, _ ^ { } ' and punctuation, Greek letters, accents such as \\hat, "
           "fonts such as \\mathbf, \\to, \\left( \\right)")


class _Refused(Exception):
    """Why a display name is refused (becomes the SympropError's message)."""


def check_display_name(text, what: str = "display name") -> str:
    r"""Return ``text`` when it is a display name symprop can typeset safely, else raise.

    ``what`` names it in the message (``display name of w``).

    >>> check_display_name(r"\hat{y}'")
    "\\hat{y}'"
    >>> check_display_name("x^^5c")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symprop.errors.SympropError: display name 'x^^5c': a superscript (^) needs an argument ...
    """
    if not isinstance(text, str):
        raise SympropError(f"{what}: expected a string, got {type(text).__name__}")
    shown = _show(text)
    if len(text) > MAX_LENGTH:
        raise SympropError(f"{what} {shown}: {len(text)} characters; a display name is at "
                           f"most {MAX_LENGTH}")
    if not text.strip():
        raise SympropError(f"{what} {shown}: a display name is empty")
    try:
        _Reader(text).read()
    except _Refused as reason:
        raise SympropError(f"{what} {shown}: {reason}") from None
    return text.strip()  # x' then a space: a power printed after it would not join the prime


def default_display_name(identifier: str, proposed: str) -> str:
    r"""``proposed`` (the notation's default for ``identifier``) if it passes, else a safe one.

    A Python identifier may hold letters pdflatex cannot set in math (``é``,
    ``α``) or make a double subscript in a naive spelling; those fall back to
    an ASCII spelling: Greek letters by name, accents dropped, other
    characters as their code point.

    >>> default_display_name("α1", "α_{1}")
    '\\alpha_{1}'
    >>> default_display_name("a_b1", "a_b_{1}")
    'a_{b1}'
    """
    for candidate in (proposed, _ascii_default(identifier)):
        try:
            return check_display_name(candidate)
        except SympropError:
            continue
    return r"\mathrm{%s}" % "".join(c for c in _ascii(identifier) if c.isalnum())[:60]


def _ascii(identifier: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKD", identifier):
        if c.isascii():
            out.append(c)
        elif unicodedata.combining(c):
            continue  # é -> e: the accent is dropped
        else:
            name = unicodedata.name(c, "")
            if name.startswith("GREEK ") and " LETTER " in name:
                letter = name.split(" LETTER ")[-1].split()[0].lower()
                out.append(letter.capitalize() if "CAPITAL" in name else letter)
            else:
                out.append(f"u{ord(c):04x}")
    return "".join(out) or "v"


def _ascii_default(identifier: str) -> str:
    name = _ascii(identifier)
    if not name.isidentifier():
        name = "v" + name
    return sympy.latex(sympy.Symbol(name))


def _show(text: str) -> str:
    """The name for a message: quoted, control characters escaped, cut to a sensible length."""
    cut = text if len(text) <= 60 else text[:57] + "..."
    return ascii(cut) if not cut.isprintable() or not cut.isascii() else f"'{cut}'"


def _character(c: str) -> str:
    if c.isprintable() and c.isascii():
        return f"the character {c!r}"
    name = unicodedata.name(c, "a control character")
    return f"the character U+{ord(c):04X} ({name.lower()})"


class _Reader:
    """Recursive descent over one name: atoms, their scripts, groups and \\left ... \\right."""

    def __init__(self, text: str):
        self.text, self.i = text, 0

    def peek(self) -> str:
        return self.text[self.i] if self.i < len(self.text) else ""

    def read(self) -> None:
        self.sequence(depth=0, stop="")
        if self.i < len(self.text):  # only a '}' stops the top level early
            raise _Refused("unbalanced braces: a '}' closes nothing")

    # ----------------------------------------------------------- sequences
    def sequence(self, depth: int, stop: str) -> None:
        """Atoms with at most one subscript and one superscript (primes count as one)."""
        if depth > MAX_DEPTH:
            raise _Refused(f"nested more than {MAX_DEPTH} deep")
        sub = sup = primed = based = False
        while self.i < len(self.text):
            c = self.peek()
            if c == "}" or (stop == "right" and self.text.startswith("\\right", self.i)):
                return
            if c == " ":
                self.i += 1
            elif c in "_^'" and stop == "" and not based:
                # x_1 next to a name _2 would print x_1 _2: scripts of one symbol, not two.
                raise _Refused(f"a display name starts with a symbol, not {c!r}")
            elif c in "_^":
                kind = "subscript" if c == "_" else "superscript"
                if (sub if c == "_" else sup):
                    raise _Refused(f"a double {kind} (write x_{{a b}}, not x_a_b)")
                if c == "_" and primed:  # x'_1 squared would print x'_1^{2}: two superscripts
                    raise _Refused("a subscript after a prime (write x_1', not x'_1)")
                self.i += 1
                self.argument(depth, f"a {kind} ({c})")
                sub, sup = (True, sup) if c == "_" else (sub, True)
            elif c == "'":
                if sup:
                    raise _Refused("a prime after a superscript is a double superscript "
                                   "(write x'^{2})")
                while self.peek() == "'":
                    self.i += 1
                if self.peek() == "^":  # x'^2: LaTeX merges a superscript right after primes
                    self.i += 1
                    self.argument(depth, "a superscript (^)")
                sup = primed = True
            else:
                self.atom(depth)
                sub = sup = primed = False
                based = True
        if stop == "}":
            raise _Refused("unbalanced braces: a '{' is never closed")
        if stop == "right":
            raise _Refused("a \\left has no \\right")

    def atom(self, depth: int) -> None:
        c = self.peek()
        if c == "{":
            self.group(depth)
        elif c == "\\":
            self.command(depth)
        elif c.isascii() and c.isalnum() or c in PUNCTUATION:
            self.i += 1
        elif c == "^":
            raise _Refused("'^^' is TeX's escaped character notation")
        else:
            raise _Refused(f"{_character(c)} is not allowed in a display name "
                           f"(allowed: {ALLOWED})")

    def group(self, depth: int) -> None:
        self.i += 1  # {
        self.sequence(depth + 1, stop="}")
        self.i += 1  # }

    def argument(self, depth: int, of: str) -> None:
        """One argument: a group, one letter, digit or punctuation mark, or one symbol command."""
        while self.peek() == " ":
            self.i += 1
        c = self.peek()
        if c == "{":
            self.group(depth)
        elif c == "\\":
            name = self.name()
            if name not in SYMBOLS - SPACES_AND_DOTS:
                raise _Refused(f"{of} takes \\{name} only in braces"
                               if name in ONE_ARGUMENT | SPACES_AND_DOTS | {TEXT, "left"}
                               else self.refused(name))
        elif c and (c.isascii() and c.isalnum() or c in PUNCTUATION):
            self.i += 1
        elif c in "^_":
            raise _Refused(f"{of} needs an argument after it, not {c!r}"
                           + (" (TeX reads ^^ as an escaped character)" if c == "^" else ""))
        elif not c:
            raise _Refused(f"{of} needs an argument after it")
        else:
            raise _Refused(f"{_character(c)} is not allowed in a display name "
                           f"(allowed: {ALLOWED})")

    # ----------------------------------------------------------- commands
    def name(self) -> str:
        """The command after a backslash: letters, or one other character."""
        self.i += 1
        start = self.i
        while self.peek().isascii() and self.peek().isalpha() and self.peek():
            self.i += 1
        if self.i == start:
            if self.i >= len(self.text):
                raise _Refused("a lone backslash at the end")
            self.i += 1
        return self.text[start:self.i]

    def command(self, depth: int) -> None:
        name = self.name()
        if name in SYMBOLS:
            return
        if name == "operatorname" and self.peek() != "{":  # \operatorname* is another command
            raise _Refused("\\operatorname needs its name in braces")
        if name in ONE_ARGUMENT:
            self.argument(depth, f"\\{name}")
        elif name == TEXT:
            self.plain_text()
        elif name == "left":
            self.delimiter("left")
            self.sequence(depth + 1, stop="right")
            if not self.text.startswith("\\right", self.i):
                raise _Refused("a '}' closes nothing inside \\left ... \\right")
            self.name()  # \right
            self.delimiter("right")
        elif name == "right":
            raise _Refused("a \\right has no \\left")
        else:
            raise _Refused(self.refused(name))

    def refused(self, name: str) -> str:
        shown = "\\" + (name if name.isprintable() and name.isascii() else ascii(name)[1:-1])
        return f"the command {shown} is not allowed in a display name (allowed: {ALLOWED})"

    def delimiter(self, side: str) -> None:
        while self.peek() == " ":
            self.i += 1
        c = self.peek()
        if c in DELIMITERS and c:
            self.i += 1
        elif c == "\\" and self.name() in DELIMITER_COMMANDS:
            return
        else:
            raise _Refused(f"\\{side} needs a delimiter such as ( [ | or .")

    def plain_text(self) -> None:
        if self.peek() != "{":
            raise _Refused("\\text needs its words in braces")
        end = self.text.find("}", self.i)
        words = self.text[self.i + 1:end] if end >= 0 else self.text[self.i + 1:]
        bad = next((c for c in words if c not in TEXT_CHARACTERS), None)
        if bad is not None:
            raise _Refused(f"\\text{{...}} holds plain words only, not {_character(bad)}")
        if end < 0:
            raise _Refused("unbalanced braces: a '{' is never closed")
        self.i = end + 1
