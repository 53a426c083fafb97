"""Activation and elementary functions, and the one registry that describes them.

Each registry entry carries everything the rest of symprop needs to know about
a function: its sympy class (whose derivative is written in terms of the
function's own output, ``sigmoid' = sigmoid * (1 - sigmoid)``), its NumPy form
(a real function in :mod:`symprop.numpy_forms`, copied verbatim into generated
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

import sympy
from sympy import Function, Heaviside, Integer, S

from . import numpy_forms

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
        if argindex != 1:
            raise sympy.ArgumentIndexError(self, argindex)
        slope = self.args[1]
        # PyTorch's gradient at 0 is the slope: step(0) = 0 gives that.
        return slope + (1 - slope) * step(self)

    def _eval_rewrite_as_Piecewise(self, x, slope, **kwargs):
        return sympy.Piecewise((x, x > 0), (slope * x, True))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.Piecewise)._eval_evalf(prec)


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
    """What symprop knows of one function.

    ``numpy`` is a function of :mod:`symprop.numpy_forms` (copied into generated
    code), ``torch`` a callable over torch tensors taking the same arguments as
    the sympy function, ``latex`` the operator's LaTeX name.
    """

    name: str
    sympy_class: type
    numpy: Callable | None
    torch: Callable
    latex: str
    activation: bool = False


def _torch():
    import torch  # optional: imported only when the oracle runs

    return torch


def _torch_softmax(k, *logits):
    torch = _torch()
    stacked = torch.stack(torch.broadcast_tensors(*logits))
    return torch.softmax(stacked, dim=0)[int(k) - 1]


def _torch_leaky_relu(x, slope):
    return _torch().nn.functional.leaky_relu(x, float(slope))


_ENTRIES = [
    Entry("sigmoid", sigmoid, numpy_forms.sigmoid, lambda x: _torch().sigmoid(x),
          r"\sigma", activation=True),
    Entry("tanh", sympy.tanh, None, lambda x: _torch().tanh(x), r"\tanh", activation=True),
    Entry("relu", relu, numpy_forms.relu, lambda x: _torch().relu(x),
          r"\operatorname{ReLU}", activation=True),
    Entry("leaky_relu", leaky_relu, numpy_forms.leaky_relu, _torch_leaky_relu,
          r"\operatorname{LeakyReLU}", activation=True),
    Entry("softplus", softplus, numpy_forms.softplus,
          lambda x: _torch().nn.functional.softplus(x), r"\operatorname{softplus}",
          activation=True),
    Entry("identity", identity, None, lambda x: x, "", activation=True),
    Entry("softmax", softmax, numpy_forms.softmax, _torch_softmax, r"\operatorname{softmax}"),
    Entry("exp", sympy.exp, None, lambda x: _torch().exp(x), r"\exp"),
    Entry("log", sympy.log, None, lambda x: _torch().log(x), r"\log"),
    Entry("sin", sympy.sin, None, lambda x: _torch().sin(x), r"\sin"),
    Entry("cos", sympy.cos, None, lambda x: _torch().cos(x), r"\cos"),
    Entry("abs", sympy.Abs, None, lambda x: _torch().abs(x), r"\operatorname{abs}"),
    Entry("step", Heaviside, numpy_forms.step, lambda x, at_zero=0: (
        (x > 0).to(x.dtype) + float(at_zero) * (x == 0).to(x.dtype)), r"H"),
]

REGISTRY: dict[str, Entry] = {entry.name: entry for entry in _ENTRIES}
BY_CLASS: dict[type, Entry] = {entry.sympy_class: entry for entry in _ENTRIES}
ACTIVATIONS = tuple(e.name for e in _ENTRIES if e.activation)

# What a spec file or the command line may call: the registry, plus sqrt
# (which sympy writes as a power, so it needs no entry of its own).
CALLABLE: dict[str, Callable] = {e.name: e.sympy_class for e in _ENTRIES}
CALLABLE["step"] = step
CALLABLE["sqrt"] = sympy.sqrt


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
OUTPUTS = ("sigmoid", "softmax", "identity")

for _name, _loss in LOSSES.items():
    # In spec files a loss is written for one output: bce(a, y).
    CALLABLE[_name] = (lambda loss: lambda a, y: loss([a], [y]))(_loss)
