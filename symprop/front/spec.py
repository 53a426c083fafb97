"""Spec files: a graph or a network described in TOML, read with :mod:`tomllib`.

Two forms (docs/spec-format.md): ``[graph]`` with ``inputs``, ``params``,
``loss``, ``[graph.nodes]`` (in order) and an optional ``[graph.latex]``; or
``[mlp]`` with ``layers`` and optionally ``activation``, ``output``, ``loss``,
``one_hot``, ``form``.  Either may have ``[values]``, a point for ``check`` and
``evaluate``: numbers (or flat lists, a batch) for a scalar graph, matrices as
lists of rows for ``form = "matrix"``.  Node expressions go through the whitelisting parser
(:mod:`symprop.parse.expression`); the graph is built through the public API.

>>> spec = loads_spec('''
... [graph]
... params = ["x"]
... loss = "f"
... [graph.nodes]
... g = "exp(x) + x"
... f = "g**2"
... ''')
>>> spec.graph.derive("x").result
2*g*(exp(x) + 1)

Every error names the file, the key and what was expected:

>>> loads_spec('[graph]\\nparams = "x"', source="net.toml")
Traceback (most recent call last):
...
symprop.errors.SympropError: net.toml: [graph] params: expected a list of names, got a string
"""
from __future__ import annotations

import math
import os
import select
import stat
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SympropError
from .tables import TableReader, kind
from ..ir.graph import Graph
from ..ir.notation import normal_name
from ..parse.expression import UndeclaredName
from .spec_notes import CLAIM_KEYS as _CLAIM_KEYS, NOTES_KEYS as _NOTES_KEYS, read_notes
from .spec_notes import MAX_NOTES_CLAIMS  # noqa: F401  (the limit, where it always was)

MAX_FILE_BYTES = 1_000_000   # a spec is a few lines; refuse anything absurd before parsing
MAX_NAMES = 2_000            # inputs + parameters + nodes (an mlp counts its weights too)
MAX_BATCH = 100_000          # entries in one [values] list
MAX_MATRIX_ENTRIES = 10_000_000   # weights and biases of a matrix-form network (80 MB)
PIPE_WAIT_S = 5.0            # how long a spec given as a pipe may take to arrive

_TOP_KEYS = {"graph", "mlp", "values", "verify", "notes"}
_VERIFY_KEYS = {"convention"}
_GRAPH_KEYS = {"inputs", "params", "loss", "nodes", "latex", "one_hot", "form",
               "weight_decay"}
_MLP_KEYS = {"layers", "activation", "output", "loss", "one_hot", "form", "weight_decay"}
# Every key a spec may hold, by table ("" the top level), for documentation and its
# tests; [values], [graph.nodes] and [graph.latex] take the graph's own names as keys.
SPEC_KEYS = {"": frozenset(_TOP_KEYS), "graph": frozenset(_GRAPH_KEYS),
             "mlp": frozenset(_MLP_KEYS), "verify": frozenset(_VERIFY_KEYS),
             "notes": frozenset(_NOTES_KEYS), "notes.claims": frozenset(_CLAIM_KEYS)}


@dataclass
class Spec:
    """A loaded spec: ``graph`` (a :class:`symprop.Graph`), ``values`` (name -> number or list)."""

    graph: Graph
    values: dict = field(default_factory=dict)
    source: str = "<spec>"
    form: str = "graph"   # "graph" or "mlp"
    convention: str | None = None   # [verify] convention: what dZ, dW, δ denote in claims
    claims: tuple = ()   # [notes] claims: (wrt, claim, source) and LossClaim, remarked on


def load_spec(path) -> Spec:
    """Read the spec file at ``path``; a :class:`SympropError` naming file and key if it is wrong."""
    return loads_spec(read_text(path, "a spec"), source=str(path))


