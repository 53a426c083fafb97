r"""Remarks on a source's derivations: a spec's ``[notes] claims`` verified in the notes,
right or wrong and why, the raw claim never typeset as TeX (it is shown verbatim when it
cannot be read as an expression)."""
from pathlib import Path

import pytest

from symprop import mlp, notes
from symprop.errors import SympropError
from symprop.front.cli import main
from symprop.front.spec import MAX_NOTES_CLAIMS, load_spec, loads_spec

EXAMPLES = Path(__file__).parents[2] / "examples"
MATRIX = '[mlp]\nlayers = [4, 5, 3]\nactivation = "relu"\noutput = "softmax"\nloss = "ce"\n' \
         'one_hot = true\nform = "matrix"\n'


def test_the_posts_slip_is_remarked_on_in_the_notes(tmp_path, pdflatex):
    spec = load_spec(EXAMPLES / "seed_001_matrix.toml")
    assert [c[0] for c in spec.claims if isinstance(c, tuple)] == ["W2", "W2"]   # and its J
    tex = notes(spec.graph, values=spec.values, claims=spec.claims)
    remarks = tex[tex.index("Remarks on the source"):]
    # The post's 1/m (Z2 - y) Z1, shown verbatim (its shapes do not multiply), and why.
    assert r"\texttt{1/m*(Z\_2-y).Z\_1}" in remarks
    assert "Z\\_1 transposed would fit" in remarks
    assert r"\frac{1}{m} \left(A_{2} - Y\right) A_{1}^{\top}" in remarks
    assert "which is right: it is the gradient derived above" in remarks
    pdflatex(tex, "remarks")


def test_a_wrong_claim_that_reads_is_typeset_by_symprop_with_its_diagnosis():
    g = mlp([1, 2, 1])
    tex = notes(g, numbers=False, claims=[("b2_1", r"a_{1}^{[2]} + y", "A student")])
    remarks = tex[tex.index("Remarks on the source"):]
    assert "A student writes" in remarks and "which is not the gradient" in remarks
    assert r"a_{1}^{[2]} + y" in remarks and r"a_{1}^{[2]} - y" in remarks


def test_a_claim_that_cannot_be_read_is_said_so_and_never_reaches_tex(tmp_path, pdflatex):
    g = mlp([1, 2, 1])
    hostile = r"\input{/etc/passwd} \write18{touch pwned}"
    tex = notes(g, numbers=False, claims=[("w1_1_1", hostile, "Someone")])
    assert "symprop cannot read it" in tex
    assert r"\input{/etc/passwd}" not in tex and r"\write18" not in tex
    pdflatex(tex, "hostile")


def test_the_command_writes_the_remarks(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["notes", str(EXAMPLES / "seed_001_matrix.toml"), "-o", "notes.md"]) == 0
    text = (tmp_path / "notes.md").read_text()
    assert "## Remarks on the source's derivations" in text
    assert "Backprop Implementation writes `1/m*(Z_2-y).Z_1`" in text


@pytest.mark.parametrize("table, fragment", [
    ('[notes]\nclaims = "W2"\n', "[notes] claims: expected a list of tables"),
    ('[notes]\nclaims = [{ wrt = "W2" }]\n', "[notes] claims[1]: missing key 'claim'"),
    ('[notes]\nclaims = [{ wrt = "W2", claim = "x", by = "me" }]\n', "unknown key(s) 'by'"),
    ('[notes]\nclaims = [{ wrt = 2, claim = "x" }]\n', "claims[1] wrt: expected a string"),
    ('[notes]\nwho = 1\n', "[notes]: unknown key(s) 'who'"),
    ("[notes]\nclaims = [" + ", ".join(['{ wrt = "W2", claim = "x" }'] * (MAX_NOTES_CLAIMS + 1))
     + "]\n", f"at most {MAX_NOTES_CLAIMS}"),
])
def test_a_bad_notes_table_is_named(table, fragment):
    with pytest.raises(SympropError) as error:
        loads_spec(MATRIX + table, source="s.toml")
    assert fragment in str(error.value), str(error.value)
