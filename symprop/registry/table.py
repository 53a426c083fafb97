"""The registry's table: every function symprop knows, by name and by sympy class.

Nothing else in symprop branches on function names: each stage reads what it
needs from an :class:`~symprop.registry.entry.Entry`, so adding a function is
adding one entry here (or :func:`register` at run time).

>>> REGISTRY["relu"].latex
'\\\\operatorname{ReLU}'
"""
from __future__ import annotations

from typing import Callable

import math

import sympy
from sympy import Heaviside

from . import numpy_forms, stable, torch_sources
from .classes import (identity, leaky_relu, mod, relu, sigmoid, softmax, softplus, step,
                      where)
from .entry import Entry
from .gated import gelu, gelu_torch, silu, silu_torch
from .hyperbolic import HYPERBOLIC_TWINS, cosh, sinh, tanh
from .losses import LOSSES
from .torch_forms import (_torch, _torch_leaky_relu, _torch_maximum, _torch_minimum,
                          _torch_piecewise, _torch_softmax)

# kink: the derivative jumps where the first argument is 0 (the verifier keeps its
# points away); flat: the derivative is 0 wherever it exists, as PyTorch takes it
# everywhere (sign'(0) = step'(0) = 0, not a DiracDelta), so graphs differentiate
# through it as through a constant.
_ENTRIES = [
    Entry("sigmoid", sigmoid, numpy_forms.sigmoid, lambda x: _torch().sigmoid(x),
          r"\sigma", activation=True, output=True, torch_source=torch_sources.SIGMOID,
          log_form=stable.log_sigmoid, log_complement_form=stable.log_one_minus_sigmoid),
    Entry("tanh", tanh, None, lambda x: _torch().tanh(x), r"\tanh", activation=True),
    Entry("relu", relu, numpy_forms.relu, lambda x: _torch().relu(x),
          r"\operatorname{ReLU}", activation=True, torch_source=torch_sources.RELU,
          kink=True, zero_below=True),
    Entry("leaky_relu", leaky_relu, numpy_forms.leaky_relu, _torch_leaky_relu,
          r"\operatorname{LeakyReLU}", activation=True, torch_source=torch_sources.LEAKY_RELU,
          kink=True, zero_below=True),
    Entry("softplus", softplus, numpy_forms.softplus,
          lambda x: _torch().nn.functional.softplus(x), r"\operatorname{softplus}",
          activation=True, torch_source=torch_sources.SOFTPLUS),
    Entry("gelu", gelu, numpy_forms.gelu, gelu_torch, r"\operatorname{GELU}", activation=True,
          torch_source=torch_sources.GELU),
    Entry("silu", silu, numpy_forms.silu, silu_torch, r"\operatorname{SiLU}", activation=True,
          torch_source=torch_sources.SILU),
    Entry("identity", identity, None, lambda x: x, "", activation=True, output=True),
    Entry("softmax", softmax, numpy_forms.softmax, _torch_softmax, r"\operatorname{softmax}",
          output=True, vector_valued=True, torch_source=torch_sources.SOFTMAX,
          log_form=stable.log_softmax),
    Entry("exp", sympy.exp, None, lambda x: _torch().exp(x), r"\exp"),
    Entry("log", sympy.log, None, lambda x: _torch().log(x), r"\log", reads=(r"\ln",)),
    Entry("sin", sympy.sin, None, lambda x: _torch().sin(x), r"\sin"),
    Entry("cos", sympy.cos, None, lambda x: _torch().cos(x), r"\cos"),
    Entry("abs", sympy.Abs, None, lambda x: _torch().abs(x), r"\operatorname{abs}", kink=True),
    # sympy's Heaviside, called as step(x) (PyTorch's value 0 at 0).
    Entry("step", Heaviside, numpy_forms.step, lambda x, at_zero=0: (
        (x > 0).to(x.dtype) + float(at_zero) * (x == 0).to(x.dtype)), r"H",
          torch_source=torch_sources.STEP, kink=True, flat=True, call=step),
    # sympy's other elementary functions: sympy's NumPy printer writes them
    # (np.tan, np.arcsin, ...), so they need only their torch form and LaTeX name.
    Entry("tan", sympy.tan, None, lambda x: _torch().tan(x), r"\tan"),
    Entry("cot", sympy.cot, numpy_forms.cot, lambda x: 1 / _torch().tan(x), r"\cot",
          torch_source=torch_sources.COT),
    Entry("sec", sympy.sec, numpy_forms.sec, lambda x: 1 / _torch().cos(x), r"\sec",
          torch_source=torch_sources.SEC),
    Entry("csc", sympy.csc, numpy_forms.csc, lambda x: 1 / _torch().sin(x), r"\csc",
          torch_source=torch_sources.CSC),
    Entry("asin", sympy.asin, None, lambda x: _torch().asin(x), r"\arcsin", aliases=("arcsin",)),
    Entry("acos", sympy.acos, None, lambda x: _torch().acos(x), r"\arccos", aliases=("arccos",)),
    Entry("atan", sympy.atan, None, lambda x: _torch().atan(x), r"\arctan", aliases=("arctan",)),
    Entry("atan2", sympy.atan2, None, lambda y, x: _torch().atan2(y, x),
          r"\operatorname{atan2}", aliases=("arctan2",)),
    Entry("sinh", sinh, None, lambda x: _torch().sinh(x), r"\sinh"),
    Entry("cosh", cosh, None, lambda x: _torch().cosh(x), r"\cosh"),
    Entry("asinh", sympy.asinh, None, lambda x: _torch().asinh(x), r"\operatorname{arsinh}"),
    Entry("acosh", sympy.acosh, None, lambda x: _torch().acosh(x), r"\operatorname{arcosh}"),
    Entry("atanh", sympy.atanh, None, lambda x: _torch().atanh(x), r"\operatorname{artanh}"),
    # sympy's sinc is sin(x)/x; torch's (and NumPy's) is sin(pi x)/(pi x).
    Entry("sinc", sympy.sinc, None, lambda x: _torch().sinc(x / math.pi),
          r"\operatorname{sinc}"),
    Entry("sign", sympy.sign, None, lambda x: _torch().sign(x), r"\operatorname{sign}",
          form_change=True, flat=True),
    Entry("floor", sympy.floor, None, lambda x: _torch().floor(x), r"\operatorname{floor}",
          flat=True),
    Entry("ceiling", sympy.ceiling, None, lambda x: _torch().ceil(x),
          r"\operatorname{ceiling}", flat=True, aliases=("ceil",)),
    Entry("mod", mod, numpy_forms.mod, lambda x, y: _torch().remainder(x, y),
          r"\operatorname{mod}", torch_source=torch_sources.MOD),
    Entry("max", sympy.Max, numpy_forms.maximum, _torch_maximum, r"\max",
          torch_source=torch_sources.MAX, aliases=("maximum",)),
    Entry("min", sympy.Min, numpy_forms.minimum, _torch_minimum, r"\min",
          torch_source=torch_sources.MIN, aliases=("minimum",)),
    # A conditional: where(condition, a, b) in spec files, Piecewise in sympy.
    Entry("where", sympy.Piecewise, numpy_forms.where, _torch_piecewise, r"\operatorname{where}",
          torch_source=torch_sources.WHERE, call=where),
]

