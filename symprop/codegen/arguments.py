"""The one check of the values a compiled program is called with, for both forms and every library.

:class:`ArgumentCheck` runs before the generated function: the names (missing,
unknown, a node passed as an input), then each value that is not already an
array of the program's own library (numbers, lists, other arrays): a number,
and finite.  The generated module itself converts every argument to its
``DTYPE`` and checks matrix shapes, with :func:`array_helper_source`, so that a
saved module or a jitted function still names a bad argument.  Arrays of the
program's library pass unread: reading a GPU tensor's values would wait for the
device, a ``meta`` tensor has none, and a matrix program's NumPy arrays are
large (reading them costs a twentieth of the gradient).  A scalar NumPy
program reads its NumPy arrays (one value per example) and takes plain floats
by a cheap sum.

>>> from symprop import Graph
>>> g = Graph(); x = g.inputs("x"); w = g.params("w"); z = g.node("z", w*x)
>>> L = g.loss("L", z**2)
>>> check = ArgumentCheck(g, ("x", "w"), floats=True)
>>> check({"x": 2, "w": 0.5})
{'x': 2, 'w': 0.5}
>>> check({"x": 2, "z": 1})
Traceback (most recent call last):
...
symprop.errors.SympropError: z is a node, not an input or parameter; missing value(s) for w; expected x, w
"""
from __future__ import annotations

import keyword
import sys

import numpy as np

from ..errors import SympropError, name_list
from ..ir.numeric import check_values
from .loader import load_module

# The fast entry of :meth:`ArgumentCheck.float_entry`.  Each name in braces is one of
# _ENTRY_NAMES, renamed to differ from every argument, or one of the argument lists.
_ENTRY = """{missing} = object()   # the default of an argument not given


def entry(*, {keywords}**{others}):
    try:
        {sum} = {total}
    except {Exception}:   # a value missing (the sentinel), a string, an array
        {sum} = None
    if not {others} and {type}({sum}) is {float} and {sum} - {sum} == 0.0:
        try:
            {loss}, {grads} = {function}({positional})
        except {ArithmeticError}:
            pass
        else:   # a NumPy loss summed to one number reads as a Python float
            return ({float}({loss}) if {type}({loss}) is {float64} else {loss}), {grads}
    {present} = {{{k}: {v} for {k}, {v} in {{{given}}}.items() if {v} is not {missing}}}
    return {checked}({{**{present}, **{others}}})
"""
_ENTRY_NAMES = ("missing", "others", "sum", "loss", "grads", "function", "checked", "float64",
                "float", "type", "Exception", "ArithmeticError", "k", "v", "present")


SUM_GROUP = 32   # terms a parenthesised group adds: the parse tree stays shallow


def balanced_sum(terms) -> str:
    """``terms`` (Python source) added as a balanced tree of parenthesised groups, so that
    Python's compiler, which recurses once a ``+``, takes thousands of them (a wide layer's
    parameters), where one flat chain would exceed its recursion limit.

    >>> balanced_sum(["a", "b", "c"])
    'a + b + c'
    >>> balanced_sum([f"x{i}" for i in range(70)]).count("(")
    3
    """
    terms = list(terms)
    while len(terms) > SUM_GROUP:
        terms = ["(" + " + ".join(terms[i:i + SUM_GROUP]) + ")"
                 for i in range(0, len(terms), SUM_GROUP)]
    return " + ".join(terms)


