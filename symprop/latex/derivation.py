r"""A derivation as the lesson writes it by hand: an ``aligned`` block, one line a step.

The steps, in order (choose with ``steps=``):

``locals``      each local partial on the paths, one line each (the lesson's chain-rule cases);
``chain``       the chain rule as partial-derivative fractions, one product per path;
``adjoint``     the same grouped by the parameter's children: ``dz/dw dL/dz`` (the lesson's
                ``a_1^{[0]} dL/dz_2^{[1]}``), every adjoint shared with other parameters;
``substitute``  each local partial replaced by its value, in the path's order;
``simplify``    every textbook rule applied, named, then the result in node values;
``closed``      the result in inputs and parameters only (or ``closed_form=True``).

>>> from symprop import mlp
>>> d = mlp([1, 2, 1]).derive("b2_1")
>>> print(derivation_latex(d, steps=("chain",)))
\begin{aligned}
\frac{\partial \mathcal{L}}{\partial b_{1}^{[2]}} &= \frac{\partial z_{1}^{[2]}}{\partial b_{1}^{[2]}} \frac{\partial a_{1}^{[2]}}{\partial z_{1}^{[2]}} \frac{\partial \mathcal{L}}{\partial a_{1}^{[2]}}
\end{aligned}
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy
from sympy.core.sympify import _sympify  # objects only: a string is refused, never parsed

from ..errors import SympropError
from ..derive.paths import reaches_loss
from ..derive.sizes import tree_size
from .differentials import Differentials
from .fitting import fits_line, fitted
from .printer import (PARTIAL, colored, local_form, partial_fraction, printer,
                      symbol_latex)

STEPS = ("locals", "chain", "adjoint", "substitute", "simplify", "closed")
DEFAULT_STEPS = ("chain", "substitute", "simplify")
# Colours by their CSS names, as KaTeX and MathJax (a notebook, notes.html) set them; the
# LaTeX preamble defines each to the same value, so the PDF agrees (xcolor's own green is
# #00FF00, unreadable on white; the lesson's green is CSS's #008000).  Light ones are left out.
CSS_COLORS = {"red": "FF0000", "blue": "0000FF", "green": "008000", "magenta": "FF00FF",
              "chocolate": "D2691E", "teal": "008080", "darkviolet": "9400D3",
              "brown": "A52A2A", "darkcyan": "008B8B", "olive": "808000", "purple": "800080",
              "gray": "808080"}
PALETTE = tuple(name for name in CSS_COLORS if name not in ("red", "blue"))
MAX_PATHS = 8  # beyond this many paths, the chain rule is written with the adjoints
SHOWN_RESTATED = 12  # lines of a result restated through its shared adjoints
LINE_NODES = 120     # sympy tree nodes beyond which an expression cannot fit one line


@dataclass(frozen=True)
class Line:
    """One line of the block: ``lhs &= rhs`` (``op`` '+' or '-' continues a sum), with a note."""

    lhs: str
    rhs: str
    note: str = ""
    op: str = "="


def escape(words: str) -> str:
    r"""Plain text with LaTeX's special characters escaped.

    >>> escape("50% & more"), escape("||W1||_F")
    ('50\\% \\& more', '\\textbar{}\\textbar{}W1\\textbar{}\\textbar{}\\_F')
    """
    special = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
               "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}", "|": r"\textbar{}",
               "<": r"\textless{}", ">": r"\textgreater{}"}   # not TeX's text-font dash, ¡ and ¿
    return "".join(special.get(c, c) for c in words)


def text(words: str) -> str:
    r"""``\text{...}`` holding ``words``, escaped."""
    return r"\text{%s}" % escape(words)


def node_colors(d, colors) -> dict:
    """``{identifier: xcolor}`` from ``colors``: False, True (a palette) or a mapping."""
    if not colors:
        return {}
    if colors is True:
        chosen = {d.loss.name: "red", d.wrt.name: "blue"}
        others = [n for n in reversed(d.downstream) if n not in (d.loss, d.wrt)]
        chosen.update({n.name: PALETTE[i % len(PALETTE)] for i, n in enumerate(others)})
        return chosen
    if isinstance(colors, Mapping):
        return {d.graph.symbol(k).name: v for k, v in colors.items()}
    raise SympropError(f"colors must be True, False or a mapping node -> xcolor name, got {colors!r}")


class _Writer:
    """Builds the lines of one derivation; one method per step."""

    def __init__(self, d, colors, names, differential, max_paths, underbrace, derived=()):
        if differential not in ("partial", "auto"):
            raise SympropError(f"differential must be 'partial' or 'auto', got {differential!r}")
        self.d, self.g = d, d.graph
        self.colors, self.names = node_colors(d, colors), names
        self.p = printer(d.graph, names)
        self.auto = differential == "auto"
        self.underbrace = underbrace
        self.derived = frozenset(d.graph.symbol(n) for n in derived)
        self.listed = d.path_count <= max_paths and d.listable
        self.differentials = Differentials(d.graph) if self.auto else None
        self.lhs = self.frac(d.loss, d.wrt, d=self._d("adjoint", d.wrt))
        # The lesson writes a function of one variable's chain outer factor first
        # (df/dg dg/dx), and a network's from the parameter up (dz/db da/dz dL/da).
        self.outer_first = self.auto and self.differentials.one_variable(d.loss)

    # ----------------------------------------------------------- pieces
    def _d(self, kind, vertex) -> str:
        """The d of a local partial (``kind`` "local") or an adjoint ("adjoint")."""
        if self.differentials is None:   # differential="partial"
            return PARTIAL
        return getattr(self.differentials, kind)(vertex)

    def frac(self, top, bottom, d=PARTIAL) -> str:
        return partial_fraction(self.g, top, bottom, self.colors, self.names, d)

    def local(self, parent, child) -> str:
        """d child / d parent (see :mod:`symprop.latex.differentials` for which d)."""
        return self.frac(child, parent, d=self._d("local", child))

    def adjoint_frac(self, node) -> str:
        return self.frac(self.d.loss, node, d=self._d("adjoint", node))

    def latex(self, expr) -> str:
        """``expr`` in LaTeX; a shared adjoint symbol (``dL_dz``) prints as its fraction."""
        self.name_adjoints(expr)
        return self.p.doprint(expr)

    def name_adjoints(self, expr) -> None:
        """Give this printer the fraction of each shared adjoint symbol in ``expr``."""
        node_of = self.adjoint_nodes()
        for symbol in _sympify(expr).free_symbols:  # the printed forms are bounded
            if symbol in node_of and symbol.name not in self.p.names:
                self.p.names[symbol.name] = self.adjoint_frac(node_of[symbol])

    def adjoint_nodes(self) -> dict:
        """``{dL_dz: z}`` for the shared adjoint symbols (built once per writer)."""
        if not hasattr(self, "_adjoint_nodes"):
            self._adjoint_nodes = {s: n for n, s in self.d._adjoints.symbol.items()
                                   if getattr(s, "is_Symbol", False)}
        return self._adjoint_nodes

    def children(self):
        """Edges out of the parameter that lead to the loss, in declaration order."""
        live = reaches_loss(self.g)
        return [e for e in self.g.out_edges(self.d.wrt) if e.child in live]

    def sum_lines(self, terms, labels, note=""):
        """The terms' sum on one line (broken after a term only where the page needs it, by
        :func:`fitted`), or one line of labelled underbraces."""
        if self.underbrace:
            braced = [r"\underbrace{%s}_{%s}" % (t, label) for t, label in zip(terms, labels)]
            return [Line(self.lhs, " + ".join(braced), note)]
        signed = [terms[0]] + [f"- {t[1:].lstrip()}" if t.startswith("-") else f"+ {t}"
                               for t in terms[1:]]
        return [Line(self.lhs, " ".join(signed), note)]

    def in_order(self, factors: list) -> list:
        """A path's factors (parameter first) in the order the derivation writes them."""
        return factors[::-1] if self.outer_first else factors

    def path_label(self, path) -> str:
        return r" \to ".join(symbol_latex(self.g, n, self.names) for n in path.nodes)

    # ----------------------------------------------------------- steps
    def locals(self):
        edges = []
        if self.listed:
            for path in self.d.paths:
                for parent, child in self.in_order(list(zip(path.nodes, path.nodes[1:]))):
                    if (parent, child) not in edges:
                        edges.append((parent, child))
        else:
            below = set(self.d.downstream)
            edges = [(e.parent, e.child) for e in self.g.edges
                     if e.child in below and (e.parent in below or e.parent == self.d.wrt)]
        return [Line(self.local(p, c), self.latex(self.g.partial(p, c))) for p, c in edges]

    def chain(self):
        if not self.listed:
            return [Line(self.lhs, self.adjoint_sum(substituted=False),
                         f"{self.d.path_count} paths, grouped by the adjoints")]
        terms = [" ".join(self.local(p, c) for p, c in
                          self.in_order(list(zip(path.nodes, path.nodes[1:]))))
                 for path in self.d.paths]
        return self.sum_lines(terms, [self.path_label(path) for path in self.d.paths])

    def adjoint_sum(self, substituted: bool) -> str:
        terms = []
        for edge in self.children():
            if edge.child == self.d.loss:
                terms.append(self.latex(edge.partial) if substituted
                             else self.local(edge.parent, edge.child))
            elif substituted:
                factor = self.p.factor(edge.partial)
                terms.append(self.adjoint_frac(edge.child) if edge.partial == 1
                             else f"{factor} {self.adjoint_frac(edge.child)}")
            else:
                terms.append(f"{self.local(edge.parent, edge.child)} {self.adjoint_frac(edge.child)}")
        return " + ".join(terms)

    def adjoint(self):
        grouped, substituted = self.adjoint_sum(False), self.adjoint_sum(True)
        if grouped == substituted or not self.listed:  # the chain line showed it grouped
            return [Line(self.lhs, substituted)]
        rhs = f"{grouped} = {substituted}"
        return [Line(self.lhs, rhs)]

    def substitute(self):
        if not self.listed:
            return [Line(self.lhs, self.adjoint_sum(substituted=True))]
        terms = [self.p.product(self.in_order(list(path.factors))) for path in self.d.paths]
        return self.sum_lines(terms, [self.path_label(path) for path in self.d.paths])

    def simplify(self):
        """Each rule applied (at most SHOWN_STEPS), the result, and the shared adjoints it uses."""
        from ..derive.derivation import SHOWN_DEFINITIONS, SHOWN_STEPS

        lines, steps = [], self.d.steps
        last = {step.node: step for step in steps[:SHOWN_STEPS]}
        for step in steps[:SHOWN_STEPS]:
            before, after = self.d.step_forms(step)
            if step.node in self.derived:   # the reader has seen these rules applied: the result
                if last[step.node] is step:
                    lines.append(Line(self.adjoint_frac(step.node), self.latex(after),
                                      "as above"))
                continue
            lines.append(Line(self.adjoint_frac(step.node), self.latex(before)))
            lines.append(Line("", self.latex(after), step.rule))
        if len(steps) > SHOWN_STEPS:
            lines.append(Line("", r"\dots", f"{len(steps) - SHOWN_STEPS} more rules applied"))
        small = tree_size(self.d.result) <= LINE_NODES   # else too long to print to measure
        result = Line(self.lhs, self.result()) if small else None
        lines.extend([result] if small and fits_line(result) else self.restated())
        definitions = self.d.definitions
        node_of = self.adjoint_nodes()
        for symbol, expr in definitions[::-1][:SHOWN_DEFINITIONS]:
            lines.append(Line(self.adjoint_frac(node_of[symbol]), self.latex(expr),
                              "shared adjoint"))
        if len(definitions) > SHOWN_DEFINITIONS:
            lines.append(Line("", r"\dots",
                              f"{len(definitions) - SHOWN_DEFINITIONS} more shared adjoints"))
        return lines

    def restated(self, most: int = SHOWN_RESTATED):
        """The result too wide for a line, through the shared adjoints: dL/dw over the adjoints
        of the nodes it feeds, then each of those in full where it fits, else over its own."""
        wrt, lines, todo, seen = self.d.wrt, [], [self.d.wrt], {self.d.wrt}
        node_of = self.adjoint_nodes()
        while todo and len(lines) < most:
            node = todo.pop(0)
            lhs, note = ((self.lhs, "") if node == wrt else
                         (self.adjoint_frac(node), "shared adjoint"))
            # An adjoint of more tree nodes than a line holds symbols is not printed to be measured.
            if node != wrt and tree_size(self.d.adjoint(node)) <= LINE_NODES:
                full = Line(lhs, self.latex(self.d.adjoint(node)), note)
                if fits_line(full):
                    lines.append(full)
                    continue
            local = self.d.local_of(node)
            self.name_adjoints(local)
            lines.append(Line(lhs, local_form(self.p, local, set(self.p.names)), note))
            below = sorted((node_of[s] for s in local.free_symbols if s in node_of),
                           key=self.g.symbols.index)
            todo += [n for n in below if n not in seen]
            seen.update(below)
        if todo:
            lines.append(Line("", r"\dots", f"{len(todo)} more shared adjoints"))
        return lines

    def result(self) -> str:
        """The result, its factors in the path's order when there is one path (the lesson's)."""
        result = self.d.result
        if not (self.listed and self.d.path_count == 1 and result.is_Mul
                and sympy.denom(result) == 1):
            return self.latex(result)
        factors = self.d.paths[0].factors

        def position(factor):
            if factor.is_Number:
                return -1
            hits = [i for i, f in enumerate(factors) if factor.free_symbols & f.free_symbols]
            return hits[0] if hits else len(factors)

        return self.p.product(sorted(result.as_ordered_factors(), key=position), sep=" ")

    def closed(self):
        if not self.d.has_closed_form:
            from ..derive.derivation import CLOSED_FORM_LIMIT, _about

            return [Line(self.lhs, r"\dots", f"in inputs and parameters: not written out, "
                         f"{_about(self.d.closed_form_size)} terms and factors "
                         f"(limit {CLOSED_FORM_LIMIT})")]
        return [Line(self.lhs, self.latex(self.d.closed_form), "in inputs and parameters")]

    def update(self, learning_rate):
        w = symbol_latex(self.g, self.d.wrt, self.names)
        return Line(w, f"{w} - {learning_rate} {self.lhs}", op=":=")

    def zero(self):
        return [Line(self.lhs, "0", f"no path leads from {self.d.wrt} to {self.d.loss}")]


