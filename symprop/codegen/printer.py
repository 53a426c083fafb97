"""The printers of generated code, one per array library (NumPy, jax; torch in :mod:`.torch_printer`).

Each subclasses sympy's printer for its library and shares :class:`FormPrinting`:
registry functions print as calls to helpers the generated module defines (their
NumPy forms of :mod:`symprop.registry.numpy_forms`, or each backend's own form
of them), so ``sigmoid(z)`` stays ``sigmoid(z)`` and ``Heaviside(a, 0)`` becomes
``step(a)``.  Every helper a printout calls is recorded in ``printer.helpers``
(by its NumPy form), so the module defines only those.  sympy's own functions
print as ``np.exp``, ``jnp.exp``, ``torch.exp``...  Scalar and matrix programs
use the same printers.

>>> import sympy
>>> from symprop.registry.functions import sigmoid, step
>>> z, a = sympy.symbols("z a")
>>> p = NumpyFormPrinter()
>>> p.doprint(sigmoid(z) * sympy.exp(-z) + step(a))
'step(a) + np.exp(-z)*sigmoid(z)'
>>> sorted(f.__name__ for f in p.helpers)
['sigmoid', 'step']
"""
from __future__ import annotations

import inspect

import sympy
from sympy.printing.numpy import JaxPrinter, NumPyPrinter
from sympy.printing.precedence import precedence

from ..registry.functions import BY_CLASS, REGISTRY, entry_for
from . import stable_forms

STEP = REGISTRY["step"].sympy_class


