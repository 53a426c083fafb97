"""Checking hand derivations: right or wrong, and why.

A student derives dL/dw for the lesson's 1-2-1 network (sigmoid everywhere, log
loss) by hand, in the lesson's notation.  symprop says which answers are right,
and for the wrong ones, what is wrong: a missing factor, a sign, a missing path.

    python examples/check_homework.py
"""
from symprop import mlp

ANSWERS = [
    ("b2_1", r"a_1^{[2]} - y"),
    ("w2_1_1", r"a_1^{[1]} \left(a_1^{[2]} - y\right)"),
    ("w2_1_1", r"a_1^{[1]} \left(y - a_1^{[2]}\right)"),
    ("w1_1_2", r"x \, a_2^{[1]} (1 - a_2^{[1]}) \, w_2^{[2]} (a_1^{[2]} - y)"),
    ("w1_1_2", r"x \, w_2^{[2]} (a_1^{[2]} - y)"),
    ("w1_1_2", r"\frac{\partial z_2^{[1]}}{\partial w_2^{[1]}} \frac{\partial \mathcal{L}}{\partial z_2^{[1]}}"
               r" = x \frac{\partial \mathcal{L}}{\partial z_2^{[1]}}"
               r" = x \, a_2^{[1]} (1 - a_2^{[1]}) \, w_2^{[2]} (a_1^{[2]} - y)"),
]


def main() -> int:
    g = mlp([1, 2, 1])
    for param, claim in ANSWERS:
        verdict = g.verify(param, claim)
        print(f"dL/d{param} = {claim}")
        print("  " + str(verdict).replace("\n", "\n  "))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
