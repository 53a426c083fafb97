"""What the generated program needs from each array library: names and helper functions.

One :class:`Backend` per library; the printer in :mod:`symprop.codegen.matrix_module`
writes the same program for each, asking the backend only how to spell a
reduction, an array conversion and the registry's functions.

>>> BACKENDS["torch"].row_sum("G")
'torch.sum(G, dim=1, keepdim=True)'
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field

from sympy.printing.numpy import JaxPrinter, NumPyPrinter
from sympy.printing.pytorch import TorchPrinter

from ..registry.functions import REGISTRY, TWINS

_COLUMN_SOFTMAX = '''
def softmax_columns(z):
    """The softmax of each column, shifted by the column maximum for stability."""
    e = {M}.exp(z - {MAX}(z, {AXIS}=0, {KEEP}=True))
    return e / {SUM}(e, {AXIS}=0, {KEEP}=True)


def log_softmax_columns(z):
    """log softmax of each column by log-sum-exp: finite for any finite z."""
    s = z - {MAX}(z, {AXIS}=0, {KEEP}=True)
    return s - {M}.log({SUM}({M}.exp(s), {AXIS}=0, {KEEP}=True))
'''


def _without_float_path(text: str) -> str:
    """A NumPy form's source less its branch for one example as plain floats.

    Matrix programs only ever pass arrays, and that branch alone needs ``math``.
    """
    lines, out, skipping = text.splitlines(), [], False
    for line in lines:
        if line.startswith("    if ") and "is float" in line:
            skipping = True
            continue
        if skipping and line.startswith("        "):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out) + "\n"


def _numpy_helpers(module):
    def source(function):
        text = _without_float_path(inspect.getsource(function))
        return text.replace("np.", f"{module}.") if module != "np" else text
    # The functions a generated program defines: those with a torch definition too.
    return {e.name: source(e.numpy) for e in REGISTRY.values() if e.torch_source}


class _TorchPrinter(TorchPrinter):
    """sympy's torch printer, which looks functions up by class, also for the registry's twins."""

    mapping = {**TorchPrinter.mapping, **{twin: TorchPrinter.mapping[cls]
                                          for cls, twin in TWINS.items()
                                          if cls in TorchPrinter.mapping}}


def _torch_helpers():
    return {e.name: e.torch_source for e in REGISTRY.values() if e.torch_source}


@dataclass(frozen=True)
class Backend:
    """How one array library spells the few things the generated program needs."""

    name: str
    imports: str
    module: str                 # prefix for exp, log, ...
    scalar_printer: type        # sympy printer for elementwise bodies
    axis: str                   # keyword for the reduction axis
    keepdims: str
    max_fn: str
    sum_fn: str
    to_array: str               # converts one argument: {value}, {dtype}
    cast_method: str            # array method converting to another dtype
    dtype_names: dict = field(default_factory=dict)
    helpers: dict = field(default_factory=dict)

    def row_sum(self, x: str) -> str:
        return f"{self.sum_fn}({x}, {self.axis}=1, {self.keepdims}=True)"

    def column_sum(self, x: str) -> str:
        return f"{self.sum_fn}({x}, {self.axis}=0, {self.keepdims}=True)"

    def total(self, x: str) -> str:
        return f"{self.sum_fn}({x})"

    def cast(self, x: str) -> str:
        """``x`` (a boolean mask) as an array of the program's DTYPE."""
        return f"{x}.{self.cast_method}(DTYPE)"

    def softmax_source(self) -> str:
        return _COLUMN_SOFTMAX.format(M=self.module, MAX=self.max_fn, SUM=self.sum_fn,
                                      AXIS=self.axis, KEEP=self.keepdims)

    def dtype(self, dtype) -> str:
        import numpy as np

        name = np.dtype(dtype).name
        return self.dtype_names.get(name, f"{self.module}.{name}")


BACKENDS = {
    "numpy": Backend("numpy", "import numpy as np\nimport numpy", "np", NumPyPrinter,
                     "axis", "keepdims", "np.max", "np.sum",
                     "np.asarray({value}, dtype={dtype})", "astype", helpers=_numpy_helpers("np")),
    "jax": Backend("jax", "import jax\nimport jax.numpy as jnp", "jnp", JaxPrinter,
                   "axis", "keepdims", "jnp.max", "jnp.sum",
                   "jnp.asarray({value}, dtype={dtype})", "astype", helpers=_numpy_helpers("jnp")),
    "torch": Backend("torch", "import torch", "torch", _TorchPrinter,
                     "dim", "keepdim", "torch.amax", "torch.sum",
                     "torch.as_tensor({value}, dtype={dtype})", "to", helpers=_torch_helpers()),
}


__all__ = ["Backend", "BACKENDS"]
