import sys
from pathlib import Path

# Tests import the shared corpus as a plain module.
sys.path.insert(0, str(Path(__file__).parent))
