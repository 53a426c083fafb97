"""Plain-text printing of expressions the way a person writes them: positive terms first.

>>> import sympy
>>> x1, y, yhat = sympy.symbols("x1 y yhat")
>>> text(x1*(yhat - y))
'x1*(yhat - y)'
"""
from itertools import islice

import sympy
from sympy.printing.str import StrPrinter

from ..errors import SympropError

MAX_PRINTED = 50_000  # tree nodes: a larger expression is refused, not printed for minutes


class TextPrinter(StrPrinter):
    """sympy's str printer, with a sum's positive terms before its negative ones."""

    def _print_Add(self, expr, order=None):
        terms = self._as_ordered_terms(expr, order=order)
        terms = sorted(terms, key=lambda t: t.could_extract_minus_sign())  # stable
        out = []
        for term in terms:
            printed = self._print(term)
            if printed.startswith("-"):
                out.extend(["-", printed[1:]])
            else:
                out.extend(["+", printed])
        sign = out.pop(0)
        return ("-" if sign == "-" else "") + " ".join(out)


def check_printable(expr, limit: int = MAX_PRINTED) -> None:
    """Refuse, before printing, an expression whose tree has more than ``limit`` nodes.

    A deep network's gradient written out has a term per chain-rule path;
    counting stops at the limit, so the check costs at most ``limit`` steps.

    >>> x = sympy.Symbol("x"); e = x
    >>> for _ in range(20): e = sympy.Mul(sympy.sin(e), sympy.cos(e), evaluate=False)
    >>> check_printable(e)
    Traceback (most recent call last):
    ...
    symprop.errors.SympropError: an expression of more than 50000 sympy nodes is too large to print
    """
    if isinstance(expr, sympy.Basic) and \
            sum(1 for _ in islice(sympy.preorder_traversal(expr), limit + 1)) > limit:
        raise SympropError(f"an expression of more than {limit} sympy nodes is too large to print")


def text(expr) -> str:
    """``expr`` as plain text, positive terms first (refused beyond MAX_PRINTED nodes)."""
    check_printable(expr)
    return TextPrinter().doprint(expr)
