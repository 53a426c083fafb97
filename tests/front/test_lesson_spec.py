"""Lesson files ([lesson], front/lesson_spec.py): what they read, every key's one-line error,
the spec files they may name, and the untrusted prose, through the real command."""
import json
import os
import re
from pathlib import Path

import pytest

from symprop import SympropError
from symprop.front.cli import main
from symprop.front.lesson_spec import SECTIONS, load_lesson, loads_lesson
from symprop.front.spec import load_spec
from symprop.latex import lesson_document
from symprop.latex.lesson_document import lesson_notes

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

HEAD = '[lesson]\ntitle = "T"\n[[lesson.part]]\n'
INLINE = '[lesson.part.graph]\nparams = ["x"]\nloss = "f"\nnodes = { g = "exp(x) + x", f = "g**2" }\n'


def _read(part: str, folder=EXAMPLES):
    return loads_lesson(HEAD + part, source="l.toml", folder=folder)


def test_the_seed_lesson_reads_its_parts_in_order():
    lesson = load_lesson(EXAMPLES / "seed_lesson.toml")
    assert lesson.title == "Back Propagation"
    headings = [p.heading for p in lesson.parts]
    assert headings.index("The chain rule") < headings.index("Back propagation") \
        < headings.index("Multiple paths") < headings.index("Computation graphs")
    network = [p.graph for p in lesson.parts if p.spec.source.endswith("seed_network.toml")]
    assert len(network) >= 4 and all(g is network[0] for g in network)   # one graph, shared


def test_the_sections_read_are_the_sections_composed():
    assert set(SECTIONS) == set(lesson_document.SECTIONS)


@pytest.mark.parametrize("part, message", [
    ('sections = ["forward"]\n', "[[lesson.part]] 1: expected exactly one of spec (a file), "
                                 "graph or mlp (inline), found none"),
    ('spec = "chain_rule_case1.toml"\n' + INLINE, "found spec and graph"),
    ('spec = "chain_rule_case1.toml"\nheadline = "x"\n', "unknown key(s) 'headline'"),
    ('spec = "chain_rule_case1.toml"\nheading = 3\n', "[[lesson.part]] 1 heading: expected a string"),
    ('spec = "chain_rule_case1.toml"\nlevel = 3\n', "[[lesson.part]] 1 level: expected 1"),
    ('spec = "chain_rule_case1.toml"\nprose = [1]\n', "[[lesson.part]] 1 prose: expected a list"),
    ('spec = "chain_rule_case1.toml"\nsections = ["intro"]\n',
     "[[lesson.part]] 1 sections: unknown section(s) 'intro'; choose from forward"),
    ('spec = "chain_rule_case1.toml"\nsections = []\n', "[[lesson.part]] 1 sections: none"),
    ('spec = "chain_rule_case1.toml"\nparams = ["w"]\n', "[[lesson.part]] 1 params:"),
    ('spec = "chain_rule_case1.toml"\nsections = ["derivation"]\n',
     "the derivation section needs the parameter(s)"),
    ('spec = "chain_rule_case1.toml"\nsteps = ["tidy"]\n',
     "[[lesson.part]] 1 steps: unknown step(s) 'tidy'"),
    ('spec = "chain_rule_case1.toml"\ncolors = { f = "ultraviolet" }\n',
     "[[lesson.part]] 1 colors f: unknown colour 'ultraviolet'"),
    ('spec = "chain_rule_case1.toml"\ncolors = { q = "red" }\n',
     "[[lesson.part]] 1 colors q: 'q' is not a name of the part's graph"),
    ('spec = "chain_rule_case1.toml"\nnames = { x = "\\\\input{x}" }\n',
     "[[lesson.part]] 1 names x:"),
    ('spec = "chain_rule_case1.toml"\nupdate = "yes"\n',
     "[[lesson.part]] 1 update: expected true or false, got a string"),
    ('spec = "chain_rule_case1.toml"\nclosed_form = 1\n', "[[lesson.part]] 1 closed_form:"),
    ('spec = "chain_rule_case1.toml"\nunderbrace = []\n', "[[lesson.part]] 1 underbrace:"),
    ('spec = "chain_rule_case1.toml"\nvalues = { x = 1 }\n',
     "[[lesson.part]] 1 values: a part naming a spec file takes its values from that file"),
    ('spec = "no_such_file.toml"\n', "'no_such_file.toml': no such file beside the lesson"),
    ('[lesson.part.graph]\nparams = "x"\n', "[[lesson.part]] 1: [graph] params: expected a list"),
])
def test_every_key_has_a_one_line_error_naming_the_part_and_the_key(part, message):
    with pytest.raises(SympropError) as error:
        _read(part)
    assert message in str(error.value) and "\n" not in str(error.value)
    assert str(error.value).startswith("l.toml: ")


