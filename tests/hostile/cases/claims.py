r"""Hostile claims: ``symprop verify SPEC --wrt NAME --claim ...`` on scalar and matrix specs.

Each claim is refused (exit 2, one line, within 2 s of CPU) or judged (exit 0 or 1,
bounded): resource bombs (power towers, huge exponents and integers, e^{e^{...}},
deep nesting, 400-factor products, many primes, \frac towers, big sums and
products), TeX programs, unbalanced \left(, Unicode lookalikes, NUL and control
characters, very long claims, and restatements of the gradient asked for, which
must never be judged equivalent (``--json`` and ``"equivalent": true`` forbidden).
"""
from pathlib import Path

from hostile.harness import Case

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SCALAR = {"spec.toml": (EXAMPLES / "logistic_regression.toml").read_text(encoding="utf-8")}
MATRIX = {"spec.toml": (EXAMPLES / "seed_001_matrix.toml").read_text(encoding="utf-8")}
TRUE = '"equivalent": true'
PASSWD = "root:x:0:0"


def scalar(id, claim, expect="refused", wrt="w1", json=False, forbidden=(), files=None):
    """A claim about dL/d``wrt`` of the seed's logistic regression."""
    argv = ("verify", "spec.toml", "--wrt", wrt, "--claim", claim) + (("--json",) if json else ())
    return Case(f"scalar-{id}", argv, {**SCALAR, **(files or {})}, expect,
                forbidden=tuple(forbidden) + ((TRUE,) if json else ()))


def matrix(id, claim, expect="refused", wrt="W2", json=False, forbidden=()):
    """A claim about dL/d``wrt`` of seed 001's ReLU/softmax network in matrix form."""
    argv = ("verify", "spec.toml", "--wrt", wrt, "--claim", claim) + (("--json",) if json else ())
    return Case(f"matrix-{id}", argv, dict(MATRIX), expect,
                forbidden=tuple(forbidden) + ((TRUE,) if json else ()))


DEEP = {"spec.toml": '[mlp]\nlayers = [1, 4, 4, 4, 4, 4, 4, 1]\nactivation = "tanh"\n'}


def deep(id, claim, expect="bounded", json=False):
    """A claim about dL/dw1_1_1 of a network with 1024 chain-rule paths from w1_1_1."""
    argv = ("verify", "spec.toml", "--wrt", "w1_1_1", "--claim", claim)
    argv += ("--json",) if json else ()
    return Case(f"deep-{id}", argv, dict(DEEP), expect, forbidden=(TRUE,) if json else ())


def claim_file(id, content: bytes, spec=SCALAR, wrt="w1", expect="refused"):
    """A claim read from ``claim.tex``."""
    return Case(f"file-{id}", ("verify", "spec.toml", "--wrt", wrt, "--claim-file", "claim.tex"),
                {**spec, "claim.tex": content}, expect)


def nested(template: str, depth: int, inner: str) -> str:
    text = inner
    for _ in range(depth):
        text = template.replace("@", text)
    return text


SUM_OF_PRODUCTS = " + ".join([r"(A_2 - Y) A_1^T W_2^T W_2"] * 110)

