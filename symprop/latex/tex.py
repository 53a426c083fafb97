"""Writing LaTeX documents to disk: ``.tex`` as is, ``.pdf`` through the installed TeX engine.

>>> write_document("...", "notes.docx")
Traceback (most recent call last):
...
symprop.errors.SympropError: cannot write notes to notes.docx: the file name must end in .tex or .pdf
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import SympropError

ENGINES = ("pdflatex",)
COMPILE_TIMEOUT_S = 120
INSTALL_HINT = ("install TeX Live (Debian: apt-get install texlive-latex-base "
                "texlive-latex-recommended) to get the PDF")


def find_engine() -> str | None:
    """The first TeX engine on PATH (``pdflatex``), or None."""
    return next((e for e in ENGINES if shutil.which(e)), None)


def write_document(tex: str, path) -> Path:
    """Write ``tex`` to ``path``: a ``.tex`` file, or a ``.pdf`` compiled from it.

    A ``.pdf`` is compiled with the installed engine; its ``.tex`` source is
    written beside it either way.  Without a TeX engine the ``.tex`` is written
    and a :class:`SympropError` says so.  Returns the path written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".tex", ".pdf"):
        raise SympropError(f"cannot write notes to {path.name}: the file name must end "
                           "in .tex or .pdf")
    if not path.parent.is_dir():
        raise SympropError(f"cannot write {path}: folder {path.parent} does not exist")
    source = path.with_suffix(".tex")
    source.write_text(tex, encoding="utf-8")
    if suffix == ".tex":
        return source
    compile_pdf(tex, path)
    return path


def compile_pdf(tex: str, pdf_path, engine: str | None = None) -> Path:
    """Compile ``tex`` into ``pdf_path`` in a temporary folder.

    Files the document includes (pictures) are looked up next to ``pdf_path``.
    """
    pdf_path = Path(pdf_path)
    engine = engine or find_engine()
    if engine is None or shutil.which(engine) is None:
        raise SympropError(f"no TeX engine ({', '.join(ENGINES)}) is installed, so "
                           f"{pdf_path.name} was not made; the LaTeX source is in "
                           f"{pdf_path.with_suffix('.tex')}; {INSTALL_HINT}")
    env = dict(os.environ)
    env["TEXINPUTS"] = str(pdf_path.parent.resolve()) + os.pathsep + env.get("TEXINPUTS", "")
    with tempfile.TemporaryDirectory(prefix="symprop-tex-") as tmp:
        (Path(tmp) / "notes.tex").write_text(tex, encoding="utf-8")
        try:
            run = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error",
                                  "notes.tex"], cwd=tmp, env=env, capture_output=True,
                                 timeout=COMPILE_TIMEOUT_S, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise SympropError(f"{engine} did not finish {pdf_path.name} within "
                               f"{COMPILE_TIMEOUT_S} s") from None
        log = Path(tmp, "notes.log")
        produced = Path(tmp, "notes.pdf")
        if run.returncode != 0 or not produced.exists():
            reason = first_error(log.read_text("latin-1") if log.exists() else "")
            raise SympropError(f"{engine} could not compile {pdf_path.name}: {reason}")
        shutil.copyfile(produced, pdf_path)
    return pdf_path


def first_error(log: str) -> str:
    """The first ``! ...`` error of a TeX log, with its line number when given.

    >>> first_error("x\\n! Undefined control sequence.\\nl.12 \\\\bad\\n")
    'Undefined control sequence. (l.12 \\\\bad)'
    """
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("! "):
            where = next((l for l in lines[i + 1:i + 8] if re.match(r"l\.\d+", l)), None)
            return line[2:].strip() + (f" ({where.strip()})" if where else "")
    return "see the TeX log (no error line found)"
