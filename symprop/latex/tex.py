r"""Writing LaTeX documents to disk: ``.tex`` as is, ``.pdf`` through the installed TeX engine.

TeX can read files and run programs, so pdflatex runs shut in: without shell
escape, with ``openin_any=p`` and ``openout_any=p`` (no absolute paths, no
``..``, no dot files), in a private temporary folder that holds only the
generated ``notes.tex`` and the pictures it includes (copied in), with
``HOME`` there too and an environment that names no user folder, so the only
folder TeX searches besides TeX Live's own is that one.  A ``booktabs.sty`` or
a stale ``notes.tex`` beside the output is never read.  The ``.tex``, the PDF
are written (atomically) only when the run succeeds.

>>> write_document("...", "notes.docx")
Traceback (most recent call last):
...
symprop.errors.SympropError: cannot write notes to notes.docx: the file name must end in .tex or .pdf
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
from pathlib import Path

from ..errors import SympropError
from .output_files import check_output_path, write_atomically

ENGINES = ("pdflatex",)
SUFFIXES = (".tex", ".pdf")
# A notes PDF takes about a second; a run beyond this is a loop, not a long document.
COMPILE_TIMEOUT_S = 30
MAX_TIMEOUT_S = 120
MAX_OUTPUT_BYTES = 256 * 2**20   # log and PDF: a runaway document stops here
MAX_PICTURE_BYTES = 64 * 2**20
INSTALL_HINT = ("install TeX Live (Debian: apt-get install texlive-latex-base "
                "texlive-latex-recommended) to get the PDF")
# Only these variables reach pdflatex: nothing that names a user's folder or TeX tree.
KEPT_VARIABLES = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SOURCE_DATE_EPOCH")
PICTURE = re.compile(r"\\includegraphics\s*(?:\[[^\]]*\])?\s*\{([^{}]+)\}")
PICTURE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.(?:png|pdf|jpe?g)", re.IGNORECASE)


def find_engine() -> str | None:
    """The first TeX engine on PATH (``pdflatex``), or None."""
    return next((e for e in ENGINES if shutil.which(e)), None)


def check_document_path(path) -> Path:
    """``path`` checked before any work: ``.tex`` or ``.pdf``, in a writable folder, and for
    a ``.pdf`` an installed TeX engine.

    >>> check_document_path("notes.TEX").name
    'notes.TEX'
    """
    path = check_output_path(path, SUFFIXES, "notes")
    if path.suffix.lower() == ".pdf":
        source = path.with_suffix(".tex")
        if source.is_dir() or (source.exists() and not source.is_file()):
            raise SympropError(f"cannot write {source} beside {path.name}: it is not a "
                               "regular file")
        if find_engine() is None:
            raise SympropError(f"no TeX engine ({', '.join(ENGINES)}) is installed, so "
                               f"{path.name} cannot be made; write {source.name} instead, "
                               f"or {INSTALL_HINT}")
    return path


def write_document(tex: str, path, pictures=None) -> Path:
    r"""Write ``tex`` to ``path``: a ``.tex`` file, or a ``.pdf`` compiled from it.

    A ``.pdf`` is compiled in a private folder; on success the PDF and its
    ``.tex`` source are written beside each other, and on failure neither is
    touched.  ``pictures``: the files the document includes (default: those its
    ``\includegraphics`` names beside ``path``).  Returns the path written.
    """
    path = check_document_path(path)
    if path.suffix.lower() == ".tex":
        return write_atomically(path, tex)
    pdf = _compile(tex, path, None, pictures)
    write_atomically(path.with_suffix(".tex"), tex)
    write_atomically(path, pdf)
    return path


def compile_pdf(tex: str, pdf_path, engine: str | None = None, pictures=None) -> Path:
    """Compile ``tex`` into ``pdf_path`` (written only on success), shut in as above."""
    pdf_path = Path(pdf_path)
    write_atomically(pdf_path, _compile(tex, pdf_path, engine, pictures))
    return pdf_path


def compile_timeout(tex: str) -> int:
    """Seconds a document of this size may take: 30, and one more per 50 kB, at most 120.

    >>> compile_timeout("x" * 5_000), compile_timeout("x" * 1_000_000)
    (30, 50)
    """
    return min(MAX_TIMEOUT_S, COMPILE_TIMEOUT_S + len(tex) // 50_000)


def _compile(tex: str, pdf_path: Path, engine, pictures) -> bytes:
    engine = engine or find_engine()
    if engine is None or shutil.which(engine) is None:
        raise SympropError(f"no TeX engine ({', '.join(ENGINES)}) is installed, so "
                           f"{pdf_path.name} was not made; {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="symprop-tex-") as tmp:
        folder = Path(tmp)
        (folder / "notes.tex").write_text(tex, encoding="utf-8")
        for source in _pictures(tex, pdf_path, pictures):
            shutil.copyfile(source, folder / source.name)
        returncode = _run(engine, folder, compile_timeout(tex), pdf_path)
        log, produced = folder / "notes.log", folder / "notes.pdf"
        if returncode != 0 or not produced.is_file():
            reason = first_error(log.read_text("latin-1") if log.is_file() else "")
            raise SympropError(f"{engine} could not compile {pdf_path.name}: {reason}")
        return produced.read_bytes()


def _pictures(tex: str, pdf_path: Path, pictures) -> list[Path]:
    """The picture files to copy in: regular files, plain names, of a bounded size."""
    if pictures is None:
        names = [m[1].strip() for m in PICTURE.finditer(tex)]
        candidates = [pdf_path.parent / n for n in names if PICTURE_NAME.fullmatch(n)]
    else:
        candidates = [Path(p) for p in pictures]
    found = []
    for path in candidates:
        try:
            info = path.lstat()
        except OSError:
            continue  # pdflatex names the missing picture itself
        if not stat.S_ISREG(info.st_mode) or not PICTURE_NAME.fullmatch(path.name):
            raise SympropError(f"picture {path} is not a regular picture file (.png, .pdf, .jpg)")
        if info.st_size > MAX_PICTURE_BYTES:
            raise SympropError(f"picture {path} is over {MAX_PICTURE_BYTES >> 20} MB")
        if path.name not in {p.name for p in found}:
            found.append(path)
    return found


def _environment(folder: Path) -> dict:
    env = {k: os.environ[k] for k in KEPT_VARIABLES if k in os.environ}
    env.setdefault("PATH", os.defpath)
    private = str(folder / ".texmf")   # does not exist: no user tree, no user cache
    env.update(HOME=str(folder), TEXMFHOME=private, TEXMFVAR=private, TEXMFCONFIG=private,
               TEXINPUTS="." + os.pathsep, openin_any="p", openout_any="p", shell_escape="f")
    return env


def _limit(pid: int, cpu_s: int) -> None:
    """Bound pdflatex's CPU time and file sizes, from outside, right after it starts.

    Not in a ``preexec_fn``: that makes subprocess fork the interpreter itself,
    which is unsafe (and warned about) once a threaded library such as jax is
    loaded.  ``prlimit`` is Linux's; elsewhere the wall-clock timeout alone bounds it.
    A limit symprop itself runs under is never raised.
    """
    import resource

    if not hasattr(resource, "prlimit"):
        return
    for which, soft in ((resource.RLIMIT_FSIZE, MAX_OUTPUT_BYTES), (resource.RLIMIT_CPU, cpu_s)):
        _, hard = resource.getrlimit(which)
        capped = soft if hard == resource.RLIM_INFINITY else min(soft, hard)
        try:
            resource.prlimit(pid, which, (capped, hard))
        except (OSError, ValueError):   # it has already finished
            return


def _run(engine: str, folder: Path, timeout: int, pdf_path: Path) -> int:
    command = [engine, "-no-shell-escape", "-no-parse-first-line", "-interaction=nonstopmode",
               "-halt-on-error", "notes.tex"]
    posix = os.name == "posix"  # elsewhere: the wall-clock timeout alone
    process = subprocess.Popen(command, cwd=folder, env=_environment(folder),
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=posix)
    _limit(process.pid, timeout + 5)
    late = SympropError(f"{engine} did not finish {pdf_path.name} within {timeout} s")
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise late from None
    finally:
        if process.poll() is None:  # timed out or interrupted: end it and anything it started
            try:
                os.killpg(process.pid, signal.SIGKILL) if posix else process.kill()
            except OSError:
                pass
            process.wait()
    if posix and returncode == -signal.SIGXCPU:
        raise late
    return returncode


def first_error(log: str) -> str:
    """The first ``! ...`` error of a TeX log, with its line number when given.

    >>> first_error("x\\n! Undefined control sequence.\\nl.12 \\\\bad\\n")
    'Undefined control sequence. (l.12 \\\\bad)'
    """
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("! "):
            where = next((l for l in lines[i + 1:i + 8] if re.match(r"l\.\d+", l)), None)
            message = line[2:].strip() + (f" ({where.strip()})" if where else "")
            return "".join(c if c.isprintable() else "?" for c in message)[:300]
    return "no error line in its log"
