"""docs/ describes what the code does: every option, key and function, and examples that run."""
import re
import shlex
from pathlib import Path

import pytest

from symprop.front.cli import build_parser, main
from symprop.registry.functions import ACTIVATIONS, CALLABLE, CONSTANTS, LOSSES, OUTPUTS
from symprop.front.spec import _GRAPH_KEYS, _MLP_KEYS, _TOP_KEYS, loads_spec

REPO = Path(__file__).parents[1]
DOCS = REPO / "docs"
SPEC_DOC = (DOCS / "spec-format.md").read_text()
CLI_DOC = (DOCS / "command-line.md").read_text()


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
    for key in _TOP_KEYS:
        assert f"[{key}]" in SPEC_DOC
    for key in _GRAPH_KEYS | _MLP_KEYS:
        assert f"`{key}`" in SPEC_DOC, key


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
