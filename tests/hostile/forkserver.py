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


def warm_up() -> None:
    """Import every symprop module, and build the claim grammar's prediction tables.

    latex2sympy2's ANTLR parser builds its prediction tables (DFA, shared by every
    parser) on first use: 0.1-0.2 s of a child's CPU for one claim, as much as the
    rest of a verify.  A process that reads many claims pays it once, and so does
    the server.  No input of any case is seen: sympy's cache is cleared after.
    """
    import importlib
    import pkgutil

    import symprop
    from sympy.core.cache import clear_cache

    for module in pkgutil.walk_packages(symprop.__path__, "symprop."):
        if not module.name.endswith("__main__"):   # __main__ would run the command
            importlib.import_module(module.name)
    # Claims read by the public call, on networks built here, each form's notation.
    scalar, matrix = symprop.mlp([2, 2, 1]), symprop.mlp([2, 3, 2], form="matrix")
    for graph, wrt, claim in (
            (scalar, "w1_1_1", r"\frac{\partial \mathcal{L}}{\partial w_{1\to 1}^{[1]}} = "
                               r"x_1 \sigma'(z_1^{[1]}) w_{1\to 1}^{[2]} (a_1^{[2]} - y)"),
            (scalar, "b2_1", r"\sum_{k=1}^{2} \delta_k \cdot e^{-z_1^{[2]}} \left(1 - y\right)^2"),
            # plain arithmetic takes symprop's own quick parser: these need latex2sympy2's
            (scalar, "b2_1", r"\ln\left(a_1^{[2]}\right) - \sqrt{y} \cdot \log(1 - a_1^{[2]})"),
            (matrix, "W1", r"\frac{1}{m} (W_2^{\top} (A_2 - Y) \odot \sigma'(Z_1)) X^{\top}")):
        try:
            graph.verify(wrt, claim)
        except symprop.errors.SympropError:   # a refusal warms the tables too
            pass
    clear_cache()


warm_up()


# The corpus's CPU limits were set on an Intel Xeon; this workload is calibrated
# so that an AMD EPYC of this workplace, which takes 0.20-0.33 s for it and up to
# 4.7 s for the corpus's heaviest 4 s case, gets a factor of about 1.4.  A slower
# machine, or one whose other core is busy (a 2-vCPU VM's cores are often one
# core's two hyperthreads), scales further.  The limits catch blow-ups, which
# grow far faster than any machine differs.
REFERENCE_S = 0.15


def speed_factor() -> float:
    """How much slower than the reference machine this one runs symprop-like work (at least 1)."""
    import sympy
    from sympy.core.cache import clear_cache

    def once():
        x = sympy.symbols("c0:5", cls=sympy.Dummy)   # Dummies: nothing a case uses is cached
        start = time.process_time()
        expanded = sympy.expand(sum(x) ** 4)
        sympy.latex([sympy.diff(expanded, v) for v in x])
        took = time.process_time() - start
        clear_cache()
        return took

    return max(1.0, min(once() for _ in range(3)) / REFERENCE_S)


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
    print(f"ready {speed_factor():.3f}", flush=True)
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
