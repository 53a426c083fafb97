"""Plain-text printing of expressions the way a person writes them: positive terms first.

>>> import sympy
>>> x1, y, yhat = sympy.symbols("x1 y yhat")
>>> text(x1*(yhat - y))
'x1*(yhat - y)'
"""
from sympy.printing.str import StrPrinter


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


def text(expr) -> str:
    """``expr`` as plain text, positive terms first."""
    return TextPrinter().doprint(expr)
