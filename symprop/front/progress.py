"""A progress line for long work, on a terminal only: nothing at all when piped.

The engine has no progress callbacks, so the command line reports stages
(``[2/3] simplifying adjoints``) with a spinner and the elapsed time, drawn by a
background thread on standard error.  When standard error is not a terminal
nothing is written, so scripts and logs see only the result.

>>> import io
>>> with Progress(total=2, stream=io.StringIO()) as progress:   # not a terminal: silent
...     progress.step("building edges")
...     progress.step("simplifying adjoints")
>>> progress.stream.getvalue()
''
"""
from __future__ import annotations

import sys
import threading
import time

SPINNER = "|/-\\"
DELAY_S = 0.5        # work shorter than this shows nothing: no flicker for small graphs
TICK_S = 0.1


class Progress:
    """Stages of one command, drawn as ``symprop: [i/n] label  |  3.2 s`` on a terminal."""

    def __init__(self, total: int = 1, stream=None, enabled: bool | None = None):
        self.total = total
        self.stream = sys.stderr if stream is None else stream
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.index = 0
        self.label = ""
        self._start = time.monotonic()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = None
        self._drawn = False

    def step(self, label: str) -> None:
        """Begin the next stage, named ``label``."""
        with self._lock:
            self.index = min(self.index + 1, self.total)
            self.label = label

    def __enter__(self):
        if self.enabled:
            self._thread = threading.Thread(target=self._run, name="symprop-progress",
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self._drawn:
            self.stream.write("\r\x1b[K")  # clear the line: the result follows cleanly
            self.stream.flush()
        return False

    def _run(self):
        tick = 0
        while not self._stop.wait(TICK_S):
            elapsed = time.monotonic() - self._start
            if elapsed < DELAY_S:
                continue
            with self._lock:
                line = (f"symprop: [{self.index}/{self.total}] {self.label} "
                        f"{SPINNER[tick % len(SPINNER)]} {elapsed:.1f} s")
            tick += 1
            try:
                self.stream.write("\r\x1b[K" + line)
                self.stream.flush()
            except (OSError, ValueError):  # the terminal went away: stop drawing
                return
            self._drawn = True
