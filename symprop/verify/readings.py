r"""A statement read under a convention: the author's quantities as multiples of symprop's adjoints.

Under ``convention``, the author's d(cost)/dv is ``scale(v)`` times symprop's
dL/dv (:func:`symprop.verify.conventions.scale`).  A line about node ``t`` that
uses the author's ``dZ`` is therefore *normalized* before it is judged: each
adjoint it uses multiplied by its scale, the whole divided by ``scale(t)``, so
that it is compared with symprop's own dL/dt.  A matrix line uses adjoints as
symbols (``dL_dZ2``), replaced one by one; a scalar line reads them as values,
and a back-propagation formula is linear in the one adjoint each term carries,
so a scalar line that uses any is multiplied by their (common) scale.

The other presets give the other readings: a wrong claim that one of them makes
right says so, and a right claim says which reading made it right whenever
another would not have.

>>> from symprop import mlp
>>> from symprop.verify.conventions import preset
>>> g = mlp([2, 3, 2], activation="relu", output="softmax", loss="ce", one_hot=True, form="matrix")
>>> dZ2 = g.adjoints().symbol[g.symbol("Z2")]
>>> r = Reading(g, preset("deeplearning.ai"), g.symbol("W2"), [{g.symbol("Z2")}])
>>> r.normalized(r.convention, [dZ2 * g.symbol("A1").T / g.batch])[0].doit()
dL_dZ2*A1.T
>>> [c.name for c in r.alternatives()]
['symprop']
"""
from __future__ import annotations

from dataclasses import replace

import sympy

from ..derive.simplify import adjoint_symbol
from .conventions import CONVENTIONS, means, scale


class Reading:
    """One statement about dL/d``about`` whose lines use the adjoints of ``used[i]`` (a set per line)."""

    def __init__(self, graph, convention, about, used):
        self.graph, self.convention, self.about = graph, convention, about
        self.used = [frozenset(u) - {graph.loss_symbol} for u in used]

    def _signature(self, convention):
        nodes = sorted({v for u in self.used for v in u} | {self.about}, key=str)
        return tuple(scale(self.graph, convention, v) for v in nodes)

    def normalized(self, convention, lines):
        """``lines`` as multiples of symprop's dL/d``about`` under ``convention``."""
        target = scale(self.graph, convention, self.about)
        out = []
        for line, used in zip(lines, self.used):
            if self.graph.form.adjoints_as_symbols:
                swap = {adjoint_symbol(self.graph, v): scale(self.graph, convention, v)
                        * adjoint_symbol(self.graph, v) for v in used
                        if scale(self.graph, convention, v) != 1}
                line = line.xreplace(swap) if swap else line
            elif used:
                line = scale(self.graph, convention, next(iter(used))) * line
            out.append(line if target == 1 else line / target)
        return out

    def alternatives(self):
        """The other presets that read this statement differently, one per distinct reading."""
        mine, seen, found = self._signature(self.convention), set(), []
        for convention in CONVENTIONS:
            signature = self._signature(convention)
            if signature != mine and signature not in seen:
                seen.add(signature)
                found.append(convention)
        return found

    def _kinds(self, one, other):
        """The symbols this statement involves that ``one`` and ``other`` read differently."""
        nodes = sorted({v for u in self.used for v in u} | {self.about}, key=str)
        differing = [v for v in nodes if scale(self.graph, one, v)
                     != scale(self.graph, other, v)] or nodes
        parameter = [v for v in differing if v in self.graph.param_symbols]
        node = [v for v in differing if v not in self.graph.param_symbols]
        return node[:1] + parameter[:1]

    def meaning(self, convention, other) -> str:
        """What ``convention`` makes of the symbols that ``other`` reads differently."""
        return "; ".join(dict.fromkeys(means(self.graph, convention, v)
                                       for v in self._kinds(convention, other)))

    def explain(self, verdict, lines, right_under):
        """``verdict`` with its reading said: which convention it was judged under, and, when it
        is wrong, the other convention (if any) under which it is right.

        ``right_under(normalized lines) -> bool``: whether those lines are the truth.
        """
        alternatives = self.alternatives()
        if not alternatives:
            return verdict
        mine = self.convention
        if verdict.equivalent is True:
            other = alternatives[0]
            return replace(verdict, reading=f"right under {mine.title} convention, where "
                           f"{self.meaning(mine, other)}; it would not be under "
                           f"{other.title} convention, where {self.meaning(other, mine)}")
        if verdict.equivalent is False and verdict.diagnosis is not None:
            for other in alternatives:
                if right_under(self.normalized(other, lines)):
                    said = (f"right if {self.meaning(other, mine)}, as in {other.title} "
                            f"convention; under this spec's convention ({mine.title}: "
                            f"{self.meaning(mine, other)}) it is wrong: {verdict.diagnosis}")
                    return replace(verdict, diagnosis=said,
                                   reading=f"judged under {mine.title} convention")
            return replace(verdict, reading=f"judged under {mine.title} convention, where "
                           f"{self.meaning(mine, alternatives[0])}")
        return verdict


def used_adjoints(graph, step) -> frozenset:
    """The nodes whose dL/d a line uses: the matrix reader's ``adjoints``, the scalar reader's
    loss derivatives."""
    if hasattr(step, "adjoints"):
        return frozenset(step.adjoints)
    return frozenset(v for of, v in step.derivatives if of == graph.loss_symbol)


__all__ = ["Reading", "used_adjoints"]
