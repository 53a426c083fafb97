"""docs/ describes what the code does: every option, key and function, and examples that run.

Python blocks run in order, one namespace a page, in an empty folder; ``sh`` blocks run
the command in-process (``main(argv)``), each line on the bundled examples.
"""
import re
import shlex
from pathlib import Path

import pytest

from symprop.front.cli import build_parser, main
from symprop.registry.functions import ACTIVATIONS, CALLABLE, CONSTANTS, LOSSES, OUTPUTS
from symprop.front.spec import SPEC_KEYS, loads_spec

REPO = Path(__file__).parents[1]
DOCS = REPO / "docs"
SPEC_DOC = (DOCS / "spec-format.md").read_text()
CLI_DOC = (DOCS / "command-line.md").read_text()
PAGES = sorted(DOCS.glob("*.md"))
ALL_DOCS = "\n".join(page.read_text() for page in PAGES)


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


def _code(text, language):
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_subcommand_and_option_is_documented(name):
    assert f"## `{name}`" in CLI_DOC
    for action in _subcommands()[name]._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help"):
                assert option in CLI_DOC, f"{name} {option}"
        for choice in action.choices or ():
            assert str(choice) in CLI_DOC, f"{name} {action.dest} {choice}"


def test_every_spec_key_is_documented():
    for key in SPEC_KEYS[""]:
        assert f"[{key}]" in SPEC_DOC
    for table in ("graph", "mlp", "verify", "notes", "notes.claims"):
        for key in SPEC_KEYS[table]:
            assert f"`{key}`" in SPEC_DOC, f"[{table}] {key}"


def test_every_lesson_key_and_section_is_documented():
    from symprop.front.lesson_spec import LESSON_KEYS, PART_KEYS, SECTIONS

    assert "[lesson]" in SPEC_DOC and "[[lesson.part]]" in SPEC_DOC
    for key in (*LESSON_KEYS, *PART_KEYS, *SECTIONS):
        assert f"`{key}`" in SPEC_DOC, f"[lesson] {key}"


def test_every_function_and_constant_a_spec_may_use_is_documented():
    for name in [*CALLABLE, *CONSTANTS, *ACTIVATIONS, *OUTPUTS, *LOSSES]:
        assert re.search(rf"`{name}[`(]", SPEC_DOC), name


@pytest.mark.parametrize("index", range(len(_code(SPEC_DOC, "toml"))))
def test_every_spec_example_loads_and_derives(index):
    spec = loads_spec(_code(SPEC_DOC, "toml")[index], source=f"docs example {index}")
    first = spec.graph.param_symbols[0]
    assert spec.graph.derive(first).result is not None
    if spec.values:
        assert spec.graph.check(spec.values).ok


COMMANDS = [line for block in _code(CLI_DOC, "sh") for line in block.splitlines() if line]


@pytest.mark.parametrize("line", COMMANDS)
def test_every_command_line_example_runs(line, tmp_path, monkeypatch, capsys):
    argv = shlex.split(line)
    assert argv[0] == "symprop"
    argv = [str(REPO / a) if a.startswith("examples/") else a for a in argv[1:]]
    monkeypatch.chdir(tmp_path)
    status = main(argv)
    assert status == 0, capsys.readouterr().err


def test_the_index_links_every_page_and_the_readme_links_the_index():
    index = (DOCS / "README.md").read_text()
    for page in PAGES:
        if page.name != "README.md":
            assert f"]({page.name})" in index, page.name
    readme = (REPO / "README.md").read_text()
    for page in PAGES:
        assert f"](docs/{page.name})" in readme, page.name


PYTHON_PAGES = [page for page in PAGES if _code(page.read_text(), "python")]


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=lambda page: page.name)
def test_every_python_block_runs(page, tmp_path, monkeypatch, capsys):
    """A page's blocks are one session: later blocks use what earlier ones defined."""
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "docs"}
    for number, block in enumerate(_code(page.read_text(), "python"), start=1):
        code = compile(block, f"{page.name}, python block {number}", "exec")
        exec(code, namespace)  # noqa: S102 - our own documentation
    capsys.readouterr()


def test_the_api_page_names_every_public_object():
    import symprop

    api = (DOCS / "api.md").read_text()
    for name in symprop.__all__:
        assert re.search(rf"[`.]{name}\b", api), name
    for name in ("Derivation", "Path", "CompiledGradient", "CheckReport", "Verdict", "Picture"):
        assert f"## `{name}`" in api or f"a `{name}`" in api, name


INSIDER = re.compile(r"seed 00\d|\bseed\b(?!_)|\bseeds'|issue \d|DESIGN\.md", re.I)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_insider_words(page):
    """Users cannot follow "seed 001" or "issue 5": documents are named by their titles.
    (The module ``symprop.front.seeds`` and the files ``examples/seed_*`` keep their names.)"""
    text = re.sub(r"`[^`]*`", "", page.read_text())   # identifiers and file names
    assert not INSIDER.findall(text), page.name


SOURCES = sorted([*REPO.glob("symprop/**/*.py"), *REPO.glob("examples/*.py"),
                  *REPO.glob("benchmarks/*.py")])
SOURCE_INSIDER = re.compile(r"seed 00\d|the seeds?'s?|DESIGN\.md|issue \d", re.I)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(REPO)))
def test_no_insider_words_in_what_help_and_the_examples_print(path):
    """Docstrings are what ``help()`` shows, and examples and benchmarks print their comments'
    words: they name the source documents by title too (a ``seed`` argument is a random seed)."""
    assert not SOURCE_INSIDER.findall(path.read_text()), path
