"""The symprop command run in this process, as the console script runs it: ``main(argv)``.

A test that asks what the command prints, writes or exits with gets it without the
second or two a new interpreter spends importing torch; what a new interpreter does
(start-up, the working folder, hash seeds) is tested with real ones
(tests/hostile/test_working_folder.py, tests/front/test_cli.py's determinism).
"""
import contextlib
import io
import os
import subprocess

from symprop.front.cli import main


def in_process(*args, cwd) -> subprocess.CompletedProcess:
    """``main(ARGS)`` run in ``cwd``: the status and the bytes it printed, as
    ``subprocess.run(..., capture_output=True)`` returns them."""
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main([str(a) for a in args])
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(args, status, out.getvalue().encode(),
                                       err.getvalue().encode())
