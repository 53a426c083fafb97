"""The hostile corpus: every case in ``tests/hostile/cases/`` through the real command.

Each case runs in a forked child of a clean process (``harness.py``), in an empty
working folder, and is judged on its exit status, its one line of error, its CPU
time, the files it touched and what it printed.  See ``harness.problems``.
"""
import importlib
import pkgutil

import pytest

from hostile import cases as case_modules
from hostile.harness import Runner, problems


def _all_cases():
    found = []
    for info in sorted(pkgutil.iter_modules(case_modules.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{case_modules.__name__}.{info.name}")
        found += [(info.name, case) for case in getattr(module, "CASES", [])]
    return found


CASES = _all_cases()


@pytest.fixture(scope="module")
def runner():
    with Runner() as server:
        yield server


def test_the_corpus_covers_every_channel():
    channels = {channel for channel, _ in CASES}
    assert len(CASES) >= 200, len(CASES)
    assert {"tex", "engine", "bombs", "claims", "files"} <= channels, channels


def test_case_ids_are_unique():
    ids = [f"{channel}-{case.id}" for channel, case in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("channel, case", CASES, ids=[f"{ch}-{c.id}" for ch, c in CASES])
def test_hostile_case(runner, channel, case):
    outcome = runner.run(case)
    assert not problems(case, outcome), "\n".join(problems(case, outcome))
