"""The README's Python blocks run as written, and say what they print."""
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def run(block: str) -> dict:
    namespace: dict = {}
    exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - our own README
    return namespace


def test_readme_has_the_scalar_and_matrix_examples():
    assert len(BLOCKS) == 2


def test_scalar_example_gives_what_its_comments_say():
    ns = run(BLOCKS[0])
    assert str(ns["d"].result) == "x1*(-y + yhat)"
    assert ns["d"].evaluate(x1=1.5, x2=2.5, w1=-4, w2=3, b=-1, y=1) == pytest.approx(-0.5663, abs=1e-4)
    assert sorted(ns["grads"]) == ["b", "w1", "w2"]
    assert ns["g"].check().ok


def test_matrix_example_gives_what_its_comments_say():
    ns = run(BLOCKS[1])
    assert ns["grads"]["W1"].shape == (256, 784)
    assert ns["g"].derive("W3").latex().endswith(r"= \frac{1}{m} \left(A_{3} - Y\right) A_{2}^{\top}")
    assert ns["g"].check().ok
    assert ns["v"].equivalent is False
    assert ns["v"].diagnosis.startswith("the 1/m of the batch mean is missing: ")
