r"""The parts of the notes that make them a lesson: the functions a network uses, each defined
with its derivative derived once, and the update rule that uses the gradients.

Everything here is derived by sympy from the registry's functions (their definitions in
elementary terms, ``f(z).rewrite(exp)``, and their derivatives), never written by hand:

>>> from symprop import mlp
>>> from symprop.latex.to_latex import latex_body
>>> print(latex_body(functions_blocks(mlp([1, 2, 1]))[2:]))
\begin{align*}
\sigma(z) &= \frac{1}{e^{- z} + 1} \\
\sigma'(z) &= \frac{e^{- z}}{\left(e^{- z} + 1\right)^{2}} = \left(1 - \sigma(z)\right) \sigma(z)
\end{align*}
"""
from __future__ import annotations

import sympy

from ..registry.functions import entry_for
from . import blocks
from .blocks import Math
from .derivation import Line
from .fitting import fits_line, fitted
from .printer import printer, symbol_latex

Z = sympy.Symbol("z")
DEFINED_BY = (sympy.exp, sympy.log, sympy.tanh, sympy.Max, sympy.Piecewise)
MOST_NODES = 40   # a derived form longer than this (sympy's count) is not shown


def used_functions(graph) -> list:
    """The registry entries of the activation and output functions ``graph``'s nodes apply,
    in the order the nodes first use them."""
    found = {}
    for node in graph.node_symbols:
        for applied in sorted(graph.expr(node).atoms(sympy.Function), key=str):
            entry = entry_for(applied)
            # A function with a name of its own to print (the identity has none).
            if entry is not None and (entry.activation or entry.output) and entry.latex:
                found.setdefault(entry.name, (entry, applied))
    return list(found.values())


def _small(expr) -> bool:
    return sympy.count_ops(expr, visual=False) <= MOST_NODES


def _scalar_lines(entry, p) -> list[Line]:
    applied = entry.sympy_class(Z)
    name = p.doprint(applied)
    prime = name.replace("(z)", "'(z)", 1) if name.endswith("(z)") else rf"\left({name}\right)'"
    # Its definition in elementary terms (the logistic's exponentials, softplus's log, GELU's
    # tanh), else as a maximum (ReLU's max(0, z)) or by cases (the leaky ReLU's): whichever
    # the registry's class rewrites to.
    defined = next((d for d in (applied.rewrite(f) for f in DEFINED_BY)
                    if d != applied), applied)
    derivative = sympy.diff(applied, Z)        # the registry's form, as the partials use it
    if defined == applied or not _small(defined):  # no elementary definition to show
        return [Line(prime, p.doprint(derivative))]
    # differentiated as written, not simplified; a step at 0 is 0, as PyTorch's gradients take it
    direct = sympy.diff(defined, Z).replace(sympy.Heaviside, lambda x, *at: sympy.Heaviside(x, 0))
    steps = [p.doprint(direct)] if _small(direct) and direct != derivative else []
    derived = Line(prime, " = ".join(steps + [p.doprint(derivative)]))
    return [Line(name, p.doprint(defined)),
            derived if fits_line(derived) else Line(prime, p.doprint(derivative))]


def _vector_lines(entry, applied, p) -> list[Line]:
    """Component 1 of a vector function of K inputs (softmax): its definition, and its
    derivatives by its own input and by another."""
    size = len(applied.args) - 1
    zs = sympy.symbols(f"z_1:{size + 1}")
    outputs = {entry.sympy_class(k, *zs): sympy.Symbol(f"s_{k}") for k in (1, 2)}
    first, s1 = next(iter(outputs.items()))
    lines = [Line(p.doprint(s1), p.doprint(first.rewrite(sympy.exp)),
                  f"{entry.phrase}, component 1 of {size}")]
    for z in zs[:2]:
        partial = rf"\frac{{\partial s_{{1}}}}{{\partial {p.doprint(z)}}}"
        lines.append(Line(partial, p.doprint(sympy.diff(first, z).xreplace(outputs))))
    return lines


def functions_blocks(graph, heading: str = "Functions and their derivatives") -> list:
    """Each activation and output function the graph uses, defined, with its derivative
    derived once (the local partials below are these, at each node)."""
    used = used_functions(graph)
    if not used:
        return []
    p = printer(None)
    lines = []
    for entry, applied in used:
        lines += (_vector_lines(entry, applied, p) if entry.vector_valued
                  else _scalar_lines(entry, p))
    return [blocks.heading(heading),
            blocks.paragraph("The network applies these functions; each derivative is "
                             "derived once here and used at every node that applies it:"),
            blocks.display(fitted(lines))]


def update_blocks(graph, params=None, heading: str = "The update") -> list:
    r"""Gradient descent's step, which is what the gradients are for: each parameter moves
    against its gradient, by the learning rate :math:`\alpha`."""
    params = list(graph.param_symbols if params is None else params)
    loss = symbol_latex(graph, graph.loss_symbol)
    lines = [Line(symbol_latex(graph, w),
                  rf"{symbol_latex(graph, w)} - \alpha \frac{{\partial {loss}}}"
                  rf"{{\partial {symbol_latex(graph, w)}}}", op=":=")
             for w in (params if len(params) <= 3 else params[:1])]
    said = (", here the first; every other parameter likewise" if len(params) > 3 else "")
    return [blocks.heading(heading),
            blocks.paragraph("Training moves each parameter a small step against its gradient, "
                             "by the learning rate ", Math(r"\alpha"), said, ":"),
            blocks.display(lines)]


__all__ = ["functions_blocks", "update_blocks", "used_functions"]
