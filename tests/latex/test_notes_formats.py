"""The notes in Markdown and HTML: the same content as the LaTeX notes, every equation KaTeX's."""
import html
import re
from pathlib import Path

import pytest
from conftest import KATEX_DIR, equations_of

import corpus
from symprop import SympropError, mlp, notes
from symprop.front.cli import main
from symprop.front.spec import load_spec

ROOT = Path(__file__).resolve().parents[2]
LOGISTIC = ROOT / "examples" / "logistic_regression.toml"
MATRIX = ROOT / "examples" / "seed_001_matrix.toml"
VENDORED = ROOT / "symprop" / "latex" / "katex"

DISPLAY = re.compile(r"^\$\$\n(.*?)\n\$\$$", re.MULTILINE | re.DOTALL)
INLINE = re.compile(r"(?<![\\$])\$(?!\$)((?:[^$\\]|\\.)+?)\$")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
HTML_MATH = re.compile(r'<(span|div) class="math( display)?">(.*?)</\1>', re.DOTALL)


def markdown_equations(text):
    """Every equation of a Markdown file, in order: $$ blocks and inline $...$."""
    text = FENCE.sub("", text)
    found = []
    for match in re.finditer(DISPLAY.pattern + "|" + INLINE.pattern, text,
                             re.MULTILINE | re.DOTALL):
        found.append(match.group(1) if match.group(1) is not None else match.group(2))
    return [" ".join(tex.split()) for tex in found]


def html_equations(page):
    return [" ".join(html.unescape(m.group(3)).split()) for m in HTML_MATH.finditer(page)]


def latex_equations(tex):
    """The LaTeX notes' equations as Markdown writes them (align* is aligned there)."""
    return [" ".join(t.replace("{align*}", "{aligned}").split()) for t in equations_of(tex)]


TIKZ = re.compile(r"\\begin\{figure\}.*?\\end\{figure\}", re.DOTALL)
SVG = re.compile(r'<figure class="figure">.*?</figure>', re.DOTALL)


def without_figure(text, pattern):
    """``text`` with its figure cut out, and the figure: Markdown has none."""
    figures = pattern.findall(text)
    return pattern.sub("", text), "".join(figures)


GRAPHS = {
    "logistic regression": lambda: (load_spec(LOGISTIC).graph, {}),
    "1-2-1 in colour": lambda: (mlp([1, 2, 1]), {"params": ["b2_1", "w1_1_2"], "colors": True,
                                                  "update": True}),
    "many paths": lambda: (corpus.CORPUS["relu_softmax_onehot"](),
                           {"params": ["w1_1_1", "b2_2"]}),
    "matrix form": lambda: (load_spec(MATRIX).graph, {}),
}


@pytest.fixture(scope="module", params=list(GRAPHS))
def three_formats(request):
    graph, options = GRAPHS[request.param]()
    return (request.param, notes(graph, **options), notes(graph, format="markdown", **options),
            notes(graph, format="html", **options))


def test_markdown_and_html_carry_every_equation_of_the_latex_notes(three_formats, katex):
    where, tex, markdown, page = three_formats
    tex, tex_figure = without_figure(tex, TIKZ)
    page, page_figure = without_figure(page, SVG)
    expected = latex_equations(tex)
    assert len(expected) > 5
    assert markdown_equations(markdown) == expected, where
    assert html_equations(page) == expected, where
    # The figure's labels and caption: the same in the PDF's TikZ and the page's SVG.
    labels = [t.removeprefix("\\displaystyle ") for t in latex_equations(tex_figure)]
    assert [t.removeprefix("\\displaystyle ")
                       for t in html_equations(page_figure)] == labels, where
    for equation in expected + labels:   # rendered at the end of the session, throwOnError
        katex.add(equation, f"{where} (.md and .html)", mathjax=True)


def test_markdown_has_the_headings_and_the_numbers_of_the_notebook(tmp_path):
    path = tmp_path / "notes.md"
    text = notes(load_spec(LOGISTIC).graph, path, title="Back Propagation")
    assert path.read_text() == text
    assert text.startswith("# Back Propagation\n\n## Forward pass\n")
    assert text.count("### With respect to") == 3
    assert "$$\n\\begin{aligned}\n" in text and "\\end{aligned}\n$$" in text
    # The notebook's cells, forward and back, in pipe tables: w1 x1, w2 x2, yhat and L,
    # then dL/dyhat, dyhat/dz, dL/dz and the gradients.
    for quantity, number in (("w_{1} x_{1}", "-6.0000"), ("w_{2} x_{2}", "7.5000"),
                             ("\\hat{y}", "0.6225"), ("\\mathcal{L}", "0.4741"),
                             ("\\partial \\mathcal{L} / \\partial \\hat{y}", "-1.6065"),
                             ("\\partial \\hat{y} / \\partial z", "0.2350"),
                             ("\\partial \\mathcal{L} / \\partial z", "-0.3775"),
                             ("\\partial \\mathcal{L} / \\partial w_{1}", "-0.5663"),
                             ("\\partial \\mathcal{L} / \\partial w_{2}", "-0.9439")):
        assert f"| ${quantity}$ | ${number}$ |" in text, quantity
    assert "| :--- | ---: |" in text
    assert "PyTorch autograd, run on the same point, gives the same gradients" in text


