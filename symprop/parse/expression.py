"""The whitelisting expression parser: node expressions are data, never code.

Text is read by Python's :mod:`ast` parser, then every tree node is checked
against a short whitelist and the sympy expression is built here, node by node.
No string ever reaches ``eval``, ``exec``, ``sympify`` or ``parse_expr``.

Accepted: int and float literals, declared names, the constants ``pi`` and
``E`` (unless a declared name takes them), ``+ - * / **``, unary ``-`` and
``+``, parentheses, and calls with positional arguments of the functions in
:data:`symprop.registry.functions.CALLABLE` (the registry's activations and elementary
functions, ``max min sign floor mod``, ``sqrt``, and the loss macros ``bce mse
ce``).  A conditional is ``where(condition, a, b)``; comparisons (``< <= > >=
== !=``, chained or joined by ``and or not``) are allowed only in its condition.

>>> x = sympy.Symbol("x")
>>> parse_expression("where(x > 0 and x < pi, x, 0)", {"x": x})
Piecewise((x, (x > 0) & (x < pi)), (0, True))

>>> import sympy
>>> x, w = sympy.symbols("x w")
>>> parse_expression("sigmoid(w*x + 1)**2 / 2", {"x": x, "w": w})
sigmoid(w*x + 1)**2/2
>>> parse_expression("__import__('os')", {"x": x})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
symprop.errors.SympropError: '__import__' is not a function symprop knows (at column 1 ...

Resource bounds, each refused with a one-line error before anything large is
built: at most :data:`MAX_LENGTH` characters, :data:`MAX_DEPTH` levels of
nesting (a flat chain such as ``a + b + c`` counts as one level), numeric
exponents of absolute value at most :data:`MAX_EXPONENT`, and numbers (literal
or folded, such as ``2**64``) of at most :data:`MAX_DIGITS` decimal digits.
"""
from __future__ import annotations

import ast
import inspect
import math
from typing import Mapping

import sympy

from ..errors import SympropError, checked_text
from ..registry.functions import CALLABLE, CONSTANTS

MAX_LENGTH = 5_000     # characters; Python's own parser recurses on longer chains
MAX_DEPTH = 100        # nested parentheses, calls, powers and unary signs
MAX_EXPONENT = 64      # |n| for a numeric exponent: x**64 is the largest power
MAX_DIGITS = 100       # decimal digits of any number, literal or computed

# Functions whose signature says more than they accept positionally.
_ARITY_OVERRIDES = {"sqrt": (1, 1), "max": (1, None), "min": (1, None)}

CONDITIONAL = "where"  # the one call whose first argument is a condition

_COMPARISONS = {ast.Lt: sympy.Lt, ast.LtE: sympy.Le, ast.Gt: sympy.Gt, ast.GtE: sympy.Ge,
                ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne}

_OPERATOR_NAMES = {
    ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<",
    ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&",
    ast.Not: "not", ast.Invert: "~",
}


class UndeclaredName(SympropError):
    """A name that is neither declared nor a function; ``.name`` says which."""

    def __init__(self, message: str, name: str):
        super().__init__(message)
        self.name = name


def parse_expression(text: str, names: Mapping[str, sympy.Symbol]) -> sympy.Expr:
    """Build the sympy expression that ``text`` writes, over the declared ``names``.

    >>> z, y = sympy.symbols("z y")
    >>> parse_expression("-y*log(sigmoid(z)) - (1 - y)*log(1 - sigmoid(z))", {"z": z, "y": y})
    -y*log(sigmoid(z)) - (1 - y)*log(1 - sigmoid(z))
    >>> parse_expression("9**9**9**9", {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symprop.errors.SympropError: exponent 387420489 is too large (at column 7 of "9**9**9**9"); ...
    """
    return _Builder(checked_text(text, "an expression", MAX_LENGTH), names).build()


