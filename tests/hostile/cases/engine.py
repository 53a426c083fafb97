"""Hostile and unusual input to the engine: odd functions, odd numbers, names like functions.

What a new user writes without malice (``step(w*x)``, ``max(w, 0)``, a parameter
called ``exp``) and what an attacker writes to reach a crash (integers past
Python's 4300-digit limit in hex, numbers that are not real, points where the
loss is infinite).  Each case goes through ``derive``, ``compile``, ``check``
or ``notes -o n.tex``: refused with one line, or finished (exit 0 or 1: a
``check`` may disagree at a point where a value is NaN) within its CPU bound.
"""
from hostile.harness import Case

DERIVE = ("derive", "spec.toml", "--wrt", "w")
COMPILE = ("compile", "spec.toml", "-o", "g.py")
CHECK = ("check", "spec.toml")
NOTES = ("notes", "spec.toml", "-o", "n.tex")
PDF = ("notes", "spec.toml", "-o", "n.pdf")
GRAPH = ("graph", "spec.toml", "--wrt", "w", "-o", "g.svg")
OUTPUTS = {COMPILE: ("g.py",), NOTES: ("n.tex",), PDF: ("n.pdf", "n.tex"), GRAPH: ("g.svg",)}


def spec(nodes, inputs=("x", "y"), params=("w",), values=None, loss="L") -> str:
    """A spec file: ``nodes`` is ``[(name, expression)]``, the last one the loss."""
    quoted = lambda names: "[" + ", ".join(f'"{n}"' for n in names) + "]"  # noqa: E731
    lines = ["[graph]", f"inputs = {quoted(inputs)}", f"params = {quoted(params)}",
             f'loss = "{loss}"', "[graph.nodes]"]
    lines += [f"{name} = '''{expr}'''" for name, expr in nodes]
    if values:
        lines += ["[values]", *(f"{k} = {v}" for k, v in values.items())]
    return "\n".join(lines) + "\n"


def node(expr, **options) -> str:
    """A spec whose node z is ``expr``, with the loss ``(z - y)**2``."""
    return spec([("z", expr), ("L", "(z - y)**2")], **options)


def case(id, text, argv=DERIVE, expect="refused", cpu_s=2.0):
    return Case(id, argv, {"spec.toml": text}, expect, OUTPUTS.get(argv, ()), cpu_s=cpu_s)


HEX = "0x" + "f" * 4000          # about 4800 decimal digits: str() of it raises ValueError
DECIMAL = "9" * 4400             # past Python's 4300-digit limit for int literals

REFUSED = {
    # numbers
    "hex-over-4300-digits": node(f"{HEX}*w*x"),
    "hex-over-4300-digits-compile": (node(f"w*x + {HEX}"), COMPILE),
    "hex-over-4300-digits-check": (node(f"w**2*{HEX}"), CHECK),
    "hex-over-4300-digits-notes": (node(f"{HEX} - w"), NOTES),
    "decimal-over-4300-digits": node(f"{DECIMAL}*w"),
    "hex-as-exponent": node(f"w**{HEX}"),
    "hex-divisor": node(f"w/{HEX}"),
    "imaginary-sqrt": node("sqrt(-1)*w*x"),
    "imaginary-log": node("log(-1) + w*x"),
    "imaginary-acosh": (node("acosh(0)*w"), CHECK),
    "imaginary-cube-root": (node("(-8)**(1/3)*w"), COMPILE),
    "log-of-zero": node("log(0)*w"),
    "atanh-of-one": (node("atanh(1) + w"), CHECK),
    "zero-to-a-negative-power": node("0**-1*w"),
    "mod-by-zero": node("mod(w, 0)"),
    "mod-by-a-difference-that-is-zero": node("mod(w, x - x)"),
    "division-by-cancelled-zero": node("w/(x - x)"),
    # odd function uses
    "max-of-nothing": node("max()"),
    "sign-of-two": node("sign(w, x)"),
    "leaky-relu-three-arguments": node("leaky_relu(w*x, w, 3)"),
    "softmax-index-zero": node("softmax(0, w, x)"),
    "softmax-index-symbol": node("softmax(w, x)"),
    "where-one-argument": node("where(x > 0)"),
    "where-four-arguments": node("where(x > 0, w, x, y)"),
    "where-condition-not-a-comparison": node("where(x, w, 0)"),
    "where-identity-comparison": node("where(x is w, w, 0)"),
    "where-membership": node("where(x in w, w, 0)"),
    "comparison-outside-where": (node("w*x + (w < 1)"), CHECK),
    "comparison-as-a-branch": node("where(x > 0, w < 1, w)"),
    "boolean-outside-where": node("(w > 0) and (x > 0)"),
    "constant-called": node("pi(w)"),
    "heaviside-by-sympy-name": node("Heaviside(w*x)"),
    "dirac-delta": node("DiracDelta(w*x)"),
    "piecewise-by-sympy-name": node("Piecewise((w, x > 0), (x, True))"),
    "mod-by-sympy-name": node("Mod(w, x)"),
    "erf-unknown": (node("erf(w*x)"), CHECK),
    "gamma-unknown": (node("gamma(w)"), COMPILE),
    "max-as-a-value": node("max + w"),
    # names generated code needs
    "node-named-np": spec([("np", "w*x"), ("L", "(np - y)**2")]),
    "param-named-underscore-batch": spec([("L", "(_batch*x - y)**2")], params=("_batch",)),
    # values
    "values-empty-batch": (node("w*x", values={"x": "[]", "y": "1.0", "w": "0.5"}), CHECK),
    "values-ragged": (node("w*x", values={"x": "[[1.0, 2.0], [3.0]]", "y": "1.0",
                                           "w": "0.5"}), CHECK),
    "values-shapes-do-not-fit": (node("w*x", values={"x": "[1.0, 2.0]", "y": "[1.0, 2.0, 3.0]",
                                                     "w": "0.5"}), CHECK),
}