CASES = [
    # ---------------------------------------------------------------- scalar: resource bombs
    scalar("sum-to-the-1000", r"(x_1+x_2+y+w_1+w_2+b)^{1000}"),      # 300 s, 10.4 GB before
    scalar("sum-to-the-1000-minus", r"(x_1+x_2+y+w_1+w_2+b)^{1000} - (x_1+w_1)^{1000}"),
    scalar("small-sum-to-the-1000", r"(x_1+x_2)^{1000}", "bounded"),
    scalar("sum-to-the-200-times", r"(x_1 + x_2 + y)^{200} (\hat{y} - y)", "bounded"),
    scalar("reciprocal-power", r"\frac{1}{(x_1+x_2+w_1+w_2+b+y)^{40}}", "bounded"),
    scalar("power-tower", r"2^{2^{2^{2^{2}}}} x_1"),
    scalar("power-tower-symbolic", r"x_1^{x_1^{x_1^{x_1^{x_1^{x_1}}}}}"),
    scalar("power-tower-three", r"x_1^{x_1^{x_1^{x_1}}}", "bounded"),
    scalar("power-towers-in-a-chain", " = ".join([r"x_1^{w_1^{x_2^{b}}} + e^{e^{e^{x_1}}}"] * 19)),
    scalar("huge-exponent", r"x_1^{10^{100}}"),
    scalar("huge-exponent-literal", r"x_1^{100000}"),
    scalar("huge-negative-exponent", r"x_1^{-1000}"),
    scalar("tiny-number", r"10^{-400} x_1"),
    scalar("huge-integer-power", r"99999^{1000} x_1"),                 # exit 3 before
    scalar("huge-integer-product", " ".join(["99999"] * 70) + " x_1"),
    scalar("huge-integer-literal", "9" * 3000 + " x_1"),
    scalar("huge-denominator", r"\frac{x_1}{" + "7" * 400 + "}"),
    scalar("e-tower-number", r"e^{e^{e^{e^{e^{e}}}}}"),                 # never returned before
    scalar("e-tower-ten", nested("e^{@}", 10, "x_1")),                 # exit 3 before
    scalar("e-tower-four", r"e^{e^{e^{e^{x_1}}}} x_1"),
    scalar("exp-tower", nested(r"\exp(@)", 6, "x_1")),
    scalar("e-to-the-1000", r"e^{1000} x_1"),
    scalar("sin-of-a-tower", r"\sin(e^{e^{e^{e^{x_1}}}})"),
    scalar("sigma-of-a-tower", r"\sigma(e^{e^{e^{e^{e^{x_1}}}}})"),
    scalar("deep-parentheses", "(" * 40 + "x_1" + ")" * 40),
    scalar("deep-braces", "{" * 40 + "x_1" + "}" * 40),
    scalar("frac-tower-deep", nested(r"\frac{1}{@}", 20, "x_1")),
    scalar("frac-tower", nested(r"\frac{1}{1 + @}", 6, "x_1"), "bounded"),
    scalar("sigma-nest", nested(r"\sigma(@)", 10, "z"), "bounded"),
    scalar("tanh-nest-deep", nested(r"\tanh(@)", 14, "z")),
    # plain arithmetic is read by symprop's quick parser at half the cost a symbol: a
    # product of 400 names fits the budget and is judged, within its CPU bound
    scalar("product-of-400", " ".join(["x_1"] * 400), "bounded"),
    scalar("product-of-1000", " ".join(["x_1"] * 1000)),
    scalar("sum-of-400", " + ".join(["x_1"] * 400)),
    scalar("chain-of-50", " = ".join([r"x_1 (\hat{y} - y)"] * 50)),
    scalar("chain-of-600-symbols", " = ".join(["+".join(["1"] * 140)] * 5)),
    scalar("functions-150", " ".join([r"\exp(x_1)"] * 150), "bounded"),
    scalar("powers-60", " ".join([r"x_1^{2}"] * 60)),
    scalar("chain-of-functions", " = ".join(
        [r"\sigma(w_1 x_1 + w_2 x_2 + b) \tanh(x_1 w_2 - b) \exp(x_2 w_1) \ln(1 + x_1 x_1)"
         f" + {i}" for i in range(19)]), "bounded"),
    scalar("sum-of-fractions", " + ".join([rf"\frac{{1}}{{x_1 + {i}}}" for i in range(15)]),
           "bounded"),
    scalar("sum-over-a-million", r"\sum_{i=1}^{1000000} x_1"),
    scalar("product-over-a-billion", r"\prod_{i=1}^{10^9} x_1"),
    scalar("many-primes", r"\sigma" + "'" * 20 + "(z)"),
    scalar("divide-by-zero", r"\frac{x_1}{x_1 - x_1}"),
    scalar("zero-to-the-minus-one", r"0^{-1}"),
    scalar("log-of-zero", r"\log(0)"),
    scalar("complex", r"\sqrt{-1} x_1", "bounded"),
    scalar("very-long", "x_1 + " * 1000 + "y"),
    # ---------------------------------------------------------------- scalar: TeX programs
    scalar("left-without-right", r"\left( x_1 (\hat{y} - y)"),
    scalar("right-without-left", r"x_1 (\hat{y} - y) \right)"),
    scalar("def-loop", r"\def\x{\x}\x"),
    scalar("input-passwd", r"\input{/etc/passwd}", forbidden=(PASSWD,)),
    scalar("input-secret", r"\input{secret.txt}"),
    scalar("text-input", r"\text{\input{/etc/passwd}}", forbidden=(PASSWD,)),
    scalar("csname-input", r"\csname @@input\endcsname|kpsewhich -var-value=TEXMFROOT"),
    scalar("openin", r"\newread\r \openin\r=/etc/passwd \read\r to\x \x", forbidden=(PASSWD,)),
    scalar("write18", r"\immediate\write18{touch pwned} x_1"),
    scalar("catcode", r"\catcode`\^=13 x_1"),
    scalar("newcommand", r"\newcommand{\g}{x_1} \g"),
    scalar("expandafter", r"\expandafter\x\y"),
    scalar("directlua", r"\directlua{os.execute('touch pwned')}"),
    scalar("python-in-a-command", r"\variable{__import__('os').system('touch pwned')}"),
    scalar("python-in-a-function", r"\operatorname{__import__}(x_1)"),
    scalar("tabular", r"\begin{tabular}{c} x_1 \end{tabular}"),
    scalar("aligned-too-long", r"\begin{aligned}" + r" &= x_1 \\" * 25 + r"\end{aligned}"),
    # ---------------------------------------------------------------- scalar: odd characters
    scalar("cyrillic-x", "х_1 (\\hat{y} - y)"),
    scalar("greek-sigma", "σ(z) x_1"),
    scalar("subscript-one", "x₁ (\\hat{y} - y)"),
    scalar("fullwidth-x", "ｘ_1 (\\hat{y} - y)"),
    scalar("zero-width-space", "x_1 \u200b (\\hat{y} - y)"),
    scalar("right-to-left-override", "x_1 \u202e (\\hat{y} - y)"),
    scalar("terminal-escape", "x_1 \x1b]0;pwned\x07 y", forbidden=("\x1b",)),
    scalar("control-characters", "x_1 \x08\x08\x08 y", forbidden=("\x08",)),
    scalar("empty", ""),
    scalar("blank", "   \t  "),
    scalar("unknown-function", r"\mathrm{mod}(x_1)"),
    scalar("two-argument-function", r"\mathrm{atan2}(x_1)"),
    scalar("prime-on-a-name", r"\hat{y}''' x_1"),
    claim_file("nul", b"x_1\x00 (\\hat{y} - y)"),
    claim_file("not-utf8", b"x_1 \xff\xfe"),
    claim_file("too-large", b"x_1 + " * 20000),
    # ---------------------------------------------------------------- scalar: restatements
    scalar("restated", r"\frac{\partial \mathcal{L}}{\partial w_1}", "bounded", json=True),
    scalar("restated-d", r"\frac{d \mathcal{L}}{d w_1}", "bounded", json=True),
    scalar("restated-twice", r"\frac{\partial \mathcal{L}}{\partial w_1} = "
           r"\frac{\partial \mathcal{L}}{\partial w_1}", "bounded", json=True),
    scalar("restated-cancelling", r"2 \frac{\partial \mathcal{L}}{\partial w_1} - "
           r"\frac{\partial \mathcal{L}}{\partial w_1}", "bounded", json=True),
    scalar("restated-last", r"\frac{\partial \mathcal{L}}{\partial z} x_1 = "
           r"\frac{\partial \mathcal{L}}{\partial w_1}", "bounded", json=True),
    scalar("restated-for-b", r"\frac{\partial \mathcal{L}}{\partial b}", "bounded", wrt="b",
           json=True),
    scalar("downstream-adjoint", r"\frac{\partial \mathcal{L}}{\partial z} x_1", "bounded"),
    scalar("nabla", r"\nabla_{w_1} \mathcal{L}"),
    scalar("about-another-parameter", r"\frac{\partial \mathcal{L}}{\partial w_2} = "
           r"x_2 (\hat{y} - y)"),
    scalar("hostile-wrt", r"x_1", wrt="__import__('os').system('touch pwned')"),
    # ---------------------------------------------------------------- scalar: a deep network
    deep("downstream-adjoint", r"\frac{\partial \mathcal{L}}{\partial z_1^{[1]}} x"),
    deep("wrong", r"x", json=True),
    deep("restated", r"\frac{\partial \mathcal{L}}{\partial w_{1\to 1}^{[1]}}", json=True),
    deep("through-1024-paths", r"x \frac{\partial \mathcal{L}}{\partial a_1^{[7]}} "
         r"\frac{\partial a_1^{[7]}}{\partial z_1^{[1]}}", "refused"),
    deep("node-to-node", r"\frac{\partial a_1^{[7]}}{\partial a_1^{[1]}}", "refused"),
    # ---------------------------------------------------------------- matrix: the claims
    matrix("m-to-the-1000", r"m^{1000}(A_2-Y)A_1^T", "bounded"),        # exit 3 before
    matrix("zero-times", r"0 (A_2-Y)A_1^T", "bounded"),                 # exit 3 before
    matrix("zero-over-m", r"\frac{0}{m}(A_2-Y)A_1^T", "bounded"),       # exit 3 before
    matrix("m-to-the-minus-1000", r"\frac{1}{m^{1000}}(A_2-Y)A_1^T", "bounded"),
    matrix("difference-is-zero", r"(A_2 - Y) A_1^T - (A_2 - Y) A_1^T", "bounded"),
    matrix("product-of-401", r"(A_2 - Y) A_1^T" + r" W_2^T W_2" * 200),  # over 300 s before
    matrix("sigma-20-primes", r"\sigma" + "'" * 20 + "(Z_2)"),           # over 20 s before
    matrix("sigma-3-primes", r"\sigma'''(Z_2) A_1^T", "bounded"),
    matrix("nested-primes", r"\sigma'''(\sigma'''(\sigma'''(\sigma'''(\sigma'''(Z_2))))) A_1^T"),
    matrix("sum-of-nested-primes", " + ".join(
        [rf"\sigma''(\sigma''(\sigma''(\sigma''(Z_2 + {i})))) A_1^T" for i in range(30)])),
    matrix("two-nested-primes", r"\sigma''(\sigma''(\sigma''(\sigma''(Z_2)))) A_1^T + "
           r"\sigma''(\sigma''(\sigma''(\sigma''(Z_2 + 1)))) A_1^T", "bounded"),
    matrix("chain-of-nested-functions", " = ".join(
        [rf"\sigma''(\sigma''(\sigma''(Z_2))) A_1^T + {i} W_2" for i in range(19)]), "bounded"),
    matrix("tanh-prime-superscripts", r"\tanh" + r"^{\prime}" * 6 + "(Z_1)"),
    matrix("relu-second-derivative", r"\operatorname{relu}''(Z_1)"),
    matrix("floor-derivative", r"\operatorname{floor}'(Z_1)"),
    matrix("two-argument-function", r"\operatorname{mod}(Z_2)"),
    matrix("sum-of-110-products", SUM_OF_PRODUCTS),
    matrix("chain-of-30", " = ".join([r"\frac{1}{m}(A_2 - Y) A_1^T"] * 30)),
    matrix("hadamard-power-999", r"(A_2 - Y)^{\circ 999} A_1^T", "bounded"),
    matrix("exp-tower", nested(r"\exp(@)", 6, "Z_2") + " A_1^T", "bounded"),
    matrix("power-of-power", r"10^{999}^{999} W_2"),
    matrix("huge-integer-power", r"99999^{1000} W_2"),
    matrix("huge-integer-product", " ".join(["10^{40}"] * 8) + " W_2"),
    matrix("huge-integer-literal", "9" * 3000 + " W_2"),
    matrix("divide-by-zero", r"\frac{1}{m - m} W_2"),
    matrix("deep-parentheses", "(" * 40 + "W_2" + ")" * 40),
    matrix("frac-tower", nested(r"\frac{1}{@}", 20, "m") + " W_2"),
    matrix("numpy-nested-13", "np.dot(" * 13 + "A_1" + ", A_1)" * 13),
    matrix("numpy-150-calls", " + ".join(["np.dot(A2 - Y, A1.T)"] * 150)),
    matrix("numpy-linalg", "np.linalg.inv(W2)"),
    matrix("numpy-eval-inside", "np.sum(eval('1'), axis=1, keepdims=True)"),
    matrix("numpy-unclosed", "np.dot(A2 - Y, A1.T"),
    matrix("sum-over-a-billion", r"\sum_{i=1}^{10^9} (A_2 - Y)"),
    matrix("prod", r"\prod_{i=1}^{m} W_2"),
    matrix("very-long", "W_2 + " * 1000 + "W_2"),
    matrix("decimal-e", r"2.718281828459045 (A_2 - Y) A_1^T", "bounded"),   # exit 3 before
    matrix("decimal-sqrt2", r"1.4142135623730951 W_2", "bounded"),
    matrix("function-of-a-number", r"\log(8) W_2", "bounded"),
    matrix("function-of-m", r"\sigma(m) W_2"),
    matrix("log-of-zero", r"\log(0) W_2"),
    matrix("step-of-zero-matrix", r"H(0 \odot A_1) A_1^T", "bounded"),
    matrix("ones-transposed-thrice",
           r"(((\mathbb{1}[2 > 0]) \cdot \sum_{i=1}^{m} (\mathbf{1})^T)^T)^T", "bounded"),
    matrix("ones-inside-a-step", r"W_2 H((\mathbf{1}) \cdot dA_1)", "bounded"),
    # ---------------------------------------------------------------- matrix: TeX and characters
    matrix("left-without-right", r"\frac{1}{m} \left( A_2 - Y A_1^T"),
    matrix("def-loop", r"\def\x{\x}\x"),
    matrix("input-passwd", r"\input{/etc/passwd}", forbidden=(PASSWD,)),
    matrix("csname", r"\csname @@input\endcsname"),
    matrix("write18", r"\write18{touch pwned} W_2"),
    matrix("fullwidth-a", "\\frac{1}{m}(Ａ_2 - Y) A_1^T"),
    matrix("cyrillic-a", "\\frac{1}{m}(А_2 - Y) A_1^T"),
    matrix("terminal-escape", "W_2 + \x1bc", forbidden=("\x1b",)),
    claim_file("matrix-nul", b"W_2 \x00 W_2", MATRIX, "W2"),
    # ---------------------------------------------------------------- matrix: restatements
    matrix("restated-dW2", r"dW_2", "bounded", json=True),
    matrix("restated-fraction", r"\frac{\partial \mathcal{L}}{\partial W_2}", "bounded",
           json=True),
    matrix("restated-mathrm-d", r"\mathrm{d}W_2", "bounded", json=True),
    matrix("restated-twice", r"dW_2 = dW_2", "bounded", json=True),
    matrix("restated-last", r"dW_2 = dZ_2 A_1^T = dW_2", "bounded", json=True),
    matrix("restated-plus-zero", r"\frac{\partial J}{\partial W_1} + 0 W_1", "bounded", "W1",
           json=True),
    matrix("restated-db1", r"db_1", "bounded", "b1", json=True),
    matrix("downstream-dZ2", r"dW_2 = dZ_2 A_1^T", "bounded"),
    matrix("nabla", r"\nabla_{W_2} \mathcal{L}"),
]
