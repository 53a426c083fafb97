r"""The words of a matrix claim: what commands are read, what names and functions mean.

Screening refuses, in time linear in the text, what no hand derivation needs;
:class:`Names` resolves a graph's symbols under every usual spelling (``W2``,
``W_{2}``, ``W^{[2]}``, ``\mathbf{W}_2``), the loss, and derivative placeholders;
:class:`MatrixShapeError` says which operands do not fit and what would.

>>> name_key(r"W^{[2]}"), name_key(r"\mathbf{W}_2"), name_key("W2")
('W_2', 'W_2', 'W_2')
"""
from __future__ import annotations

import difflib
import re

import sympy
from sympy import MatrixSymbol

from ..ir import matrix_ops as ops
from ..registry.functions import entry_for, read_spellings
from .latex_text import GREEK, LatexReadError, _screen
from .matrix_build import MAX_WRITTEN_OUT, written_out_size

FONTS = ("mathbf", "boldsymbol", "bm", "mathit", "mathrm", "mathsf", "text", "textrm",
         "operatorname")
ACCENTS = ("hat", "bar", "tilde", "vec", "mathcal")
ALLOWED = set(GREEK) | set(FONTS) | set(ACCENTS) | set(
    ("frac dfrac tfrac sqrt pi partial nabla ast cdot times odot circ top intercal prime mathbb sum gt "
     "left right big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr "
     "begin end displaystyle quad qquad notag nonumber lVert rVert Vert").split())   # and the registry's functions
LOSS_SPELLINGS = ("L", "J", "C", "E", r"\mathcal{L}", r"\mathcal{J}")
# The trace's spellings: \operatorname{tr}, \mathrm{Tr}, \text{trace}, ... (its argument follows).
TRACE = re.compile(r"\\(?:operatorname|mathrm|textrm|text)\s*\{\s*(?:tr|Tr|trace)\s*\}")
DERIVATIVE_MARK = re.compile(r"\s*(\\partial(?![A-Za-z])|\\mathrm\s*\{\s*d\s*\}|d(?=\s*[A-Z\\]))")


class MatrixShapeError(LatexReadError):
    """Two operands whose shapes do not fit, named as the user wrote them."""

    VERBS = {"product": "multiplies {} matrix by {} matrix",
             "Hadamard product": "multiplies entry by entry {} matrix and {} matrix",
             "sum": "adds {} matrix and {} matrix",
             "trace": "is of {} matrix, but only a square matrix has a trace"}

    def __init__(self, operation, left_latex, right_latex, left_shape, right_shape,
                 written=None, where=""):
        """``trace`` has one operand: ``right_latex`` and ``right_shape`` are None."""
        self.operation, self.left_latex, self.right_latex = operation, left_latex, right_latex
        self.left_shape = tuple(left_shape)
        self.right_shape = None if right_shape is None else tuple(right_shape)
        shapes = (self.left_shape,) + (() if right_shape is None else (self.right_shape,))
        verb = self.VERBS[operation].format(*map(with_article, shapes))
        self.reason = (f"the {operation} {written or left_latex + ' ' + right_latex} {verb}"
                       f"{self._hint()}")  # the sentence a verdict gives, without the position
        super().__init__(self.reason + where)

    def _hint(self) -> str:
        """What would fit: the classic slips are a missing transpose and swapped factors."""
        if self.operation == "trace":
            return ""
        (a, b), (c, d) = self.left_shape, self.right_shape
        if self.operation != "product":
            return ", of different shapes"
        if b == d:
            return f"; {self.right_latex.strip()} transposed would fit"
        if a == c:
            return f"; {self.left_latex.strip()} transposed would fit"
        if d == a:
            return "; the two factors in the other order would fit"
        return ""


def with_article(shape) -> str:
    """``a 3×m`` / ``an m×5``: a shape with its article."""
    text = "×".join(map(str, shape))
    return ("an " if text[0] in "m8" or text.startswith(("11×", "18×")) else "a ") + text


def quote(text: str, limit: int = 60) -> str:
    """LaTeX quoted in a message as the user wrote it (backslashes not doubled)."""
    text = " ".join(text.split())
    return "'" + (text if len(text) <= limit else text[:limit - 3] + "...") + "'"


# ------------------------------------------------------------------ screening
def screen(text) -> None:
    """Refuse, in time linear in the text, what is not a formula (primes are read here)."""
    _screen(text, ALLOWED, primes=True)


