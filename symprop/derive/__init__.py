"""Stage 2, derivation: chain-rule paths, reverse accumulation, the textbook simplifications.

See docs/architecture.md.
"""
