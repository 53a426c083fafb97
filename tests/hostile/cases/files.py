"""Hostile files and numbers: special files as specs, huge numbers, odd names, escapes.

Each spec channel that is not an expression: how the file is read (FIFOs,
devices, links, sizes), TOML numbers beyond Python's limits, names that
Python's NFKC normalisation makes collide or shadow, and keys that carry
terminal escape sequences into error messages.
"""
from hostile.harness import Case

GOOD = """[graph]
inputs = ["x", "y"]
params = ["w"]
loss = "L"
[graph.nodes]
L = "(w*x - y)**2"
"""
DERIVE = ("derive", "spec.toml", "--wrt", "w")
CHECK = ("check", "spec.toml")
HUGE = "9" * 5000


def spec(text, argv=DERIVE, **options):
    return {"files": {"spec.toml": text}, "argv": argv, **options}


def values(line):
    return GOOD + "[values]\n" + line + "\n"


def names(inputs, params, nodes):
    body = "\n".join(f'"{k}" = "{v}"' for k, v in nodes)
    return (f"[graph]\ninputs = {inputs}\nparams = {params}\nloss = \"L\"\n"
            f"[graph.nodes]\n{body}\n")


REFUSED = {
    # how the spec file is read
    "dev-zero": {"argv": ("derive", "/dev/zero", "--wrt", "w")},
    "dev-urandom": {"argv": ("derive", "/dev/urandom", "--wrt", "w")},
    "dev-null": {"argv": ("derive", "/dev/null", "--wrt", "w")},
    "proc-self-mem": {"argv": ("derive", "/proc/self/mem", "--wrt", "w")},
    "directory": {"argv": ("derive", ".", "--wrt", "w")},
    "empty-name": {"argv": ("derive", "", "--wrt", "w")},
    "missing": {"argv": ("derive", "absent.toml", "--wrt", "w")},
    "nul-in-path": {"argv": ("derive", "spec\x00.toml", "--wrt", "w")},
    "over-a-megabyte": spec(GOOD + "#" * 1_100_000 + "\n"),
    "binary": spec(bytes(range(256)) * 10),
    "utf16": spec(GOOD.encode("utf-16")),
    "bom-then-garbage": spec(b"\xef\xbb\xbf\xff\xfe"),
    # numbers beyond Python's limits
    "toml-integer-5000-digits": spec(values(f"w = {HUGE}")),
    "toml-hex-huge": spec(values("w = 0x" + "f" * 4000)),
    "toml-integer-in-layers": spec(f"[mlp]\nlayers = [1, {HUGE}]\n"),
    "toml-integer-1e309": spec(values("w = 1" + "0" * 309)),
    "toml-integer-4000-digits": spec(values("w = " + "9" * 4000)),
    "toml-integer-1e400-in-list": spec(values("x = [1, 1" + "0" * 400 + "]")),
    "toml-float-inf": spec(values("w = inf")),
    "toml-float-nan": spec(values("w = -nan")),
    "toml-float-overflow": spec(values("w = 1e400")),
    "toml-layers-10-to-100": spec("[mlp]\nlayers = [1, 1" + "0" * 100 + "]\n"),
    "toml-layers-negative": spec("[mlp]\nlayers = [1, -3]\n"),
    "toml-layers-float": spec("[mlp]\nlayers = [1, 2.5]\n"),
    "toml-value-string": spec(values('w = "1e3"')),
    "toml-value-date": spec(values("w = 1979-05-27")),
    "toml-value-table": spec(values("w = {a = 1}")),
    "toml-value-nested-list": spec(values("x = [[1, 2], [3]]")),
    "toml-batch-too-long": spec(values("x = [" + ", ".join(["1"] * 100_001) + "]"),
                                cpu_s=4.0),
    "toml-deeply-nested-arrays": spec(values("x = " + "[" * 5000 + "]" * 5000)),
    # names Python's NFKC normalisation merges, shadows or reserves
    "nfkc-ligature-collision": spec(names('["fi", "ﬁ"]', '["w"]', [("L", "w*fi")])),
    "nfkc-fullwidth-np": spec(names('["x"]', '["ｎｐ"]', [("L", "x*ｎｐ")])),
    "nfkc-fullwidth-collision": spec(names('["x"]', '["w", "ｗ"]', [("L", "x*w")])),
    "nfkc-fullwidth-underscore": spec(names('["x"]', '["＿w"]', [("L", "x")])),
    "nfkc-node-collides-with-input": spec(names('["x"]', '["w"]', [("ｘ", "w"), ("L", "w")])),
    "name-too-long": spec(names('["x"]', f'["{"w" * 500}"]', [("L", "x")])),
    "name-with-nul": spec(names('["x"]', '["w\\u0000"]', [("L", "x")])),
    "name-with-bidi-override": spec(names('["x"]', '["w\\u202e"]', [("L", "x")])),
    "name-with-zero-width-joiner": spec(names('["x"]', '["w\\u200d"]', [("L", "x")])),
    "name-with-combining-mark-first": spec(names('["x"]', '["\\u0301w"]', [("L", "x")])),
    "name-dunder-builtins": spec(names('["x"]', '["__builtins__"]', [("L", "x")])),
    "name-keyword": spec(names('["x"]', '["lambda"]', [("L", "x")])),
    "name-soft-keyword-is-fine-but-wrt-wrong": spec(names('["x"]', '["match"]',
                                                          [("L", "match*x")]),
                                                    ("derive", "spec.toml", "--wrt", "case")),
    # sizes decided before anything is built, and messages that stay one readable line
    "matrix-network-too-wide": spec('[mlp]\nlayers = [100000, 100000]\nform = "matrix"\n'),
    "scalar-network-too-many-names": spec("[mlp]\nlayers = [784, 256, 10]\n"),
    "thousands-of-missing-values": spec("[mlp]\nlayers = [30, 30, 1]\n[values]\nx1 = 1\n",
                                        CHECK),
    "thousands-of-unknown-values": spec(GOOD + "[values]\n" + "\n".join(
        f"v{i} = 1" for i in range(3000)) + "\n", CHECK),
    "a-very-long-wrt": spec(GOOD, ("derive", "spec.toml", "--wrt", "w" * 100_000)),
    # compile -o: checked before the work, written whole or not at all
    "compile-o-wrong-suffix": spec(GOOD, ("compile", "spec.toml", "-o", "grads.sh")),
    "compile-o-missing-folder": spec(GOOD, ("compile", "spec.toml", "-o", "no/such/grads.py")),
    "compile-o-is-a-folder": {"files": {"spec.toml": GOOD, "out.py/keep": "x"},
                              "argv": ("compile", "spec.toml", "-o", "out.py")},
    "compile-o-device": spec(GOOD, ("compile", "spec.toml", "-o", "/dev/full")),
    "compile-bad-spec-keeps-the-old-module": {
        "files": {"spec.toml": GOOD.replace("(w*x - y)**2", "w*q"), "grads.py": "old = 1\n"},
        "argv": ("compile", "spec.toml", "-o", "grads.py")},
    # terminal escapes and overrides in what errors quote
    "escape-in-table-key": spec(GOOD + '[graph.latex]\n"\\u001b[31mred" = "x"\n'),
    "escape-in-values-key": spec(GOOD + '[values]\n"\\u001b]0;pwned\\u0007" = 1\n'),
    "escape-in-unknown-key": spec(GOOD + '"\\u001b[2J" = 1\n'),
    "bidi-in-values-key": spec(GOOD + '[values]\n"w\\u202e" = 1\n'),
    "escape-in-wrt": spec(GOOD, ("derive", "spec.toml", "--wrt", "\x1b[31mw")),
    "escape-in-claim": spec(GOOD, ("verify", "spec.toml", "--wrt", "w", "--claim", "\x1b[2J")),
    "escape-in-spec-name": {"argv": ("derive", "\x1b[31m.toml", "--wrt", "w")},
    "escape-in-output-name": spec(GOOD, ("compile", "spec.toml", "-o", "\x1b[31m/x.py")),
}

BOUNDED = {
    "fullwidth-names-are-normalised": spec(names('["ｘ", "y"]', '["ｗ"]',
                                                 [("L", "(ｗ*ｘ - y)**2")])),
    "fullwidth-wrt": spec(GOOD, ("derive", "spec.toml", "--wrt", "ｗ")),
    "compile-o-replaces-a-module": {"files": {"spec.toml": GOOD, "grads.py": "old = 1\n"},
                                    "argv": ("compile", "spec.toml", "-o", "grads.py"),
                                    "outputs": ("grads.py",)},
    "greek-names": spec(names('["ξ", "y"]', '["θ"]', [("L", "(θ*ξ - y)**2")]),
                        ("derive", "spec.toml", "--wrt", "θ")),
    "toml-batch-at-the-limit": spec(values("x = [" + ", ".join(["1"] * 1000) + "]")
                                    + "y = 1\nw = 2\n", CHECK, cpu_s=8.0),
}


def _case(id, expect, options):
    options = dict(options)
    return Case(id, tuple(options.pop("argv")), expect=expect, **options)


CASES = ([_case(k, "refused", v) for k, v in REFUSED.items()]
         + [_case(k, "bounded", v) for k, v in BOUNDED.items()])
