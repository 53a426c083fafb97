"""Resource bombs in graph and network shapes: derivations whose paths outnumber the atoms.

Each shape multiplies chain-rule paths (100 diamonds: 2**100 paths; a
[1, 6x12, 1] network: 6**11) or nests functions deeply, and goes through
``derive`` in each format, ``compile`` and ``notes -o n.tex``.  Each must
finish within its CPU bound with output that does not grow with the number of
paths (the shared adjoints ``dL_dz`` are printed instead), or be refused with
one line where the spec is past a limit.
"""
import itertools

from hostile.harness import Case
from hypothesis_profiles import PROFILE

FORMATS = ("text", "latex", "json")
_TURN = itertools.count()


def _in_turn(cases):
    """Every case of a bomb in the thorough profile; in the suite's, one, taken in turn.

    A bomb is one graph; its derive formats, compile and notes are the ways out of it.
    Taking one way a bomb, in turn, bounds every way on several bombs of each kind and
    keeps the suite's few minutes (``make test-thorough`` runs them all).
    """
    if PROFILE == "thorough" or not cases:
        return cases
    turn = next(_TURN)
    ways = {}
    for case in cases:                     # derive (its formats in turn), compile, notes
        ways.setdefault(case.argv[0], []).append(case)
    kinds = sorted(ways)
    chosen = ways[kinds[turn % len(kinds)]]
    return [chosen[(turn // len(kinds)) % len(chosen)]]


def graph(nodes, inputs=(), params=("w",), loss="L") -> str:
    """A ``[graph]`` spec; ``nodes`` is ``[(name, expression)]``, the last one the loss."""
    quoted = lambda names: "[" + ", ".join(f'"{n}"' for n in names) + "]"  # noqa: E731
    lines = ["[graph]", f"inputs = {quoted(inputs)}", f"params = {quoted(params)}",
             f'loss = "{loss}"', "[graph.nodes]"]
    lines += [f"{name} = '''{expr}'''" for name, expr in nodes]
    return "\n".join(lines) + "\n"


def network(layers, **options) -> str:
    """An ``[mlp]`` spec."""
    extra = "".join(f'{k} = "{v}"\n' for k, v in options.items())
    return f"[mlp]\nlayers = {list(layers)}\n{extra}"


def diamonds(n, left="sin(u{p})", right="cos(u{p})", join="v{i}a*v{i}b", loss="u{n}**2"):
    """u0 = w, then n diamonds u -> (left, right) -> join: 2**n paths from w to L."""
    nodes = [("u0", "w")]
    for i in range(1, n + 1):
        p = i - 1
        nodes += [(f"v{i}a", left.format(p=p, i=i)), (f"v{i}b", right.format(p=p, i=i)),
                  (f"u{i}", join.format(p=p, i=i))]
    return graph(nodes + [("L", loss.format(n=n))], inputs=("y",))


def chain(n, step, first="w", loss="(c{n} - y)**2"):
    """c0 = first, c_i = step(c_{i-1}): a chain n nodes long."""
    nodes = [("c0", first)] + [(f"c{i}", step.format(p=f"c{i - 1}")) for i in range(1, n + 1)]
    return graph(nodes + [("L", loss.format(n=n))], inputs=("x", "y"))


def nested(n, outer="tanh({})", inner="w*x"):
    """One node holding ``outer`` applied n times."""
    expr = inner
    for _ in range(n):
        expr = outer.format(expr)
    return graph([("z", expr), ("L", "(z - y)**2")], inputs=("x", "y"))


def fan(n):
    """w feeds n nodes, each feeding the loss: one adjoint of n terms."""
    nodes = [(f"f{i}", f"sin({i}*w + x)") for i in range(1, n + 1)]
    return graph(nodes + [("L", " + ".join(f"f{i}**2" for i in range(1, n + 1)))],
                 inputs=("x",))


def lattice(width, depth):
    """Every node of a layer uses every node of the layer before: width**depth paths."""
    nodes, previous = [], ["w"]
    for d in range(1, depth + 1):
        layer = [f"n{d}_{k}" for k in range(1, width + 1)]
        nodes += [(name, f"tanh({' + '.join(f'{k + 1}*{p}' for p in previous)})")
                  for k, name in enumerate(layer)]
        previous = layer
    return graph(nodes + [("L", " + ".join(f"{p}**2" for p in previous))])


def random_dag(seed, n=36):
    """A graph of n nodes drawn from products, quotients and functions of earlier ones."""
    import random

    rng = random.Random(seed)
    names, nodes = ["p1", "p2", "p3", "x1", "x2"], []
    for i in range(n):
        a, b = rng.sample(names, 2)
        expr = rng.choice([f"{a}*{b}", f"{a} + {b}", f"{a}/(1 + {b}**2)", f"sin({a})",
                           f"exp({a})/(1 + exp({b}))", f"tanh({a})*{b}",
                           f"{a}*{b} - {a}/(2 + {b}**2)"])
        nodes.append((f"n{i}", expr))
        names.append(f"n{i}")
    loss = "(" + " + ".join(names[-4:]) + ")**2"
    return graph(nodes + [("L", loss)], inputs=("x1", "x2"), params=("p1", "p2", "p3"))


def runs(id, spec, wrt="w", cpu_s=4.0, formats=FORMATS, compile=True, notes=True):
    """Cases running ``spec`` through derive (each format), compile and notes -o n.tex."""
    found = [Case(f"{id}-derive-{f}", ("derive", "spec.toml", "--wrt", wrt, "--format", f),
                  {"spec.toml": spec}, "bounded", cpu_s=cpu_s) for f in formats]
    if compile:
        found.append(Case(f"{id}-compile", ("compile", "spec.toml", "-o", "g.py"),
                          {"spec.toml": spec}, "bounded", ("g.py",), cpu_s=cpu_s))
    if notes:
        found.append(Case(f"{id}-notes", ("notes", "spec.toml", "-o", "n.tex"),
                          {"spec.toml": spec}, "bounded", ("n.tex",), cpu_s=cpu_s))
    return _in_turn(found)


CASES = [
    # 2**100 paths: the 301-node graph (derive took over 200 s)
    *runs("diamonds-100-sin-cos", diamonds(100)),
    *runs("diamonds-100-linear", diamonds(100, "2*u{p}", "3*u{p}", "v{i}a + v{i}b")),
    *runs("diamonds-60-rational", diamonds(60, "u{p}/(1 + u{p}**2)", "1/(2 + u{p})",
                                           "v{i}a*v{i}b + v{i}a"), notes=False),
    *runs("diamonds-80-sigmoid", diamonds(80, "sigmoid(u{p})", "tanh(u{p})",
                                          "v{i}a*v{i}b - y"), compile=False, notes=False),
    *runs("diamonds-600-nodes", diamonds(200), compile=False, notes=False),
    # [20, 20, 20, 20]: derive took over 600 s
    *runs("mlp-20-20-20-20", network([20, 20, 20, 20]), "w1_1_1", cpu_s=8.0, notes=False),
    # a [1, 6x12, 1] tanh network: repr alone was 2.1 million characters at depth 7
    *runs("mlp-tanh-6x12", network([1] + [6] * 12 + [1], activation="tanh"), "w1_1_1",
          cpu_s=6.0, notes=False),
    *runs("mlp-tanh-6x4-notes", network([1, 6, 6, 6, 6, 1], activation="tanh"), "w1_1_1",
          cpu_s=8.0, formats=()),
    *runs("mlp-relu-8x10", network([1] + [8] * 10 + [1], activation="relu"), "w1_1_1",
          cpu_s=6.0, formats=("json",), notes=False),
    *runs("mlp-softplus-5x10", network([2] + [5] * 10 + [2], activation="softplus",
                                       output="softmax", loss="ce"), "w1_1_1",
          cpu_s=6.0, formats=("text", "latex"), compile=False, notes=False),
    *runs("mlp-wide-1-398-1", network([1, 398, 1]), "w1_1_1", cpu_s=8.0,  # 1,996 names
          formats=("json",), notes=False),
    Case("mlp-wide-1-400-1-past-the-name-limit", ("derive", "spec.toml", "--wrt", "w1_1_1"),
         {"spec.toml": network([1, 400, 1])}),
    Case("mlp-deep-1-6x60-1-past-the-name-limit", ("compile", "spec.toml", "-o", "g.py"),
         {"spec.toml": network([1] + [6] * 60 + [1], activation="tanh")}),
    # tangent's nested-Piecewise while loop: closed_form took 60 s or more
    *runs("piecewise-chain-8", chain(8, "where({p} < 10, 2*{p}, {p} - 1)"), cpu_s=4.0),
    *runs("piecewise-chain-40", chain(40, "where({p} > x, {p}*{p}, {p} + w)"), cpu_s=6.0,
          compile=False, notes=False),
    # functions nested in one node
    *runs("nested-tanh-6", nested(6), cpu_s=4.0, compile=False, notes=False),
    # sympy's own tanh, sinh, cosh asked is-it-real of the parts of their argument at
    # every level: 10 nested sympy.tanh took 13 s to construct (the registry's twins do not)
    *runs("nested-tanh-90", nested(90), cpu_s=4.0, notes=False),
    *runs("nested-sinh-40", nested(40, "sinh({})"), cpu_s=4.0, notes=False),
    *runs("nested-cosh-40", nested(40, "cosh({})", "w*x/100"), cpu_s=4.0, notes=False),
    *runs("nested-sigmoid-45", nested(45, "sigmoid(2*{})"), formats=("text", "json"),
          compile=False, notes=False),
    Case("nested-sigmoid-60-past-the-depth-limit", ("derive", "spec.toml", "--wrt", "w"),
         {"spec.toml": nested(60, "sigmoid(2*{})")}),
    *runs("nested-sin-90", nested(90, "sin({})"), formats=("json",), compile=False,
          notes=False),
    # long chains, wide fans, dense lattices
    *runs("chain-300-products", chain(300, "{p}*sin({p})", first="w*x"), cpu_s=6.0,
          formats=("json",), notes=False),
    *runs("fan-400", fan(400), cpu_s=6.0, formats=("text",), compile=False, notes=False),
    *runs("lattice-4x30", lattice(4, 30), cpu_s=6.0, formats=("text", "latex"), notes=False),
    # cancellation that would expand: quotients of sums of earlier quotients
    *runs("random-dag-36-a", random_dag(1), "p1", formats=("json",), notes=False),
    *runs("random-dag-36-b", random_dag(3), "p2", formats=("latex",), compile=False,
          notes=False),
    *runs("quotient-diamonds-40", diamonds(40, "(u{p} + 1)/(u{p} - 2)", "(u{p} - 1)/(u{p} + 3)",
                                           "v{i}a/v{i}b"), formats=("text",), notes=False),
]
