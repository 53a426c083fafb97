"""The hostile harness itself: it must see a wrong status, a changed file and a leak."""
import pytest

from hostile.harness import Case, Runner, problems

SPEC = """[graph]
inputs = ["x", "y"]
params = ["w"]
loss = "L"
[graph.nodes]
L = "(w*x - y)**2"
"""


@pytest.fixture(scope="module")
def runner():
    with Runner() as server:
        yield server


def test_a_command_that_succeeds_is_not_a_refusal(runner):
    case = Case("good", ("derive", "spec.toml", "--wrt", "w"), {"spec.toml": SPEC})
    found = problems(case, runner.run(case))
    assert any("expected 2" in p for p in found), found


def test_an_unexpected_file_is_seen(runner):
    case = Case("writes", ("compile", "spec.toml", "-o", "grads.py"), {"spec.toml": SPEC},
                expect="bounded")
    found = problems(case, runner.run(case))
    assert any("grads.py" in p for p in found), found
    allowed = Case("writes", case.argv, case.files, expect="bounded", outputs=("grads.py",))
    assert problems(allowed, runner.run(allowed)) == []


def test_an_overwritten_file_is_seen(runner):
    case = Case("overwrites", ("compile", "spec.toml", "-o", "secret.txt"), {"spec.toml": SPEC},
                expect="bounded")
    assert any("secret.txt" in p for p in problems(case, runner.run(case)))


def test_a_leak_is_seen(runner):
    case = Case("leaks", ("derive", "spec.toml", "--wrt", "w"), {"spec.toml": SPEC},
                expect="bounded", forbidden=("y",))
    assert any("leaked into stdout" in p for p in problems(case, runner.run(case)))


def test_cpu_limits_scale_with_the_machines_speed():
    from hostile.harness import Outcome

    case = Case("slow", ("--version",), expect="bounded", cpu_s=1.0)
    assert problems(case, Outcome(0, 1.5, "", "", speed=2.0)) == []
    assert any("limit is 1.0 s x 1.00" in p for p in problems(case, Outcome(0, 1.5, "", "")))


def test_the_runner_measures_its_speed(runner):
    assert 1.0 <= runner.speed < 20
