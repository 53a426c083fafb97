"""The commands of ``symprop``, one function each: a parsed command line in, an exit status out.

:mod:`symprop.front.cli` parses the line and turns errors into one line of standard
error; each ``cmd_*`` here loads the spec, does its one job and writes its output.

>>> from symprop.front.cli import build_parser
>>> args = build_parser().parse_args(["check", "examples/logistic_regression.toml"])
>>> args.run is cmd_check
True
"""
from __future__ import annotations

import json
import sys

from ..errors import SympropError
from .progress import Progress

MAX_CLAIM_BYTES = 100_000


def _derivation_choices(args) -> dict:
    """The options ``Derivation.latex`` and ``notes`` take, from ``--steps``, ``--colors`` and
    ``--notation``."""
    options = {"steps": args.steps} if args.steps else {}
    if args.notation is not None:
        options["notation"] = args.notation
    return {**options, "colors": True} if args.colors else options


def _load(args):
    from .spec import load_spec

    return load_spec(args.spec)


def _emit(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def _dump(data) -> str:
    return json.dumps(data, indent=2)


# ----------------------------------------------------------------- the commands
def cmd_derive(args) -> int:
    """``symprop derive``: one parameter's derivation as text, LaTeX or JSON."""
    graph = _load(args).graph
    wrt = graph.parameter(args.wrt)  # a bad --wrt fails before any long work
    if args.notation not in (None, "seed"):   # refused before any long work too
        if args.format not in ("latex", "markdown"):
            raise SympropError(f"--notation {args.notation} writes --format latex or markdown; "
                               f"--format {args.format} names symbols by their identifiers")
        from ..latex.notations import renamed

        renamed(graph, args.notation)
    with Progress(total=3) as progress:
        progress.step(graph.form.edges_step)
        graph.edges
        progress.step("adjoints, simplified")
        derivation = graph.derive(wrt)
        progress.step(f"dL/d{wrt}: {args.format} output")
        if args.format == "text":
            out = derivation.text()
        elif args.format in ("latex", "markdown"):
            out = derivation.latex(**_derivation_choices(args))
            out = f"$$\n{out}\n$$" if args.format == "markdown" else out
        else:
            out = _dump(derivation_json(derivation))
    _emit(out)
    return 0


def derivation_json(derivation) -> dict:
    """The stable JSON form of a derivation; ``paths``, ``closed_form`` null beyond their limits.

    For a matrix derivation each path's ``factors`` are its edges' vector-Jacobian
    steps (``W2.T*dL_dZ2``) and expressions are written as ``matrix_text`` prints them.
    """
    show = derivation.graph.form.text  # as the text format writes them: x1*(yhat - y)
    paths = None
    if derivation.listable:
        paths = [{"nodes": [str(n) for n in p.nodes], "factors": [show(f) for f in p.factors]}
                 for p in derivation.paths]
    return {
        "wrt": str(derivation.wrt),
        "loss": str(derivation.loss),
        "path_count": derivation.path_count,
        "paths": paths,
        "result": show(derivation.result),
        "closed_form": (show(derivation.closed_form)  # null beyond its size limit, as paths
                        if derivation.has_closed_form else None),
        "latex": derivation.latex(),
    }


def cmd_compile(args) -> int:
    """``symprop compile``: the generated gradient module, printed or written."""
    from ..latex.output_files import check_output_path, write_atomically

    if args.output:   # checked before any work; written whole or not at all
        check_output_path(args.output, (".py",), "the gradient module")
    graph = _load(args).graph
    with Progress(total=2) as progress:
        progress.step("adjoints, simplified")
        graph.adjoints()
        progress.step("generating code")
        source = _module_source(graph, args)
    if args.output:
        write_atomically(args.output, source)
        print(f"symprop: wrote {args.output}", file=sys.stderr)
    else:
        _emit(source)
    return 0


def _module_source(graph, args) -> str:
    """The generated module; one for torch or jax is written without running it."""
    try:
        from ..codegen.auto_backend import resolve_backend

        backend = resolve_backend(graph, args.backend, args.dtype)
        return graph.form.module_source(graph, args.reduce, backend, args.dtype)
    except SympropError as error:
        raise SympropError(f"{args.spec}: {error}") from None


def cmd_check(args) -> int:
    """``symprop check``: symprop against PyTorch autograd; 1 when they disagree."""
    spec = _load(args)
    with Progress(total=1) as progress:
        progress.step("comparing with PyTorch autograd")
        report = spec.graph.check(values=spec.values or None)
    _emit(_dump(report.to_dict()) if args.json else str(report))
    return 0 if report.ok else 1


def cmd_verify(args) -> int:
    """``symprop verify``: a verdict on a hand derivation; 1 when it is not shown equal."""
    from ..verify.conventions import preset
    from ..verify.targets import target

    from ..latex.notations import renamed

    spec = _load(args)
    graph = renamed(spec.graph, args.notation)    # the claim in a textbook's names
    convention = preset(args.convention if args.convention is not None else spec.convention)
    claim = args.claim if args.claim is not None else _read_claim(args.claim_file)
    wrt = target(graph, args.wrt)
    with Progress(total=1) as progress:
        progress.step(f"verifying the claim for dL/d{wrt}")
        verdict = graph.verify(wrt, claim, convention=convention)
    _emit(_dump(verdict.to_dict()) if args.json else str(verdict))
    return 0 if verdict else 1


def _read_claim(path) -> str:
    """The claim file's text: a regular file of at most MAX_CLAIM_BYTES, read without blocking.

    Opened first and then checked (``fstat``), so a FIFO, a device such as
    ``/dev/zero`` or a file swapped in between is refused, never waited on or read whole.
    """
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise SympropError(f"{path}: no such claim file") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SympropError(f"{path}: not a regular file; a claim file holds LaTeX text")
        data = os.read(fd, MAX_CLAIM_BYTES + 1)    # st_size is 0 for /proc files: read, bounded
    finally:
        os.close(fd)
    if len(data) > MAX_CLAIM_BYTES:
        raise SympropError(f"{path}: a claim is at most {MAX_CLAIM_BYTES} bytes")
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise SympropError(f"{path}: not UTF-8 text") from None


def cmd_graph(args) -> int:
    """``symprop graph``: the graph as a picture, the paths of ``--wrt`` highlighted."""
    from ..latex.picture import check_picture_path, draw
    from ..latex.tex import find_engine
    from ..latex.to_standalone import figure_layout_for, no_figure, write_figure

    path = check_picture_path(args.output)  # a bad -o is refused before any work, not after
    spec = _load(args)
    graph = spec.graph
    wrt = graph.parameter(args.wrt) if args.wrt else None
    values = spec.values or None
    with Progress(total=1) as progress:
        progress.step("drawing")
        suffix = path.suffix.lower()
        # .tex, and .pdf where TeX is installed: typeset in the math font (a graph too large
        # for a TeX figure goes to dot); the other formats are dot's own.
        layout = figure_layout_for(graph, wrt, args.operations, values) \
            if suffix == ".tex" or (suffix == ".pdf" and find_engine()) else None
        if layout is not None:
            write_figure(layout, path)
        elif suffix == ".tex":
            raise no_figure(args.operations)
        else:
            draw(graph, wrt=wrt, operations=args.operations, values=values).save(path)
    print(f"symprop: wrote {args.output}", file=sys.stderr)
    return 0


def cmd_notes(args) -> int:
    """``symprop notes``: lecture notes as .tex, .pdf, .md, .html or .ipynb."""
    from ..latex.document import notes
    from ..latex.formats import choose

    from .lesson_spec import Lesson, load_notes_source

    chosen = "slides" if args.slides else None
    choose(args.output, chosen)  # a bad -o (or no pdflatex for a .pdf) is refused first
    spec = load_notes_source(args.spec)
    if isinstance(spec, Lesson):
        return _lesson_notes(spec, args, chosen)
    graph = spec.graph
    params = [graph.parameter(name) for name in args.wrt] if args.wrt else None
    options = _derivation_choices(args)
    if chosen:
        options["format"] = chosen
    if args.title is not None:
        options["title"] = args.title
    with Progress(total=1) as progress:
        progress.step("deriving every gradient and writing notes")
        notes(graph, args.output, params=params, numbers=args.numbers, claims=spec.claims,
              **options)
    print(f"symprop: wrote {args.output}", file=sys.stderr)
    return 0


def _lesson_notes(lesson, args, chosen) -> int:
    """``symprop notes LESSON.toml``: every part of a lesson, in one document."""
    from ..latex.lesson_document import lesson_notes

    given = [option for option, value in (("--wrt", args.wrt), ("--steps", args.steps),
                                          ("--colors", args.colors),
                                          ("--notation", args.notation)) if value]
    if given:
        raise SympropError(f"{args.spec}: {', '.join(given)}: options for the notes of one graph; a "
                           "lesson's parts say their own (params, steps, colors)")
    with Progress(total=1) as progress:
        progress.step(f"writing the lesson's {len(lesson.parts)} parts")
        lesson_notes(lesson, args.output, title=args.title, format=chosen,
                     numbers=args.numbers)
    print(f"symprop: wrote {args.output}", file=sys.stderr)
    return 0
