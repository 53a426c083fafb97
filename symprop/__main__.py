"""``python -m symprop``: the same command as ``symprop``."""
import sys

from .cli import main

sys.exit(main())
