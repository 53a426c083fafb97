import sys
from pathlib import Path

# Tests import the shared corpus as a plain module.
sys.path.insert(0, str(Path(__file__).parent))

# The hypothesis profile ("ci" unless HYPOTHESIS_PROFILE=thorough, as `make test-thorough`
# sets it), loaded before any test module builds its settings: see hypothesis_profiles.py.
import hypothesis_profiles  # noqa: E402,F401
