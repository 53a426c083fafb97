r"""Hostile TeX: every string that reaches a ``.tex``, and every file TeX might pick up.

Display names (``[graph.latex]``) that try to read files, run programs, loop,
change catcodes or break the document, through every command that writes LaTeX
(``derive --format latex|json``, ``notes`` to ``.tex`` and ``.pdf``, ``graph``);
TeX files planted beside ``-o`` and in the working folder; stale outputs; bad
``-o`` paths.  Refusals happen before any work, so they stay under 2 s of CPU;
notes that compile finish in a few seconds of CPU, pdflatex included.
"""
from hostile.harness import Case

SPEC = "spec.toml"
PLANTED_MARK = "PLANTED-RAN-4b1f"
STALE_MARK = "STALE-NOTES-9c3e"
PDF_CPU_S = 12.0   # derivations, torch's check and one pdflatex run, on a loaded machine

NETWORK = """[graph]
inputs = ["x", "y"]
params = ["w", "b"]
loss = "L"
[graph.nodes]
z = "w*x + b"
a = "sigmoid(z)"
L = "-y*log(a) - (1 - y)*log(1 - a)"
[values]
x = 1.5
y = 1
w = -0.5
b = 0.25
"""


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string, every character outside printable ASCII escaped."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif " " <= c <= "~":
            out.append(c)
        else:
            out.append(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}")
    return '"' + "".join(out) + '"'


def named(key: str, text: str) -> str:
    """The network with ``[graph.latex] key = text``."""
    return NETWORK + f"[graph.latex]\n{key} = {toml_string(text)}\n"


COMMANDS = {
    "derive-latex": ("derive", SPEC, "--wrt", "w", "--format", "latex"),
    "derive-json": ("derive", SPEC, "--wrt", "w", "--format", "json"),
    "derive-text": ("derive", SPEC, "--wrt", "w"),
    "notes-tex": ("notes", SPEC, "-o", "n.tex"),
    "notes-pdf": ("notes", SPEC, "-o", "n.pdf"),
    "graph-svg": ("graph", SPEC, "-o", "g.svg"),
    "check": ("check", SPEC),
}

# Display names, each refused by the whitelisting reader (one command each below).
PAYLOADS = {
    "openin-etc-passwd": r"\newread\r \openin\r=/etc/passwd \read\r to\x \text{\x}",
    "openin-secret": r"\newread\r \openin\r=secret.txt \read\r to\x \x",
    "csname-input-pipe": r'\csname @@input\endcsname|"kpsewhich -var-value=TEXMFROOT"',
    "input-pipe": r'\input|"cat secret.txt" ',
    "input-secret": r"\input{secret.txt}",
    "input-absolute": r"\input{/etc/hostname}",
    "include": r"\include{secret}",
    "write18": r"\immediate\write18{touch pwned}",
    "write18-plain": r"\write18{touch pwned}",
    "openout": r"\newwrite\w \immediate\openout\w=pwned.tex",
    "def-loop": r"\def\x{\x}\x",
    "edef-loop": r"\edef\x{\x}",
    "loop-macro": r"\loop\iftrue\repeat",
    "let-input": r"\let\hat\input \hat{secret.txt}",
    "catcode": r"\catcode`\|=0 |input secret.txt",
    "catcode-active": r"\catcode`\~=13 \def~{\input{secret.txt}}~",
    "hat-hat-backslash": "^^5cinput{secret.txt}",
    "hat-hat-in-script": "x^^^5c",
    "hat-hat-newline": "x^^Jy",
    "makeatletter": r"\makeatletter\@@input secret.txt",
    "at-at-input": r"\@@input secret.txt",
    "expandafter": r"\expandafter\input\csname secret\endcsname",
    "jobname": r"\jobname",
    "special": r"\special{pdf: ...}",
    "pdf-primitive": r"\pdfprimitive\input secret.txt",
    "end-document": r"\end{document}",
    "begin-environment": r"\begin{verbatim}",
    "usepackage": r"\usepackage{booktabs}",
    "verb": r"\verb|\input|",
    "comment": "x % \\input{secret.txt}",
    "hash": "x#1",
    "tilde": "x~y",
    "ampersand": "x & y",
    "dollar-escape": r"x$\input{secret.txt}$",
    "line-break": "x \\\\ y",
    "paragraph": "x\n\ny",
    "unbalanced-open": "w_{1",
    "unbalanced-close": "w}_1{",
    "left-without-right": r"\left( w",
    "right-without-left": r"w \right)",
    "double-subscript": "w_1_2",
    "nul": "w\x00",
    "escape-sequence": "\x1b]0;pwned\x07w",
    "bidi-override": "w\u202e1",
    "non-ascii": "wé",
    "emoji": "w\U0001f600",
    "very-long": "w" * 5000,
    "deep-braces": "{" * 60 + "w" + "}" * 60,
    "empty": "",
    "lone-backslash": "w\\",
    "text-with-command": r"\text{\input{secret.txt}}",
}

