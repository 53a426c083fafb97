"""Verdicts on hand derivations: read the claim, bound its cost, compare, diagnose.

See docs/architecture.md.
"""