FUNCTION_NAMES = ["exp", "log", "sigmoid", "tanh", "relu", "step", "select", "math",
                  "functools", "maximum", "where", "sign", "softplus", "mod", "E", "pi"]

BOUNDED = {
    # odd function uses, each through derive, compile, check and notes
    **{f"{name}-{what}": (node(expr), argv) for name, expr in {
        "leaky-relu-slope-parameter": "leaky_relu(w*x, w)",
        "step-of-a-product": "step(w*x)*x + w",
        "sign-of-a-product": "sign(w*x)*w",
        "abs-times-sign": "abs(w)*sign(w - x)",
        "max-with-zero": "max(w, 0)*w + min(w, x, 1)",
        "where-leaky": "where(w*x > 0, w*x, 0.01*w*x)",
        "where-chained-condition": "where(0 < w*x < 1 or not x > y, w**2, sin(w))",
        "mod-and-floor": "mod(w, x + 1)*w + floor(w*x)",
        "zero-to-a-parameter": "0.0**(w**2 + 1) + w*x",
        "elementary": "tan(w) + atan(x*w) + sinh(w) + cosh(w) + asinh(w) + atan2(w, 1 + x)",
        "constants": "pi*w + E*x",
        "hex-small": "0x10*w + 0o7*x",
    }.items() for what, argv in (("derive", DERIVE), ("compile", COMPILE), ("check", CHECK),
                                 ("notes", NOTES))},
    # parameters and nodes named like the functions generated code calls
    **{f"param-named-{n}-{what}": (spec([("z", f"tanh({n}*x) + sigmoid({n})"),
                                         ("L", "(z - y)**2")], params=(n,)), argv)
       for n in FUNCTION_NAMES for what, argv in (("check", CHECK), ("notes", NOTES))},
    **{f"node-named-{n}": (spec([(n, "tanh(w*x)"),
                                 ("L", f"(sigmoid({n}) + relu({n}) + exp({n}) + step({n})*{n}"
                                       f" + max({n}, 0) + where({n} > 0, {n}, 2*{n}) - y)**2")]),
                           CHECK)
       for n in FUNCTION_NAMES if n not in ("E", "pi")},
    # points where values are infinite or NaN
    "infinite-loss-and-gradient": (node("exp(w)", values={"x": 1.0, "y": 0.0, "w": 800.0}),
                                   CHECK),
    "nan-gradient-at-the-point": (node("log(w)", values={"x": 1.0, "y": 0.0, "w": -1.0}), CHECK),
    "hand-bce-at-logit-40": (spec([("a", "sigmoid(w*x)"),
                                   ("L", "-y*log(a) - (1 - y)*log(1 - a)")],
                                  values={"x": 1.0, "y": 0.0, "w": 40.0}), CHECK),
    "hand-bce-at-logit-40-compile": (spec([("a", "sigmoid(w*x)"),
                                           ("L", "-(y*log(a) + (1 - y)*log(1 - a))")]),
                                     COMPILE),
    "unused-node-named-by-a-partial": (spec([("unused", "cos(w)"), ("n", "sin(w)"),
                                             ("L", "2*n")]), CHECK),
    "unused-node-compile": (spec([("unused", "cos(w)"), ("n", "sin(w)"), ("L", "2*n")]),
                            COMPILE),
    # pictures: labels are HTML, so a condition's comparisons must be escaped for dot
    "graph-where": (node("where(0 < w < 1 or not x >= w, w, x) + pi*w"), GRAPH),
    "graph-odd-functions": (node("mod(w, 2) + max(w, x) + atanh(w/3) + floor(w) + E*w"), GRAPH),
}

# Through pdflatex too (its CPU counts): names like functions, and step, max and where.
PDFS = {
    "pdf-params-named-exp-log-sigmoid": spec([("z", "exp*x + log"), ("a", "sigmoid(z)"),
                                              ("L", "(a - sigmoid*y)**2")],
                                             params=("exp", "log", "sigmoid")),
    "pdf-step-max-where": node("step(w*x)*x + max(w, 0) + where(w > x, w, sin(w))"),
    "pdf-pi-and-E": node("pi*E*w + sin(pi*w)"),
    "pdf-every-elementary-function": node(
        "tan(w) + cot(w + 2) + sec(w) + csc(w + 2) + asin(w/3) + acos(w/3) + atan(w)"
        " + atan2(w, 2) + sinh(w) + cosh(w) + asinh(w) + acosh(w + 3) + atanh(w/3) + sinc(w)"
        " + mod(w, x + 2) + floor(w) + ceiling(x*w) + sign(w) + min(w, 1) + 0.0**(w**2 + 1)"),
}

# The largest batch a spec may hold (the 1 MB limit): checked at a bounded sample.
BIG = "[" + ", ".join(["0.5"] * 100_000) + "]"

CASES = (
    [case(k, *(v if isinstance(v, tuple) else (v,))) for k, v in REFUSED.items()]
    + [case(k, text, argv, "bounded") for k, (text, argv) in BOUNDED.items()]
    + [case(k, text, PDF, "bounded", cpu_s=20.0) for k, text in PDFS.items()]
    + [case("check-100000-examples", node("sigmoid(w*x)", values={"x": BIG, "y": 1.0,
                                                                   "w": 0.5}),
            CHECK, "bounded", cpu_s=8.0)]
)
