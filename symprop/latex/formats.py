r"""The formats of the notes: which one a path asks for, and how each is written.

=========  ==========  ==================================================================
suffix     format      written by
=========  ==========  ==================================================================
``.tex``   latex       :mod:`.to_latex` inside :func:`~symprop.latex.document.document`
``.pdf``   latex       the same, compiled by pdflatex (:mod:`symprop.latex.tex`)
``.md``    markdown    :mod:`.to_markdown`: ``$``/``$$`` math for Jupyter, Quarto, GitHub
``.html``  html        :mod:`.to_html`: one standalone page, KaTeX inlined, works offline
``.ipynb`` notebook    :mod:`.to_notebook`: Markdown cells and code cells that run
``.tex``   slides      :mod:`.to_beamer`: a Beamer presentation, asked for by name
``.pdf``   slides      the same, compiled by pdflatex
=========  ==========  ==================================================================

A suffix alone chooses the first format it names (``.pdf`` is the article); the slides
are asked for by name, ``format="slides"`` (the command's ``--slides``).

>>> choose("notes.md").name
'markdown'
>>> choose("talk.pdf", "slides").name
'slides'
>>> choose("talk.md", "slides")
Traceback (most recent call last):
...
symprop.errors.SympropError: cannot write slides to talk.md: slides are written as .tex or .pdf
>>> choose("notes.docx")
Traceback (most recent call last):
...
symprop.errors.SympropError: cannot write notes to notes.docx: the file name must end in .tex, .pdf, .md, .html or .ipynb
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import SympropError
from .output_files import check_output_path, write_atomically


def _latex(graph, body, title, values) -> str:
    from .document import document
    from .to_latex import latex_body

    return document(latex_body(body), title)


def _slides(graph, body, title, values) -> str:
    from .to_beamer import beamer_document

    return beamer_document(body, title)


def _markdown(graph, body, title, values) -> str:
    from .to_markdown import markdown_document

    return markdown_document(body, title)


def _html(graph, body, title, values) -> str:
    from .to_html import html_page

    return html_page(body, title)


def _notebook(graph, body, title, values) -> str:
    from .to_notebook import notebook_json

    return notebook_json(graph, body, title, values)


@dataclass(frozen=True)
class Format:
    """One format of the notes: its name, its file suffixes and the function writing its text."""

    name: str
    suffixes: tuple
    text: Callable

    def write(self, graph, body, title: str, path=None, values=None) -> str:
        """The notes' text; written to ``path`` too (a ``.pdf`` is compiled)."""
        text = self.text(graph, body, title, values)
        if path is not None:
            if self.name in ("latex", "slides"):
                from .tex import write_document

                write_document(text, path)
            else:
                write_atomically(path, text)
        return text


FORMATS = (Format("latex", (".tex", ".pdf"), _latex),
           Format("markdown", (".md",), _markdown),
           Format("html", (".html",), _html),
           Format("notebook", (".ipynb",), _notebook),
           Format("slides", (".tex", ".pdf"), _slides))
SUFFIXES = tuple(dict.fromkeys(s for f in FORMATS for s in f.suffixes))
NAMES = tuple(f.name for f in FORMATS)


def choose(path=None, format: str | None = None) -> Format:
    """The format for ``path`` (by its suffix) or named ``format``; the path checked first.

    A named format takes a path of any of its suffixes (``"slides"`` a ``.tex`` or ``.pdf``).

    A ``.pdf`` also needs pdflatex, checked here, before any work.
    """
    if format is not None and format not in NAMES:
        raise SympropError(f"unknown notes format {format!r}; choose from {', '.join(NAMES)}")
    if path is None:
        return next(f for f in FORMATS if f.name == (format or "latex"))
    checked = check_output_path(path, SUFFIXES, "notes")
    suffix = checked.suffix.lower()
    by_suffix = next(f for f in FORMATS if suffix in f.suffixes)
    if format is not None and format != by_suffix.name:
        named = next(f for f in FORMATS if f.name == format)
        if suffix not in named.suffixes and format == "slides":
            raise SympropError(f"cannot write slides to {Path(path).name}: slides are "
                               f"written as {' or '.join(named.suffixes)}")
        if suffix not in named.suffixes:
            raise SympropError(f"cannot write {format} notes to {Path(path).name}: that name "
                               f"asks for {by_suffix.name}")
        by_suffix = named
    if by_suffix.name in ("latex", "slides"):
        from .tex import check_document_path

        check_document_path(checked)
    if by_suffix.name == "slides" and suffix == ".pdf":
        missing = beamer_missing()
        if missing:
            raise SympropError(f"cannot make {checked.name}: the slides need Beamer and PGF, and "
                               f"this TeX installation lacks {', '.join(missing)}; write "
                               f"{checked.with_suffix('.tex').name} instead, or install them "
                               "(Debian: apt-get install texlive-latex-recommended "
                               "texlive-pictures)")
    return by_suffix


BEAMER_FILES = ("beamer.cls", "pgfcore.sty", "translator.sty")


def beamer_missing() -> list:
    """The files of Beamer (and the PGF it is built on) TeX cannot find, by ``kpsewhich``
    in an environment that names no user folder, as pdflatex runs; [] where it cannot tell."""
    import os
    import shutil
    import subprocess

    kpsewhich = shutil.which("kpsewhich")
    if kpsewhich is None:
        return []
    try:
        run = subprocess.run([kpsewhich, *BEAMER_FILES], capture_output=True, text=True,
                             timeout=20, stdin=subprocess.DEVNULL,
                             env={"PATH": os.environ.get("PATH", os.defpath)})
    except (OSError, subprocess.SubprocessError):
        return []
    found = {Path(line.strip()).name for line in run.stdout.splitlines() if line.strip()}
    return [name for name in BEAMER_FILES if name not in found]
