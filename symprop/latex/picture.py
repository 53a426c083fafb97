"""Pictures of a computation graph, as in the lesson's figures: layers, edges labelled
with their local partials, and the chain-rule paths of one parameter highlighted.

A graph in matrix form is drawn the same way, one node per
matrix and each edge labelled with its vector-Jacobian step (*Backprop Implementation*'s
backward pass: ``W₂ᵀ · ∂ℒ/∂Z₂``, ``∂ℒ/∂A₁ ⊙ H(Z₁)``).

``draw(graph, wrt)`` builds the picture with the ``graphviz`` Python package;
rendering it (SVG, PNG) runs graphviz's ``dot`` program.  The DOT text needs
no program:

>>> from symprop import mlp
>>> picture = draw(mlp([1, 2, 1]), wrt="b2_1")
>>> picture.source.count("->")
16
>>> from symprop import matrix_mlp
>>> draw(matrix_mlp([3, 4, 2], activation="relu", output="softmax", loss="ce"), wrt="W1")
Picture(10 edges, paths of W1 highlighted)
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import SympropError
from .labels import label, latex_to_html
from .output_files import check_output_path, write_atomically
from ..derive.paths import reaches_loss

HIGHLIGHT = "#d62728"
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
SOURCE_SUFFIXES = (".dot", ".gv")
TEX_SUFFIX = ".tex"   # the figure typeset by TeX: symprop.latex.to_standalone
STYLE = {  # as the lesson's computation graph: inputs and parameters clear, operations filled
    "input": {"shape": "ellipse", "style": "solid"},
    "parameter": {"shape": "box", "style": "rounded"},
    "node": {"shape": "ellipse", "style": "filled", "fillcolor": "#dbe9f7"},
    "loss": {"shape": "ellipse", "style": "filled", "fillcolor": "#f7dcdb", "peripheries": "2"},
}
DATA_EDGE = "#999999"     # an edge out of the data: dashed, unlabelled (no gradient flows back)
DOT_INSTALL_HINT = "install graphviz (Debian: apt-get install graphviz)"
DOT_TIMEOUT_S = 60   # a picture of the largest graph a spec may declare takes a few seconds
SUFFIXES = tuple(FORMATS) + SOURCE_SUFFIXES + (TEX_SUFFIX,)


class Picture:
    """A drawn graph: ``.source`` (DOT), ``.save(path)``, ``.pipe(format)``, notebook SVG."""

    def __init__(self, digraph, wrt=None):
        self.digraph = digraph
        self.wrt = wrt

    @property
    def source(self) -> str:
        """The DOT text (needs no graphviz program)."""
        return self.digraph.source

    def pipe(self, format: str = "svg") -> bytes:
        """The picture rendered by ``dot`` in ``format`` (svg, png, pdf).

        dot runs in an empty temporary folder; its messages are not passed
        through: a failure is one SympropError line.
        """
        if format not in FORMATS.values():
            raise SympropError(f"unknown picture format {format!r}; choose svg, png or pdf")
        _require_dot(format)
        return render_dot(self.source, format)

    def save(self, path) -> Path:
        """Write ``path`` atomically: ``.svg``, ``.png``, ``.pdf`` (rendered by dot) or ``.dot``."""
        path = check_picture_path(path)
        suffix = path.suffix.lower()
        if suffix == TEX_SUFFIX:
            raise SympropError("a Picture is drawn by dot; the figure typeset by TeX is "
                               "symprop.latex.to_standalone.standalone_figure(graph), or "
                               f"symprop graph SPEC -o {path.name}")
        data = self.source if suffix in SOURCE_SUFFIXES else self.pipe(FORMATS[suffix])
        return write_atomically(path, data)

    def _repr_svg_(self):
        # A notebook shows the SVG; without dot it falls back to the text repr.
        if shutil.which("dot") is None:
            return None
        return self.pipe("svg").decode("utf-8")

    def __repr__(self):
        wrt = f", paths of {self.wrt} highlighted" if self.wrt is not None else ""
        return f"Picture({self.source.count('->')} edges{wrt})"


def check_picture_path(path) -> Path:
    """``path`` checked before any drawing: its suffix, its folder, and dot where it is needed.

    >>> check_picture_path("graph.jpg")
    Traceback (most recent call last):
    ...
    symprop.errors.SympropError: cannot save a picture as graph.jpg: the file name must end in .svg, .png, .pdf, .tex or .dot
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES or not path.stem:
        raise SympropError(f"cannot save a picture as {path.name or path}: the file name must "
                           "end in .svg, .png, .pdf, .tex or .dot")
    path = check_output_path(path, SUFFIXES, "a picture")
    if suffix in FORMATS or suffix == TEX_SUFFIX:   # dot renders, or lays out the TeX figure
        _require_dot(FORMATS.get(suffix, "a TeX figure"))
    return path