def test_words_cannot_become_markup(tmp_path):
    graph = load_spec(LOGISTIC).graph
    title = "<script>alert(1)</script> *bold* $x$ | # & a_b"
    markdown = notes(graph, format="markdown", title=title, params=["b"], numbers=False)
    first = markdown.splitlines()[0]
    assert first == r"# \<script\>alert(1)\</script\> \*bold\* \$x\$ \| # \& a\_b"
    page = notes(graph, format="html", title=title, params=["b"], numbers=False)
    assert "<script>alert(1)" not in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; *bold* $x$ | # &amp; a_b</title>" in page
    tex = notes(graph, title=title, params=["b"], numbers=False)
    # <, > and | as text: TeX's default font would set them as ¡, ¿ and an em dash
    assert (r"\title{\textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{} "
            r"*bold* \$x\$ \textbar{} \# \& a\_b}") in tex


def test_the_html_page_stands_alone(three_formats):
    _, _, _, page = three_formats
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    # KaTeX and its fonts are in the page: nothing is fetched, not even a font.
    assert "<link" not in page and not re.search(r"<script[^>]+src=", page)
    assert "url(fonts/" not in page
    fonts = page.count('src:url(data:font/woff2;base64,')
    assert fonts == len(list((VENDORED / "fonts").glob("*.woff2"))) == 20
    assert "katex.render(element.textContent" in page


def test_the_vendored_katex_is_the_npm_package_the_tests_render_with():
    npm = KATEX_DIR / "node_modules" / "katex"
    if not npm.is_dir():
        pytest.skip("the katex npm package is not installed (run `npm ci` in tests/katex)")
    for name in ("katex.min.js", "katex.min.css"):
        assert (VENDORED / name).read_bytes() == (npm / "dist" / name).read_bytes(), name
    assert (VENDORED / "LICENSE").read_text() == (npm / "LICENSE").read_text()
    for font in (VENDORED / "fonts").iterdir():
        assert font.read_bytes() == (npm / "dist" / "fonts" / font.name).read_bytes()


def test_the_command_writes_each_format_with_its_options(tmp_path, capsys):
    out = tmp_path / "lr.md"
    status = main(["notes", str(LOGISTIC), "-o", str(out), "--wrt", "w1", "--wrt", "b",
                   "--title", "Logistic regression", "--no-numbers"])
    assert status == 0, capsys.readouterr().err
    text = out.read_text()
    assert text.startswith("# Logistic regression\n")
    assert re.findall(r"^### With respect to \$(.*)\$$", text, re.MULTILINE) == ["w_{1}", "b"]
    assert "## Numbers" not in text
    status = main(["notes", str(LOGISTIC), "-o", str(tmp_path / "lr.html"), "--wrt", "w2"])
    assert status == 0
    page = (tmp_path / "lr.html").read_text()
    assert page.count("<h3>With respect to") == 1 and "<h2>Numbers</h2>" in page


def test_the_command_refuses_what_it_cannot_do_before_any_work(tmp_path, capsys):
    status = main(["notes", str(LOGISTIC), "-o", str(tmp_path / "lr.docx")])
    assert status == 2
    assert "must end in .tex, .pdf, .md, .html or .ipynb" in capsys.readouterr().err
    status = main(["notes", str(LOGISTIC), "-o", str(tmp_path / "lr.md"), "--wrt", "nope"])
    assert status == 2 and "nope" in capsys.readouterr().err
    assert not (tmp_path / "lr.md").exists()


def test_notes_in_python_choose_a_format_by_name_or_suffix(tmp_path):
    graph = load_spec(LOGISTIC).graph
    with pytest.raises(SympropError, match="unknown notes format 'docx'"):
        notes(graph, format="docx")
    with pytest.raises(SympropError, match="cannot write markdown notes to n.html"):
        notes(graph, tmp_path / "n.html", format="markdown")
    assert notes(graph, tmp_path / "n.MD", params=["b"]).startswith("# Back-propagation notes")


def test_steps_and_colors_are_shared_by_derive_and_notes(tmp_path, capsys, katex):
    arguments = ["--steps", "locals,chain", "--colors"]
    assert main(["derive", str(LOGISTIC), "--wrt", "w1", "--format", "markdown", *arguments]) == 0
    block = capsys.readouterr().out
    assert block.startswith("$$\n\\begin{aligned}\n") and block.endswith("\\end{aligned}\n$$\n")
    assert r"\frac{\partial z}{\partial w_{1}}" not in block   # coloured, node by node
    assert r"\color{" in block and "sigmoid with binary cross-entropy" not in block
    katex.add(block.strip().strip("$").strip(), "derive --format markdown", mathjax=True)
    out = tmp_path / "n.md"
    assert main(["notes", str(LOGISTIC), "-o", str(out), "--wrt", "w1", *arguments]) == 0
    text = out.read_text()
    gradient = text[text.index("### With respect to"):text.index("## Back propagation")]
    assert gradient.count(r"\color{") > 3 and "sigmoid with binary cross-entropy" not in gradient
    assert main(["derive", str(LOGISTIC), "--wrt", "w1", "--format", "latex",
                 "--steps", "chain,nope"]) == 2
    assert "unknown derivation step(s) 'nope'" in capsys.readouterr().err


def test_a_display_name_cannot_open_an_html_tag_in_markdown(tmp_path):
    spec = tmp_path / "lt.toml"
    spec.write_text('[graph]\ninputs = ["x"]\nparams = ["w"]\nloss = "L"\n[graph.nodes]\n'
                    'L = "(w*x)**2"\n[graph.latex]\nw = \'a<b\'\n')
    text = notes(load_spec(spec).graph, format="markdown")
    assert "<b" not in text and "### With respect to $a< b$" in text
