"""The KaTeX harness itself: present where it must be, and able to say no."""
import pytest
from conftest import IN_CI, katex_missing, render_with_katex


def _require_katex():
    missing = katex_missing()
    if missing:
        if IN_CI:
            pytest.fail(f"KaTeX must run in CI: {missing}")
        pytest.skip(missing)


def test_katex_is_available():
    _require_katex()
    assert render_with_katex([r"\frac{\partial \mathcal{L}}{\partial w_{1\to 1}^{[2]}}"]) == [None]


def test_katex_rejects_broken_latex():
    # The end-of-session check must be able to fail: KaTeX throws on these.
    _require_katex()
    errors = render_with_katex([r"\frac{a", r"a_{1}^{[2]}^{2}", r"\notacommand{x}"])
    assert all(errors), errors
