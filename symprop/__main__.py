"""``python -m symprop``: the same command as ``symprop``.

The working folder is already off ``sys.path`` (``symprop/__init__.py`` removes it
before importing anything), so no module lying beside a spec file is imported.
"""
import sys

from .front.cli import main

sys.exit(main())