class _Builder:
    """One parse: the text (for error positions), the names, the tree walk."""

    def __init__(self, text: str, names: Mapping[str, sympy.Symbol]):
        self.text = text
        self.names = names

    # ----------------------------------------------------------- errors
    def _where(self, node=None, column=None) -> str:
        if node is not None:
            line = getattr(node, "lineno", 1)
            # ast columns count UTF-8 bytes; users count characters.
            source_line = self.text.splitlines()[line - 1] if self.text.splitlines() else ""
            column = len(source_line.encode()[:node.col_offset].decode(errors="ignore")) + 1
            where = f"at column {column}" if line == 1 else f"at line {line}, column {column}"
        elif column is not None:
            where = f"at column {column}"
        else:
            where = "in"
        shown = " ".join(self.text.split())
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return f"({where} of \"{shown}\")"

    def fail(self, message: str, node=None, suffix: str = "", cls=SympropError, **extra):
        """The error to raise: what, where (column), then any advice."""
        return cls(f"{message} {self._where(node)}{suffix}", **extra)

    # ----------------------------------------------------------- the walk
    def build(self) -> sympy.Expr:
        try:
            tree = ast.parse(self.text.strip(), mode="eval")
        except SyntaxError as exc:
            reason = (exc.msg or "invalid syntax").splitlines()[0]
            if "integer string conversion" in reason:  # Python's 4300-digit limit
                raise SympropError(f"a number in the expression has more than {MAX_DIGITS} "
                                   "digits") from None
            column = f" at column {exc.offset}" if exc.offset and exc.lineno == 1 else ""
            raise SympropError(f"cannot read the expression: {reason}{column}") from None
        except (RecursionError, MemoryError):
            raise SympropError("the expression is nested too deeply or chains too many "
                               f"operators (at most {MAX_DEPTH} levels)") from None
        except ValueError as exc:
            raise SympropError(f"cannot read the expression: {exc}") from None
        self._whitelist(tree)
        return self._expr(tree.body, 0)

    def _whitelist(self, tree):
        """Refuse any construct outside the whitelist before building anything."""
        allowed = (ast.Expression, ast.Constant, ast.Name, ast.Load, ast.BinOp, ast.UnaryOp,
                   ast.Call)
        operators = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)
        in_condition = _condition_parts(tree)
        for node in ast.walk(tree):  # breadth first: a construct before its parts
            if isinstance(node, (ast.operator, ast.unaryop, ast.boolop, ast.cmpop)):
                continue  # judged with the expression that holds it, which has a position
            if id(node) in in_condition:
                continue
            if isinstance(node, (ast.BinOp, ast.UnaryOp)) and not isinstance(node.op, operators):
                symbol = _OPERATOR_NAMES.get(type(node.op), type(node.op).__name__)
                hint = "; write powers as **" if isinstance(node.op, ast.BitXor) else ""
                raise self.fail(f"the operator {symbol} is not allowed", node, hint)
            if not isinstance(node, allowed):
                hint = (f"; comparisons go in the condition of {CONDITIONAL}(condition, a, b)"
                        if isinstance(node, (ast.Compare, ast.BoolOp)) else "")
                raise self.fail(f"{_describe(node)} is not allowed in an expression",
                                node if hasattr(node, "col_offset") else None, hint)
            if isinstance(node, ast.Call) and node.keywords:
                raise self.fail("keyword arguments are not allowed; pass arguments "
                                "by position", node.keywords[0].value)

    def _expr(self, node, depth: int) -> sympy.Expr:
        if depth > MAX_DEPTH:
            raise self.fail(f"the expression is nested more than {MAX_DEPTH} levels deep",
                            node)
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise self.fail(f"{_describe(node)} is not allowed in an expression", node)
        result = method(node, depth)
        return self._checked(result, node)

    def _checked(self, value, node):
        if not isinstance(value, sympy.Expr):
            raise self.fail("this does not build a number or an expression", node)
        if value.is_Number:
            _check_number_size(value, lambda m: self.fail(m, node))
        elif value.has(sympy.zoo, sympy.oo, sympy.nan):
            raise self.fail("this is infinite or undefined", node)
        if value in (sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
            raise self.fail("this is infinite or undefined", node)
        return value

    # ----------------------------------------------------------- leaves
    def _Constant(self, node, depth):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"{_describe(node)} is not allowed in an expression", node)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.fail("the number is too large (not finite)", node)
            return sympy.Float(value)
        if _digits(value) > MAX_DIGITS:
            raise self.fail(f"the number has more than {MAX_DIGITS} digits", node)
        return sympy.Integer(value)

    def _Name(self, node, depth):
        if node.id in self.names:
            return self.names[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in CALLABLE:
            raise self.fail(f"{node.id!r} is a function; call it, as in {node.id}(z)", node)
        declared = ", ".join(self.names) or "none"
        raise self.fail(f"{node.id!r} is not declared", node, f"; declared names: {declared}",
                        cls=UndeclaredName, name=node.id)

    # ----------------------------------------------------------- operators
    def _UnaryOp(self, node, depth):
        operand = self._expr(node.operand, depth + 1)
        return -operand if isinstance(node.op, ast.USub) else operand

    def _BinOp(self, node, depth):
        if isinstance(node.op, (ast.Add, ast.Sub)):
            return sympy.Add(*self._chain(node, depth, ast.Add, ast.Sub, lambda t, _: -t))
        if isinstance(node.op, (ast.Mult, ast.Div)):
            return sympy.Mul(*self._chain(node, depth, ast.Mult, ast.Div, self._reciprocal))
        if isinstance(node.op, ast.Pow):
            return self._power(node, depth)
        symbol = _OPERATOR_NAMES.get(type(node.op), type(node.op).__name__)
        raise self.fail(f"the operator {symbol} is not allowed", node)

    def _chain(self, node, depth, same, inverse, invert):
        """Operands of a flat chain ``a + b - c`` (or ``a * b / c``), walked without recursion.

        ``invert(value, tree_node)`` turns the right operand of ``inverse`` (- or /)
        into a term (or factor).
        """
        operands = []
        while isinstance(node, ast.BinOp) and isinstance(node.op, (same, inverse)):
            right = self._expr(node.right, depth + 1)
            operands.append(invert(right, node.right) if isinstance(node.op, inverse) else right)
            node = node.left
        operands.append(self._expr(node, depth + 1))
        operands.reverse()
        return operands

    def _reciprocal(self, value, node):
        if value.is_zero:
            raise self.fail("division by zero", node)
        return sympy.Pow(value, -1)

    def _power(self, node, depth):
        base = self._expr(node.left, depth + 1)
        exponent = self._expr(node.right, depth + 1)
        if exponent.is_Number:
            if abs(exponent) > MAX_EXPONENT:
                raise self.fail(f"exponent {exponent} is too large", node.right,
                                f"; numeric exponents are limited to +-{MAX_EXPONENT}")
            if base.is_Number:
                if base.is_zero and exponent.is_negative:
                    raise self.fail("division by zero (0 to a negative power)", node)
                _check_power_size(base, exponent, lambda m: self.fail(m, node))
        return sympy.Pow(base, exponent)

    def _Call(self, node, depth):
        if not isinstance(node.func, ast.Name):
            raise self.fail(f"{_describe(node.func)} cannot be called; only the functions "
                            "symprop knows can", node.func)
        name = node.func.id
        if name not in CALLABLE:
            raise self.fail(f"{name!r} is not a function symprop knows", node,
                            f"; functions: {', '.join(CALLABLE)}")
        low, high = _arity(name)
        count = len(node.args)
        if count < low or (high is not None and count > high):
            expected = str(low) if low == high else (f"{low} to {high}" if high else
                                                     f"at least {low}")
            raise self.fail(f"{name}() takes {expected} argument(s), got {count}", node)
        if name == CONDITIONAL:
            args = [self._condition(node.args[0], depth + 1),
                    *(self._expr(arg, depth + 1) for arg in node.args[1:])]
        else:
            args = [self._expr(arg, depth + 1) for arg in node.args]
        try:
            return CALLABLE[name](*args)
        except (TypeError, ValueError, ArithmeticError, RecursionError) as exc:
            # RecursionError: sympy's own evaluation of odd arguments, such as mod(1, acos(2))
            reason = (str(exc).splitlines() or ["invalid arguments"])[0]
            raise self.fail(f"{name}(): {reason}", node) from None


    def _condition(self, node, depth):
        """The condition of ``where``: comparisons of expressions, joined by and, or, not."""
        if depth > MAX_DEPTH:
            raise self.fail(f"the expression is nested more than {MAX_DEPTH} levels deep", node)
        if isinstance(node, ast.Compare):
            sides = [self._expr(n, depth + 1) for n in (node.left, *node.comparators)]
            parts = [_COMPARISONS[type(op)](a, b, evaluate=False)
                     for op, a, b in zip(node.ops, sides, sides[1:])
                     if type(op) in _COMPARISONS]
            if len(parts) != len(node.ops):
                raise self.fail("only < <= > >= == != compare values", node)
            return sympy.And(*parts) if len(parts) > 1 else parts[0]
        if isinstance(node, ast.BoolOp):
            parts = [self._condition(v, depth + 1) for v in node.values]
            return (sympy.And if isinstance(node.op, ast.And) else sympy.Or)(*parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return sympy.Not(self._condition(node.operand, depth + 1))
        raise self.fail(f"the condition of {CONDITIONAL}() must be a comparison, such as "
                        "x > 0", node)


def _condition_parts(tree) -> set:
    """ids of the comparison and logic nodes inside the condition of some ``where(...)``."""
    parts = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == CONDITIONAL and node.args):
            stack = [node.args[0]]
            while stack:  # comparisons and logic only; what they compare is judged as usual
                sub = stack.pop()
                if isinstance(sub, (ast.Compare, ast.BoolOp)) or (
                        isinstance(sub, ast.UnaryOp) and isinstance(sub.op, ast.Not)):
                    parts.add(id(sub))
                    stack.extend(ast.iter_child_nodes(sub))
    return parts


def _describe(node) -> str:
    """What a user would call this piece of Python syntax."""
    if isinstance(node, ast.Constant):
        kind = type(node.value).__name__
        return {"str": "a string", "bytes": "a bytes literal", "bool": f"{node.value}",
                "NoneType": "None", "complex": "a complex number",
                "ellipsis": "..."}.get(kind, f"a {kind} constant")
    labels = {
        ast.Attribute: "attribute access", ast.Subscript: "subscripting", ast.Lambda: "a lambda",
        ast.ListComp: "a list comprehension", ast.SetComp: "a set comprehension",
        ast.DictComp: "a dict comprehension", ast.GeneratorExp: "a generator expression",
        ast.Starred: "a starred argument", ast.JoinedStr: "an f-string",
        ast.FormattedValue: "an f-string", ast.BoolOp: "a boolean operator (and/or)",
        ast.Compare: "a comparison", ast.IfExp: "a conditional expression",
        ast.NamedExpr: "an assignment expression (:=)", ast.List: "a list",
        ast.Tuple: "a tuple", ast.Set: "a set", ast.Dict: "a dict", ast.Await: "await",
        ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "a slice",
        ast.keyword: "a keyword argument", ast.Call: "the result of a call",
    }
    for cls, label in labels.items():
        if isinstance(node, cls):
            return label
    symbol = _OPERATOR_NAMES.get(type(node))
    if symbol:
        return f"the operator {symbol}"
    return type(node).__name__


def _arity(name: str) -> tuple[int, int | None]:
    """(fewest, most) positional arguments ``CALLABLE[name]`` accepts; most None: any."""
    if name in _ARITY_OVERRIDES:
        return _ARITY_OVERRIDES[name]
    function = CALLABLE[name]
    nargs = getattr(function, "nargs", None)
    if isinstance(nargs, sympy.FiniteSet):
        counts = sorted(int(n) for n in nargs)
        return counts[0], counts[-1]
    params = inspect.signature(function).parameters.values()
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = sum(1 for p in positional if p.default is p.empty)
    variadic = any(p.kind == p.VAR_POSITIONAL for p in params)
    return required, None if variadic else len(positional)


def _digits(n: int) -> int:
    """Decimal digits of ``n``; estimated from its bits when str() would refuse (4300 digits)."""
    n = abs(int(n))
    if n.bit_length() > 3000:
        return int(n.bit_length() * math.log10(2)) + 1
    return len(str(n))


def _check_number_size(value, fail):
    """Refuse a sympy number with more than MAX_DIGITS digits (or non-finite)."""
    if value in (sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise fail("this is infinite or undefined")
    if value.is_Rational:
        if max(_digits(value.p), _digits(value.q)) > MAX_DIGITS:
            raise fail(f"this number has more than {MAX_DIGITS} digits")
    elif value.is_Float and not value.is_zero:
        magnitude = abs(float(value))  # inf when beyond the float range
        if not 10.0 ** -MAX_DIGITS <= magnitude <= 10.0 ** MAX_DIGITS:
            raise fail(f"this number is outside 1e-{MAX_DIGITS} to 1e{MAX_DIGITS} in magnitude")


def _check_power_size(base, exponent, fail):
    """Before computing ``base**exponent`` (both numbers), estimate its size in digits."""
    if base.is_zero:
        return
    if base.is_Rational:  # math.log10 takes Python integers of any size
        magnitude = max(math.log10(abs(int(base.p))), math.log10(int(base.q)))
    else:
        magnitude = abs(math.log10(abs(float(base))))
    size = abs(float(exponent)) * magnitude + 1
    if size > MAX_DIGITS:
        raise fail(f"this power would have about {int(size)} digits; "
                   f"numbers are limited to {MAX_DIGITS} digits")