def read_text(path, what: str) -> str:
    """The UTF-8 text of the file at ``path``, at most :data:`MAX_FILE_BYTES` (``what`` names
    the file in the error: "a spec", "a lesson")."""
    raw = read_bounded(path, MAX_FILE_BYTES, what)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SympropError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def read_bounded(path, limit: int, what: str) -> bytes:
    """At most ``limit`` bytes of the file at ``path``, or a :class:`SympropError`.

    The size is counted while reading, not taken from ``stat()``, which says 0 for
    ``/dev/zero`` and for pipes; a pipe or device (``<(...)``, ``/dev/stdin``) is
    read for at most ``PIPE_WAIT_S`` seconds, so a FIFO nobody writes to never
    blocks.

    >>> read_bounded("/dev/zero", 10, "a spec")
    Traceback (most recent call last):
    ...
    symprop.errors.SympropError: /dev/zero: more than 10 bytes; a spec is at most 10 bytes
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SympropError(f"{path}: no such file") from None
    except OSError as exc:
        raise SympropError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except ValueError:   # a NUL in the path
        raise SympropError(f"{path!r}: not a usable file name") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise SympropError(f"{path}: is a directory, not {what} file")
        chunks, size, deadline = [], 0, time.monotonic() + PIPE_WAIT_S
        while size <= limit:
            if not stat.S_ISREG(mode):
                ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
                if not ready:
                    raise SympropError(f"{path}: nothing more could be read within "
                                       f"{PIPE_WAIT_S:g} s; {what} must be a file")
            try:
                chunk = os.read(fd, min(65536, limit + 1 - size))
            except BlockingIOError:
                continue
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
        raise SympropError(f"{path}: more than {limit} bytes; {what} is at most {limit} bytes")
    except OSError as exc:
        raise SympropError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def loads_spec(text: str, source: str = "<spec>") -> Spec:
    """Read a spec from TOML text; ``source`` names it in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = str(exc).replace("at end of document",
                                 f"at end of document, line {text.count(chr(10)) + 1}")
        raise SympropError(f"{source}: malformed TOML: {where}") from None
    except ValueError:  # tomllib turns every integer into int(): Python's 4,300-digit limit
        raise SympropError(f"{source}: an integer with more than "
                           f"{sys.get_int_max_str_digits()} digits; no spec needs one") from None
    return _Reader(source).spec(data)