def render(lines, env: str = "aligned", columns: int = 1) -> str:
    """The ``aligned`` block (or ``env``, e.g. ``align*`` in documents, which may break
    across pages); a line's left side is dropped when it repeats the one above.
    ``columns`` > 1 sets that many equations side by side in a row (lines with a left side,
    as :func:`symprop.latex.fitting.columns_for` chooses)."""
    if columns > 1:
        cells = [f"{line.lhs} &= {line.rhs}" + (r" \qquad %s" % text(f"({line.note})")
                                                if line.note else "") for line in lines]
        rows = [r" & \qquad ".join(cells[i:i + columns]) for i in range(0, len(cells), columns)]
        return f"\\begin{{{env}}}\n" + " \\\\\n".join(rows) + f"\n\\end{{{env}}}"
    rows, previous = [], None
    for line in lines:
        lhs = "" if line.lhs == previous else line.lhs
        previous = line.lhs or previous
        rel = {"=": "&= ", "+": r"&\quad + ", "-": r"&\quad - ", ":=": "&:= "}[line.op]
        note = r" \qquad %s" % text(f"({line.note})") if line.note else ""
        rows.append(f"{lhs} {rel}{line.rhs}{note}".strip())
    return f"\\begin{{{env}}}\n" + " \\\\\n".join(rows) + f"\n\\end{{{env}}}"


