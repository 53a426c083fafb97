"""The parts every generated module shares, whatever its form and library.

A module is a docstring, the library's imports, the helpers its printouts call
(each backend's definition of them), and functions whose bodies the form's
writer gives; the backward pass is written here for both forms, one commented
assignment per adjoint a gradient needs, loss end first.

>>> from symprop.codegen.backward import AdjointLine
>>> from symprop.codegen.printer import NumpyFormPrinter
>>> import sympy
>>> z, d = sympy.symbols("z dL_dz")
>>> adjoint_lines([AdjointLine(z, "dL_dz", 2*z, "dL/dz: L differentiated with respect to z"),
...                AdjointLine(d, None, None, "dL/dy is not needed")], NumpyFormPrinter())
['dL_dz = 2*z  # dL/dz: L differentiated with respect to z', '# dL/dy is not needed']
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np

from .arguments import array_helper_source, device_helper_source

LINE = 88  # wrap generated lines that would be longer than this, where it is easy


@dataclass(frozen=True)
class GeneratedModule:
    """Source text and what a caller needs to know to call its function (either form)."""

    source: str
    function_name: str
    arguments: tuple[str, ...]
    params: tuple[str, ...]
    reduce: str | None
    backend: str = "numpy"
    dtype: np.dtype = np.dtype(np.float64)


_STANDALONE_ERROR = '''try:
    from symprop.errors import SympropError
except ImportError:  # standalone: the module needs only its array library
    class SympropError(ValueError):
        pass'''


def adjoint_lines(lines, printer) -> list[str]:
    """``dL_d<node> = <local form>  # <the chain-rule step>`` per line; a comment where none is needed."""
    return [f"# {line.comment}" if line.variable is None
            else f"{line.variable} = {printer.doprint(line.expr)}  # {line.comment}"
            for line in lines]


def helper_sources(backend, helpers, helper_names=None, float_path=False) -> list[str]:
    """The definitions of the helpers a printer recorded, each with its alias where one is needed."""
    sources = []
    for function in helpers:
        text = backend.helper_source(function, float_path=float_path).strip()
        alias = (helper_names or {}).get(function)
        if alias:
            text += (f"\n\n\n{alias} = {function.__name__}  # the graph declares a "
                     f"{function.__name__} of its own")
        sources.append(text)
    return sources


def x64_line(backend, dtype) -> str:
    """JAX computes in float32 unless told otherwise: a float64 program says so."""
    if backend.name == "jax" and np.dtype(dtype) == np.float64:
        return '\njax.config.update("jax_enable_x64", True)  # float64 was asked for'
    return ""


def header(backend, dtype, helpers, converts=True, imports=()) -> str:
    """Imports, then (``converts``) DTYPE and ``_array``, then the helpers' definitions."""
    parts = ["\n".join([*imports, backend.imports])]
    if converts:
        parts += [_STANDALONE_ERROR, f"DTYPE = {backend.dtype(dtype)}{x64_line(backend, dtype)}"]
    parts += list(helpers)
    if converts:
        parts.append(array_helper_source(backend).strip())
        if backend.devices:
            parts.append(device_helper_source().strip())
    return "\n\n\n".join(parts)


def conversion_lines(backend, arguments, shapes=None) -> list[str]:
    """The body's first lines: every argument as an array of DTYPE on one device (``shapes`` checked)."""
    lines, device = [], ""
    if backend.devices:
        lines += textwrap.wrap(f"_device = _device_of({', '.join(arguments)})", width=LINE - 4,
                               subsequent_indent=" " * len("_device = _device_of("))
        device = ", device=_device"
    for name in arguments:
        shape = f", {shapes[name]}" if shapes else ""
        lines.append(f"{name} = _array({name!r}, {name}{shape}{device})")
    return lines


def signature(function_name, arguments) -> str:
    """``def name(a, b, ...):``, wrapped at LINE."""
    head = f"def {function_name}("
    return textwrap.fill(", ".join(arguments) + "):", width=LINE, initial_indent=head,
                         subsequent_indent=" " * len(head), break_on_hyphens=False)


def function_source(function_name, arguments, body) -> str:
    """A function of ``arguments`` whose body is the lines ``body`` (docstring first)."""
    return "\n".join([signature(function_name, arguments),
                      textwrap.indent("\n".join(body), "    ", lambda line: bool(line.strip()))])


def wrapped(text, indent="") -> list[str]:
    """``text`` in lines that fit a generated module's docstring."""
    return textwrap.wrap(text, width=LINE - 4, subsequent_indent=indent,
                         break_on_hyphens=False, break_long_words=False)


__all__ = ["GeneratedModule", "LINE", "adjoint_lines", "conversion_lines", "function_source", "header",
           "helper_sources", "signature", "wrapped", "x64_line"]