# Each payload through one command, in turn, so that every command sees many payloads.
ROTATION = ("notes-pdf", "derive-latex", "notes-tex", "graph-svg", "derive-json", "notes-pdf",
            "derive-text", "check")
REFUSED = {f"name-{name}-{ROTATION[i % len(ROTATION)]}": (named("w", text),
                                                            COMMANDS[ROTATION[i % len(ROTATION)]])
           for i, (name, text) in enumerate(PAYLOADS.items())}

# One payload into every kind of declared name, and through every command.
for key in ("x", "b", "z", "a", "L"):
    REFUSED[f"openin-as-name-of-{key}"] = (named(key, PAYLOADS["openin-etc-passwd"]),
                                           COMMANDS["notes-pdf"])
for command in COMMANDS:
    REFUSED[f"def-loop-through-{command}"] = (named("w", r"\def\x{\x}\x"), COMMANDS[command])

# Keys of [graph.latex] are names, not TeX: an undeclared or hostile key is refused.
for name, key in {"key-is-tex": '"\\\\input{secret.txt}"', "key-undeclared": "q",
                  "key-escape": '"\\u001b[2Jw"', "key-nul": '"w\\u0000"'}.items():
    REFUSED[name] = (NETWORK + f"[graph.latex]\n{key} = 'w'\n", COMMANDS["notes-pdf"])
REFUSED["latex-not-a-string"] = (NETWORK + "[graph.latex]\nw = 3\n", COMMANDS["notes-tex"])
REFUSED["latex-not-a-table"] = (NETWORK.replace('loss = "L"\n', 'loss = "L"\nlatex = "w"\n', 1),
                                COMMANDS["notes-tex"])

# Bad -o paths: refused before the spec's derivations, so quickly even for a big network.
BIG = "[mlp]\nlayers = [3, 4, 4, 2]\nactivation = \"tanh\"\n"
BAD_OUTPUTS = {
    "notes-o-docx": ("notes", SPEC, "-o", "n.docx"),
    "notes-o-no-suffix": ("notes", SPEC, "-o", "n"),
    "notes-o-only-suffix": ("notes", SPEC, "-o", ".pdf"),
    "notes-o-missing-folder": ("notes", SPEC, "-o", "missing/n.pdf"),
    "notes-o-file-as-folder": ("notes", SPEC, "-o", "secret.txt/n.pdf"),
    "notes-o-is-a-folder": ("notes", SPEC, "-o", "out.pdf"),
    "notes-o-tex-is-a-folder": ("notes", SPEC, "-o", "clash.pdf"),
    "notes-o-empty": ("notes", SPEC, "-o", ""),
    "notes-o-nul": ("notes", SPEC, "-o", "n\x00.pdf"),
    "notes-o-escape": ("notes", SPEC, "-o", "\x1b[31m/n.pdf"),
    "notes-o-too-long": ("notes", SPEC, "-o", "n" * 300 + ".pdf"),
    "notes-o-dev-null": ("notes", SPEC, "-o", "/dev/null"),
    "notes-o-proc": ("notes", SPEC, "-o", "/proc/self/n.tex"),
    "graph-o-jpg": ("graph", SPEC, "-o", "g.jpg"),
    "graph-o-missing-folder": ("graph", SPEC, "-o", "missing/g.svg"),
    "graph-o-is-a-folder": ("graph", SPEC, "-o", "out.svg"),
    "graph-o-file-as-folder": ("graph", SPEC, "-o", "secret.txt/g.svg"),
    "graph-o-only-suffix": ("graph", SPEC, "-o", ".svg"),
    "graph-o-dev-null": ("graph", SPEC, "-o", "/dev/null"),
}
FOLDERS = {"out.pdf/keep": "", "out.svg/keep": "", "clash.tex/keep": ""}

# Files TeX would read if it searched the working folder or the folder of -o.
PLANTED = (r"\immediate\write18{touch planted-ran}\errmessage{planted file was used}"
           "\\AtBeginDocument{" + PLANTED_MARK + "}\n")
PLANTED_NAMES = ("booktabs.sty", "amsmath.sty", "amssymb.sty", "geometry.sty", "xcolor.sty",
                 "graphicx.sty", "article.cls", "size11.clo", "ot1cmr.fd", "omlcmm.fd",
                 "color.cfg", "graphics.cfg", "geometry.cfg", "notes.aux", "n.aux",
                 "texmf.cnf", "pdftex.map", "texmf/tex/latex/booktabs/booktabs.sty")
STALE_NOTES = ("\\documentclass{article}\\begin{document}" + STALE_MARK + "\\end{document}\n")


