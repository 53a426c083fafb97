"""Activation and elementary functions, and the one registry that describes them.

Each registry entry carries everything the rest of symprop needs to know about
a function: its sympy class (whose derivative is written in terms of the
function's own output, ``sigmoid' = sigmoid * (1 - sigmoid)``), its NumPy form
(a real function in :mod:`symprop.registry.numpy_forms`, copied verbatim into generated
modules), its torch form (used only by the independent autograd oracle) and its
LaTeX name.  Nothing else in symprop branches on function names.

>>> import sympy
>>> z = sympy.Symbol("z")
>>> sympy.diff(sigmoid(z), z)
(1 - sigmoid(z))*sigmoid(z)
>>> REGISTRY["relu"].latex
'\\\\operatorname{ReLU}'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import dataclasses
import functools
import math

import sympy
from sympy import Function, Heaviside, Integer, S
from sympy.core.function import ArgumentIndexError

from . import numpy_forms
from .gated import gelu, gelu_torch, silu, silu_torch
from .hyperbolic import HYPERBOLIC_TWINS, cosh, sinh, tanh
from .torch_sources import TORCH_SOURCES

# ReLU'(0) = 0 as in PyTorch; sympy's Heaviside defaults to 1/2 at 0.
RELU_STEP_AT_ZERO = 0


def step(x):
    """The unit step with the PyTorch convention at zero: ``step(0) == 0``.

    >>> step(sympy.Integer(0))
    0
    """
    return Heaviside(x, RELU_STEP_AT_ZERO)


class sigmoid(Function):
    r"""Logistic sigmoid ``1 / (1 + exp(-x))``; its derivative is ``s (1 - s)``."""

    nargs = 1

    def fdiff(self, argindex=1):
        return self * (1 - self)

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return S.Half

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sympy.exp(-x))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_real


class relu(Function):
    r"""Rectified linear unit ``max(0, x)``; derivative ``step(x)`` with ``step(0) = 0``."""

    nargs = 1

    def fdiff(self, argindex=1):
        # In terms of its own output: relu(x) > 0 exactly when x > 0.
        return step(self)

    @classmethod
    def eval(cls, x):
        if x.is_number and x.is_real:
            return sympy.Max(x, 0)

    def _eval_rewrite_as_Max(self, x, **kwargs):
        return sympy.Max(x, 0)

    def _eval_evalf(self, prec):
        return sympy.Max(self.args[0], 0)._eval_evalf(prec)


class leaky_relu(Function):
    r"""Leaky ReLU ``x if x > 0 else slope * x`` (default slope 0.01, PyTorch's)."""

    nargs = (1, 2)

    @classmethod
    def eval(cls, x, slope=None):
        if slope is None:
            return cls(x, sympy.Rational(1, 100))
        if x.is_number and x.is_real and slope.is_number:
            return x if x > 0 else slope * x

    def fdiff(self, argindex=1):
        x, slope = self.args
        # In the function's own output when the slope is a positive number
        # (then leaky_relu(x) > 0 exactly when x > 0); a slope that is itself a
        # parameter may be negative, so the step is then taken of x.
        positive = step(self) if slope.is_number and slope.is_positive else step(x)
        if argindex == 1:
            # PyTorch's gradient at 0 is the slope: step(0) = 0 gives that.
            return slope + (1 - slope) * positive
        if argindex == 2:
            return x * (1 - positive)
        raise ArgumentIndexError(self, argindex)

    def _eval_rewrite_as_Piecewise(self, x, slope, **kwargs):
        return sympy.Piecewise((x, x > 0), (slope * x, True))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.Piecewise)._eval_evalf(prec)


class mod(Function):
    r"""``x mod y`` with the sign of ``y``: Python's ``%``, ``sympy.Mod``, ``torch.remainder``.

    Its partials are torch's: ``d/dx = 1``, ``d/dy = -floor(x / y)`` (sympy's own
    Mod has no derivative, so graphs differentiate this twin of it).

    >>> x, y = sympy.symbols("x y")
    >>> sympy.diff(mod(x, y), y)
    -floor(x/y)
    >>> mod(sympy.Integer(7), sympy.Integer(-3))
    -2
    """

    nargs = 2

    @classmethod
    def eval(cls, x, y):
        if y.is_zero:
            raise ValueError("the modulus is zero")
        if (x.is_number and x.is_real is False) or (y.is_number and y.is_real is False):
            raise ValueError("mod of a number that is not real")
        if x.is_number and y.is_number:
            return sympy.Mod(x, y)

    def fdiff(self, argindex=1):
        x, y = self.args
        if argindex == 1:
            return Integer(1)
        if argindex == 2:
            return -sympy.floor(x / y)
        raise ArgumentIndexError(self, argindex)


