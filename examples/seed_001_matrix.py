"""*Backprop Implementation* ("Backprop Implementation") in matrix form: ReLU hidden layer, softmax output,
cross-entropy, a batch of m examples as columns.

The seed derives dJ/dW2 = 1/m (P - Y) A1^T and dJ/dW1 = 1/m (W2^T (P - Y) * relu'(Z1)) X^T
by hand.  symprop derives both, prints them in the lesson's notation, compiles the
gradient for whole batches, checks it against PyTorch autograd, and checks hand
derivations written in the lesson's notation.

    python examples/seed_001_matrix.py
"""
import numpy as np

from symprop import mlp
from symprop.derive.matrix_text import matrix_text


def main() -> int:
    g = mlp([4, 5, 3], activation="relu", output="softmax", loss="ce", one_hot=True,
            form="matrix")
    g.set_latex("A2", "P")  # the seed calls the softmax output P
    for param in ("W2", "b2", "W1"):
        d = g.derive(param)
        print(f"dL/d{param} = {matrix_text(d.result)}")
        print(f"  LaTeX: {d.latex()}")

    f = g.compile()
    rng = np.random.default_rng(0)
    m = 8
    values = {"X": rng.standard_normal((4, m)), "Y": np.eye(3)[:, rng.integers(0, 3, m)],
              "W1": 0.5 * rng.standard_normal((5, 4)), "b1": np.zeros((5, 1)),
              "W2": 0.5 * rng.standard_normal((3, 5)), "b2": np.zeros((3, 1))}
    loss, grads = f(**values)
    print(f"\nOn a batch of {m}: L = {loss:.4f}, dL/dW2 has shape {grads['W2'].shape}")

    report = g.check()
    print("\nAgainst PyTorch autograd (float64):")
    print(report)

    print("\nHand derivations checked (*Backprop Implementation*'s formulas, then three classic slips):")
    claims = [("W2", r"\frac{1}{m}(P - Y) A_1^{\top}"),
              ("W1", r"\frac{1}{m}\left(W_2^{\top}(P - Y) \odot H(Z_1)\right) X^{\top}"),
              ("W2", r"\frac{1}{m}(P - Y) A_1"),
              ("W2", r"(P - Y) A_1^{\top}"),
              ("W1", r"\frac{1}{m} W_2^{\top}(P - Y) X^{\top}")]
    verdicts = [g.verify(wrt, claim) for wrt, claim in claims]
    for (wrt, claim), verdict in zip(claims, verdicts):
        said = "right" if verdict else f"wrong: {verdict.diagnosis}"
        print(f"  dL/d{wrt} = {claim}\n    {said}")
    expected = [True, True, False, False, False]
    return 0 if report.ok and [bool(v) for v in verdicts] == expected else 1


if __name__ == "__main__":
    raise SystemExit(main())
