"""The KaTeX harness itself: present where it must be, and able to say no."""
import pytest
from conftest import IN_CI, katex_missing, mathjax_missing, render_with_katex


def _require(renderer="KaTeX"):
    missing = katex_missing() if renderer == "KaTeX" else mathjax_missing()
    if missing:
        if IN_CI:
            pytest.fail(f"{renderer} must run in CI: {missing}")
        pytest.skip(missing)


def test_katex_is_available():
    _require()
    assert render_with_katex([r"\frac{\partial \mathcal{L}}{\partial w_{1\to 1}^{[2]}}"]) == [None]


def test_katex_rejects_broken_latex():
    # The end-of-session check must be able to fail: KaTeX throws on these.
    _require()
    errors = render_with_katex([r"\frac{a", r"a_{1}^{[2]}^{2}", r"\notacommand{x}"])
    assert all(errors), errors


def test_mathjax_renders_symprops_notation_and_rejects_broken_latex():
    # The end-of-session check renders every equation with MathJax 3 too; it must be able
    # to fail: an undefined macro is an error there, not red text.
    _require("MathJax")
    good = [r"\frac{\partial \mathcal{L}}{\partial w_{1\to 1}^{[2]}} = \color{red}{x}",
            r"\begin{aligned} a &= b \\ &\quad + \operatorname{ReLU}(z) \odot A^{\top} \end{aligned}"]
    assert render_with_katex(good, "mathjax.js") == [None, None]
    errors = render_with_katex([r"\frac{a", r"\notacommand{x}"], "mathjax.js")
    assert all(errors), errors