def derivation_lines(d, steps=DEFAULT_STEPS, closed_form=False, colors=False, underbrace=False,
                     update=False, learning_rate=r"\alpha", names=None, differential="auto",
                     max_paths=MAX_PATHS, derived=(), notation=None) -> list[Line]:
    """The lines of :func:`derivation_latex`, for callers that lay them out themselves.

    ``derived``: nodes whose adjoints' simplifications the reader has seen (in an earlier
    derivation of the same notes): each is stated by its result, "as above".
    ``notation``: a textbook's names (:mod:`symprop.latex.notations`)."""
    d = _in_notation(d, notation)
    if isinstance(steps, str):
        steps = (steps,)
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        raise SympropError(f"unknown derivation step(s) {', '.join(map(repr, unknown))}; "
                           f"choose from {', '.join(STEPS)}")
    writer = _Writer(d, colors, names, differential, max_paths, underbrace, derived)
    if d.is_zero:
        return writer.zero()
    chosen = [s for s in STEPS if s in steps or (s == "closed" and closed_form)]
    lines, lhs = [], None
    for line in (line for step in chosen for line in getattr(writer, step)()):
        repeated = (lines and (line.rhs, line.op) == (lines[-1].rhs, lines[-1].op)
                    and line.lhs in ("", lhs))
        if not repeated:  # a step that changes nothing is not shown twice
            lines.append(line)
        lhs = line.lhs or lhs
    if update:
        lines.append(writer.update(learning_rate))
    return fitted(lines)


