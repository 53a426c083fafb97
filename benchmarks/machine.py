"""The machine's figures printed above the tables: CPU, cores, library versions, threads, BLAS."""
from __future__ import annotations

import contextlib
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


def figures(threads: int) -> list[str]:
    import sympy
    import torch

    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                      "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")
           if k in os.environ}
    return [
        f"CPU:      {cpu_model()} ({os.cpu_count()} cores)",
        f"Python:   {platform.python_version()}  sympy {sympy.__version__}  "
        f"numpy {np.__version__}  torch {torch.__version__}",
        f"BLAS:     numpy {blas_config()}; torch threads {torch.get_num_threads()} "
        f"(set to {threads})",
        f"env:      {env or 'no BLAS variables set'}",
    ]
