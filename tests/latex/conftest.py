"""Real clients for the LaTeX symprop emits: KaTeX and MathJax (through node) and pdflatex.

Tests hand every equation they produce to the session's ``katex`` collector; at
the end of the session all of them are rendered in one node process with
``throwOnError: true`` and any that fails fails the run; the Markdown and HTML
notes' equations are read by MathJax 3 too (each distinct equation once).  Outside CI a missing
tool skips (``test_katex_is_available`` says which); in CI it is an error.
"""
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI") == "true"
KATEX_DIR = Path(__file__).resolve().parents[1] / "katex"


def katex_missing():
    """Why KaTeX cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed (apt-get install nodejs)"
    if not (KATEX_DIR / "node_modules" / "katex").is_dir():
        return "the katex npm package is not installed (run `npm ci` in tests/katex)"
    return None


def render_with_katex(equations, script="render.js"):
    """KaTeX's error for each equation (None where it rendered), in one node process;
    ``script="mathjax.js"``: MathJax 3's, an undefined macro an error too."""
    run = subprocess.run(["node", str(KATEX_DIR / script)], input=json.dumps(equations),
                         capture_output=True, text=True, timeout=120, cwd=KATEX_DIR)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def mathjax_missing():
    """Why MathJax cannot run here, or None (it comes with the KaTeX tests' npm ci)."""
    return katex_missing() or (None if (KATEX_DIR / "node_modules" / "mathjax").is_dir()
                               else "the mathjax npm package is not installed (npm ci in tests/katex)")


MATH = re.compile(r"\\begin\{(align\*|aligned|equation\*)\}.*?\\end\{\1\}|\\\[.*?\\\]|\$[^$]+\$",
                  re.DOTALL)


def equations_of(document):
    """Every piece of math in a LaTeX document: displays, align* blocks, inline $...$."""
    found = []
    for match in MATH.finditer(document):
        tex = match.group(0)
        if tex.startswith("$"):
            tex = tex[1:-1]
        elif tex.startswith(r"\["):
            tex = tex[2:-2]
        found.append(tex.strip())
    return found


class Equations:
    """Collects (where, tex) pairs for the end-of-session KaTeX check, and the Markdown and
    HTML notes' equations (``mathjax=True``) for MathJax's too."""

    def __init__(self):
        self.items, self.for_mathjax = [], []

    def add(self, tex, where="", mathjax=False):
        assert tex.strip(), f"empty equation from {where}"
        self.items.append((where, tex))
        if mathjax:
            self.for_mathjax.append((where, tex))
        return tex

    def add_document(self, document, where=""):
        equations = equations_of(document)
        assert equations, f"no equations found in the document from {where}"
        for tex in equations:
            self.add(tex, where)
        return document


@pytest.fixture(scope="session")
def katex():
    equations = Equations()
    yield equations
    missing = katex_missing()
    if missing:
        if IN_CI:
            pytest.fail(f"KaTeX check cannot run in CI: {missing}")
        return  # test_katex_is_available reports the skip
    for renderer, script, absent, items in (
            ("KaTeX", "render.js", None, equations.items),
            ("MathJax", "mathjax.js", mathjax_missing(), equations.for_mathjax)):
        if absent:
            if IN_CI:
                pytest.fail(f"the {renderer} check cannot run in CI: {absent}")
            continue
        # Each distinct equation once: many tests write the same notes.
        distinct = list(dict.fromkeys(tex for _, tex in items))
        error_of = dict(zip(distinct, render_with_katex(distinct, script)))
        errors = [error_of[tex] for _, tex in items]
        failures = [f"{where}: {error}\n    {tex[:300]}"
                    for (where, tex), error in zip(items, errors) if error]
        if failures:
            pytest.fail(f"{len(failures)} of {len(errors)} equations do not render with "
                        f"{renderer}:\n" + "\n".join(failures[:20]))


def pdflatex_missing():
    if shutil.which("pdflatex") is None:
        return ("pdflatex is not installed (apt-get install texlive-latex-base "
                "texlive-latex-recommended)")
    return None


@pytest.fixture
def pdflatex(tmp_path):
    """``compile(tex) -> Path`` of the PDF, run as the brief says, in a temporary folder."""
    missing = pdflatex_missing()
    if missing:
        if IN_CI:
            pytest.fail(f"pdflatex is required in CI: {missing}")
        pytest.skip(missing)

    def compile_document(tex, name="doc", inputs=None):
        """``inputs``: a folder where included files (pictures) are found."""
        env = dict(os.environ)
        if inputs is not None:
            env["TEXINPUTS"] = str(inputs) + os.pathsep + env.get("TEXINPUTS", "")
        folder = tmp_path / f"tex-{name}"
        folder.mkdir()
        (folder / f"{name}.tex").write_text(tex, encoding="utf-8")
        run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                              f"{name}.tex"], cwd=folder, env=env, capture_output=True, timeout=180,
                             stdin=subprocess.DEVNULL)
        log = (folder / f"{name}.log").read_text("latin-1") if (folder / f"{name}.log").exists() else ""
        assert run.returncode == 0, "\n".join(l for l in log.splitlines() if l.startswith("!"))[:2000]
        pdf = folder / f"{name}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF")
        return pdf

    return compile_document