def _bounded(id, argv, files, outputs, forbidden=(PLANTED_MARK,), cpu_s=PDF_CPU_S):
    return Case(id, tuple(argv), files, expect="bounded", outputs=tuple(outputs),
                forbidden=tuple(forbidden), cpu_s=cpu_s)


def _planted_cases():
    for name in PLANTED_NAMES:
        short = name.replace("/", "-").replace(".", "-")
        yield _bounded(f"planted-{short}-in-working-folder", COMMANDS["notes-pdf"],
                       {SPEC: NETWORK, name: PLANTED}, ("n.pdf", "n.tex"))
    for name in ("booktabs.sty", "article.cls", "ot1cmr.fd", "notes.aux"):
        yield _bounded(f"planted-{name.replace('.', '-')}-beside-o", ("notes", SPEC, "-o",
                                                                      "out/n.pdf"),
                       {SPEC: NETWORK, f"out/{name}": PLANTED}, ("out", "out/n.pdf", "out/n.tex"))


def _stale_cases():
    # A stale notes.tex (another network's, say) beside -o is never compiled instead.
    yield _bounded("stale-notes-tex-beside-o", ("notes", SPEC, "-o", "notes.pdf"),
                   {SPEC: NETWORK, "notes.tex": STALE_NOTES}, ("notes.pdf", "notes.tex"),
                   (STALE_MARK, PLANTED_MARK))
    yield _bounded("stale-notes-tex-in-subfolder", ("notes", SPEC, "-o", "out/notes.pdf"),
                   {SPEC: NETWORK, "out/notes.tex": STALE_NOTES, "notes.tex": STALE_NOTES},
                   ("out", "out/notes.pdf", "out/notes.tex"), (STALE_MARK,))
    # Old outputs are replaced whole on success ...
    yield _bounded("stale-outputs-replaced", COMMANDS["notes-pdf"],
                   {SPEC: NETWORK, "n.tex": STALE_MARK, "n.pdf": STALE_MARK},
                   ("n.pdf", "n.tex"), (STALE_MARK,))
    yield _bounded("stale-graph-replaced", COMMANDS["graph-svg"],
                   {SPEC: NETWORK, "g.svg": STALE_MARK}, ("g.svg",), (STALE_MARK,), cpu_s=6.0)


def _refused_stale_cases():
    # ... and left exactly as they were when the command is refused (outputs=() checks it).
    hostile = named("w", r"\def\x{\x}\x")
    yield Case("stale-outputs-kept-on-refusal", COMMANDS["notes-pdf"],
               {SPEC: hostile, "n.tex": STALE_MARK, "n.pdf": STALE_MARK})
    yield Case("stale-tex-kept-on-refusal", COMMANDS["notes-tex"],
               {SPEC: hostile, "n.tex": STALE_MARK})
    yield Case("stale-graph-kept-on-refusal", COMMANDS["graph-svg"],
               {SPEC: hostile, "g.svg": STALE_MARK})


def _unusual_but_fine():
    # Textbook names that are allowed, and identifiers pdflatex cannot set as they are.
    fine = {"greek-and-hat": ("w", r"\hat{\theta}_{1}"), "bold-vector": ("x", r"\mathbf{x}"),
            "norm": ("a", r"\left\| a \right\|"), "text": ("L", r"\text{loss}"),
            "prime-power": ("z", "z'^{2}"), "operatorname": ("b", r"\operatorname{bias}")}
    for id, (key, text) in fine.items():
        yield _bounded(f"allowed-{id}", COMMANDS["notes-pdf"], {SPEC: named(key, text)},
                       ("n.pdf", "n.tex"))
    greek = NETWORK.replace('"w"', '"θ"').replace("w*x", "θ*x").replace("w = -0.5", '"θ" = -0.5')
    yield _bounded("greek-identifier-notes", ("notes", SPEC, "-o", "n.pdf"), {SPEC: greek},
                   ("n.pdf", "n.tex"))
    accented = (NETWORK.replace('"x"', '"xé"').replace("w*x", "w*xé")
                .replace("x = 1.5", '"xé" = 1.5'))
    yield _bounded("accented-identifier-notes", ("notes", SPEC, "-o", "n.pdf"), {SPEC: accented},
                   ("n.pdf", "n.tex"))
    yield _bounded("matrix-notes", ("notes", SPEC, "-o", "n.pdf"),
                   {SPEC: '[mlp]\nlayers = [2, 3, 2]\nform = "matrix"\noutput = "softmax"\n'
                          'loss = "ce"\n'}, ("n.pdf", "n.tex"))


CASES = (
    [Case(id, argv, {SPEC: spec}, forbidden=("root:x:0:0",))
     for id, (spec, argv) in REFUSED.items()]
    + [Case(id, argv, {SPEC: BIG, **FOLDERS}) for id, argv in BAD_OUTPUTS.items()]
    + list(_planted_cases()) + list(_stale_cases()) + list(_refused_stale_cases())
    + list(_unusual_but_fine())
)
