"""Everything the function registry knows, importable from one place.

The registry's modules, one idea each: :mod:`.classes` (the sympy functions
symprop adds), :mod:`.entry` (what is known of one function), :mod:`.table`
(every entry, by name and by class, and :func:`register` for more),
:mod:`.losses`, and the forms each entry names: :mod:`.numpy_forms`,
:mod:`.torch_forms`, :mod:`.torch_sources` and :mod:`.stable`; :mod:`.kinks`
reads the entries' kinks.  Nothing else in symprop branches on function names.

>>> import sympy
>>> z = sympy.Symbol("z")
>>> sympy.diff(sigmoid(z), z)
(1 - sigmoid(z))*sigmoid(z)
>>> REGISTRY["relu"].latex, entry_for(relu(z)).activation
('\\\\operatorname{ReLU}', True)
"""
from .classes import (RELU_STEP_AT_ZERO, identity, leaky_relu, mod, relu, sigmoid, softmax,
                      softplus, step, where)
from .entry import Entry
from .gated import gelu, silu
from .hyperbolic import HYPERBOLIC_TWINS, cosh, sinh, tanh
from .losses import LOSSES, binary_cross_entropy, cross_entropy, squared_error
from .table import (ACTIVATIONS, BY_CLASS, CALLABLE, CONSTANTS, OUTPUTS, REGISTRY, TWINS,
                    activations, entry_for, outputs, read_spellings, register, unregister)

__all__ = ["ACTIVATIONS", "BY_CLASS", "CALLABLE", "CONSTANTS", "Entry", "HYPERBOLIC_TWINS",
           "LOSSES", "OUTPUTS", "REGISTRY", "RELU_STEP_AT_ZERO", "TWINS", "activations",
           "binary_cross_entropy", "cosh", "cross_entropy", "entry_for", "gelu", "identity",
           "leaky_relu", "mod", "outputs", "read_spellings", "register", "relu", "sigmoid",
           "silu", "sinh", "softmax", "softplus", "squared_error", "step", "tanh",
           "unregister", "where"]