REGISTRY: dict[str, Entry] = {entry.name: entry for entry in _ENTRIES}
BY_CLASS: dict[type, Entry] = {entry.sympy_class: entry for entry in _ENTRIES}
ACTIVATIONS = tuple(e.name for e in _ENTRIES if e.activation)   # the built-in ones
OUTPUTS = tuple(e.name for e in _ENTRIES if e.output)

# sympy classes graphs replace by a registry twin that knows its derivative
# (Mod has none) or whose assumptions are cheap (nested sympy.tanh hangs).
TWINS = {sympy.Mod: mod, **HYPERBOLIC_TWINS}
# A sympy.tanh outside a graph (a claim, a user's expression) is still the tanh entry.
BY_CLASS.update({cls: BY_CLASS[twin] for cls, twin in HYPERBOLIC_TWINS.items()})

# Named constants an expression may use, when no declared name takes the name.
CONSTANTS = {"pi": sympy.pi, "E": sympy.E}


# What a spec file or the command line may call: each entry (by its name, then
# by its aliases), plus sqrt (which sympy writes as a power, so it needs no entry).
CALLABLE: dict[str, Callable] = {e.name: e.callable for e in _ENTRIES}
CALLABLE["sqrt"] = sympy.sqrt
CALLABLE.update({alias: e.callable for e in _ENTRIES for alias in e.aliases})


for _name, _loss in LOSSES.items():
    # In spec files a loss is written for one output: bce(a, y).
    CALLABLE[_name] = (lambda loss: lambda a, y: loss([a], [y]))(_loss)


def register(entry: Entry) -> Entry:
    """Add ``entry`` to the registry (replacing one of its name); every stage reads it from here.

    >>> import sympy
    >>> class cube(sympy.Function):
    ...     def fdiff(self, argindex=1):
    ...         return 3 * self.args[0] ** 2
    >>> e = register(Entry("cube", cube, None, lambda x: x ** 3, r"\\operatorname{cube}"))
    >>> CALLABLE["cube"](sympy.Symbol("x")).diff(), entry_for(cube(1)) is e
    (3*x**2, True)
    >>> unregister("cube")
    """
    if entry.name in REGISTRY:
        unregister(entry.name)
    REGISTRY[entry.name] = BY_CLASS[entry.sympy_class] = entry
    CALLABLE[entry.name] = entry.callable
    CALLABLE.update({alias: entry.callable for alias in entry.aliases})
    return entry


def unregister(name: str) -> None:
    """Remove the entry ``name`` (as a test that registered it cleans up)."""
    entry = REGISTRY.pop(name)
    BY_CLASS.pop(entry.sympy_class, None)
    for called in (name, *entry.aliases):
        CALLABLE.pop(called, None)


def activations() -> tuple[str, ...]:
    """The names ``mlp()`` takes for hidden layers, registered ones included."""
    return tuple(e.name for e in REGISTRY.values() if e.activation)


def outputs() -> tuple[str, ...]:
    """The names ``mlp()`` takes for its output layer."""
    return tuple(e.name for e in REGISTRY.values() if e.output)


def read_spellings() -> dict[str, Entry]:
    r"""Every LaTeX spelling claims may use for a function -> its entry.

    >>> read_spellings()[r"\ln"].name, read_spellings()[r"\operatorname{ReLU}"].name
    ('log', 'relu')
    """
    return {s: e for e in REGISTRY.values() for s in e.spellings}


def entry_for(expr) -> Entry | None:
    """The registry entry of an applied function, or None.

    >>> entry_for(sigmoid(sympy.Symbol("z"))).name
    'sigmoid'
    """
    return BY_CLASS.get(type(expr))
