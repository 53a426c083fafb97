"""``python -m symprop``: the same command as ``symprop``.

``python -m`` puts the working directory first on ``sys.path``.  Spec files are
data, and the folder they sit in must not supply code: a stray ``gen.py`` there
would otherwise be imported by latex2sympy2 (which imports a top-level ``gen``
package) the first time a claim is read.  symprop itself is already imported
by now, and its submodules are found through the package, so the working
directory is dropped before anything else is imported.
"""
import os
import sys

_cwd = os.getcwd()
sys.path[:] = [p for p in sys.path if p not in ("", ".", _cwd)]

from .cli import main  # noqa: E402  (after the path is made safe)

sys.exit(main())
