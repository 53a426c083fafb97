"""Readers of user text: node expressions (whitelisting parser) and LaTeX."""
from .expression import parse_expression

__all__ = ["parse_expression"]
