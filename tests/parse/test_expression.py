"""The whitelisting expression parser: what it builds, what it refuses, and that it never evaluates."""
import ast
import builtins

import pytest
import sympy

from symprop.errors import SympropError
from symprop.registry.functions import leaky_relu, relu, sigmoid, softmax, softplus, step
from symprop.parse.expression import (MAX_DEPTH, MAX_DIGITS, MAX_EXPONENT, MAX_LENGTH,
                                      UndeclaredName, parse_expression)

x, y, w, b, z = sympy.symbols("x y w b z")
NAMES = {"x": x, "y": y, "w": w, "b": b, "z": z}

# Expected values are built with sympy's constructors, independently of the parser.
ACCEPTED = [
    ("w*x + b", w * x + b),
    ("-x**2", -(x ** 2)),
    ("+x - -y", x + y),
    ("x - y - z", x - y - z),
    ("x / y / z", x / (y * z)),
    ("x**y**z", x ** (y ** z)),
    ("(x + y) * z", (x + y) * z),
    ("2**-1 * x", x / 2),
    ("0.5 * x", sympy.Float(0.5) * x),
    ("sigmoid(w*x + b)", sigmoid(w * x + b)),
    ("tanh(x) + relu(y) + softplus(z)", sympy.tanh(x) + relu(y) + softplus(z)),
    ("leaky_relu(x) + leaky_relu(x, 0.2)", leaky_relu(x) + leaky_relu(x, sympy.Float(0.2))),
    ("softmax(2, x, y, z)", softmax(2, x, y, z)),
    ("exp(x) * log(y) + sin(z) - cos(w) + abs(b)",
     sympy.exp(x) * sympy.log(y) + sympy.sin(z) - sympy.cos(w) + sympy.Abs(b)),
    ("step(x) + sqrt(y) + identity(z)", step(x) + sympy.sqrt(y) + z),
    ("log(x, 2)", sympy.log(x, 2)),
    ("bce(sigmoid(z), y)", -y * sympy.log(sigmoid(z)) - (1 - y) * sympy.log(1 - sigmoid(z))),
    ("mse(z, y)", (z - y) ** 2),
    ("ce(z, y)", -y * sympy.log(z)),
    (f"x**{MAX_EXPONENT}", x ** MAX_EXPONENT),
    ("(1/2)**64", sympy.Rational(1, 2 ** 64)),
    ("  x  ", x),
]


