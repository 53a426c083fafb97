r"""Lesson files: a ``[lesson]`` table of parts, each a graph and what of it to show.

A lesson is the notes of several graphs in one document, as the notebook *Back
Propagation* works the chain rule's cases, a network and a computation graph in turn
(docs/spec-format.md, "Lessons").  Each ``[[lesson.part]]`` names its graph, a spec file
beside the lesson file (``spec = "chain_rule_case1.toml"``) or one written inline
(``[lesson.part.graph]`` or ``[lesson.part.mlp]``, with ``[lesson.part.values]``), and
says what to show: ``heading``, ``prose`` (plain paragraphs), ``sections`` and the
options of the derivations.  Composing it is :mod:`symprop.latex.lesson_document`.

>>> lesson = loads_lesson('''
... [lesson]
... title = "Chain rule"
... [[lesson.part]]
... heading = "Case 1"
... prose = "f is a function of g, and g of x."
... sections = ["forward", "derivation"]
... params = ["x"]
... [lesson.part.graph]
... params = ["x"]
... loss = "f"
... nodes = { g = "exp(x) + x", f = "g**2" }
... ''')
>>> lesson.title, [part.sections for part in lesson.parts]
('Chain rule', [('forward', 'derivation')])

Every error is one line naming the file, the part and the key:

>>> loads_lesson('[lesson]\ntitle = "T"\n[[lesson.part]]\nspec = "../x.toml"', source="l.toml")
Traceback (most recent call last):
...
symprop.errors.SympropError: l.toml: [[lesson.part]] 1 spec: '../x.toml' is not a plain file name beside the lesson file (no folder, no '..')
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SympropError, printable
from .tables import TableReader

MAX_PARTS = 40
MAX_PARAGRAPHS = 20          # of one part's prose
MAX_TEXT_CHARS = 4000        # one paragraph
MAX_HEADING_CHARS = 200
LESSON_KEYS = {"title", "part"}
PART_KEYS = {"spec", "graph", "mlp", "values", "heading", "level", "prose", "sections",
             "params", "steps", "colors", "names", "update", "closed_form", "underbrace"}
# What a part may show; each is one builder of symprop.latex (lesson_document.SECTIONS).
SECTIONS = ("forward", "functions", "partials", "figure", "derivation", "gradients",
            "backprop", "numbers", "operations", "code", "update", "remarks", "notes")
# Colours a derivation may use: the notes' own (CSS_COLORS) and those xcolor and CSS both
# define alike (xcolor's base names), as the lesson's orange.
BASE_COLORS = ("orange", "cyan", "violet", "pink", "lime", "black", "darkgray")
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\.toml")


@dataclass(frozen=True)
class Part:
    """One part of a lesson: its graph (with the spec it came from) and what to show of it."""

    spec: object                     # a symprop.front.spec.Spec
    heading: str = ""
    level: int = 1
    prose: tuple = ()
    sections: tuple = ("notes",)
    params: tuple | None = None
    options: dict = field(default_factory=dict)   # steps, colors, update, closed_form, ...
    names: dict = field(default_factory=dict)     # display renames, for its derivations

    @property
    def graph(self):
        return self.spec.graph


@dataclass(frozen=True)
class Lesson:
    """A lesson file, read: its ``title`` and its ``parts``, in order."""

    title: str
    parts: tuple
    source: str = "<lesson>"


def is_lesson(data: dict) -> bool:
    """Whether parsed TOML ``data`` is a lesson (it has a top-level ``[lesson]`` table)."""
    return isinstance(data, dict) and "lesson" in data


def load_lesson(path) -> Lesson:
    """Read the lesson file at ``path``; its parts' spec files are beside it."""
    from .spec import read_text

    return loads_lesson(read_text(path, "a lesson"), source=str(path), folder=Path(path).parent)