def _require_dot(format: str) -> None:
    if shutil.which("dot") is None:
        raise SympropError(f"graphviz's dot program is not installed, so the picture "
                           f"cannot be rendered as {format}; {DOT_INSTALL_HINT} "
                           "(its DOT text is in .source)")


def render_dot(source: str, format: str) -> bytes:
    """``source`` (DOT) rendered by graphviz's ``dot`` as ``format``; dot's own messages
    stay out of symprop's output, a failure is one line naming dot's first complaint."""
    with tempfile.TemporaryDirectory(prefix="symprop-dot-") as folder:
        try:
            run = subprocess.run(["dot", f"-T{format}"], input=source.encode("utf-8"),
                                 capture_output=True, cwd=folder, timeout=DOT_TIMEOUT_S)
        except OSError as error:
            raise SympropError(f"graphviz's dot program could not be run ({error.strerror}); "
                               f"{DOT_INSTALL_HINT}") from None
        except subprocess.TimeoutExpired:
            raise SympropError(f"dot did not finish the picture within {DOT_TIMEOUT_S} s") from None
    if run.returncode != 0 or not run.stdout:
        raise SympropError(f"dot could not render the picture as {format} (exit status "
                           f"{run.returncode}): {_first_complaint(run.stderr)}")
    return run.stdout


def _first_complaint(stderr: bytes) -> str:
    """dot's first message line, as printable ASCII and short: a clue, never a dump."""
    lines = [l.strip() for l in stderr.decode("utf-8", "replace").splitlines() if l.strip()]
    first = next((l for l in lines if "rror" in l), lines[0] if lines else "no message")
    first = "".join(c if c.isascii() and c.isprintable() else "?" for c in first)
    return first if len(first) <= 160 else first[:157] + "..."


def layers(graph) -> dict:
    """Column of every symbol: nodes by depth; inputs and parameters just before their
    first use (the lesson's rows: ``y`` beside ``yhat``); the loss last."""
    depth = {}
    for node in graph.node_symbols:
        depth[node] = 1 + max((depth.get(e.parent, 0) for e in graph.in_edges(node)), default=0)
    for leaf in graph.input_symbols + graph.param_symbols:
        used = [depth[e.child] for e in graph.out_edges(leaf)]
        depth[leaf] = min(used) - 1 if used else 0
    depth[graph.loss_symbol] = max(depth.values()) + (
        1 if sum(1 for d in depth.values() if d == depth[graph.loss_symbol]) > 1 else 0)
    return depth


def on_paths(graph, wrt) -> set:
    """The symbols on some path from ``wrt`` to the loss (``wrt`` and the loss included)."""
    below = {wrt}
    for node in graph.node_symbols:
        if any(e.parent in below for e in graph.in_edges(node)):
            below.add(node)
    return below & reaches_loss(graph)


