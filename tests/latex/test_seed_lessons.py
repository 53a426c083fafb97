r"""Every formula and every number of the two seeds, found in the notes symprop writes for them.

Seed 000 (*Back Propagation*, /work/shared/seeds/000_df76b5f188aba2c7.txt) is the lesson
``examples/seed_lesson.toml``; seed 001 (*Backprop Implementation*,
/work/shared/seeds/001_449c615f5f76db27.txt) is ``examples/seed_001_matrix.toml``, its
formulas in their corrected forms.  Each formula below is copied by hand from the seed; where
the seed spells it differently from symprop in notation only (a node written ``g(x)`` where
symprop writes ``g``, ``=`` for an update where symprop writes ``:=``), the entry lists the
seed's formula and the spellings expected side by side, with why.  Formulas are compared
after :func:`normal`, which drops what is layout or colour, not mathematics.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from symprop.front.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def normal(tex: str) -> str:
    r"""``tex`` without layout: whitespace, ``&``, line breaks, ``\left``/``\right``, colours,
    ``\cdot``, a derivation's notes (``\qquad \text{(...)}``) and braces; ``\mathrm{d}`` is d
    and ``\rightarrow`` is ``\to``."""
    tex = re.sub(r"\\qquad\s*\\text\{[^{}]*\}", "", tex)
    tex = re.sub(r"\\color\{\w+\}", "", tex)
    tex = tex.replace(r"\mathrm{d}", "d").replace(r"\rightarrow", r"\to")
    for command in (r"\left", r"\right", r"\cdot", r"\\", r"\,"):
        tex = tex.replace(command, "")
    return re.sub(r"[\s&{}]", "", tex)


def haystack(markdown: str) -> str:
    """Every piece of math of the notes, normalised; each continued line (``&= ...``) also
    with the left side it continues, as a reader reads it."""
    pieces = re.findall(r"\$\$(.*?)\$\$", markdown, flags=re.S)
    pieces += re.findall(r"(?<!\$)\$([^$\n]+)\$(?!\$)", markdown)
    for block in re.findall(r"\\begin\{aligned\}(.*?)\\end\{aligned\}", markdown, flags=re.S):
        lhs = ""
        for row in block.split("\\\\"):
            for cell in row.split(r"& \qquad"):
                left, eq, right = cell.partition("&")
                if not eq:
                    continue
                lhs = left if left.strip() else lhs
                pieces.append(lhs + right)
    return "\n".join(normal(p) for p in pieces)


def numbers(markdown: str) -> list:
    """The numbers the notes print: alone in math (``$-0.3775$``, a table's cells) or after
    an ``=`` (``$x_{1} = 1.5$``)."""
    found = re.findall(r"\$(-?\d+(?:\.\d+)?)\$", markdown)
    found += re.findall(r"= (-?\d+(?:\.\d+)?)\$", markdown)
    return [float(n) for n in found]


def printed(seed: str, notes: list) -> bool:
    """Whether the notes print the seed's number at the seed's precision (an integer
    exactly)."""
    decimals = len(seed.partition(".")[2])
    value = float(seed.replace("−", "-"))
    if not decimals:
        return value in notes
    return any(round(n, decimals) == value for n in notes)


def _notes_md(spec: Path, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("notes") / "notes.md"
    assert main(["notes", str(spec), "-o", str(out)]) == 0
    return out.read_text()


@pytest.fixture(scope="module")
def lesson_md(tmp_path_factory):
    return _notes_md(EXAMPLES / "seed_lesson.toml", tmp_path_factory)


@pytest.fixture(scope="module")
def matrix_md(tmp_path_factory):
    return _notes_md(EXAMPLES / "seed_001_matrix.toml", tmp_path_factory)


# ------------------------------------------------------------------ seed 000
# (the seed's formula, the spellings expected in the notes); None: the seed's own spelling.
SEED_000 = [
    # Forward pass: recap (a 2-3-3-1 network in the lesson)
    (r"z_1^{[1]} = w_{1 \rightarrow 1}^{[1]} x_1 + w_{2 \rightarrow 1}^{[1]} x_2 + b_1^{[1]}",
     None),
    # g is the seed's generic activation; the lesson's network uses the sigmoid.
    (r"a_3^{[2]} = g(z_3^{[2]})", [r"a_3^{[2]} = \sigma(z_3^{[2]})"]),
    # The seed composes the output's two equations into one; symprop states them in turn.
    (r"\hat{y} = a_1^{[3]} = g\left(w_{1 \rightarrow 1}^{[3]} a_{1}^{[2]} + w_{2 \rightarrow 1}^{[3]}"
     r" a_{2}^{[2]} + w_{3 \rightarrow 1}^{[3]} a_{3}^{[2]} + b_1^{[3]}\right)",
     [r"z_1^{[3]} = w_{1 \to 1}^{[3]} a_{1}^{[2]} + w_{2 \to 1}^{[3]} a_{2}^{[2]}"
      r" + w_{3 \to 1}^{[3]} a_{3}^{[2]} + b_1^{[3]}", r"a_1^{[3]} = \sigma(z_1^{[3]})"]),
    (r"w_{j \rightarrow k}^{[l]}", None),
    (r"a_k^{[l]}", None),
    (r"b_k^{[l]}", None),
    # Gradient descent (the 1-2-1 network); y-hat is a_1^{[2]}, g the sigmoid.
    (r"\hat{y} = g(z_1^{[2]})", [r"a_1^{[2]} = \sigma(z_1^{[2]})"]),
    # An update is an assignment: symprop writes :=.
    (r"w_1^{[1]}  = w_1^{[1]} - \alpha\frac{\partial \mathcal{L}}{\partial w_1^{[1]}}",
     [r"w_1^{[1]} := w_1^{[1]} - \alpha \frac{\partial \mathcal{L}}{\partial w_1^{[1]}}"]),
    # The seed lists the seven gradients in one display; each is derived in the notes.
    (r"\frac{\partial \mathcal{L}}{\partial w_1^{[1]}}, \frac{\partial \mathcal{L}}{\partial "
     r"w_2^{[1]}}, \frac{\partial \mathcal{L}}{\partial b_1^{[1]}}, \frac{\partial \mathcal{L}}"
     r"{\partial b_2^{[1]}}, \frac{\partial \mathcal{L}}{\partial w_1^{[2]}}, \frac{\partial "
     r"\mathcal{L}}{\partial w_2^{[2]}}, \frac{\partial \mathcal{L}}{\partial b_1^{[2]}}",
     [rf"\frac{{\partial \mathcal{{L}}}}{{\partial {p}}} =" for p in (
         "w_1^{[1]}", "w_2^{[1]}", "b_1^{[1]}", "b_2^{[1]}", "w_1^{[2]}", "w_2^{[2]}",
         "b_1^{[2]}")]),
    # Chain rule, case 1.  f = f(g(x)) is the graph: g of x, then f of g.
    (r"f = f(g(x))", [r"g = e^{x} + x", r"f = g^{2}"]),
    (r"\frac{\mathrm{d} f}{\mathrm{d}x} = \frac{\mathrm{d} f}{\mathrm{d} g} \frac{\mathrm{d} g}"
     r"{\mathrm{d} x}", None),
    (r"f(x) = (e^x + x)^2", None),
    # A node is named without its argument: g, not g(x).
    (r"g(x) = e^x + x", [r"g = e^x + x"]),
    (r"f(g) = g^2", [r"f = g^2"]),
    (r"\frac{\mathrm{d} f}{\mathrm{d} g} = 2g", None),
    (r"\frac{\mathrm{d} g}{\mathrm{d} x} = e^x + 1", None),
    (r"\frac{\mathrm{d} f}{\mathrm{d}x} = \frac{\mathrm{d} f}{\mathrm{d} g} \frac{\mathrm{d} g}"
     r"{\mathrm{d} x} = 2g(e^x + 1)", None),
    (r"\frac{\mathrm{d} f}{\mathrm{d}x} = 2(e^x + x)(e^x + 1)", None),
    # Case 2.
    (r"f = f(g(x), h(x))", [r"g = 3x + 1", r"h = x^2", r"f = g h - \sin(h)"]),
    (r"\frac{\mathrm{d} f}{\mathrm{d}x} = \frac{\partial f}{\partial g} \frac{\mathrm{d} g}"
     r"{\mathrm{d} x} + \frac{\partial f}{\partial h} \frac{\mathrm{d} h}{\mathrm{d} x}", None),
    (r"f(x) = x^2(3x+1) - \sin(x^2)", None),
    # Named without arguments, the product in sympy's order (g h).
    (r"f(g, h) = h g - \sin(h)", [r"f = g h - \sin(h)"]),
    (r"g(x) = 3x + 1", [r"g = 3 x + 1"]),
    (r"h(x) = x^2", [r"h = x^{2}"]),
    (r"\frac{\partial f}{\partial g} = h", None),
    (r"\frac{\mathrm{d} g}{\mathrm{d} x} = 3", None),
    (r"\frac{\partial f}{\partial h} = g - \cos(h)", None),
    (r"\frac{\mathrm{d} h}{\mathrm{d} x} = 2x", None),
    # symprop shows the substituted product (h . 3 + ...) before the tidy 3h + 2x(...).
    (r"\frac{\mathrm{d} f}{\mathrm{d}x} = \frac{\partial f}{\partial g} \frac{\mathrm{d} g}"
     r"{\mathrm{d} x} + \frac{\partial f}{\partial h} \frac{\mathrm{d} h}{\mathrm{d} x} = "
     r"3h + 2x\left(g-\cos(h)\right)",
     [r"\frac{\mathrm{d} f}{\mathrm{d}x} = \frac{\partial f}{\partial g} \frac{\mathrm{d} g}"
      r"{\mathrm{d} x} + \frac{\partial f}{\partial h} \frac{\mathrm{d} h}{\mathrm{d} x} = "
      r"h \cdot 3 + (g - \cos(h)) \cdot 2 x = 3h + 2x\left(g-\cos(h)\right)"]),
    (r"\frac{\mathrm{d} f}{\mathrm{d}x} = 3x^2 + 2x\left(3x + 1 -\cos(x^2)\right)", None),
    # Back propagation, Example 1 (the seed's colours; normal() compares without them).
    (r"\frac{\color{red}{\partial \mathcal{L}}}{\color{blue}{\partial b_1^{[2]}}} = "
     r"\frac{\partial z_1^{[2]}}{\color{blue}{\partial b_1^{[2]}}} \frac{\color{green}"
     r"{\partial a_1^{[2]}}}{\partial z_1^{[2]}} \frac{\color{red}{\partial \mathcal{L}}}"
     r"{\color{green}{\partial a_1^{[2]}}}", None),
    (r"\mathcal{L} = - y \log(a_1^{[2]}) - (1 - y)\log(1 - a_1^{[2]})", None),
    # The same two terms in sympy's order.
    (r"\frac{\color{red}{\partial \mathcal{L}}}{\color{green}{\partial a_1^{[2]}}} = "
     r"-\frac{y}{a_1^{[2]}} + \frac{1-y}{1-a_1^{[2]}}",
     [r"\frac{\partial \mathcal{L}}{\partial a_1^{[2]}} = \frac{1-y}{1-a_1^{[2]}} - "
      r"\frac{y}{a_1^{[2]}}"]),
    # The sigmoid is defined once, as a function of z, and applied at the node.
    (r"a_1^{[2]} = \frac{1}{1+\exp(-z_1^{[2]})}",
     [r"\sigma(z) = \frac{1}{e^{- z} + 1}", r"a_1^{[2]} = \sigma(z_1^{[2]})"]),
    (r"\frac{\color{green}{\partial a_1^{[2]}}}{\partial z_1^{[2]}} = a_1^{[2]} (1 - a_1^{[2]})",
     None),
    (r"z_1^{[2]} = w_1^{[2]}a_1^{[1]} + w_2^{[2]}a_2^{[1]} + b_1^{[2]}", None),
    (r"\frac{\partial z_1^{[2]}}{\color{blue}{\partial b_1^{[2]}}} = 1", None),
    # The seed writes the local 1 as a number and the product of the last two factors;
    # symprop groups them as the adjoint dL/dz first, the local partial as its fraction.
    (r"\frac{\color{red}{\partial \mathcal{L}}}{\color{blue}{\partial b_1^{[2]}}} = 1 . "
     r"\frac{\color{green}{\partial a_1^{[2]}}}{\partial z_1^{[2]}} \frac{\color{red}"
     r"{\partial \mathcal{L}}}{\color{green}{\partial a_1^{[2]}}} = \frac{\color{red}"
     r"{\partial \mathcal{L}}}{\partial z_1^{[2]}}",
     [r"\frac{\partial \mathcal{L}}{\partial b_1^{[2]}} = \frac{\partial z_1^{[2]}}"
      r"{\partial b_1^{[2]}} \frac{\partial \mathcal{L}}{\partial z_1^{[2]}} = "
      r"\frac{\partial \mathcal{L}}{\partial z_1^{[2]}}"]),
    # Example 2.
    (r"\frac{\color{red}{\partial \mathcal{L}}}{\color{magenta}{\partial w_2^{[1]}}} = "
     r"\frac{\color{gray}{\partial z_2^{[1]}}}{\color{magenta}{\partial w_2^{[1]}}} "
     r"\frac{\color{orange}{\partial a_2^{[1]}}}{\color{gray}{\partial z_2^{[1]}}} "
     r"\frac{\partial z_1^{[2]}}{\color{orange}{\partial a_2^{[1]}}} "
     r"\frac{\color{green}{\partial a_1^{[2]}}}{\partial z_1^{[2]}} "
     r"\frac{\color{red}{\partial \mathcal{L}}}{\color{green}{\partial a_1^{[2]}}}", None),
    (r"z_2^{[1]} = w_2^{[1]}x + b_2^{[1]}", None),
    (r"\frac{\color{gray}{\partial z_2^{[1]}}}{\color{magenta}{\partial w_2^{[1]}}} = x", None),
    (r"x = a_1^{[0]}", None),
    (r"\frac{\color{red}{\partial \mathcal{L}}}{\color{magenta}{\partial w_2^{[1]}}} = "
     r"\frac{\color{gray}{\partial z_2^{[1]}}}{\color{magenta}{\partial w_2^{[1]}}} "
     r"\frac{\color{red}{\partial \mathcal{L}}}{\color{gray}{\partial z_2^{[1]}}} = "
     r"a_1^{[0]}\frac{\color{red}{\partial \mathcal{L}}}{\color{gray}{\partial z_2^{[1]}}}", None),
    # Written inline with a slash in the seed; as a fraction in the notes.
    (r"\color{red}{\partial \mathcal{L}} / \color{gray}{\partial z_2^{[1]}}",
     [r"\frac{\partial \mathcal{L}}{\partial z_2^{[1]}}"]),
    (r"\frac{\color{gray}{\partial z_2^{[1]}}}{\color{magenta}{\partial b_2^{[1]}}} = 1", None),
    # The seed's slip: it writes w_2^{[1]} where it means the bias b_2^{[1]} (the sentence
    # before derives dz/db = 1); the corrected form, from the backprop section.
    (r"\frac{\partial \mathcal{L}}{\partial w_2^{[1]}} =\frac{\partial \mathcal{L}}"
     r"{\partial z_2^{[1]}}",
     [r"\frac{\partial \mathcal{L}}{\partial b_2^{[1]}} = \frac{\partial \mathcal{L}}"
      r"{\partial z_2^{[1]}}"]),
    # Computation graph: the seed's code cells, as the notes write them in LaTeX.
    (r"z = w1x1 + w2x2 + b", [r"z = w_{1} x_{1} + w_{2} x_{2} + b"]),
    (r"yhat = 1 / (1 + np.exp(-z))", [r"\hat{y} = \sigma(z)"]),
    (r"L = -y * np.log(yhat) - (1 - y) * np.log(1 - yhat)",
     [r"\mathcal{L} = - y \log(\hat{y}) - (1 - y) \log(1 - \hat{y})"]),
    (r"dL_dyhat = -y / yhat + (1 - y) / (1 - yhat)",
     [r"\frac{\partial \mathcal{L}}{\partial \hat{y}} = \frac{1 - y}{1 - \hat{y}} - "
      r"\frac{y}{\hat{y}}"]),
    (r"dyhat_dz = yhat * (1 - yhat)",
     [r"\frac{\partial \hat{y}}{\partial z} = \hat{y} (1 - \hat{y})"]),
    (r"dL_dz = dyhat_dz * dL_dyhat",
     [r"\frac{\partial \mathcal{L}}{\partial z} = \hat{y} (1 - \hat{y}) (\frac{1 - y}"
      r"{1 - \hat{y}} - \frac{y}{\hat{y}})"]),
    (r"dz_dw1x1 = 1", [r"\frac{\partial z}{\partial b} = 1"]),   # as the sum's every operand
    (r"dL_db = dz_db * dL_dz", [r"\frac{\partial \mathcal{L}}{\partial b} = \hat{y} - y"]),
    (r"dL_dw1 = dw1x1_dw1 * dL_dw1x1",
     [r"\frac{\partial \mathcal{L}}{\partial w_{1}} = x_{1} (\hat{y} - y)"]),
    (r"dL_dw2 = dw2x2_dw2 * dL_dw2x2",
     [r"\frac{\partial \mathcal{L}}{\partial w_{2}} = x_{2} (\hat{y} - y)"]),
]

# Every number the seed prints or computes at its point, as it prints them (by hand:
# w1 x1 = -4 * 1.5 = -6, w2 x2 = 3 * 2.5 = 7.5, z = -6 + 7.5 - 1 = 0.5, dL/dyhat = -1/0.6225,
# dyhat/dz = 0.6225 * 0.3775).
SEED_000_NUMBERS = ["1.5", "2.5", "-4", "3", "-1", "1", "-6", "7.5", "0.5", "0.6225", "0.4741",
                    "-1.6065", "0.2350", "-0.3775", "-0.5663", "-0.9439"]


@pytest.mark.parametrize("seed, expected", SEED_000, ids=[f"000-{i}" for i in range(len(SEED_000))])
def test_every_formula_of_seed_000_is_in_the_lesson(seed, expected, lesson_md):
    found = haystack(lesson_md)
    for formula in expected or [seed]:
        assert normal(formula) in found, formula


@pytest.mark.parametrize("number", SEED_000_NUMBERS)
def test_every_number_of_seed_000_is_in_the_lesson(number, lesson_md):
    assert printed(number, numbers(lesson_md)), number


# ------------------------------------------------------------------ seed 001
# The post's formulas and their corrected forms: its J is symprop's mean loss L, its Z the
# activations A where it multiplies them, and its "∇f" the local steps a matrix derivation
# writes as a transpose, a Hadamard product with the activation's derivative (H for ReLU's
# step) and the 1/m of the mean.
SEED_001 = [
    (r"\frac{\partial z}{\partial w} = X\nabla f ",
     [r"\frac{\partial \mathcal{L}}{\partial W_{1}} = \frac{\partial \mathcal{L}}"
      r"{\partial Z_{1}} X^{\top}"]),
    (r"\frac{\partial z}{\partial x} = W\nabla f ",
     [r"\frac{\partial \mathcal{L}}{\partial A_{1}} = W_{2}^{\top} \frac{\partial \mathcal{L}}"
      r"{\partial Z_{2}}"]),
    (r"J = \sum ylog(p)", [r"\mathcal{L} = - \frac{1}{m} \sum Y \odot \log(A_{2})"]),
    (r"\frac{\partial J}{\partial W_1} , \frac{\partial J}{\partial W_2}",
     [r"\frac{\partial \mathcal{L}}{\partial W_{1}} =",
      r"\frac{\partial \mathcal{L}}{\partial W_{2}} ="]),
    (r"\frac{\partial J}{\partial W_2}= \frac{\partial J}{\partial Z_2}.\frac{\partial Z_2}"
     r"{\partial W_2}",
     [r"\frac{\partial \mathcal{L}}{\partial W_{2}} = \frac{\partial \mathcal{L}}"
      r"{\partial Z_{2}} A_{1}^{\top}"]),
    (r"\frac{\partial J}{\partial W_2} = \frac{\partial J}{\partial Z_2}. \nabla f_2. Z_1",
     [r"\frac{\partial \mathcal{L}}{\partial W_{2}} = \frac{\partial \mathcal{L}}"
      r"{\partial Z_{2}} A_{1}^{\top}",
      r"\frac{\partial \mathcal{L}}{\partial Z_{2}} = \frac{1}{m} (A_{2} - Y)"]),
    (r"\frac{\partial J}{\partial W_2} = 1/m*(Z_2-y).Z_1",
     [r"\frac{\partial \mathcal{L}}{\partial W_{2}} = \frac{1}{m} (A_{2} - Y) A_{1}^{\top}"]),
    (r"\frac{\partial J}{\partial W_1} = \frac{\partial J}{\partial Z_2}.\frac{\partial Z_2}"
     r"{\partial Z_1}.\frac{\partial Z_1}{\partial W_1}",
     [r"\frac{\partial \mathcal{L}}{\partial W_{1}} = \frac{\partial \mathcal{L}}"
      r"{\partial Z_{1}} X^{\top}",
      r"\frac{\partial \mathcal{L}}{\partial Z_{1}} = \frac{\partial \mathcal{L}}"
      r"{\partial A_{1}} \odot H(Z_{1})",
      r"\frac{\partial \mathcal{L}}{\partial A_{1}} = W_{2}^{\top} \frac{\partial \mathcal{L}}"
      r"{\partial Z_{2}}"]),
    (r"\frac{\partial J}{\partial W_1} = \frac{\partial J}{\partial Z_2}.\frac{\partial Z_2}"
     r"{\partial Z_1}.\nabla f_1.X",
     [r"\frac{\partial \mathcal{L}}{\partial W_{1}} = \frac{\partial \mathcal{L}}"
      r"{\partial Z_{1}} X^{\top}",
      r"\frac{\partial \mathcal{L}}{\partial Z_{1}} = \frac{\partial \mathcal{L}}"
      r"{\partial A_{1}} \odot H(Z_{1})"]),
    (r"\frac{\partial Z_2}{\partial Z_1} = W_2\nabla f_2",
     [r"\frac{\partial \mathcal{L}}{\partial A_{1}} = W_{2}^{\top} \frac{\partial \mathcal{L}}"
      r"{\partial Z_{2}}",
      r"\frac{\partial \mathcal{L}}{\partial Z_{1}} = \frac{\partial \mathcal{L}}"
      r"{\partial A_{1}} \odot H(Z_{1})"]),
    (r"\frac{\partial J}{\partial W_1} = \frac{\partial J}{\partial Z_2}.\nabla f_2.W_2."
     r"\nabla f_1.X",
     [r"\frac{\partial \mathcal{L}}{\partial W_{1}} = \frac{1}{m} ((W_{2}^{\top} (A_{2} - Y))"
      r" \odot H(Z_{1})) X^{\top}"]),
    (r"\frac{\partial J}{\partial W_1} = 1/m*(Z_2-y).W_2.\nabla f_1.X",
     [r"\frac{\partial \mathcal{L}}{\partial W_{1}} = \frac{1}{m} ((W_{2}^{\top} (A_{2} - Y))"
      r" \odot H(Z_{1})) X^{\top}"]),
]


@pytest.mark.parametrize("seed, expected", SEED_001, ids=[f"001-{i}" for i in range(len(SEED_001))])
def test_every_formula_of_seed_001_is_in_its_notes_corrected(seed, expected, matrix_md):
    found = haystack(matrix_md)
    for formula in expected:
        assert normal(formula) in found, formula


def test_seed_001s_last_formula_holds_for_its_sigmoid_network(tmp_path_factory):
    # "For binary cross entropy with sigmoid activation, the derivative is
    # \frac{\partial J}{\partial W} = 1/m*(y_p-y).X": one sigmoid layer, in matrix form,
    # whose output A_1 is the post's y_p.
    spec = tmp_path_factory.mktemp("spec") / "sigmoid.toml"
    spec.write_text('[mlp]\nlayers = [2, 1]\nform = "matrix"\n')
    found = haystack(_notes_md(spec, tmp_path_factory))
    assert normal(r"\frac{\partial \mathcal{L}}{\partial W_{1}} = \frac{1}{m} (A_{1} - Y) "
                  r"X^{\top}") in found


def test_the_normalisation_drops_layout_not_mathematics():
    assert normal(r"\frac{\color{red}{\partial \mathcal{L}}}{\partial z} &= \left(a\right)") == \
        normal(r"\frac{\partial \mathcal{L}}{\partial z} = (a)")
    assert normal(r"\frac{\mathrm{d} f}{\mathrm{d} x}") == normal(r"\frac{d f}{d x}")
    assert normal("a - b") != normal("a + b")
    assert printed("-6", [-6.0]) and not printed("1", [1.4]) and printed("0.2350", [0.23500])
