"""Checking gradients: the autograd oracle built from the original expressions, and its report.

See docs/architecture.md.
"""