# ------------------------------------------------------------------ names
def name_key(spelling: str) -> str:
    """One spelling per name: ``W2``, ``W_{2}``, ``W^{[2]}``, ``\\mathbf{W}_2`` all give ``W_2``."""
    text = re.sub(r"\\(?:%s)(?![A-Za-z])\s*(?:\{([^{}]*)\}|(\w))" % "|".join(FONTS),
                  lambda m: m[1] or m[2], spelling)
    text = re.sub(r"[\s{}]", "", text)
    m = re.fullmatch(r"(.+?)(?:_?(\d+)|\^[\[(](\d+)[\])])", text)
    return f"{m[1]}_{m[2] or m[3]}" if m else text


def functions() -> dict[str, str]:
    r"""Every spelling of a registry function of one matrix, as :func:`function_key` gives it,
    -> the function's name (softmax applies to each column).

    >>> functions()["sigma"], functions()["relu"], functions()["ln"]
    ('sigmoid', 'relu', 'log')
    """
    return {function_key(s): e.name for s, e in read_spellings().items()}


def layer_activation(graph, layer: str | None = None) -> str | None:
    r"""The registry name of layer ``layer``'s activation (``A_l = f(Z_l)``), what Andrew Ng
    writes ``g^{[l]}``; without a layer, the one activation every such layer shares.

    >>> from symprop import mlp
    >>> g = mlp([3, 4, 2], activation="tanh", output="softmax", loss="ce", form="matrix")
    >>> layer_activation(g, "1"), layer_activation(g, "2"), layer_activation(g)
    ('tanh', None, 'tanh')
    """
    found = {}
    for symbol in graph.symbols:
        if m := re.fullmatch(r"A(\d+)", symbol.name):
            applied = getattr(graph.expr(symbol), "function", None)    # Apply(Lambda(d, f(d)), Z)
            entry = entry_for(applied.expr) if isinstance(applied, sympy.Lambda) else None
            found[m.group(1)] = entry.name if entry is not None else None
    if layer is not None:
        return found.get(layer)
    shared = {name for name in found.values() if name}
    return shared.pop() if len(shared) == 1 else None


def placeholder(symbol):
    """What a claim's dL/d``symbol`` reads as: ``dL_d<name>``, shaped as ``symbol`` (a plain
    Symbol for a scalar vertex)."""
    shape = tuple(getattr(symbol, "shape", ()))
    return MatrixSymbol("dL_d" + symbol.name, *shape) if shape else sympy.Symbol("dL_d" + symbol.name)


def function_key(head: str) -> str:
    r"""A function's spelling without fonts, braces or case: ``\operatorname{ReLU}`` is ``relu``."""
    return re.sub(r"[\s{}\\]|operatorname|mathrm|text(?:rm)?", "", head).lower()