class _Reader(TableReader):
    """Checks one spec's tables, naming ``source`` and the key in every error."""

    def spec(self, data: dict) -> Spec:
        if "lesson" in data:   # a lesson of several graphs: symprop.front.lesson_spec reads it
            raise SympropError(f"{self.source}: a lesson file ([lesson]) is read by symprop "
                               "notes only; the other commands take one graph's spec")
        self.no_unknown_keys("the top level", data, _TOP_KEYS)
        forms = [k for k in ("graph", "mlp") if k in data]
        if len(forms) != 1:
            found = "both [graph] and [mlp]" if forms else "neither [graph] nor [mlp]"
            raise SympropError(f"{self.source}: expected a [graph] or an [mlp] table, "
                               f"found {found}")
        form = forms[0]
        table = self.table(f"[{form}]", data[form])
        graph = self.graph(table) if form == "graph" else self.mlp(table)
        values = self.values(data.get("values", {}), graph)
        try:
            if values:   # without [values], a spec is for derive, compile, verify and notes
                graph.form.spec_check(graph, values)
        except SympropError as exc:
            raise self.error("[values]", str(exc).removeprefix("values: ")) from None
        graph.values = dict(values)
        return Spec(graph=graph, values=values, source=self.source, form=form,
                    convention=self.verify(data.get("verify", {})),
                    claims=self.notes(data.get("notes", {})))

    def notes(self, table) -> tuple:
        """``[notes] claims``: a source's gradients and loss the notes remark on
        (:mod:`symprop.front.spec_notes`)."""
        return read_notes(self, table)

    def verify(self, table) -> str | None:
        """``[verify] convention``, checked against the presets of symprop.verify.conventions."""
        from ..verify.conventions import preset

        table = self.table("[verify]", table)
        self.no_unknown_keys("[verify]", table, _VERIFY_KEYS)
        if "convention" not in table:
            return None
        name = self.string("[verify] convention", table["convention"])
        try:
            return preset(name).name
        except SympropError as exc:
            raise self.error("[verify] convention", str(exc)) from None

    def names(self, where, value) -> list[str]:
        return self.strings(where, value, "names")

    # ----------------------------------------------------------- [graph]
    def graph(self, table) -> Graph:
        self.no_unknown_keys("[graph]", table, _GRAPH_KEYS)
        form = self.string("[graph] form", table.get("form", "scalar"))
        if form not in ("scalar", "matrix"):
            raise self.error("[graph] form", f"expected \"scalar\" or \"matrix\", got {form!r}")
        if form == "matrix":
            return self.matrix_graph(table)
        if "weight_decay" in table:
            raise self.error("[graph] weight_decay", "a weight decay is for form = \"matrix\"; "
                                                     "in scalar form write it in the loss")
        inputs = self.names("[graph] inputs", table.get("inputs", []))
        params = self.names("[graph] params", self.require("[graph]", table, "params"))
        loss = self.string("[graph] loss", self.require("[graph]", table, "loss"))
        nodes = self.table("[graph.nodes]", self.require("[graph]", table, "nodes"))
        latex = self.table("[graph.latex]", table.get("latex", {}))
        if not params:
            raise self.error("[graph] params", "expected at least one parameter")
        if not nodes:
            raise self.error("[graph.nodes]", "expected at least one node (the loss)")
        count = len(inputs) + len(params) + len(nodes)
        if count > MAX_NAMES:
            raise self.error("[graph]", f"{count} names declared; the limit is {MAX_NAMES}")
        self.loss_is_last(loss, nodes)
        g = Graph()
        for key, names, declare in (("inputs", inputs, g.inputs), ("params", params, g.params)):
            for name in names:
                try:
                    declare([name])
                except SympropError as exc:
                    raise self.error(f"[graph] {key}", str(exc)) from None
        order = list(nodes)
        for i, (name, text) in enumerate(nodes.items()):
            where = f"[graph.nodes] {name}"
            text = self.string(where, text)
            declare = g.loss if name == loss else g.node
            try:
                declare(name, text)
            except UndeclaredName as exc:
                raise self.error(where, _undeclared_reason(exc, name, order[i + 1:])) from None
            except SympropError as exc:
                raise self.error(where, str(exc)) from None
        return self.finish(g, table, latex)

    def matrix_graph(self, table) -> Graph:
        """``[graph]`` with ``form = "matrix"`` (:mod:`symprop.front.matrix_spec`)."""
        from .matrix_spec import declare_leaves, declare_node

        loss = self.string("[graph] loss", self.require("[graph]", table, "loss"))
        nodes = self.table("[graph.nodes]", self.require("[graph]", table, "nodes"))
        latex = self.table("[graph.latex]", table.get("latex", {}))
        self.loss_is_last(loss, nodes)
        if len(nodes) > MAX_NAMES:
            raise self.error("[graph.nodes]", f"{len(nodes)} nodes; the limit is {MAX_NAMES}")
        g = Graph(form="matrix")
        declare_leaves(self, g, table)
        for name, text in nodes.items():
            where = f"[graph.nodes] {name}"
            declare_node(self, g, where, name, self.string(where, text), table)
        return self.finish(g, table, latex)

    def loss_is_last(self, loss, nodes):
        if loss not in nodes:
            raise self.error("[graph] loss", f"{loss!r} is not among [graph.nodes] "
                                             f"({', '.join(nodes) or 'none'})")
        last = list(nodes)[-1]
        if last != loss:
            raise self.error("[graph.nodes]", f"the loss {loss!r} must be the last node; "
                                              f"{last!r} comes after it")

    def finish(self, g: Graph, table, latex) -> Graph:
        """The display names and the one-hot targets, once every vertex is declared."""
        self.graph_latex(g, latex)
        if "one_hot" in table:
            targets = self.names("[graph] one_hot", table["one_hot"])
            try:
                g.one_hot(*targets)
            except SympropError as exc:
                raise self.error("[graph] one_hot", str(exc)) from None
        return g

    def graph_latex(self, g: Graph, latex: dict):
        declared = g.namespace()
        for name, text in latex.items():
            where = f"[graph.latex] {name}"
            if name not in declared:
                raise self.error(where, f"{name!r} is not declared; declared names: "
                                        f"{', '.join(declared)}")
            try:
                g.set_latex(name, self.string(where, text))
            except SympropError as exc:
                raise self.error(where, str(exc)) from None

    # ----------------------------------------------------------- [mlp]
    def mlp(self, table) -> Graph:
        from .nets import mlp

        self.no_unknown_keys("[mlp]", table, _MLP_KEYS)
        layers = self.require("[mlp]", table, "layers")
        if (not isinstance(layers, list) or len(layers) < 2
                or not all(type(n) is int and n >= 1 for n in layers)):
            raise self.error("[mlp] layers", "expected a list of at least two positive "
                                             f"integers, got {_show(layers)}")
        if table.get("form") == "matrix":   # a few matrices, however wide
            weights = sum(a * b + b for a, b in zip(layers, layers[1:]))
            if weights > MAX_MATRIX_ENTRIES:
                raise self.error("[mlp] layers", f"{_show(layers)} has more than "
                                                 f"{MAX_MATRIX_ENTRIES:,} weights and biases")
        else:   # inputs, targets, then per layer weights, biases, pre-activations, activations
            count = layers[0] + layers[-1] + sum(a * b + 3 * b for a, b in zip(layers, layers[1:]))
            if count > MAX_NAMES:
                declares = f"{count}" if count < 10 ** 12 else "more than 10^12"
                raise self.error("[mlp] layers",
                                 f"{_show(layers)} declares {declares} names (weights, biases, "
                                 f"nodes); the limit is {MAX_NAMES} (form = \"matrix\" has none)")
        options = {}
        for key in ("activation", "output", "loss", "form"):
            if key in table:
                options[key] = self.string(f"[mlp] {key}", table[key])
        for key in ("one_hot", "weight_decay"):
            if key in table:
                options[key] = self.boolean(f"[mlp] {key}", table[key])
        try:
            return mlp(layers, **options)
        except SympropError as exc:
            raise self.error("[mlp]", str(exc)) from None
        except ImportError:
            raise self.error("[mlp] form", f"the {options.get('form')!r} form is not "
                                           "available in this installation") from None

    # ----------------------------------------------------------- [values]
    def values(self, table, graph: Graph) -> dict:
        table = self.table("[values]", table)
        leaves = {s.name for s in graph.input_symbols + graph.param_symbols}
        checked = {}
        for name, value in table.items():
            where = f"[values] {name}"
            name = normal_name(name)   # as declared (NFKC)
            if name not in leaves:
                raise self.error(where, f"{name!r} is not an input or parameter; expected "
                                        f"one of {', '.join(sorted(leaves))}")
            checked[name] = graph.form.spec_value(self, where, value)
        return checked

    def matrix(self, where, value) -> list:
        """A matrix as a list of rows (a matrix-form spec's inputs and parameters), or a
        number for a scalar vertex (the weight decay's rate ``lam``)."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.number(where, value)
        if not isinstance(value, list) or not value or not all(isinstance(r, list) for r in value):
            raise self.error(where, "expected a matrix: a list of rows, each a list of numbers")
        if len({len(r) for r in value}) != 1:
            raise self.error(where, "the rows of the matrix have different lengths")
        if len(value) * len(value[0]) > MAX_BATCH:
            raise self.error(where, f"expected at most {MAX_BATCH} entries")
        return [self.number_or_list(where, row) for row in value]

    def number_or_list(self, where, value):
        if isinstance(value, list):
            if not value or len(value) > MAX_BATCH:
                raise self.error(where, f"expected 1 to {MAX_BATCH} numbers, got {len(value)}")
            return [self.number(where, v) for v in value]
        return self.number(where, value)

    def number(self, where, value) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.error(where, f"expected a number, got {kind(value)}")
        try:
            value = float(value)
        except OverflowError:
            raise self.error(where, "the number is too large (above 1.8e308)") from None
        if not math.isfinite(value):
            raise self.error(where, f"expected a finite number, got {value}")
        return value


def _undeclared_reason(exc: UndeclaredName, node: str, later: list[str]) -> str:
    """Why a node may not use ``exc.name``: itself, a node below it, or nothing declared."""
    if exc.name == node:
        return f"{node!r} refers to itself, a cycle; a node may use only names declared above it"
    if exc.name in later:
        return (f"{node!r} uses {exc.name!r}, which is defined below it in [graph.nodes]; "
                "nodes must be listed in order (a node may use only names above it), "
                "so cycles cannot be written")
    return str(exc)




def _show(value) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer beyond Python's 4,300-digit printing limit
        text = "a list holding an integer too long to print"
    return text if len(text) <= 60 else text[:57] + "..."
