r"""The textbook notations as data: one :class:`Notation` table per book.

:mod:`symprop.latex.notations` renames a network with them; each table holds the
templates of each kind of symbol, the loss, the adjoint shorthand and the legend, in
scalar and in matrix form.

>>> NOTATIONS["nielsen"].matrix["W"].format(l=2), NOTATIONS["nielsen"].matrix_loss
('w^{2}', 'C')
>>> NOTATIONS["deeplearning.ai"].matrix["Z"].format(l=1)
'Z^{[1]}'
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Notation:
    """One textbook's way of writing a network: templates, filled by :func:`str.format`.

    ``names``: per kind of symbol (``w`` gets ``{l}`` and ``{pair}``, the units it joins as
    the book orders them; ``b``, ``z``, ``a`` get ``{l}`` and ``{k}``); ``output``: the
    output layer's activation where the book names it apart (``{k}``; ``output_one`` for a
    single output); ``adjoints``: per kind, the shorthand for d(loss)/d(symbol) (``{name}``
    the symbol's LaTeX, ``{scripts}`` it without its letter), a kind left out printed as a
    fraction; ``matrix``: the same for matrix graphs (``{l}`` the layer, shifted by
    ``layer_shift`` as in scalar form; None: no matrix form, ``no_matrix`` says why), and
    ``matrix_output``: the shorthand for d(loss)/d(the output layer's activations), where the
    book has one (Nielsen's ``\\nabla_a C``); ``matrix_legend`` may hold ``<L>``, the last layer.
    """

    name: str
    source: str
    layer_shift: int = 0
    names: dict = field(default_factory=dict)
    pair: str = "{to}{frm}"              # the weight's two units, as the book orders them
    output: str | None = None
    output_one: str | None = None
    loss: str = r"\mathcal{L}"
    adjoints: dict = field(default_factory=dict)
    legend: tuple = ()                   # ((LaTeX, meaning), ...), filled by _legend
    shorthand: str = ""                  # the legend's row on the adjoint shorthand
    matrix: dict | None = None
    matrix_loss: str = r"\mathcal{L}"
    matrix_adjoints: dict = field(default_factory=dict)
    matrix_legend: tuple = ()
    matrix_output: str | None = None
    no_matrix: str = ""


SEED = Notation("seed", "symprop's own notation (docs/notation.md)")

NIELSEN = Notation(
    "nielsen", "Nielsen, Neural Networks and Deep Learning, chapter 2",
    layer_shift=1,
    names={"w": "w^{{{l}}}_{{{pair}}}", "b": "b^{{{l}}}_{{{k}}}", "z": "z^{{{l}}}_{{{k}}}",
           "a": "a^{{{l}}}_{{{k}}}"},
    loss="C",
    adjoints={"z": r"\delta{scripts}"},
    legend=((r"w^{l}_{jk}", "the weight to neuron $j$ of layer $l$ from neuron $k$ of layer "
             "$l - 1$ (layer 1 is the inputs')"),
            (r"b^{l}_{j}", "the bias of neuron $j$ of layer $l$"),
            (r"z^{l}_{j}", r"neuron $j$'s weighted input, $\sum_k w^{l}_{jk} a^{l-1}_{k} + "
             r"b^{l}_{j}$"),
            (r"a^{l}_{j}", "neuron $j$'s activation, <hidden>; layer 1's are the inputs, "
             "$a^{1}_{j} = x_j$"),
            (r"a^{L}_{j}", "the output, <output> ($L = <L>$), compared with the target $y_j$"),
            ("C", "the cost of one example")),
    shorthand=(r"\delta^{l}_{j}", r"the error of neuron $j$ of layer $l$, $\delta^{l}_{j} = "
               r"\partial C / \partial z^{l}_{j}$; other derivatives of $C$ are written in full"),
    matrix={"W": "w^{{{l}}}", "b": "b^{{{l}}}", "Z": "z^{{{l}}}", "A": "a^{{{l}}}",
            "X": "a^{1}", "Y": "y"},
    matrix_loss="C",
    matrix_adjoints={"Z": r"\delta{scripts}"},
    matrix_output=r"\nabla_a C",
    matrix_legend=((r"w^{l}", r"the weights of layer $l$, layer 1 being the inputs'"),
                   (r"w^{l}_{jk}", r"row $j$, column $k$ of $w^{l}$: the weight to neuron $j$ "
                    r"from neuron $k$ of layer $l - 1$"),
                   (r"b^{l}", r"the biases of layer $l$, a column"),
                   (r"z^{l}", r"the weighted inputs $w^{l} a^{l-1} + b^{l}$, one column per "
                    r"example"),
                   (r"a^{l}", r"the activations $\sigma(z^{l})$, one column per example ($\sigma$ "
                    r"as the forward pass names it)"),
                   (r"a^{1}", r"the inputs: the mini-batch, its $m$ examples $x$ as the columns"),
                   (r"a^{L}", r"the output ($L = <L>$), compared with the targets"),
                   ("y", r"the targets $y(x)$, one example per column"),
                   ("C", r"the cost averaged over the $m$ examples, $C = \frac{1}{m} \sum_x C_x$"),
                   (r"\delta^{l}", r"the error of layer $l$, $\delta^{l} = \partial C / \partial "
                    r"z^{l}$, one column per example"),
                   (r"\nabla_a C", r"$\partial C / \partial a^{L}$; other derivatives of $C$ are "
                    r"written in full")),
)

DEEPLEARNING_AI = Notation(
    "deeplearning.ai", "Andrew Ng, Deep Learning Specialization (deeplearning.ai)",
    names={"w": "w^{{[{l}]}}_{{{pair}}}", "b": "b^{{[{l}]}}_{{{k}}}",
           "z": "z^{{[{l}]}}_{{{k}}}", "a": "a^{{[{l}]}}_{{{k}}}"},
    output=r"\hat{{y}}_{{{k}}}", output_one=r"\hat{y}",
    adjoints={"w": "d{name}", "b": "d{name}", "z": "d{name}", "a": "d{name}"},
    legend=((r"w^{[l]}_{kj}", "the weight of unit $k$ of layer $l$ from unit $j$ of layer "
             "$l - 1$: row $k$, column $j$ of $W^{[l]}$"),
            (r"b^{[l]}_{k}", "the bias of unit $k$ of layer $l$"),
            (r"z^{[l]}_{k}", r"unit $k$'s weighted sum, $\sum_j w^{[l]}_{kj} a^{[l-1]}_{j} + "
             r"b^{[l]}_{k}$; layer 0's activations are the inputs, $a^{[0]}_{j} = x_j$"),
            (r"a^{[l]}_{k}", "unit $k$'s activation, <hidden>"),
            ("<yhat>", "the output $a^{[<L>]}_{k}$, <output>: the prediction, compared with the "
             "target"),
            (r"\mathcal{L}", "the loss of one example")),
    shorthand=(r"dz^{[l]}_{k}", r"the course's shorthand for $\partial \mathcal{L} / \partial "
               r"z^{[l]}_{k}$; likewise $da$, $dw$ and $db$ (the output's is written in full)"),
    matrix={"W": "W^{{[{l}]}}", "b": "b^{{[{l}]}}", "Z": "Z^{{[{l}]}}", "A": "A^{{[{l}]}}",
            "X": "X", "Y": "Y"},
    matrix_loss="J",
    matrix_adjoints={"W": "d{name}", "b": "d{name}", "Z": "d{name}", "A": "d{name}"},
    matrix_legend=((r"W^{[l]}, b^{[l]}", r"the weights and biases of layer $l$, "
                    r"$n^{[l]} \times n^{[l-1]}$ and $n^{[l]} \times 1$"),
                   (r"Z^{[l]}", r"$W^{[l]} A^{[l-1]} + b^{[l]}$, one column per example"),
                   (r"A^{[l]}", r"the activations $g^{[l]}(Z^{[l]})$; $A^{[0]} = X$"),
                   ("X, Y", "the inputs and the targets, one example per column"),
                   ("J", "the cost: the loss averaged over the $m$ examples"),
                   (r"dZ^{[l]}", r"the course's shorthand for $\partial J / \partial Z^{[l]}$; "
                    r"likewise $dA^{[l]}$, $dW^{[l]}$ and $db^{[l]}$")),
)

NOTATIONS = {n.name: n for n in (SEED, NIELSEN, DEEPLEARNING_AI)}


__all__ = ["Notation", "NOTATIONS", "SEED", "NIELSEN", "DEEPLEARNING_AI"]
