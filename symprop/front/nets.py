"""`mlp()`: a fully connected network in the lessons' layer notation.

>>> g = mlp([1, 2, 1])
>>> [str(p) for p in g.param_symbols]
['w1_1_1', 'w1_1_2', 'b1_1', 'b1_2', 'w2_1_1', 'w2_2_1', 'b2_1']
>>> g.latex_name("w1_1_2")
'w_{2}^{[1]}'
"""
from __future__ import annotations

import sympy

from ..ir import notation
from ..errors import SympropError
from ..registry.functions import CALLABLE, LOSSES, REGISTRY, activations, outputs
from ..ir.graph import Graph
from ..ir.units import UnitTable


def _names(letter: str, n: int) -> list[str]:
    return [letter] if n == 1 else [f"{letter}{i}" for i in range(1, n + 1)]


def _weight_short_index(layer_sizes, layer, j, k):
    """The lesson's short form: where one side has a single node, index by the other; only
    when every layer has such a side, so that one network keeps one notation (a 2-3-1
    network writes w_{3\\to 1}^{[2]} beside w_{2\\to 3}^{[1]}, not w_{3}^{[2]})."""
    if any(min(a, b) > 1 for a, b in zip(layer_sizes, layer_sizes[1:])):
        return None
    n_in, n_out = layer_sizes[layer - 1], layer_sizes[layer]
    if n_in == 1:
        return k
    if n_out == 1:
        return j
    return None


def check_mlp_arguments(layers, activation, output, loss, form="scalar"):
    """Raise a clear error for anything ``mlp()`` cannot build."""
    if (not isinstance(layers, (list, tuple)) or len(layers) < 2
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in layers)):
        raise SympropError(f"layers must be a list of at least two positive integers, got {layers!r}")
    for what, value, allowed in (("activation", activation, activations()),
                                 ("output", output, outputs()), ("loss", loss, tuple(LOSSES))):
        if value not in allowed:
            raise SympropError(f"unknown {what} {value!r}; choose one of {', '.join(allowed)}")
    if form not in ("scalar", "matrix"):
        raise SympropError(f"form must be 'scalar' or 'matrix', got {form!r}")


def mlp(layers, activation="sigmoid", output="sigmoid", loss="bce", one_hot=False,
        form="scalar", weight_decay=False) -> Graph:
    """A multi-layer perceptron with ``layers = [n0, n1, ..., nL]`` nodes per layer.

    Identifiers follow docs/notation.md: inputs ``x``/``x1..``, targets ``y``/``y1..``,
    weights ``w{l}_{j}_{k}`` (node j of layer l-1 to node k of layer l), biases
    ``b{l}_{k}``, pre-activations ``z{l}_{k}``, activations ``a{l}_{k}``, loss
    ``L``.  ``one_hot=True`` declares that the targets of an example sum to 1.
    ``weight_decay=True`` (matrix form) adds L2 regularization: see ``matrix_mlp``.
    """
    check_mlp_arguments(layers, activation, output, loss, form)
    if form == "matrix":
        from .matrix_nets import matrix_mlp

        return matrix_mlp(layers, activation=activation, output=output, loss=loss,
                          one_hot=one_hot, weight_decay=weight_decay)
    if weight_decay is not False:
        # lambda/(2m) sum ||W||^2 is a batch's penalty; one example's graph has no m to share it.
        raise SympropError("weight_decay is built for the matrix form, whose loss is the "
                           "batch's mean: use form=\"matrix\"")
    g = Graph()
    inputs = g.inputs(_names("x", layers[0]))
    targets = g.inputs(_names("y", layers[-1]))
    inputs = inputs if isinstance(inputs, tuple) else (inputs,)
    targets = targets if isinstance(targets, tuple) else (targets,)
    previous = list(inputs)
    depth = len(layers) - 1
    units = UnitTable(layers)
    for letter, layer, names in (("x", 0, inputs), ("y", depth, targets)):
        for k, name in enumerate(names, 1):
            units.add(name.name, letter, layer, (layer, k))
    for l in range(1, depth + 1):
        weights = {}
        for j in range(1, layers[l - 1] + 1):
            for k in range(1, layers[l] + 1):
                name = f"w{l}_{j}_{k}"
                text = notation.weight_latex(l, j, k, _weight_short_index(layers, l, j, k))
                weights[j, k] = g.params(name, latex={name: text})
                units.add(name, "w", l, (l - 1, j), (l, k))
        biases = [g.params(f"b{l}_{k}") for k in range(1, layers[l] + 1)]
        zs = [g.node(f"z{l}_{k}", sympy.Add(*(weights[j, k] * previous[j - 1]
                                            for j in range(1, layers[l - 1] + 1))) + biases[k - 1])
              for k in range(1, layers[l] + 1)]
        for k in range(1, layers[l] + 1):
            for letter in "bza":
                units.add(f"{letter}{l}_{k}", letter, l, (l, k))
        entry = REGISTRY[output if l == depth else activation]
        if entry.vector_valued:             # component k of a function of the whole layer
            previous = [g.node(f"a{l}_{k}", entry.sympy_class(k, *zs))
                        for k in range(1, len(zs) + 1)]
        else:
            previous = [g.node(f"a{l}_{k}", CALLABLE[entry.name](z)) for k, z in enumerate(zs, 1)]
    g.loss("L", LOSSES[loss](previous, targets))
    if one_hot:
        g.one_hot(*targets)
    g.legend = _legend(layers, REGISTRY[activation], REGISTRY[output])
    g.units = units
    return g


def _legend(layers, activation, output) -> tuple:
    """What each kind of symbol of the network means, in its own notation, for the notes:
    ``((LaTeX, meaning), ...)``, a meaning's math between dollar signs (symprop's own text)."""
    short = _weight_short_index(layers, 1, 1, 1) is not None and layers != [1, 1]
    weight = (notation.layer_latex("w", "l", "i") if short
              else notation.weight_latex("l", "j", "k"))
    weight_words = ("the weight between unit $i$ of layer $l$ and the one unit on its other "
                    "side" if short else
                    "the weight from unit $j$ of layer $l - 1$ to unit $k$ of layer $l$")
    depth = len(layers) - 1

    def applied(entry, layer):
        z = notation.layer_latex("z", layer, "k")
        if not entry.latex:                      # the identity: the sums themselves
            return f"${z}$"
        if entry.vector_valued:                  # softmax: a function of the layer's sums
            return rf"${entry.latex}_{{k}}(z^{{[{layer}]}})$"
        return f"${entry.latex}({z})$"

    return ((weight, weight_words),
            (notation.layer_latex("b", "l", "k"), "the bias of unit $k$ of layer $l$"),
            (notation.layer_latex("z", "l", "k"),
             "unit $k$'s weighted sum of the activations of layer $l - 1$, plus its bias"),
            (notation.layer_latex("a", "l", "k"),
             f"unit $k$'s activation, {applied(activation, 'l')}; layer 0's are the inputs"),
            (notation.layer_latex("a", depth, "k"),
             f"the output, {applied(output, depth)}: the prediction, compared with the target"),
            (r"\mathcal{L}", "the loss of one example"))