def load_notes_source(path):
    """A :class:`Lesson` when the file at ``path`` holds ``[lesson]``, else its
    :class:`~symprop.front.spec.Spec` (``load_spec``): what ``symprop notes`` reads."""
    from .spec import loads_spec, read_text

    text = read_text(path, "a spec")   # read once: a pipe gives its bytes once
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        data = {}   # loads_spec says what is wrong with it, as it always has
    if not is_lesson(data):
        return loads_spec(text, source=str(path))
    return loads_lesson(text, source=str(path), folder=Path(path).parent)


def loads_lesson(text: str, source: str = "<lesson>", folder=".") -> Lesson:
    """Read a lesson from TOML ``text``; ``folder`` holds the spec files its parts name."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SympropError(printable(f"{source}: malformed TOML: {exc}")) from None
    except ValueError:
        raise SympropError(f"{source}: an integer too long to read; no lesson needs one") from None
    return _LessonReader(source, Path(folder)).lesson(data)


class _LessonReader(TableReader):
    """Checks a lesson's tables, naming the file, the part and the key in every error."""

    def __init__(self, source: str, folder: Path):
        super().__init__(source)
        self.folder = folder
        self.loaded: dict = {}   # spec file name -> Spec: a graph named twice is one graph

    def lesson(self, data: dict) -> Lesson:
        others = sorted(set(data) - {"lesson"})
        if others:
            raise self.error("the top level", f"a lesson file holds [lesson] only, found "
                             f"{', '.join(f'[{k}]' for k in others)} beside it; name each "
                             "graph in a part (spec = \"file.toml\", or [lesson.part.graph])")
        table = self.table("[lesson]", data["lesson"])
        self.no_unknown_keys("[lesson]", table, LESSON_KEYS)
        title = self.string("[lesson] title", table.get("title", "Back propagation"),
                          MAX_HEADING_CHARS)
        parts = table.get("part")
        if not isinstance(parts, list) or not parts or not all(isinstance(p, dict) for p in parts):
            raise self.error("[lesson] part", "expected one or more [[lesson.part]] tables")
        if len(parts) > MAX_PARTS:
            raise self.error("[lesson] part", f"{len(parts)} parts; at most {MAX_PARTS}")
        return Lesson(title, tuple(self.part(f"[[lesson.part]] {i}", p)
                                   for i, p in enumerate(parts, 1)), self.source)

    # ----------------------------------------------------------- one part
    def part(self, where: str, table: dict) -> Part:
        self.no_unknown_keys(where, table, PART_KEYS)
        spec = self.graph_of(where, table)
        graph = spec.graph
        sections = self.sections(f"{where} sections", table.get("sections", ["notes"]))
        params = None
        if "params" in table:
            params = tuple(self.parameter(f"{where} params", graph, name)
                           for name in self.strings(f"{where} params", table["params"]))
        options = {key: self.boolean(f"{where} {key}", table[key])
                   for key in ("update", "closed_form", "underbrace") if key in table}
        if "steps" in table:
            options["steps"] = self.steps(f"{where} steps", table["steps"])
        if "colors" in table:
            options["colors"] = self.colors(f"{where} colors", graph, table["colors"])
        names = self.names(f"{where} names", graph, table.get("names", {}))
        if "derivation" in sections and not params:
            raise self.error(f"{where} params", "the derivation section needs the parameter(s) "
                                                "to derive: params = [\"...\"]")
        level = table.get("level", 1)
        if type(level) is not int or level not in (1, 2):
            raise self.error(f"{where} level", f"expected 1 (a section) or 2 (a subsection), "
                                               f"got {printable(repr(level))[:40]}")
        return Part(spec, self.string(f"{where} heading", table.get("heading", ""),
                                    MAX_HEADING_CHARS), level,
                    self.prose(f"{where} prose", table.get("prose", [])), sections, params,
                    options, names)

    def graph_of(self, where: str, table: dict):
        """The part's spec: a file beside the lesson, or ``graph``/``mlp`` written inline."""
        from .spec import _Reader

        given = [k for k in ("spec", "graph", "mlp") if k in table]
        if len(given) != 1:
            found = " and ".join(given) if given else "none"
            raise self.error(where, f"expected exactly one of spec (a file), graph or mlp "
                                    f"(inline), found {found}")
        if given[0] != "spec":
            inline = {given[0]: table[given[0]]}
            if "values" in table:
                inline["values"] = table["values"]
            return _Reader(f"{self.source}: {where}").spec(inline)
        if "values" in table:
            raise self.error(f"{where} values", "a part naming a spec file takes its values "
                                                "from that file")
        return self.spec_file(f"{where} spec", table["spec"])

    def spec_file(self, where: str, name) -> object:
        from .spec import load_spec

        name = self.string(where, name, 200)
        if not PLAIN_NAME.fullmatch(name) or ".." in name:
            raise self.error(where, f"{name!r} is not a plain file name beside the lesson file "
                                    "(no folder, no '..')")
        if name not in self.loaded:
            path = self.folder / name
            try:
                inside = path.resolve(strict=True).parent == self.folder.resolve()
            except (OSError, RuntimeError):
                raise self.error(where, f"{name!r}: no such file beside the lesson") from None
            if not inside:
                raise self.error(where, f"{name!r} leads out of the lesson's folder "
                                        "(a link); name a file in that folder")
            self.loaded[name] = load_spec(path)
        return self.loaded[name]

    # ----------------------------------------------------------- the keys
    def prose(self, where, value) -> tuple:
        paragraphs = [value] if isinstance(value, str) else self.strings(where, value)
        if len(paragraphs) > MAX_PARAGRAPHS:
            raise self.error(where, f"{len(paragraphs)} paragraphs; at most {MAX_PARAGRAPHS}")
        return tuple(" ".join(self.string(where, p, MAX_TEXT_CHARS).split()) for p in paragraphs)

    def sections(self, where, value) -> tuple:
        chosen = self.strings(where, value)
        unknown = [s for s in chosen if s not in SECTIONS]
        if unknown or not chosen:
            what = f"unknown section(s) {', '.join(map(repr, unknown))}" if unknown else "none"
            raise self.error(where, f"{what}; choose from {', '.join(SECTIONS)}")
        return tuple(chosen)

    def parameter(self, where, graph, name):
        try:
            return graph.parameter(name)
        except SympropError as exc:
            raise self.error(where, str(exc)) from None

    def steps(self, where, value) -> tuple:
        from ..latex.derivation import STEPS

        chosen = self.strings(where, value)
        unknown = [s for s in chosen if s not in STEPS]
        if unknown:
            raise self.error(where, f"unknown step(s) {', '.join(map(repr, unknown))}; "
                                    f"choose from {', '.join(STEPS)}")
        return tuple(chosen)

    def colors(self, where, graph, value):
        from ..latex.derivation import CSS_COLORS

        if isinstance(value, bool):
            return value
        out, known = {}, (*CSS_COLORS, *BASE_COLORS)
        for name, color in self.of_graph(where, graph, value, "true or a table node = colour"):
            if color not in known:
                raise self.error(f"{where} {name}", f"unknown colour {printable(repr(color))[:40]}"
                                                    f"; choose from {', '.join(known)}")
            out[name] = color
        return out

    def names(self, where, graph, value) -> dict:
        from ..latex.display_names import check_display_name

        out = {}
        for name, shown in self.of_graph(where, graph, value, "a table name = display name"):
            try:
                out[name] = check_display_name(self.string(f"{where} {name}", shown, 200),
                                               f"display name of {name}")
            except SympropError as exc:
                raise self.error(f"{where} {name}", str(exc)) from None
        return out


__all__ = ["LESSON_KEYS", "PART_KEYS", "SECTIONS", "Lesson", "Part", "is_lesson",
           "load_lesson", "load_notes_source", "loads_lesson"]