@pytest.mark.parametrize("text, expected", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_builds_the_expression(text, expected):
    assert parse_expression(text, NAMES) == expected


def test_names_are_the_declared_symbols():
    assert parse_expression("x", NAMES) is x


def test_a_long_flat_chain_is_not_deep():
    terms = [sympy.Symbol(f"t{i}") for i in range(600)]
    names = {str(t): t for t in terms}
    assert parse_expression(" + ".join(names), names) == sympy.Add(*terms)
    assert parse_expression(" * ".join(names), names) == sympy.Mul(*terms)


REFUSED = [
    ("__import__('os').system('touch pwned')", "attribute access", 1),
    ("x.__class__", "attribute access", 1),
    ("x[0]", "subscripting", 1),
    ("(lambda: x)()", "a lambda", 2),
    ("[x for x in y]", "list comprehension", 1),
    ("sum(x for x in y)", "generator expression", 4),
    ("sigmoid(x=1)", "keyword arguments", 11),
    ("sigmoid(*x)", "starred", 9),
    ("x + 'a'", "a string", 5),
    ("x + b'a'", "bytes", 5),
    ("f'{x}'", "f-string", 1),
    ("x and y", "boolean operator", 1),
    ("x < y", "comparison", 1),
    ("x if y else z", "conditional", 1),
    ("(x := 1)", "assignment expression", 2),
    ("x % y", "operator %", 1),
    ("x // y", "operator //", 1),
    ("x ^ y", "write powers as **", 1),
    ("~x", "operator ~", 1),
    ("not x", "operator not", 1),
    ("1j * x", "complex", 1),
    ("True * x", "True", 1),
    ("None", "None", 1),
    ("x + q", "'q' is not declared", 5),
    ("foo(x)", "'foo' is not a function", 1),
    ("eval('1')", "'eval' is not a function", 1),
    ("sigmoid", "is a function; call it", 1),
    ("sigmoid(x)(y)", "cannot be called", 1),
    ("sigmoid(x, y)", "takes 1 argument", 1),
    ("sqrt(x, 1)", "takes 1 argument", 1),
    ("softmax(3, x, y)", "softmax index 3", 1),
    ("1/0", "division by zero", 3),
    ("0**-1", "division by zero", 1),
    ("log(0)", "infinite or undefined", 1),
    ("x +", "cannot read the expression", None),
    ("", "empty", None),
]


@pytest.mark.parametrize("text, fragment, column", REFUSED, ids=[c[0] or "empty" for c in REFUSED])
def test_refuses_with_one_line_naming_what_and_where(text, fragment, column):
    with pytest.raises(SympropError) as info:
        parse_expression(text, NAMES)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message
    if column is not None:
        assert f"at column {column} " in message


def test_undeclared_name_says_which():
    with pytest.raises(UndeclaredName) as info:
        parse_expression("w * later", NAMES)
    assert info.value.name == "later"


BOUNDS = [
    ("x+" * (MAX_LENGTH // 2) + "x", "characters long"),
    ("-" * (MAX_DEPTH + 1) + "x", f"nested more than {MAX_DEPTH} levels"),
    ("sigmoid(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1), "nested more than"),
    ("(" * 250 + "x" + ")" * 250, "cannot read the expression"),
    ("9**9**9**9", "exponent 387420489 is too large"),
    ("2**100000", "exponent 100000 is too large"),
    (f"x**{MAX_EXPONENT + 1}", "too large"),
    (f"x**-{MAX_EXPONENT + 1}", "too large"),
    ("x**1e10", "too large"),
    ("(2**64)**64", "digits"),
    ("1" * (MAX_DIGITS + 1), f"more than {MAX_DIGITS} digits"),
    ("1" * 5000, "more than 100 digits"),
    ("1e999 * x", "not finite"),
    ("1e99 * 1e99", "magnitude"),
    ("10**60 * 10**60", "digits"),
]


@pytest.mark.parametrize("text, fragment", BOUNDS, ids=[c[0][:30] for c in BOUNDS])
def test_resource_bounds_are_refused(text, fragment):
    with pytest.raises(SympropError) as info:
        parse_expression(text, NAMES)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_non_string_is_refused():
    with pytest.raises(SympropError, match="must be a string"):
        parse_expression(3, NAMES)


def test_nothing_is_evaluated(monkeypatch):
    """No string reaches eval, exec or a compile other than ast.parse's."""
    calls = []
    real_compile = builtins.compile

    def guarded_compile(source, *args, **kwargs):
        flags = kwargs.get("flags", args[2] if len(args) > 2 else 0)
        if not flags & ast.PyCF_ONLY_AST:
            calls.append(("compile", source))
        return real_compile(source, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", lambda *a, **k: calls.append(("eval", a)))
    monkeypatch.setattr(builtins, "exec", lambda *a, **k: calls.append(("exec", a)))
    monkeypatch.setattr(builtins, "compile", guarded_compile)
    monkeypatch.setattr(sympy, "sympify", lambda *a, **k: calls.append(("sympify", a)))
    for text, _ in ACCEPTED:
        parse_expression(text, NAMES)
    for text, _, _ in REFUSED:
        with pytest.raises(SympropError):
            parse_expression(text, NAMES)
    assert calls == []


# ----------------------------------------------------------------- issue 10: usual spellings
W, X = sympy.symbols("w x")


@pytest.mark.parametrize("text, expected", [
    ("0.0*w + 0.0", sympy.Float(0.0)),   # sympy's Float(0.0) != 0: zero is still in range
    ("0.0**w", sympy.Pow(sympy.Float(0.0), W)),
    ("max(w, 0) + min(w, x, 1)", sympy.Max(W, 0) + sympy.Min(W, X, 1)),
    ("tan(w) + atan(x) + sinh(w) + cosh(x) + sign(w)",
     sympy.tan(W) + sympy.atan(X) + sympy.sinh(W) + sympy.cosh(X) + sympy.sign(W)),
    ("asin(w) + acos(w) + asinh(w) + acosh(x) + atanh(w) + atan2(w, x) + sinc(w)",
     sympy.asin(W) + sympy.acos(W) + sympy.asinh(W) + sympy.acosh(X) + sympy.atanh(W)
     + sympy.atan2(W, X) + sympy.sinc(W)),
    ("pi*w + E", sympy.pi * W + sympy.E),
    ("where(w > 0, w, 0.5*w)", sympy.Piecewise((W, W > 0), (sympy.Float(0.5) * W, True))),
    ("where(0 < w <= x, 1, 2)", sympy.Piecewise((1, (W > 0) & (W <= X)), (2, True))),
    ("where(w == x or not w != 1, 1, 2)",
     sympy.Piecewise((1, sympy.Eq(W, X) | sympy.Eq(W, 1)), (2, True))),
    ("0x10*w", 16 * W),
    ("arcsin(w) + arctan2(w, x) + ceil(w) + maximum(w, 0)",
     sympy.asin(W) + sympy.atan2(W, X) + sympy.ceiling(W) + sympy.Max(W, 0)),
])
def test_users_usual_spellings(text, expected):
    assert parse_expression(text, {"w": W, "x": X}) == expected


def test_a_declared_name_takes_precedence_over_a_constant():
    pi = sympy.Symbol("pi")
    assert parse_expression("pi*w", {"pi": pi, "w": W}) == pi * W


def test_mod_parses_to_the_registry_twin_with_a_derivative():
    from symprop.registry.functions import mod

    expr = parse_expression("mod(w, x)", {"w": W, "x": X})
    assert expr == mod(W, X) and sympy.diff(expr, X) == -sympy.floor(W / X)


@pytest.mark.parametrize("text, fragment", [
    ("w < x", "comparisons go in the condition of where"),
    ("w and x", "comparisons go in the condition of where"),
    ("where(w, 1, 2)", "must be a comparison"),
    ("where(w > 0, w < 1, 2)", "comparison is not allowed"),
    ("where(w is x, 1, 2)", "only < <= > >= == !="),
    ("where(w > 0)", "takes 3 argument(s)"),
    ("max()", "takes at least 1 argument"),
    ("mod(w, 0)", "modulus is zero"),
    ("0x" + "f" * 4000, "more than 100 digits"),
    ("9" * 4400, "more than 100 digits"),
])
def test_conditions_and_numbers_refused_with_one_clear_line(text, fragment):
    with pytest.raises(SympropError) as info:
        parse_expression(text, {"w": W, "x": X})
    assert fragment in str(info.value) and "\n" not in str(info.value)