class Names:
    """What names mean in one graph: its symbols, the batch size, derivative placeholders."""

    MAX_ATOMS = 600                      # names and numbers in a whole claim

    def __init__(self, graph):
        self.graph, self.by_key, self.folded = graph, {}, {}
        for s in graph.symbols:
            for spelling in (s.name, graph.latex_name(s)):
                self.by_key.setdefault(name_key(spelling), s)
        inputs = [s for s in graph.input_symbols if s.name == "X"]
        if inputs and "A_0" not in self.by_key:          # deeplearning.ai's A^{[0]} = X
            self.by_key["A_0"] = inputs[0]
        last = self.output_layer()
        for letter in "AZ":                                # and its AL, ZL: the last layer's
            if f"{letter}L" not in self.by_key and f"{letter}_{last}" in self.by_key:
                self.by_key[f"{letter}L"] = self.by_key[f"{letter}_{last}"]
        for key, s in self.by_key.items():
            self.folded.setdefault(key.lower(), set()).add(s)
        self.loss = next((s for s in graph.node_symbols if graph.kind(s) == "loss"), None)
        self.loss_keys = {name_key(x) for x in LOSS_SPELLINGS} | {
            k for k, s in self.by_key.items() if s == self.loss}
        self.placeholders: dict = {}     # dL_d<name> MatrixSymbol -> the graph's symbol
        self.used: set = set()           # the symbols whose derivative the current side uses
        self.atoms_left = self.MAX_ATOMS  # names and numbers the whole claim may still have
        self.functions = functions()      # read once per claim: the registry may grow

    def lookup(self, spelling: str):
        key = name_key(spelling)
        if key in self.by_key:
            return self.by_key[key]
        # y for Y only where the graph has no name of that case: then it cannot mean another.
        candidates = self.folded.get(key.lower(), set())
        return next(iter(candidates)) if len(candidates) == 1 else None

    def output_layer(self) -> str:
        """The number of the last layer (Nielsen's L)."""
        layers = [int(m[1]) for s in self.graph.symbols if (m := re.fullmatch(r"Z(\d+)", s.name))]
        return str(max(layers, default=0))

    def bare_layer(self, head: str, parser):
        r"""``a^L``, ``z^2``: a bare superscript naming a layer (L the last) of a name that has
        none, where the name it spells is the graph's (else it stays a power); the spelling.
        ``a^{2}`` is first the symbol displayed so (a network shown in Nielsen's notation,
        his layers numbered from the inputs' 1), else symprop's layer 2."""
        before = parser.pos
        if parser.take("^"):
            layer = parser.group(compact=True)
            if re.fullmatch(r"\d{1,3}", layer) and self.displayed(f"{head}^{{{layer}}}"):
                return f"{head}^{{{layer}}}"
            if re.fullmatch(r"\d{1,3}|L", layer):
                spelling = f"{head}^[{self.output_layer() if layer == 'L' else layer}]"
                if self.lookup(spelling) is not None:
                    return spelling
        parser.pos = before
        return None

    def displayed(self, spelling: str):
        """The symbol whose display name is ``spelling`` exactly (no other reading), or None."""
        found = self.by_key.get(name_key(spelling))
        return found if found is not None and name_key(
            self.graph.latex_name(found)) == name_key(spelling) else None

    def layer_error(self, layer: str, bare: str | None = None):
        r"""The node a layer's error is of: ``\delta^{3}`` (``bare``, a superscript alone) the one
        displayed ``z^{3}`` (Nielsen's numbering, on a network shown so), else ``Z{layer}``.

        >>> from symprop import mlp
        >>> from symprop.latex.notations import renamed
        >>> g = mlp([2, 3, 2], form="matrix")
        >>> Names(renamed(g, "nielsen")).layer_error("3", "3"), Names(g).layer_error("2", "2")
        (Z2, Z2)
        """
        shown = self.displayed(f"z^{{{bare}}}") if bare and bare.isdigit() else None
        return shown or self.lookup(f"Z{layer}")

    def spend(self, where: str) -> None:
        """Count one more name or number of the claim; refuse past MAX_ATOMS."""
        self.atoms_left -= 1
        if self.atoms_left < 0:
            raise LatexReadError(f"the claim is too long to read: more than {self.MAX_ATOMS} "
                                 f"names and numbers in all{where}")

    def spend_written_out(self, expr, where: str) -> None:
        """Count a side's operations written out as generated code runs it; refuse past a limit."""
        left = getattr(self, "written_left", MAX_WRITTEN_OUT)
        self.written_left = left - written_out_size(expr, max(left, 0))
        if self.written_left < 0:
            raise LatexReadError(f"the claim is too large to evaluate: written out entry by entry, "
                                 f"it has more than {MAX_WRITTEN_OUT} operations{where}")

    def fraction(self, top: str, bottom: str, top_at: str, bottom_at: str):
        r"""What ``\frac{\partial L}{\partial W_2}`` stands for; None if no derivative."""
        upper, lower = DERIVATIVE_MARK.match(top), DERIVATIVE_MARK.match(bottom)
        if not (upper and lower):
            return None
        of, by = top[upper.end():], bottom[lower.end():]
        if name_key(of) not in self.loss_keys:       # a derivative: of the loss only
            raise LatexReadError(f"only derivatives of the loss are read in matrix form, not of "
                                 f"{quote(of)}; write \\frac{{\\partial \\mathcal{{L}}}}"
                                 f"{{\\partial {by.strip()}}}{top_at}")
        wrt = self.lookup(by)
        if wrt is None:
            raise self.unknown(by, bottom_at)
        return self.derivative(wrt)

    def trace(self, argument, written: str, where: str):
        """``tr(argument)``, its scalar factor in front (a number is its own trace); a
        :class:`MatrixShapeError` naming the shape of an argument that is not square."""
        if not isinstance(argument, sympy.MatrixExpr):
            return argument
        if argument.shape[0] != argument.shape[1]:
            raise MatrixShapeError("trace", written, None, argument.shape, None, written, where)
        return ops.trace(argument)

    def derivative(self, symbol):
        if symbol == self.loss:
            return sympy.Integer(1)
        stands_for = placeholder(symbol)
        self.placeholders[stands_for] = symbol
        self.used.add(symbol)
        return stands_for

    def unknown(self, spelling: str, where: str) -> LatexReadError:
        close = difflib.get_close_matches(name_key(spelling), sorted(self.by_key), n=3, cutoff=0.5)
        listed = sorted({self.by_key[c].name for c in close}) or [
            s.name for s in self.graph.symbols]
        return LatexReadError(f"unknown name {quote(spelling)}{where}; "
                              f"{'did you mean' if close else 'the graph has'} "
                              + ", ".join(f"{self.graph.latex_name(n)} ({n})" for n in listed))


__all__ = ["ACCENTS", "FONTS", "MatrixShapeError", "Names", "function_key", "functions", "name_key",
           "placeholder", "quote", "screen", "TRACE", "with_article"]