class FormPrinting:
    """What the printers of every backend do alike (mixed in before sympy's printer).

    ``helper_names`` maps a helper function to the name it has in the generated
    module (default: its own ``__name__``); ``trailing`` is a set of symbols
    printed last in a product (the adjoints ``dL_d<node>``, so a chain-rule
    line reads ``x1*dL_dz``, local partial first, as the lesson writes it).
    ``module`` is the prefix the generated module imports its library as.
    """

    printmethod = "_symprop_numpy"
    module = "np"
    qualified = "numpy."  # the prefix sympy's printer writes, replaced by ``module``
    float_constants = False  # sqrt(2)/sqrt(pi) as one float: torch.sqrt takes no number

    def __init__(self, settings=None, helper_names=None, trailing=()):
        super().__init__(settings={"fully_qualified_modules": True, **(settings or {})})
        self.helper_names = dict(helper_names or {})
        self.trailing = frozenset(trailing)
        self.helpers: dict = {}  # helper function -> None, in order of first use

    def _print(self, expr, **kwargs):
        if self.float_constants and isinstance(expr, sympy.Expr) and expr.is_number \
                and not expr.is_Number and expr.is_real:
            return repr(float(expr))
        return super()._print(expr, **kwargs)

    # ----------------------------------------------------------- names
    def _module_format(self, fqn, register=True):
        # The generated module imports numpy as np (jax.numpy as jnp): np.exp, not numpy.exp.
        text = super()._module_format(fqn, register)
        if text.startswith(self.qualified):
            return f"{self.module}.{text[len(self.qualified):]}"
        return text

    def _print_Symbol(self, expr):
        # Declared names are already valid, non-keyword identifiers: print them
        # as they are (sympy would append "_" to some, breaking the signature).
        return expr.name

    def helper_call(self, function, args) -> str:
        """``name(arg, ...)`` for a helper function, which the module must then define.

        Trailing arguments equal to the helper's defaults are left out.
        """
        self.helpers.setdefault(function, None)
        name = self.helper_names.get(function, function.__name__)
        args = list(args)
        defaults = [p.default for p in inspect.signature(function).parameters.values()
                    if p.default is not inspect.Parameter.empty]
        for default in reversed(defaults):
            if args and args[-1] == default:
                args.pop()
            else:
                break
        return f"{name}({', '.join(self._print(a) for a in args)})"

    def _print_registry_function(self, expr):
        return self.helper_call(entry_for(expr).numpy, expr.args)

    def _print_Function(self, expr):
        # A function registered after this module's import (registry.register).
        entry = entry_for(expr)
        if entry is not None and entry.numpy is not None:
            return self._print_registry_function(expr)
        return super()._print_Function(expr)

    def _print_Piecewise(self, expr):
        # where(c1, e1, where(c2, e2, e3)): the registry's NumPy form, one branch at a
        # time; a Piecewise without a default is NaN where no condition holds.
        function = entry_for(expr).numpy
        *branches, (last, condition) = expr.args
        text = self._print(last)
        if condition != sympy.true:
            text = self.helper_call(function, (condition, last, sympy.nan))
        for value, condition in reversed(branches):
            self.helpers.setdefault(function, None)
            name = self.helper_names.get(function, function.__name__)
            text = f"{name}({self._print(condition)}, {self._print(value)}, {text})"
        return text

    def _print_logsumexp(self, expr):
        return self.helper_call(stable_forms.logsumexp, expr.args)

    def _print_Abs(self, expr):
        # np.abs, not the builtin abs: a graph may declare a name "abs".
        return f"{self.module}.abs({self._print(expr.args[0])})"

    # ----------------------------------------------------------- arithmetic
    def _print_Integer(self, expr):
        # Beyond 2**53 an integer is no exact float64 anyway, and NumPy refuses
        # Python integers past int64 (np.where(c, 7**31, 1) raises OverflowError).
        if abs(expr.p) > 2 ** 53:
            return repr(float(expr.p))
        return super()._print_Integer(expr)

    def _print_Pow(self, expr, rational=False):
        # Generated code works on float64 values, so 1/x and x**(-2) are safe;
        # sympy's NumPyPrinter would write x**(-1.0).
        return self._hprint_Pow(expr, rational=rational, sqrt=f"{self.qualified}sqrt")

    def _print_Mul(self, expr):
        steps = [f for f in expr.args if isinstance(f, STEP)]
        if steps and len(steps) < len(expr.args):
            # A gradient through a step is masked, as PyTorch masks it: 0 where the
            # step is 0 even when the rest is inf (0 * inf would be NaN).
            rest = sympy.Mul(*(f for f in expr.args if not isinstance(f, STEP)))
            return self.helper_call(stable_forms.masked, (sympy.Mul(*steps), rest))
        last = [f for f in expr.args if f in self.trailing]
        if not last or len(last) == len(expr.args):
            return super()._print_Mul(expr)
        rest = sympy.Mul(*(f for f in expr.args if f not in self.trailing))
        if rest.could_extract_minus_sign():
            return "-" + self._print(sympy.Mul(-rest, *last))
        numer, denom = sympy.fraction(rest)
        text = "*".join(self._print(f) for f in sorted(last, key=str))
        if numer != 1:
            text = f"{self.parenthesize(numer, precedence(expr), strict=True)}*{text}"
        if denom != 1:
            text = f"{text}/{self.parenthesize(denom, precedence(expr))}"
        return text


# Printing methods generated from the registry, one per sympy class with a
# NumPy form: sympy dispatches on the class name (_print_sigmoid, _print_Heaviside).
for _cls in (cls for cls, entry in BY_CLASS.items() if entry.numpy is not None):
    if f"_print_{_cls.__name__}" not in FormPrinting.__dict__:  # Piecewise has its own
        setattr(FormPrinting, f"_print_{_cls.__name__}", FormPrinting._print_registry_function)


class NumpyFormPrinter(FormPrinting, NumPyPrinter):
    """sympy's NumPyPrinter, writing ``np.`` and the registry's NumPy forms."""


class JaxFormPrinter(FormPrinting, JaxPrinter):
    """sympy's JaxPrinter, writing ``jnp.`` and the helpers a jax module defines.

    >>> JaxFormPrinter().doprint(sympy.exp(sympy.Symbol("x")) / 3)
    '(1/3)*jnp.exp(x)'
    """

    module, qualified = "jnp", "jax.numpy."


def print_numpy(expr, **options) -> str:
    """``expr`` as NumPy source (a convenience for one expression).

    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> print_numpy(sympy.log(1 - x) / x + sympy.Rational(1, 4))
    '1/4 + np.log(1 - x)/x'
    """
    return NumpyFormPrinter(**options).doprint(expr)


__all__ = ["FormPrinting", "JaxFormPrinter", "NumpyFormPrinter", "print_numpy"]