def draw(graph, wrt=None, rankdir: str = "LR", operations: bool = False, values=None):
    """The picture of ``graph``: one labelled edge per edge, ``wrt``'s paths highlighted.

    ``operations=True`` draws the lesson's computation graph instead, one vertex per
    operation (``×``, ``+``, ``σ``) top to bottom, each with its value and gradient at
    ``values`` (default ``graph.values``): see :mod:`symprop.latex.operations`.

    ``graph``: a :class:`~symprop.ir.graph.Graph` (edges labelled with their local
    partials) or one in matrix form (edges labelled
    with their vector-Jacobian steps).
    ``wrt``: a parameter (Symbol, identifier or LaTeX name) or None.
    ``rankdir``: ``LR`` (left to right, default) or ``TB`` (top to bottom, the
    lesson's computation graph).  Returns a :class:`Picture`.
    """
    try:
        import graphviz  # noqa: F401  (refused clearly before any work)
    except ImportError:
        raise SympropError("drawing needs the graphviz Python package: pip install graphviz") from None
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise SympropError(f"rankdir must be LR, TB, RL or BT, got {rankdir!r}")
    if operations:
        from .operations import draw_operations

        return draw_operations(graph, values, "TB" if rankdir == "LR" else rankdir)
    wrt = graph.parameter(wrt) if wrt is not None else None
    dot = graph_digraph(graph, wrt, rankdir,
                        node_label=lambda symbol: f"<{latex_to_html(graph.latex_name(symbol))}>",
                        edge_label=lambda edge: f"<{label(edge.partial, graph)}>")
    return Picture(dot, wrt)


def graph_digraph(graph, wrt, rankdir: str, node_label, edge_label, shown=None, **layout):
    """The DOT of ``graph`` in layers, ``wrt``'s paths (a parameter's Symbol, or None) in
    red: ``node_label(symbol)`` and ``edge_label(edge)`` say what each vertex and each edge
    that carries a gradient shows; an edge out of the data is dashed and unlabelled.
    ``shown``: the symbols drawn (default all), with the edges between them."""
    lit = on_paths(graph, wrt) if wrt is not None else set()
    shown = set(graph.symbols) if shown is None else set(shown)
    dot = digraph("symprop", rankdir, **layout)
    column = layers(graph)
    for rank in sorted(set(column.values())):
        with dot.subgraph() as same:
            same.attr(rank="same")
            for symbol in graph.symbols:
                if column[symbol] == rank and symbol in shown:
                    same.node(symbol.name, **_node_style(graph, symbol, symbol in lit,
                                                         node_label(symbol)))
    for edge in (e for e in graph.edges if e.parent in shown and e.child in shown):
        if graph.kind(edge.parent) == "input":   # data in: no gradient flows back to it
            dot.edge(edge.parent.name, edge.child.name, color=DATA_EDGE, style="dashed")
            continue
        hot = edge.parent in lit and edge.child in lit
        style = {"color": HIGHLIGHT, "fontcolor": HIGHLIGHT, "penwidth": "2.2"} if hot else {}
        dot.edge(edge.parent.name, edge.child.name, label=edge_label(edge), **style)
    return dot


def digraph(name: str, rankdir: str, ranksep: str = "0.45", nodesep: str = "0.25",
            node_size: dict | None = None):
    """An empty graphviz Digraph in the pictures' style: a serif font, units kept in the order
    they are declared (``ordering``), ranks ``ranksep`` inches apart; ``node_size``: the
    vertices' ``width``, ``height`` and ``margin`` where not graphviz's own."""
    import graphviz

    return graphviz.Digraph(name, encoding="utf-8",
                            graph_attr={"rankdir": rankdir, "ranksep": ranksep,
                                        "nodesep": nodesep, "ordering": "in"},
                            node_attr={"fontname": "DejaVu Serif", "fontsize": "13",
                                       **(node_size or {})},
                            edge_attr={"fontname": "DejaVu Serif", "fontsize": "11",
                                       "color": "#555555", "arrowsize": "0.7"})


def _node_style(graph, symbol, hot: bool, label: str) -> dict:
    style = dict(STYLE[graph.kind(symbol)], label=label)
    if hot:
        style.update(color=HIGHLIGHT, penwidth="2.2", fontcolor=HIGHLIGHT)
    return style
