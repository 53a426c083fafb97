r"""Remarks on a source's loss: the claim as symprop prints it, the verdict and why in words,
and the graph's loss; the raw claim reaches the document only as a verbatim span."""
from pathlib import Path

from symprop import mlp, notes
from symprop.front.cli import main
from symprop.front.spec import load_spec
from symprop.verify.loss_claims import LossClaim

EXAMPLES = Path(__file__).parents[2] / "examples"


def _remarks(text):
    return text[text.index("Remarks on the source"):]


def test_the_posts_loss_is_remarked_on_in_the_markdown_notes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["notes", str(EXAMPLES / "seed_001_matrix.toml"), "-o", "notes.md"]) == 0
    remarks = _remarks((tmp_path / "notes.md").read_text())
    assert "Backprop Implementation writes `J = \\sum ylog(p)` for the loss, that is" in remarks
    assert r"J &= \sum Y \odot \log(A_{2})" in remarks           # symprop's printing of it
    assert ("which is not the loss. The minus sign is missing: as written, J grows as the "
            "predictions improve, so gradient descent on it would make them worse; and it is "
            "a sum over the m examples where the loss is their mean: its gradients are m "
            "times larger, which only rescales the learning rate. The loss is") in remarks
    assert r"\mathcal{L} &= \frac{1}{m} \sum \operatorname{ce}(A_{2}, Y)" in remarks
    assert r"&= - \frac{1}{m} \sum Y \odot \log(A_{2})" in remarks
    # the gradient claims are remarked on after it, as before
    assert remarks.index("for the loss") < remarks.index("writes `1/m*(Z_2-y).Z_1`")


def test_the_posts_loss_remark_typesets(pdflatex, katex):
    spec = load_spec(EXAMPLES / "seed_001_matrix.toml")
    tex = notes(spec.graph, values=spec.values, claims=spec.claims)
    remarks = _remarks(tex)
    assert r"\texttt{J = \textbackslash{}sum ylog(p)}" in remarks
    assert r"J &= \sum Y \odot \log(A_{2})" in remarks
    katex.add_document(remarks, "loss remark")
    pdflatex(tex, "loss-remark")


def test_a_right_loss_is_said_right_and_a_triple_without_wrt_is_the_same_claim():
    spec = load_spec(EXAMPLES / "seed_001_matrix.toml")
    claim = r"J = -\frac{1}{m}\sum Y\log(P)"
    for given in (LossClaim(claim, "The corrected form"), (None, claim, "The corrected form")):
        remarks = _remarks(notes(spec.graph, format="markdown", numbers=False, claims=[given]))
        assert "The corrected form writes `J = -\\frac{1}{m}\\sum Y\\log(P)` for the loss" \
            in remarks
        assert r"J &= - \frac{1}{m} \sum Y \odot \log(A_{2})" in remarks
        assert "which is right: it is the loss the notes use." in remarks


def test_a_scalar_networks_loss_claim_is_judged_in_its_own_names():
    g = mlp([2, 2, 1], output="sigmoid", loss="bce")
    text = notes(g, format="markdown", numbers=False,
                 claims=[LossClaim(r"L = y\log(p) + (1-y)\log(1-p)", "A student")])
    remarks = _remarks(text)
    assert r"L &= y \log(a_{1}^{[2]}) + \left(1 - y\right) \log(1 - a_{1}^{[2]})" in remarks
    assert "which is not the loss. The minus sign is missing: as written, L grows" in remarks
    assert r"\mathcal{L} &= - y \log(a_{1}^{[2]}) - \left(1 - y\right) \log(1 - a_{1}^{[2]})" \
        in remarks


def test_a_loss_that_cannot_be_read_is_said_so_and_never_reaches_tex(pdflatex):
    g = mlp([1, 2, 1])
    hostile = r"J = \input{/etc/passwd} \write18{touch pwned}"
    tex = notes(g, numbers=False, claims=[LossClaim(hostile, "Someone")])
    remarks = _remarks(tex)
    assert "Someone writes" in remarks and "for the loss; symprop cannot read it" in remarks
    assert r"\input{/etc/passwd}" not in tex and r"\write18" not in tex
    pdflatex(tex, "hostile-loss")
