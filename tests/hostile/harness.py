"""Run hostile cases through the real command, each in a fresh process, and judge them.

One runner process imports symprop once (``forkserver.py``), then forks a child
per case: the child starts in an empty working folder holding only the case's
files, runs ``symprop.front.cli.main`` exactly as ``python -m symprop`` would, and
exits with its status.  The parent reads the child's CPU time (its own and its
waited-for children's, pdflatex and dot included) from ``wait4``, and kills it
when it runs past its wall-clock limit.  Forking keeps ~250 cases affordable:
a fresh interpreter with sympy costs about a second each.

A case passes when

- ``refused``: exit 2, nothing on stdout, exactly one line on stderr
  (``symprop: error: ...``), within ``cpu_s`` of CPU;
- ``bounded``: exit 0 or 1 within ``cpu_s`` of CPU, no traceback;

(``cpu_s`` is in the reference machine's seconds: the runner measures how much
slower this machine is, ``forkserver.speed_factor``, and scales every limit);

and in both, the working folder holds exactly what it held before, apart from
the files the case names in ``outputs``, and no ``forbidden`` text appears in
stdout, stderr or any file the command wrote (PDFs are read with pdftotext).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

RUNNER = Path(__file__).with_name("forkserver.py")
MAX_LINE = 1_100       # characters in the one line of a refusal: readable, whatever it quotes
SECRET = "s3cr3t-c0ntent-7f1e"   # planted in secret.txt of every working folder: must never leak


@dataclass
class Case:
    """One hostile input: the files of an empty working folder, and the command to run there."""

    id: str
    argv: tuple[str, ...]
    files: dict = field(default_factory=dict)
    expect: str = "refused"            # or "bounded"
    outputs: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    cpu_s: float = 2.0
    stdin: bytes = b""


@dataclass
class Outcome:
    status: int | None          # exit status; None when killed
    cpu_s: float
    stdout: str
    stderr: str
    killed: str = ""            # why the runner killed it (wall clock, CPU limit, signal)
    changed: tuple = ()         # working-folder paths created, changed or removed unexpectedly
    leaked: tuple = ()          # (where, text) pairs: forbidden text found in an output
    speed: float = 1.0          # the runner's machine against the reference (limits scale by it)


class Runner:
    """A long-lived fork server; ``run(case)`` judges one case.  Use as a context manager."""

    def __init__(self):
        self.home = Path(tempfile.mkdtemp(prefix="symprop-hostile-"))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.home),
               "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}
        self.process = subprocess.Popen([sys.executable, "-X", "utf8", str(RUNNER)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        cwd=self.home, env=env, text=True)
        ready = self.process.stdout.readline().split()
        if ready[:1] != ["ready"]:
            raise RuntimeError(f"the hostile runner did not start: {ready!r}")
        self.speed = float(ready[1])   # CPU limits scale by it (forkserver.speed_factor)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()
        shutil.rmtree(self.home, ignore_errors=True)

    def run(self, case: Case) -> Outcome:
        work = Path(tempfile.mkdtemp(prefix="work-", dir=self.home))
        logs = Path(tempfile.mkdtemp(prefix="logs-", dir=self.home))
        try:
            _write_files(work, {"secret.txt": SECRET + "\n", **case.files})
            before = _snapshot(work)
            (logs / "stdin").write_bytes(case.stdin)
            request = {"argv": list(case.argv), "cwd": str(work), "logs": str(logs),
                       "cpu_s": case.cpu_s * self.speed, "wall_s": 10 * case.cpu_s * self.speed + 10}
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            answer = json.loads(self.process.stdout.readline())
            after = _snapshot(work)
            changed = tuple(sorted(p for p in set(before) | set(after)
                                   if before.get(p) != after.get(p) and p not in case.outputs))
            stdout = (logs / "stdout").read_text("utf-8", "replace")
            stderr = (logs / "stderr").read_text("utf-8", "replace")
            texts = {"stdout": stdout, "stderr": stderr}
            texts.update({p: _text_of(work / p) for p in case.outputs if (work / p).is_file()})
            forbidden = (SECRET, *case.forbidden)
            leaked = tuple((where, f) for where, t in texts.items() for f in forbidden if f in t)
            return Outcome(answer["status"], answer["cpu_s"], stdout, stderr,
                           answer.get("killed", ""), changed, leaked, self.speed)
        finally:
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(logs, ignore_errors=True)


def problems(case: Case, outcome: Outcome) -> list[str]:
    """What is wrong with ``outcome`` for ``case``; empty when it passes."""
    found = []
    if outcome.killed:
        found.append(f"killed: {outcome.killed}")
    if outcome.cpu_s > case.cpu_s * outcome.speed:
        found.append(f"took {outcome.cpu_s:.2f} s of CPU; the limit is {case.cpu_s} s "
                     f"x {outcome.speed:.2f} (this machine's speed against the reference)")
    lines = outcome.stderr.splitlines()
    if case.expect == "refused":
        if outcome.status != 2:
            found.append(f"exit {outcome.status}, expected 2 (refused)")
        if outcome.stdout:
            found.append("printed on stdout while refusing")
        if len(lines) != 1 or not lines[0].startswith("symprop") or ": error: " not in lines[0]:
            found.append(f"stderr is not one 'symprop: error:' line ({len(lines)} lines)")
        elif len(lines[0]) > MAX_LINE:
            found.append(f"the error line has {len(lines[0])} characters; at most {MAX_LINE}")
    elif case.expect == "bounded":
        if outcome.status not in (0, 1):
            found.append(f"exit {outcome.status}, expected 0 or 1")
        if "Traceback" in outcome.stderr:
            found.append("a traceback on stderr")
    else:
        found.append(f"unknown expectation {case.expect!r}")
    if outcome.changed:
        found.append(f"changed in the working folder: {', '.join(outcome.changed)}")
    for where, text in outcome.leaked:
        found.append(f"{text!r} leaked into {where}")
    if found:
        found.append(f"stderr: {outcome.stderr[-600:]!r}")
    return found


def _write_files(folder: Path, files: dict) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _snapshot(folder: Path) -> dict:
    """path -> (kind, size, mtime, content) for everything in the folder, links not followed."""
    state = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs + names:
            path = Path(root, name)
            rel = str(path.relative_to(folder))
            info = path.lstat()
            content = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
            state[rel] = (info.st_mode, info.st_size, info.st_mtime_ns, content)
    return state


def _text_of(path: Path) -> str:
    if path.suffix.lower() == ".pdf":
        run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, timeout=60)
        if run.returncode != 0:
            return f"<pdftotext failed: {run.stderr[-200:]!r}>"
        return run.stdout.decode("utf-8", "replace")
    return path.read_bytes().decode("utf-8", "replace")
