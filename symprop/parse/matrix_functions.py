r"""The functions of a matrix claim: ``\\sigma(Z)``, ``\\sigma'(Z)``, ``\\tanh^2(Z)``, the registry's
functions entry by entry; deeplearning.ai's ``g^{[l]\\prime}(Z)`` and Wikipedia's ``(f^l)'``, a
layer's own activation.  A part of the matrix reader (:mod:`.matrix_latex`), which mixes it in.
"""
from __future__ import annotations

import re

from ..errors import SympropError
from ..registry.functions import REGISTRY
from .matrix_build import apply_function, is_matrix, settled
from .matrix_names import layer_activation, quote

MAX_PRIMES = 3                 # sigma'''(Z): each derivative of a function grows its formula
CLOSING = {"(": ")", "[": "]", "{": "}"}


class FunctionReading:
    """The parser's reading of functions; it uses the parser's scanning (take, group, error)."""

    def layer_function(self, start: int):
        r"""``g^{[l]}(Z)``, ``g^{[l]\prime}(Z)``, ``g'(Z)``: layer l's activation (or the one the
        hidden layers share) and its derivatives, as deeplearning.ai writes them."""
        self.pos, layer, primes = start + 1, None, 0
        if self.take("^"):
            written = re.fullmatch(r"\[(\d{1,3})\]((?:\\prime|')*)", self.group(compact=True))
            if written is None:
                raise self.error(r"g is read as a layer's activation: g^{[l]}(Z) or "
                                 r"g^{[l]\prime}(Z)", start)
            layer = written.group(1)
            primes = written.group(2).count(r"\prime") + written.group(2).count("'")
        name = layer_activation(self.names.graph, layer)
        if name is None:
            which = f"layer {layer} has" if layer else "the layers have"
            raise self.error(f"g names a layer's activation, but {which} no one activation "
                             "applied entry by entry", start)
        return self.function(name, primes)

    def layer_derivative(self, layer: str, start: int):
        r"""``(f^l)'``: layer l's activation differentiated, at that layer's input Z_l."""
        name, node = layer_activation(self.names.graph, layer), self.names.lookup(f"Z_{layer}")
        if name is None or node is None:
            raise self.error(f"(f^{layer})' names layer {layer}'s activation, but the graph has "
                             "no such layer with one activation applied entry by entry", start)
        return self.apply(name, [node], 1)

    def function(self, name: str, primes: int = 0):
        r"""``\sigma(Z)``, ``\sigma'(Z)``, ``\tanh^2(Z)``: a registry function entry by entry."""
        power = None
        while self.peek("'", "^"):
            content = r"\prime" if self.take("'") else self.take("^") and self.group(compact=True)
            if content == r"\prime":
                primes += 1
                if primes > MAX_PRIMES:
                    raise self.error(f"{name} with more than {MAX_PRIMES} primes is not read")
            elif re.fullmatch(r"\d{1,3}", content):
                power = content
            else:
                raise self.error(f"cannot read the superscript {quote(content)} of a function")
        opening = self.take("(", "[")
        if opening is None:
            raise self.error(f"the function {name} needs its argument in parentheses")
        arguments = [self.expression()]
        while self.take(","):                       # \max(0, Z)
            arguments.append(self.expression())
        self.expect(CLOSING[opening], f"to close the argument of {name}")
        value = self.apply(name, arguments, primes)
        return value if power is None else self.superscript(value, power, self.pos)

    def apply(self, name: str, arguments: list, primes: int = 0):
        arguments = [settled(a) for a in arguments]
        entry, matrices = REGISTRY[name], [a for a in arguments if is_matrix(a)]
        if entry.vector_valued and (primes or len(arguments) > 1 or not matrices):
            raise self.error(f"{name} is read only as {name}(Z) of a matrix Z")
        if len(matrices) > 1:
            raise self.error(f"{name} applies entry by entry to one matrix; its other arguments "
                             "are numbers")
        at = arguments.index(matrices[0]) if matrices else 0
        others = tuple(None if i == at else a for i, a in enumerate(arguments))
        try:
            if len(arguments) in entry.sympy_class.nargs:
                return apply_function(name, arguments[at], primes, self.where(), others)
        except SympropError:
            raise
        except (TypeError, ValueError):         # where(Z): no comparison to branch on
            pass
        raise self.error(f"{name} does not take {len(arguments)} argument"
                         f"{'s' if len(arguments) > 1 else ''} as written")


__all__ = ["FunctionReading", "MAX_PRIMES"]
