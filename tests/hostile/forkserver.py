"""The hostile runner's server: import symprop once, then fork one child per request.

Started by ``harness.Runner`` with an empty working folder; it reads one JSON
request per line (argv, cwd, logs folder, CPU and wall limits) and answers one
JSON line (status, CPU seconds, why it was killed).  The child does what
``python -m symprop`` does: the working folder is not on ``sys.path``.
"""
import json
import os
import resource
import signal
import sys
import time

sys.path[:] = [p for p in sys.path if p not in ("", ".", os.getcwd())]

import symprop.front.cli  # noqa: E402  (after the path is made safe)

# What a command may import later, imported once here so that each case's CPU
# time is the command's work, not the import of a library.
for optional in ("torch", "latex2sympy2", "graphviz"):
    try:
        __import__(optional)
    except ImportError:
        pass


def child(request) -> None:
    os.setpgid(0, 0)   # its own group, so that pdflatex or dot die with it when it is killed
    os.chdir(request["cwd"])
    for fd, name, mode in ((0, "stdin", os.O_RDONLY), (1, "stdout", os.O_WRONLY | os.O_CREAT),
                           (2, "stderr", os.O_WRONLY | os.O_CREAT)):
        os.dup2(os.open(os.path.join(request["logs"], name), mode, 0o600), fd)
    limit = int(request["cpu_s"] * 4) + 2   # a hard stop well past the case's own limit
    resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))
    memory = 6 * 1024 ** 3
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    sys.argv = ["symprop", *request["argv"]]
    status = 3
    try:
        status = symprop.front.cli.main(request["argv"])
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status if isinstance(status, int) else 3)


def serve() -> None:
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            child(request)
        deadline = time.monotonic() + request["wall_s"]
        killed = ""
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if not killed and time.monotonic() > deadline:
                os.killpg(pid, signal.SIGKILL)
                killed = f"ran past {request['wall_s']} s of wall clock"
            time.sleep(0.005)
        cpu = usage.ru_utime + usage.ru_stime
        answer = {"cpu_s": round(cpu, 3), "status": None, "killed": killed}
        if os.WIFEXITED(status):
            answer["status"] = os.WEXITSTATUS(status)
        elif not killed:
            answer["killed"] = f"signal {signal.Signals(os.WTERMSIG(status)).name}"
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    serve()