@pytest.mark.parametrize("name", ["../examples/seed_network.toml", "/etc/passwd.toml",
                                  "sub/seed_network.toml", ".hidden.toml", "seed_network.txt",
                                  "a\\b.toml"])
def test_a_spec_is_a_plain_name_beside_the_lesson(name):
    with pytest.raises(SympropError, match="is not a plain file name beside the lesson file"):
        _read(f"spec = {json.dumps(name)}\n")


def test_a_link_out_of_the_lessons_folder_is_refused(tmp_path):
    (tmp_path / "inside.toml").symlink_to(EXAMPLES / "chain_rule_case1.toml")
    with pytest.raises(SympropError, match="leads out of the lesson's folder"):
        _read('spec = "inside.toml"\n', folder=tmp_path)


def test_a_lesson_holds_lesson_only_and_the_other_commands_refuse_it(tmp_path, capsys):
    with pytest.raises(SympropError, match=r"a lesson file holds \[lesson\] only, found \[graph\]"):
        loads_lesson(HEAD + 'spec = "x.toml"\n[graph]\nparams = ["x"]\n')
    lesson = tmp_path / "lesson.toml"
    lesson.write_text(HEAD + 'sections = ["forward"]\n' + INLINE)
    with pytest.raises(SympropError, match=r"a lesson file \(\[lesson\]\) is read by symprop notes"):
        load_spec(lesson)
    assert main(["derive", str(lesson), "--wrt", "x"]) == 2
    assert main(["notes", str(lesson), "-o", str(tmp_path / "n.md"), "--wrt", "x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "--wrt: options for the notes of one graph" in err[1]


def test_the_prose_is_plain_text_in_every_format(tmp_path):
    hostile = r"\input{/etc/passwd} $x$ <script>alert(1)</script> **bold** # 100%"
    lesson = loads_lesson(HEAD + f"prose = {json.dumps(hostile)}\n" + 'sections = ["forward"]\n'
                          + INLINE)
    tex = lesson_notes(lesson, format="latex")
    assert r"\textbackslash{}input\{/etc/passwd\} \$x\$" in tex and r"100\%" in tex
    page = lesson_notes(lesson, format="html")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    markdown = lesson_notes(lesson, format="markdown")
    assert r"\*\*bold\*\*" in markdown and r"\$x\$" in markdown


def test_a_lessons_notebook_has_each_parts_cells(tmp_path):
    out = tmp_path / "lesson.ipynb"
    assert main(["notes", str(EXAMPLES / "seed_lesson.toml"), "-o", str(out)]) == 0
    cells = json.loads(out.read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert ".backward()" in code and "x1 = 1.5" in code
    assert "## The chain rule" in markdown and "## Computation graphs" in markdown


def test_no_numbers_leaves_out_the_numbers_and_the_code(tmp_path):
    lesson = load_lesson(EXAMPLES / "seed_lesson.toml")
    with_numbers = lesson_notes(lesson, format="markdown")
    without = lesson_notes(lesson, format="markdown", numbers=False)
    assert "-0.5663" in with_numbers and "```python" in with_numbers
    assert "-0.5663" not in without and "```python" not in without


DOC_LESSONS = re.findall(r"```toml lesson\n(.*?)```", (REPO / "docs" / "spec-format.md").read_text(),
                         flags=re.S)


@pytest.mark.parametrize("index", range(len(DOC_LESSONS)))
def test_every_lesson_example_in_the_docs_reads_and_writes(index):
    lesson = loads_lesson(DOC_LESSONS[index], source="docs", folder=EXAMPLES)
    text = lesson_notes(lesson, format="markdown")
    assert all(part.heading in text for part in lesson.parts)


def test_the_docs_have_a_lesson_example():
    assert DOC_LESSONS


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks")
def test_a_link_inside_the_folder_is_allowed(tmp_path):
    (tmp_path / "real.toml").write_text((EXAMPLES / "chain_rule_case1.toml").read_text())
    (tmp_path / "alias.toml").symlink_to(tmp_path / "real.toml")
    lesson = _read('spec = "alias.toml"\nsections = ["forward"]\n', folder=tmp_path)
    assert lesson.parts[0].graph.loss_symbol.name == "f"


def test_notes_read_a_spec_arriving_through_a_fifo_once(tmp_path):
    import threading

    from symprop.front.lesson_spec import load_notes_source

    fifo = tmp_path / "spec.toml"
    os.mkfifo(fifo)
    text = (Path(__file__).parents[2] / "examples" / "logistic_regression.toml").read_text()

    def write():
        with open(fifo, "w") as out:
            out.write(text)

    writer = threading.Thread(target=write)
    writer.start()
    spec = load_notes_source(fifo)   # a second read of the pipe would find it empty
    writer.join()
    assert str(spec.graph.derive("w1").result) == "x1*(-y + yhat)"

