"""The machine's figures printed above the tables: CPU, cores, library versions, threads, BLAS of each."""
from __future__ import annotations

import contextlib
import ctypes
import io
import os
import platform

import numpy as np


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def blas_config() -> str:
    """numpy's BLAS, as numpy.show_config reports it (threadpoolctl is not required)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            np.show_config(mode="dicts")
        except TypeError:
            np.show_config()
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        return f"{info.get('name')} {info.get('version', '')}".strip()
    except Exception:
        return out.getvalue().strip().splitlines()[0] if out.getvalue() else "unknown"


def numpy_blas_threads():
    """The threads numpy's OpenBLAS runs, asked of the loaded library (None if it cannot say)."""
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "openblas" in line.lower()})
    except OSError:
        return None
    for path in paths:
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
                     "openblas_get_num_threads"):
            if hasattr(lib, name):
                return getattr(lib, name)()
    return None


def torch_blas() -> str:
    """torch's BLAS, from torch.__config__.show(): its name, and MKL's version where it is MKL."""
    import torch

    text = torch.__config__.show()
    name = next((part.split("=", 1)[1] for part in text.replace(",", " ").split()
                 if part.startswith("BLAS_INFO=")), "unknown")
    mkl = next((line.split("Version")[1].split("-")[0].strip() for line in text.splitlines()
                if "Math Kernel Library Version" in line), None)
    return f"{name} {mkl}" if name == "mkl" and mkl else name


def jax_line() -> str:
    try:
        import jax
    except ImportError:
        return "jax:      not installed (its rivals print n/a)"
    return (f"jax:      {jax.__version__} on {jax.devices()[0].platform}, XLA's CPU thread pool "
            f"(one thread per core: {os.cpu_count()})")


def figures(threads: int) -> list[str]:
    import sympy
    import torch

    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                      "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                      "XLA_FLAGS")
           if k in os.environ}
    blas_threads = numpy_blas_threads()
    return [
        f"CPU:      {cpu_model()} ({os.cpu_count()} cores)",
        f"Python:   {platform.python_version()}  sympy {sympy.__version__}  "
        f"numpy {np.__version__}  torch {torch.__version__}",
        f"BLAS:     numpy {blas_config()} ({blas_threads or '?'} threads); torch {torch_blas()} "
        f"({torch.get_num_threads()} threads, set to {threads})",
        jax_line(),
        f"env:      {env or 'no BLAS variables set'}",
    ]