class softplus(Function):
    r"""Softplus ``log(1 + exp(x))``; its derivative is the sigmoid of its input."""

    nargs = 1

    def fdiff(self, argindex=1):
        return sigmoid(self.args[0])

    def _eval_rewrite_as_log(self, x, **kwargs):
        return sympy.log(1 + sympy.exp(x))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.log)._eval_evalf(prec)


class identity(Function):
    """The identity activation: evaluates to its argument."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        return x


class softmax(Function):
    r"""Component ``k`` (1-based) of the softmax of ``z_1, ..., z_K``.

    ``softmax(k, z_1, ..., z_K) = exp(z_k) / sum_j exp(z_j)``; its partial with
    respect to ``z_j`` is ``a_k (delta_kj - a_j)``, in the outputs' own values.

    >>> z1, z2 = sympy.symbols("z1 z2")
    >>> sympy.diff(softmax(1, z1, z2), z2)
    -softmax(1, z1, z2)*softmax(2, z1, z2)
    """

    @classmethod
    def eval(cls, k, *logits):
        if not (k.is_Integer and 1 <= int(k) <= len(logits)):
            raise ValueError(
                f"softmax index {k} must be an integer from 1 to {len(logits)}")

    def fdiff(self, argindex=1):
        if argindex == 1:
            raise sympy.ArgumentIndexError(self, argindex)
        k, logits = int(self.args[0]), self.args[1:]
        j = argindex - 1
        other = softmax(Integer(j), *logits)
        return self * ((1 if j == k else 0) - other)

    def _eval_rewrite_as_exp(self, k, *logits, **kwargs):
        return sympy.exp(logits[int(k) - 1]) / sum(sympy.exp(z) for z in logits)

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)


@dataclass(frozen=True)
class Entry:
    r"""What symprop knows of one function; adding a function is adding one of these.

    ``numpy`` is a function of :mod:`symprop.registry.numpy_forms` (copied into generated
    code), ``torch`` a callable over torch tensors taking the same arguments as
    the sympy function, ``latex`` the operator's LaTeX name as printed, ``reads``
    the other LaTeX spellings claims may use for it (:attr:`spellings` has them
    all), ``activation``/``output`` whether ``mlp()`` takes it for hidden layers /
    the output layer, ``vector_valued`` whether it maps a whole vector (softmax:
    ``sympy_class(k, z_1, ..., z_K)`` is component k), ``phrase`` its name in
    prose, and ``torch_source`` its definition in generated torch programs, where
    matrix-form modules call it by name (:mod:`symprop.registry.torch_sources`).

    >>> REGISTRY["sigmoid"].spellings
    ('\\sigma', '\\operatorname{sigmoid}')
    """

    name: str
    sympy_class: type
    numpy: Callable | None
    torch: Callable
    latex: str
    activation: bool = False
    output: bool = False
    vector_valued: bool = False
    reads: tuple[str, ...] = ()
    phrase: str = ""
    torch_source: str | None = None

    def __post_init__(self):
        if not self.phrase:
            object.__setattr__(self, "phrase", self.name)

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every LaTeX spelling read in: the printed one, ``\\operatorname{name}``, ``reads``."""
        named = rf"\operatorname{{{self.name.replace('_', '')}}}"
        return tuple(dict.fromkeys(s for s in (self.latex, named, *self.reads) if s))


def _torch():
    import torch  # optional: imported only when the oracle runs

    return torch


def _torch_softmax(k, *logits):
    torch = _torch()
    stacked = torch.stack(torch.broadcast_tensors(*logits))
    return torch.softmax(stacked, dim=0)[int(k) - 1]


def _torch_leaky_relu(x, slope):
    # torch.where rather than F.leaky_relu, whose slope must be a Python number:
    # here it may be a parameter.  At 0 the gradient is the slope, as in F.leaky_relu.
    return _torch().where(x > 0, x, slope * x)


def _torch_piecewise(*pairs):
    """``Piecewise((e1, c1), (e2, c2), ...)``: the first branch whose condition holds."""
    torch = _torch()
    value, _ = pairs[-1]  # sympy's last condition is True whenever the user gave a default
    for branch, condition in reversed(pairs[:-1]):
        value = torch.where(condition, branch, value)
    return value


def _torch_maximum(*args):
    return functools.reduce(_torch().maximum, args)


def _torch_minimum(*args):
    return functools.reduce(_torch().minimum, args)


