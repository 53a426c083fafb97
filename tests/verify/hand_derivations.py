r"""A corpus of hand derivations, right and wrong, with the verdict and diagnosis expected.

Each case: ``(graph, wrt, claim, expected)``.  ``expected`` is ``True`` for a
right claim, or a phrase the diagnosis must contain for a wrong one (the kind of
mistake, worked out by hand when the case was written: which path is left out,
which local partial is missing, ...).  Graphs come from the shared corpus
(``tests/corpus.py``) and from the networks below.
"""
import sympy

from corpus import (neuron, chain_rule_case1, chain_rule_case2, logistic_regression, multiple_paths,
                    seed_network)
from symprop import Graph, mlp, sigmoid


def seed001_logistic():
    """Seed 001's closing remark: one input X, prediction y_p = sigmoid(W X + b), BCE."""
    g = Graph()
    X, y = g.inputs("X y")
    W, b = g.params("W b")
    z = g.node("z", W * X + b)
    yp = g.node("yp", sigmoid(z), latex="y_p")
    g.loss("L", -y * sympy.log(yp) - (1 - y) * sympy.log(1 - yp))
    return g


def mse_neuron():
    """One sigmoid neuron with squared error: the 2 of the square must survive."""
    return neuron(sigmoid, "mse")


def relu_network():
    """A 1-2-1 network with ReLU hidden units, identity output and squared error."""
    return mlp([1, 2, 1], activation="relu", output="identity", loss="mse")


def softmax_onehot():
    """Softmax output with cross-entropy over one-hot targets."""
    return mlp([2, 2, 3], activation="tanh", output="softmax", loss="ce", one_hot=True)


GRAPHS = {
    "logistic_regression": logistic_regression,
    "chain_rule_case1": chain_rule_case1,
    "chain_rule_case2": chain_rule_case2,
    "seed_network": seed_network,
    "multiple_paths": multiple_paths,
    "seed001_logistic": seed001_logistic,
    "mse_neuron": mse_neuron,
    "relu_network": relu_network,
    "softmax_onehot": softmax_onehot,
}

# The seed's Examples 1 and 2, as written in seeds/000 (colors, "1 ." products, x = a_1^{[0]}).
EXAMPLE_1 = r"""
\frac{\color{red}{\partial \mathcal{L}}}{\color{blue}{\partial b_1^{[2]}}} =
1 . \frac{\color{green}{\partial a_1^{[2]}}}{\partial z_1^{[2]}}
\frac{\color{red}{\partial \mathcal{L}}}{\color{green}{\partial a_1^{[2]}}} =
\frac{\color{red}{\partial \mathcal{L}}}{\partial z_1^{[2]}}
"""
EXAMPLE_2 = r"""
\frac{\color{red}{\partial \mathcal{L}}}{\color{magenta}{\partial w_2^{[1]}}} =
\frac{\color{gray}{\partial z_2^{[1]}}}{\color{magenta}{\partial w_2^{[1]}}}
\frac{\color{red}{\partial \mathcal{L}}}{\color{gray}{\partial z_2^{[1]}}}
=
a_1^{[0]}\frac{\color{red}{\partial \mathcal{L}}}{\color{gray}{\partial z_2^{[1]}}}
"""
EXAMPLE_2_FULL = r"""
\frac{\color{red}{\partial \mathcal{L}}}{\color{magenta}{\partial w_2^{[1]}}} =
\frac{\color{gray}{\partial z_2^{[1]}}}{\color{magenta}{\partial w_2^{[1]}}}
\frac{\color{orange}{\partial a_2^{[1]}}}{\color{gray}{\partial z_2^{[1]}}}
\frac{\partial z_1^{[2]}}{\color{orange}{\partial a_2^{[1]}}}
\frac{\color{green}{\partial a_1^{[2]}}}{\partial z_1^{[2]}}
\frac{\color{red}{\partial \mathcal{L}}}{\color{green}{\partial a_1^{[2]}}}
"""
CASE_1_CHAIN = r"""\frac{\mathrm{d} f}{\mathrm{d}x} = \frac{\mathrm{d} f}{\mathrm{d} g}
\frac{\mathrm{d} g}{\mathrm{d} x} = 2g(e^x + 1)"""
CASE_2_ALIGNED = r"""\begin{aligned}
\frac{\mathrm{d} f}{\mathrm{d}x} &= \frac{\partial f}{\partial g} \frac{\mathrm{d} g}{\mathrm{d} x}
  + \frac{\partial f}{\partial h} \frac{\mathrm{d} h}{\mathrm{d} x} \\
  &= 3h + 2x\left(g-\cos(h)\right) \\
  &= 3x^2 + 2x\left(3x + 1 -\cos(x^2)\right)
\end{aligned}"""

