"""Hostile expressions, specs and arguments: each is refused with exit 2 and one line.

Node expressions that try to run code or exhaust the parser, malformed specs,
and arguments that try to smuggle code or TeX in.
"""
from hostile.harness import Case as _Case

INJECTION = "__import__('os').system('touch pwned')"


def Case(id, spec, argv=("derive", "spec.toml", "--wrt", "w")):
    """A refused case whose working folder holds ``spec`` as spec.toml (None: no spec)."""
    files = {} if spec is None else {"spec.toml": spec}
    return _Case(id, tuple(argv), files)


BASE = """[graph]
inputs = ["x", "y"]
params = ["w"]
loss = "L"
[graph.nodes]
z = {z}
L = "(z - y)**2"
"""


def node(expr: str) -> str:
    """A spec whose node z is ``expr`` (a TOML multi-line literal string: no escapes)."""
    return BASE.format(z=f"'''{expr}'''")


EXPRESSIONS = {
    "injection-import": INJECTION,
    "injection-os": "os.system('touch pwned')",
    "injection-open": "open('pwned', 'w')",
    "injection-eval": "eval(\"__import__('os').system('touch pwned')\")",
    "injection-exec": "exec('import os')",
    "injection-subclasses": "().__class__.__bases__[0].__subclasses__()",
    "injection-sympy": "sympy.sympify('x')",
    "attribute": "w.__class__",
    "subscript": "x[0]",
    "lambda": "(lambda: w)()",
    "list-comprehension": "[w for w in x]",
    "dict-comprehension": "{w: 1 for w in x}",
    "generator": "sum(w for w in x)",
    "keyword-argument": "sigmoid(x=w)",
    "starred": "sigmoid(*x)",
    "string": "w + 'touch pwned'",
    "bytes": "w + b'pwned'",
    "f-string": "f'{w}'",
    "boolean-op": "w and x",
    "comparison": "w < x",
    "walrus": "(w := 1)",
    "huge-exponent-tower": "9**9**9**9",
    "huge-exponent": "2**100000",
    "huge-power-of-symbol": "w**100000",
    "huge-integer": "9" * 400,
    "huge-float": "1e999 * w",
    "huge-folded": "(10**60)**60",
    "deep-calls": "sigmoid(" * 150 + "w" + ")" * 150,
    "deep-unary": "-" * 500 + "w",
    "deep-parentheses": "(" * 300 + "w" + ")" * 300,
    "too-long": "w+" * 4000 + "w",
    "undeclared-name": "w*q",
    "unknown-function": "mish(w*x)",
    "modulo": "w % x",
    "division-by-zero": "w/0",
}

SPECS = {
    "null-byte": BASE.format(z='"w\\u0000x"'),
    "malformed-toml": "[graph\nparams = ['w'\n",
    "not-utf8": b"\xff\xfe[graph]\n",
    "cycle": BASE.format(z='"w*q"\nq = "z"'),
    "self-reference": BASE.format(z='"w*z"'),
    "duplicate-node": BASE.format(z='"w*x"\nz = "x"'),
    "node-shadows-input": BASE.format(z='"w*x"\nx = "w"'),
    "dunder-node-name": BASE.format(z='"w*x"\n__import__ = "w"'),
    "keyword-node-name": BASE.format(z='"w*x"\nlambda = "w"'),
    "loss-not-a-node": BASE.format(z='"w*x"').replace('loss = "L"', 'loss = "M"'),
    "non-finite-value": node("w*x") + "[values]\nx = inf\n",
    "nan-value": node("w*x") + "[values]\nw = nan\n",
    "unknown-value": node("w*x") + "[values]\n__builtins__ = 1\n",
    "unknown-table": node("w*x") + "[python]\ncode = \"import os\"\n",
    "too-many-nodes": "[graph]\nparams = ['w']\nloss = 'L'\n[graph.nodes]\n"
                      + "\n".join(f"n{i} = 'w'" for i in range(3000)) + "\nL = 'n0'\n",
    "huge-mlp": "[mlp]\nlayers = [100000, 100000, 100000]\n",
    "mlp-unknown-activation": "[mlp]\nlayers = [1, 1]\nactivation = \"os.system\"\n",
}

GOOD = node("w*x")

CASES = (
    [Case(f"expr-{k}", node(v)) for k, v in EXPRESSIONS.items()]
    + [Case(f"spec-{k}", v) for k, v in SPECS.items()]
    + [
        Case("wrt-injection", GOOD, ("derive", "spec.toml", "--wrt", INJECTION)),
        Case("wrt-not-a-parameter", GOOD, ("derive", "spec.toml", "--wrt", "x")),
        Case("wrt-latex-junk", GOOD, ("derive", "spec.toml", "--wrt", r"\input{/etc/passwd}")),
        Case("format-unknown", GOOD, ("derive", "spec.toml", "--wrt", "w", "--format", "py")),
        Case("missing-spec", None, ("derive", "absent.toml", "--wrt", "w")),
        Case("spec-is-directory", None, ("derive", ".", "--wrt", "w")),
        Case("compile-bad-spec-writes-nothing", node(INJECTION),
             ("compile", "spec.toml", "-o", "grads.py")),
        Case("compile-unknown-backend", GOOD, ("compile", "spec.toml", "--backend", "os")),
        Case("graph-wrt-injection-writes-nothing", GOOD,
             ("graph", "spec.toml", "--wrt", INJECTION, "-o", "graph.svg")),
        Case("notes-cycle-writes-nothing", SPECS["cycle"], ("notes", "spec.toml", "-o", "n.tex")),
        Case("check-non-finite", SPECS["non-finite-value"], ("check", "spec.toml")),
        Case("unknown-command", GOOD, ("exec", "spec.toml")),
        Case("unknown-option", GOOD, ("derive", "spec.toml", "--wrt", "w", "--eval", "1")),
        Case("claim-injection", GOOD, ("verify", "spec.toml", "--wrt", "w", "--claim", INJECTION)),
        Case("claim-injection-unquoted", GOOD,
             ("verify", "spec.toml", "--wrt", "w", "--claim", "__import__(os).system(x)")),
        Case("claim-tex-program", GOOD,
             ("verify", "spec.toml", "--wrt", "w", "--claim", r"\immediate\write18{touch pwned}")),
        Case("claim-unbalanced", GOOD, ("verify", "spec.toml", "--wrt", "w", "--claim", r"\frac{")),
        Case("claim-huge", GOOD, ("verify", "spec.toml", "--wrt", "w", "--claim", "x+" * 5000)),
        Case("claim-file-missing", GOOD,
             ("verify", "spec.toml", "--wrt", "w", "--claim-file", "absent.tex")),
        Case("claim-wrt-injection", GOOD, ("verify", "spec.toml", "--wrt", INJECTION, "--claim", "x")),
    ]
)