_ENTRIES = [
    Entry("sigmoid", sigmoid, numpy_forms.sigmoid, lambda x: _torch().sigmoid(x),
          r"\sigma", activation=True, output=True),
    Entry("tanh", tanh, None, lambda x: _torch().tanh(x), r"\tanh", activation=True),
    Entry("relu", relu, numpy_forms.relu, lambda x: _torch().relu(x),
          r"\operatorname{ReLU}", activation=True),
    Entry("leaky_relu", leaky_relu, numpy_forms.leaky_relu, _torch_leaky_relu,
          r"\operatorname{LeakyReLU}", activation=True),
    Entry("softplus", softplus, numpy_forms.softplus,
          lambda x: _torch().nn.functional.softplus(x), r"\operatorname{softplus}",
          activation=True),
    Entry("gelu", gelu, numpy_forms.gelu, gelu_torch, r"\operatorname{GELU}", activation=True),
    Entry("silu", silu, numpy_forms.silu, silu_torch, r"\operatorname{SiLU}", activation=True),
    Entry("identity", identity, None, lambda x: x, "", activation=True, output=True),
    Entry("softmax", softmax, numpy_forms.softmax, _torch_softmax, r"\operatorname{softmax}",
          output=True, vector_valued=True),
    Entry("exp", sympy.exp, None, lambda x: _torch().exp(x), r"\exp"),
    Entry("log", sympy.log, None, lambda x: _torch().log(x), r"\log", reads=(r"\ln",)),
    Entry("sin", sympy.sin, None, lambda x: _torch().sin(x), r"\sin"),
    Entry("cos", sympy.cos, None, lambda x: _torch().cos(x), r"\cos"),
    Entry("abs", sympy.Abs, None, lambda x: _torch().abs(x), r"\operatorname{abs}"),
    Entry("step", Heaviside, numpy_forms.step, lambda x, at_zero=0: (
        (x > 0).to(x.dtype) + float(at_zero) * (x == 0).to(x.dtype)), r"H"),
    # sympy's other elementary functions: sympy's NumPy printer writes them
    # (np.tan, np.arcsin, ...), so they need only their torch form and LaTeX name.
    Entry("tan", sympy.tan, None, lambda x: _torch().tan(x), r"\tan"),
    Entry("cot", sympy.cot, numpy_forms.cot, lambda x: 1 / _torch().tan(x), r"\cot"),
    Entry("sec", sympy.sec, numpy_forms.sec, lambda x: 1 / _torch().cos(x), r"\sec"),
    Entry("csc", sympy.csc, numpy_forms.csc, lambda x: 1 / _torch().sin(x), r"\csc"),
    Entry("asin", sympy.asin, None, lambda x: _torch().asin(x), r"\arcsin"),
    Entry("acos", sympy.acos, None, lambda x: _torch().acos(x), r"\arccos"),
    Entry("atan", sympy.atan, None, lambda x: _torch().atan(x), r"\arctan"),
    Entry("atan2", sympy.atan2, None, lambda y, x: _torch().atan2(y, x),
          r"\operatorname{atan2}"),
    Entry("sinh", sinh, None, lambda x: _torch().sinh(x), r"\sinh"),
    Entry("cosh", cosh, None, lambda x: _torch().cosh(x), r"\cosh"),
    Entry("asinh", sympy.asinh, None, lambda x: _torch().asinh(x), r"\operatorname{arsinh}"),
    Entry("acosh", sympy.acosh, None, lambda x: _torch().acosh(x), r"\operatorname{arcosh}"),
    Entry("atanh", sympy.atanh, None, lambda x: _torch().atanh(x), r"\operatorname{artanh}"),
    # sympy's sinc is sin(x)/x; torch's (and NumPy's) is sin(pi x)/(pi x).
    Entry("sinc", sympy.sinc, None, lambda x: _torch().sinc(x / math.pi),
          r"\operatorname{sinc}"),
    Entry("sign", sympy.sign, None, lambda x: _torch().sign(x), r"\operatorname{sign}"),
    Entry("floor", sympy.floor, None, lambda x: _torch().floor(x), r"\operatorname{floor}"),
    Entry("ceiling", sympy.ceiling, None, lambda x: _torch().ceil(x),
          r"\operatorname{ceiling}"),
    Entry("mod", mod, numpy_forms.mod, lambda x, y: _torch().remainder(x, y),
          r"\operatorname{mod}"),
    Entry("max", sympy.Max, numpy_forms.maximum, _torch_maximum, r"\max"),
    Entry("min", sympy.Min, numpy_forms.minimum, _torch_minimum, r"\min"),
    # A conditional: where(condition, a, b) in spec files, Piecewise in sympy.
    Entry("where", sympy.Piecewise, numpy_forms.where, _torch_piecewise, r"\operatorname{where}"),
]