RIGHT = True

CASES = [
    # ---- seed 000: logistic regression (dL_dw1 = x1 (yhat - y), as in its backward pass)
    ("logistic_regression", "w1", r"x_1 (\hat{y} - y)", RIGHT),
    ("logistic_regression", "w1", r"x1*(yhat - y)", RIGHT),
    ("logistic_regression", "w1", r"x_1\hat{y} - x_1 y", RIGHT),
    ("logistic_regression", "w1", r"x_1 \left(\sigma(z) - y\right)", RIGHT),
    ("logistic_regression", "w1",
     r"x_1\left(\frac{1}{1+e^{-(w_1 x_1 + w_2 x_2 + b)}} - y\right)", RIGHT),
    ("logistic_regression", "w1",
     r"x_1 \cdot \hat{y}(1-\hat{y}) \cdot \left(-\frac{y}{\hat{y}} + \frac{1-y}{1-\hat{y}}\right)",
     RIGHT),
    ("logistic_regression", "w2", r"\frac{\partial \mathcal{L}}{\partial w_2} = "
     r"x_2 \frac{\partial \mathcal{L}}{\partial z} = x_2 (\hat{y} - y)", RIGHT),
    ("logistic_regression", "b", r"\hat{y} - y", RIGHT),
    ("logistic_regression", "w1", r"x_1 (y - \hat{y})", "sign error"),
    ("logistic_regression", "w1", r"2 x_1 (\hat{y} - y)", "a factor 2 too many"),
    ("logistic_regression", "w1", r"\frac{1}{m} x_1 (\hat{y} - y)", "extra factor 1/m"),
    ("logistic_regression", "w1", r"\hat{y} - y", "the factor dz/dw1 = x1 is missing"),
    ("logistic_regression", "w1", r"x_1 \hat{y}(1-\hat{y})(\hat{y} - y)",
     "extra factor dyhat/dz = yhat*(1 - yhat)"),
    ("logistic_regression", "w1", r"x_2 (\hat{y} - y)", "gradient with respect to w2, not w1"),
    # ---- seed 000: chain rule, case 1
    ("chain_rule_case1", "x", r"2(e^x + x)(e^x + 1)", RIGHT),
    ("chain_rule_case1", "x", r"2g(e^x + 1)", RIGHT),
    ("chain_rule_case1", "x", CASE_1_CHAIN, RIGHT),
    ("chain_rule_case1", "x", r"2e^{2x} + 2xe^x + 2e^x + 2x", RIGHT),
    ("chain_rule_case1", "x", r"(e^x + x)(e^x + 1)", "a factor 2 is missing"),
    ("chain_rule_case1", "x", r"2(e^x + x)", "the factor dg/dx = exp(x) + 1 is missing"),
    # ---- seed 000: chain rule, case 2 (two paths)
    ("chain_rule_case2", "x", r"3x^2 + 2x\left(3x + 1 -\cos(x^2)\right)", RIGHT),
    ("chain_rule_case2", "x", r"3h + 2x\left(g-\cos(h)\right)", RIGHT),
    ("chain_rule_case2", "x", r"9x^2 + 2x - 2x\cos(x^2)", RIGHT),
    ("chain_rule_case2", "x", CASE_2_ALIGNED, RIGHT),
    ("chain_rule_case2", "x", r"3h", "path x -> h -> f (its term 2*x*(g - cos(h))) is missing"),
    ("chain_rule_case2", "x", r"2x(g - \cos(h))", "path x -> g -> f (its term 3*h) is missing"),
    ("chain_rule_case2", "x", r"3h + 4x(g - \cos(h))", "path x -> h -> f (its term "
     "2*x*(g - cos(h))) is counted twice"),
    ("chain_rule_case2", "x", r"3h - 2x(g - \cos(h))", "added with the wrong sign"),
    ("chain_rule_case2", "x", r"\frac{df}{dx} = 3h + 2x(g - \cos(h)) = 3x^2",
     "line 2 (3x^2) does not equal line 1: the chain-rule path x -> h -> f"),
    # ---- seed 000: the 1-2-1 network, Examples 1 and 2
    ("seed_network", "b2_1", EXAMPLE_1, RIGHT),
    ("seed_network", "w1_1_2", EXAMPLE_2, RIGHT),
    ("seed_network", "w1_1_2", EXAMPLE_2_FULL, RIGHT),
    ("seed_network", "b2_1", r"a_1^{[2]} - y", RIGHT),
    ("seed_network", "b2_1", r"\sigma(z_1^{[2]}) - y", RIGHT),
    ("seed_network", "w1_1_2", r"x\, w_{2\to 1}^{[2]}\, a_2^{[1]}(1 - a_2^{[1]}) (\hat{y} - y)",
     RIGHT),
    ("seed_network", "w2_1_1", r"a_1^{[1]} (a_1^{[2]} - y)", RIGHT),
    ("seed_network", "w1_1_2", r"x w_2^{[2]} (a_1^{[2]} - y)",
     "the factor da1_2/dz1_2 = a1_2*(1 - a1_2) is missing"),
    ("seed_network", "w2_1_1", r"a_2^{[1]} (a_1^{[2]} - y)", "with respect to w2_2_1, not w2_1_1"),
    ("seed_network", "w1_1_2", r"\frac{\partial \mathcal{L}}{\partial w_2^{[1]}} = "
     r"\frac{\partial z_2^{[1]}}{\partial w_2^{[1]}}\frac{\partial \mathcal{L}}{\partial z_2^{[1]}}"
     r" = \frac{\partial \mathcal{L}}{\partial z_2^{[1]}}",
     "line 2 (\\frac{\\partial \\mathcal{L}}{\\partial z_2^{[1]}}) does not equal line 1: "
     "the factor dz1_2/dw1_1_2 = x is missing"),
    ("seed_network", "b2_1", r"y - a_1^{[2]}", "sign error"),
    # ---- seed 000: multiple paths (a node reached two ways, and a skip edge)
    ("multiple_paths", "w",
     r"2(\hat{y} - y)\hat{y}(1 - \hat{y})\left((v + u)(1 - h^2)x + 1\right)", RIGHT),
    ("multiple_paths", "w",
     r"2(\hat{y} - y)\hat{y}(1 - \hat{y})\left((v + u)(1 - \tanh(w x)^2)x + 1\right)", RIGHT),
    ("multiple_paths", "w", r"2(\hat{y} - y)\hat{y}(1 - \hat{y})(v + u)(1 - h^2)x",
     "path w -> q -> yhat -> L (its term 2*yhat*(1 - yhat)*(-y + yhat)) is missing"),
    ("multiple_paths", "w", r"(\hat{y} - y)\hat{y}(1 - \hat{y})\left((v + u)(1 - h^2)x + 1\right)",
     "a factor 2 is missing"),
    ("multiple_paths", "w",
     r"2(\hat{y} - y)\hat{y}(1 - \hat{y})\left((v + u)x + 1\right)",
     "no single sign"),  # dh/dw dropped on two paths of three: wrong, no single cause
    # ---- seed 001: sigmoid with binary cross-entropy, (y_p - y) X
    ("seed001_logistic", "W", r"(y_p - y) X", RIGHT),
    ("seed001_logistic", "W", r"(y_p-y).X", RIGHT),
    ("seed001_logistic", "W", r"1/m*(y_p-y).X", "extra factor 1/m"),
    ("seed001_logistic", "b", r"(y - y_p)", "sign error"),
    # ---- networks of our own
    ("mse_neuron", "w", r"2(a - y) a (1 - a) x", RIGHT),
    ("mse_neuron", "w", r"2(\sigma(w x + b) - y)\sigma(w x + b)(1 - \sigma(w x + b)) x", RIGHT),
    ("mse_neuron", "w", r"(a - y) a (1 - a) x", "a factor 2 is missing"),
    ("mse_neuron", "w", r"2(a - y) x", "the factor da/dz = a*(1 - a) is missing"),
    ("relu_network", "w1_1_1",
     r"2(a_1^{[2]} - y)\, w_1^{[2]}\, \mathrm{step}(z_1^{[1]})\, x", RIGHT),
    ("relu_network", "w2_1_1", r"2(a_1^{[2]} - y) \mathrm{ReLU}(z_1^{[1]})", RIGHT),
    ("relu_network", "w1_1_1", r"(a_1^{[2]} - y)\, w_1^{[2]}\, \mathrm{step}(z_1^{[1]})\, x",
     "a factor 2 is missing"),
    ("softmax_onehot", "b2_1", r"a_1^{[2]} - y_1", RIGHT),
    ("softmax_onehot", "b2_1", r"\hat{y}_1 - y_1", RIGHT),
    ("softmax_onehot", "w2_1_2", r"a_1^{[1]} (a_2^{[2]} - y_2)", RIGHT),
    ("softmax_onehot", "b2_1", r"y_1 - a_1^{[2]}", "sign error"),
]
