"""What a generated program needs from each array library: its printer, names, helper sources.

One :class:`Backend` per library; the module writers of both forms write the
same program for each, asking the backend only how to spell a reduction, an
array conversion and the helpers.  Nothing here imports torch or jax: a
backend's printer class is imported when a program is written for it.

>>> BACKENDS["torch"].row_sum("G")
'torch.sum(G, dim=1, keepdim=True)'
>>> from symprop.registry.numpy_forms import relu
>>> print(BACKENDS["jax"].helper_source(relu).splitlines()[-1])
    return jnp.maximum(x, 0)
"""
from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass, field

import numpy as np

from ..errors import SympropError
from ..registry.functions import REGISTRY
from .stable_forms import COLUMN_SOFTMAX, JAX_FORMS, TORCH_FORMS



def without_float_path(text: str) -> str:
    """A NumPy form's source less its branch for one example as plain floats.

    Only NumPy scalar programs pass plain floats; that branch alone needs ``math``.
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


def _jax_text(text: str) -> str:
    # jnp's ufunc reductions take one array, not NumPy's list of broadcast arrays.
    text = re.sub(r"np\.broadcast_arrays\((\*\w+)\)", r"np.stack(np.broadcast_arrays(\1))", text)
    return re.sub(r"\bnp\.", "jnp.", text)


@dataclass(frozen=True)
class Backend:
    """How one array library spells the few things a generated program needs."""

    name: str
    imports: str
    module: str                 # prefix for exp, log, ...
    printer_path: str           # "module:Class" of its printer, imported on first use
    axis: str                   # keyword for the reduction axis
    keepdims: str
    max_fn: str
    sum_fn: str
    to_array: str               # converts one argument: {value}, {dtype}, {device}
    cast_method: str            # array method converting to another dtype
    devices: bool = False       # arrays live on devices: a program puts them all on one
    floats: bool = False        # scalar programs take plain floats (NumPy: math is fastest)
    native: tuple = ()          # (module, type name) of its arrays, which programs take unread
    library: str = ""           # the library as docstrings name it
    dtype_names: dict = field(default_factory=dict)

    @property
    def printer(self) -> type:
        """The backend's printer class (:mod:`.printer`; torch's imports torch)."""
        module, name = self.printer_path.split(":")
        return getattr(importlib.import_module(module, __package__), name)

    def helper_source(self, function, float_path: bool = False) -> str:
        """The definition a module of this library carries for a helper (given by its NumPy form)."""
        if self.name == "torch":
            entry = next((e for e in REGISTRY.values() if e.numpy is function), None)
            text = TORCH_FORMS.get(function.__name__) if entry is None else entry.torch_source
            if text is None:
                raise SympropError(f"{function.__name__} has no definition for torch programs "
                                   "(its registry entry's torch_source); compile with "
                                   "backend='numpy' or 'jax'")
            return text
        text = inspect.getsource(function)
        if self.name == "jax":
            entry = next((e for e in REGISTRY.values() if e.numpy is function), None)
            own = JAX_FORMS.get(function.__name__) if entry is None else entry.jax_source
            return own or _jax_text(without_float_path(text))
        return text if float_path else without_float_path(text)

    def row_sum(self, x: str) -> str:
        return f"{self.sum_fn}({x}, {self.axis}=1, {self.keepdims}=True)"

    def column_sum(self, x: str) -> str:
        return f"{self.sum_fn}({x}, {self.axis}=0, {self.keepdims}=True)"

    def total(self, x: str) -> str:
        return f"{self.sum_fn}({x})"

    def mean(self, x: str) -> str:
        return f"{self.module}.mean({x})"

    def cast(self, x: str) -> str:
        """``x`` (a boolean mask) as an array of the program's DTYPE."""
        return f"{x}.{self.cast_method}(DTYPE)"

    def softmax_source(self) -> str:
        return COLUMN_SOFTMAX.format(M=self.module, MAX=self.max_fn, SUM=self.sum_fn,
                                     AXIS=self.axis, KEEP=self.keepdims)

    def shape_of(self, name: str) -> str:
        """The shape of an argument (NumPy programs may be passed plain floats)."""
        return f"np.shape({name})" if self.floats else f"{name}.shape"

    def zeros(self, shape: str) -> str:
        """An array of zeros of DTYPE, on the program's device."""
        if self.floats:
            return f"np.zeros({shape})"
        return f"{self.module}.zeros({shape}, dtype=DTYPE{', device=_device' if self.devices else ''})"

    def dtype(self, dtype) -> str:
        name = np.dtype(dtype).name
        return self.dtype_names.get(name, f"{self.module}.{name}")


BACKENDS = {
    "numpy": Backend("numpy", "import numpy as np", "np", ".printer:NumpyFormPrinter",
                     "axis", "keepdims", "np.max", "np.sum",
                     "np.asarray({value}, dtype={dtype})", "astype", floats=True, native=("numpy", "ndarray"), library="NumPy"),
    "jax": Backend("jax", "import jax\nimport jax.numpy as jnp", "jnp", ".printer:JaxFormPrinter",
                   "axis", "keepdims", "jnp.max", "jnp.sum",
                   "jnp.asarray({value}, dtype={dtype})", "astype", native=("jax", "Array"), library="jax"),
    "torch": Backend("torch", "import torch", "torch", ".torch_printer:TorchFormPrinter",
                     "dim", "keepdim", "torch.amax", "torch.sum",
                     "torch.as_tensor({value}, dtype={dtype}, device={device})", "to",
                     devices=True, native=("torch", "Tensor"), library="torch"),
}

__all__ = ["Backend", "BACKENDS", "without_float_path"]