_ENTRIES = [dataclasses.replace(e, torch_source=TORCH_SOURCES.get(e.name)) for e in _ENTRIES]
REGISTRY: dict[str, Entry] = {entry.name: entry for entry in _ENTRIES}
BY_CLASS: dict[type, Entry] = {entry.sympy_class: entry for entry in _ENTRIES}
ACTIVATIONS = tuple(e.name for e in _ENTRIES if e.activation)   # the built-in ones
OUTPUTS = tuple(e.name for e in _ENTRIES if e.output)

# Functions whose derivative is 0 wherever it exists, as PyTorch takes it
# everywhere (sign'(0) = step'(0) = 0, not a DiracDelta): graphs differentiate
# through them as through constants.
FLAT = (Heaviside, sympy.sign, sympy.floor, sympy.ceiling)

# sympy classes graphs replace by a registry twin that knows its derivative
# (Mod has none) or whose assumptions are cheap (nested sympy.tanh hangs).
TWINS = {sympy.Mod: mod, **HYPERBOLIC_TWINS}
# A sympy.tanh outside a graph (a claim, a user's expression) is still the tanh entry.
BY_CLASS.update({cls: BY_CLASS[twin] for cls, twin in HYPERBOLIC_TWINS.items()})

# Named constants an expression may use, when no declared name takes the name.
CONSTANTS = {"pi": sympy.pi, "E": sympy.E}


def where(condition, a, b):
    """``a`` where ``condition`` holds, else ``b``: a Piecewise (a non-condition is an error).

    >>> x = sympy.Symbol("x")
    >>> where(x > 0, x, 0)
    Piecewise((x, x > 0), (0, True))
    """
    # A Symbol is a Boolean to sympy too; a condition is a Boolean that is no Expr.
    if not isinstance(condition, sympy.logic.boolalg.Boolean) or isinstance(condition,
                                                                            sympy.Expr):
        raise ValueError("the first argument must be a comparison, such as x > 0")
    return sympy.Piecewise((a, condition), (b, True))


# What a spec file or the command line may call: the registry, plus sqrt
# (which sympy writes as a power, so it needs no entry of its own).
CALLABLE: dict[str, Callable] = {e.name: e.sympy_class for e in _ENTRIES}
CALLABLE["step"] = step
CALLABLE["sqrt"] = sympy.sqrt
CALLABLE["where"] = where
# NumPy's spellings of the same functions, which users also write.
CALLABLE.update({"arcsin": sympy.asin, "arccos": sympy.acos, "arctan": sympy.atan,
                 "arctan2": sympy.atan2, "ceil": sympy.ceiling, "maximum": sympy.Max,
                 "minimum": sympy.Min})


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
    entry = dataclasses.replace(entry, torch_source=entry.torch_source or TORCH_SOURCES.get(entry.name))
    REGISTRY[entry.name] = BY_CLASS[entry.sympy_class] = entry
    CALLABLE[entry.name] = entry.sympy_class
    return entry


def unregister(name: str) -> None:
    """Remove the entry ``name`` (as a test that registered it cleans up)."""
    entry = REGISTRY.pop(name)
    BY_CLASS.pop(entry.sympy_class, None)
    CALLABLE.pop(name, None)


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


# ------------------------------------------------------------------ losses
# Per example, over the output activations ``a_k`` and targets ``y_k``; each
# builds an ordinary expression, so the seed's formulas appear as written.
def binary_cross_entropy(outputs, targets):
    """``sum_k -y_k log a_k - (1 - y_k) log(1 - a_k)``, the seed's log loss."""
    return sympy.Add(*(-y * sympy.log(a) - (1 - y) * sympy.log(1 - a)
                       for a, y in zip(outputs, targets)))


def squared_error(outputs, targets):
    """``sum_k (a_k - y_k)^2``."""
    return sympy.Add(*((a - y) ** 2 for a, y in zip(outputs, targets)))


def cross_entropy(outputs, targets):
    """``-sum_k y_k log a_k``, over a softmax output."""
    return -sympy.Add(*(y * sympy.log(a) for a, y in zip(outputs, targets)))


LOSSES = {"bce": binary_cross_entropy, "mse": squared_error, "ce": cross_entropy}

for _name, _loss in LOSSES.items():
    # In spec files a loss is written for one output: bce(a, y).
    CALLABLE[_name] = (lambda loss: lambda a, y: loss([a], [y]))(_loss)
