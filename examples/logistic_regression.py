"""Logistic regression as a computation graph, derived, compiled and checked.

The notebook *03: Back Propagation* works this example by hand: x1 = 1.5, x2 = 2.5,
w1 = -4, w2 = 3, b = -1, y = 1 give yhat = 0.6225, L = 0.4741 and
dL/dw1 = -0.5663, dL/dw2 = -0.9439, dL/db = -0.3775.  This script makes symprop do
the same: the chain-rule paths, the simplified gradients, a compiled NumPy
gradient function, and a check against PyTorch autograd.

Run it with ``make demo`` or ``python examples/logistic_regression.py``.
"""
import sympy

from symprop import Graph, sigmoid


def build() -> Graph:
    g = Graph()
    x1, x2, y = g.inputs("x1 x2 y")
    w1, w2, b = g.params("w1 w2 b")
    z = g.node("z", w1 * x1 + w2 * x2 + b)
    yhat = g.node("yhat", sigmoid(z))
    g.loss("L", -y * sympy.log(yhat) - (1 - y) * sympy.log(1 - yhat))
    g.values = {"x1": 1.5, "x2": 2.5, "w1": -4.0, "w2": 3.0, "b": -1.0, "y": 1.0}
    return g


def main() -> int:
    g = build()
    print("1. The graph (forward pass):")
    for node in g.node_symbols:
        print(f"  {node} = {g.expr(node)}")

    print("\n2. The derivations (backward pass), one per parameter:")
    for param, d in g.gradients().items():
        print(d.text(), end="\n\n")
    print("dL/dw1 in LaTeX, for lecture notes:")
    print(g.derive("w1").latex())

    f = g.compile()
    print("\n3. The compiled gradient function (f.source):")
    print(f.source)
    loss, grads = f(**g.values)
    print(f"4. At the notebook's point {g.values}:")
    print(f"  L = {loss:.4f}")
    for name, value in grads.items():
        print(f"  dL_d{name} = {value:.4f}")

    report = g.check()
    print("\n5. Against PyTorch autograd (float64):")
    print(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