def _in_notation(d, notation):
    """``d`` derived in a graph printing in ``notation`` (the same adjoints, shared)."""
    from .notations import renamed

    graph = renamed(d.graph, notation)
    return d if graph is d.graph else graph.derive(d.wrt)


def derivation_latex(d, steps=DEFAULT_STEPS, closed_form=False, colors=False, underbrace=False,
                     update=False, learning_rate=r"\alpha", names=None, differential="auto",
                     max_paths=MAX_PATHS, notation=None) -> str:
    r"""The derivation of ``d`` (a :class:`~symprop.derive.derivation.Derivation`) as LaTeX.

    ``steps``: which of :data:`STEPS` to show (see the module docstring);
    ``closed_form=True`` adds the closed form.  ``colors``: True for one colour
    per node, or ``{node: xcolor name}`` as in the lesson's Examples 1 and 2.
    ``underbrace=True`` labels each path's product with its nodes instead of
    writing one line per path.  ``update=True`` adds the gradient-descent line
    ``w := w - \alpha dL/dw`` (``learning_rate`` names the step size).
    ``names``: LaTeX for symbols in this derivation only (``{"x": "a_{1}^{[0]}"}``).
    ``differential='auto'`` (the default) writes ``\mathrm{d}`` for the derivative of a
    function of one variable, as the lesson's chain-rule cases write df/dg and dg/dx;
    ``'partial'`` writes a rounded d everywhere.  Beyond ``max_paths`` paths the chain
    rule is written through the adjoints instead of path by path.  ``notation``: ``"seed"``
    (symprop's own), ``"nielsen"`` or ``"deeplearning.ai"``, the names of a network built by
    ``mlp()`` as that textbook writes them (:mod:`symprop.latex.notations`).

    >>> from symprop import mlp
    >>> d = mlp([1, 2, 1]).derive("b2_1")
    >>> print(derivation_latex(d, steps=("simplify",)))
    \begin{aligned}
    \frac{\partial \mathcal{L}}{\partial z_{1}^{[2]}} &= a_{1}^{[2]} \left(1 - a_{1}^{[2]}\right) \left(\frac{1 - y}{1 - a_{1}^{[2]}} - \frac{y}{a_{1}^{[2]}}\right) \\
    &= a_{1}^{[2]} - y \qquad \text{(sigmoid with binary cross-entropy)} \\
    \frac{\partial \mathcal{L}}{\partial b_{1}^{[2]}} &= a_{1}^{[2]} - y
    \end{aligned}
    """
    return render(derivation_lines(d, steps, closed_form, colors, underbrace, update,
                                   learning_rate, names, differential, max_paths,
                                   notation=notation))


__all__ = ["derivation_latex", "derivation_lines", "render", "text", "escape", "Line", "STEPS",
           "DEFAULT_STEPS", "node_colors", "colored"]