class ArgumentCheck:
    """``check(values) -> values``, checked as the docstring of this module says."""

    def __init__(self, graph, arguments, native=(), floats: bool = False):
        """``native``: ``(module, type name)`` of the arrays passed unread; ``floats``: plain
        floats are taken by a cheap sum and 0-d values given back as floats (scalar NumPy)."""
        self.graph, self.arguments = graph, tuple(arguments)
        self._names = frozenset(self.arguments)
        namespace = graph.namespace()   # once: it is a new dict of every name each call
        self._symbols = [namespace[n] for n in self.arguments]
        self._native, self._floats = native, floats

    def __call__(self, values: dict) -> dict:
        if values.keys() != self._names:
            self._wrong_names(values)
        if self._floats:
            # Cheap check for the common case, all Python numbers: a NaN or infinity
            # anywhere makes the sum non-finite.  Anything else is checked one by one.
            try:
                total = sum(values.values(), 0.0)
            except (TypeError, ValueError):  # ValueError: arrays that do not broadcast
                total = None
            if type(total) is float and total - total == 0.0:
                return values
        native = self._native_type()
        if native is not None:   # every value an array of the program's library: passed unread
            for value in values.values():
                if type(value) is not native and not isinstance(value, native):
                    break
            else:
                return values
        read = [s for s in self._symbols if native is None or not isinstance(values[s.name], native)]
        bad = next((s.name for s in read if values[s.name] is None
                    or isinstance(values[s.name], (str, bytes))), None)
        if bad is not None:  # NumPy would read "1.5" as a number, and None as NaN
            raise SympropError(f"value of {bad} is not a number: {values[bad]!r:.80}")
        checked = check_values(self.graph, {s.name: values[s.name] for s in read}, read)
        if self._floats:
            checked = {k: float(a) if not a.ndim else a for k, a in checked.items()}
        return {**values, **checked}

    def float_entry(self, function, checked):
        """``entry(**values)`` for a scalar NumPy program: ``function`` called with the values
        in order when every one is given and is a finite Python number, else ``checked(values)``.

        Python binds the names itself and one sum screens the values, so a call with floats
        costs about one function call more than the generated function (a [1, 2, 1]
        network's gradient is a few microseconds, the size of a checked dictionary's walk).
        ``function`` returns ``(loss, grads)``; an ArithmeticError (``math.exp(1000)``) is
        answered by ``checked`` too, which computes in float64 as NumPy does.

        >>> from symprop import Graph
        >>> g = Graph(); x = g.inputs("x"); w = g.params("w"); L = g.loss("L", w*x)
        >>> check = ArgumentCheck(g, ("x", "w"), floats=True)
        >>> entry = check.float_entry(lambda x, w: (w*x, {"w": x}), lambda v: ("checked", v))
        >>> entry(x=2.0, w=3.0), entry(x=2.0, w=float("nan"))
        ((6.0, {'w': 2.0}), ('checked', {'x': 2.0, 'w': nan}))
        >>> entry(w=1.0, z=0)
        ('checked', {'w': 1.0, 'z': 0})
        """
        names = self.arguments
        assert all(n.isidentifier() and not keyword.iskeyword(n) for n in names), names
        # The entry's own names (builtins too) differ from every argument name.
        own = {n: n + "_" * (1 + max(map(len, names), default=0)) for n in _ENTRY_NAMES}
        source = _ENTRY.format(
            **own, keywords="".join(f"{n}={own['missing']}, " for n in names),
            total=balanced_sum(("0.0", *names)), positional=", ".join(names),
            given=", ".join(f"{n!r}: {n}" for n in names))
        module = load_module(source, "symprop_argument_entry")   # names: identifiers only
        for name, value in {"function": function, "checked": checked,
                            "float64": np.float64, "float": float, "type": type,
                            "Exception": Exception, "ArithmeticError": ArithmeticError}.items():
            setattr(module, own[name], value)
        return module.entry

    def _native_type(self):
        if not self._native:
            return None
        module = sys.modules.get(self._native[0])  # imported already if a value is one of its arrays
        return getattr(module, self._native[1], None) if module is not None else None

    def _wrong_names(self, values):
        declared = self.graph.namespace()
        unknown = sorted(set(values) - self._names)
        missing = [n for n in self.arguments if n not in values]
        others = [n for n in unknown if n in declared]
        parts = []
        if others:  # declared, but neither input nor parameter
            kinds = {self.graph.kind(n) for n in others}
            kind = kinds.pop() if len(kinds) == 1 else "node or loss"
            parts.append(f"{', '.join(others)} {'is a' if len(others) == 1 else 'are'} "
                         f"{kind}{'' if len(others) == 1 else 's'}, not an input or parameter")
        if len(others) < len(unknown):
            parts.append(f"unknown value name(s) {name_list(n for n in unknown if n not in declared)}")
        if missing:
            parts.append(f"missing value(s) for {name_list(missing)}")
        raise SympropError(f"{'; '.join(parts)}; expected {', '.join(self.arguments)}")


def array_helper_source(backend) -> str:
    """The generated module's ``_array``: one argument as an array of DTYPE, its shape checked."""
    array = backend.to_array.format(value="value", dtype="DTYPE", device="device")
    return f'''def _array(name, value, shape=None, device=None):
    """``value`` as an array of DTYPE; ``shape`` (an entry None: any size) is checked."""
    try:
        array = {array}
    except (TypeError, ValueError, RuntimeError):
        raise SympropError(f"argument {{name}} is not an array of numbers") from None
    if array.shape == shape:   # the usual call, in one comparison
        return array
    actual = tuple(array.shape)
    if shape is not None and (len(actual) != len(shape) or any(
            size is not None and size != n for n, size in zip(actual, shape))):
        expected = ", ".join("m" if size is None else str(size) for size in shape)
        raise SympropError(f"argument {{name}} has shape {{actual}}; expected ({{expected}})")
    return array
'''


def device_helper_source() -> str:
    """``_device_of``: where a torch program's tensors live, taken from its arguments."""
    return '''def _device_of(*values):
    """The device of the first tensor among ``values`` (None: torch's default)."""
    return next((v.device for v in values if isinstance(v, torch.Tensor)), None)
'''


__all__ = ["ArgumentCheck", "array_helper_source", "device_helper_source"]
