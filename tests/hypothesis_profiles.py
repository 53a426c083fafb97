"""The hypothesis profiles of the suite: "ci" by default, "thorough" one variable away.

``make test`` runs the "ci" profile: derandomized (the same examples on every run and
every machine, so a failure reproduces), no deadline (a shared 2-core machine makes
timings meaningless), and each property test at the example count its module chose
for the time it has.  ``make test-thorough`` (``HYPOTHESIS_PROFILE=thorough``) draws
random examples, ten times as many, for a search before a release or after a change to
the engine.  ``tests/conftest.py`` imports this module, so the profile is loaded before
any test module builds its settings.

A property test asks for its count through :func:`examples`:

>>> from hypothesis import settings
>>> budget = settings(max_examples=examples(40))
>>> budget.max_examples == (40 if PROFILE == "ci" else 400)
True
"""
import os

from hypothesis import HealthCheck, settings

THOROUGH_FACTOR = 10

settings.register_profile("ci", deadline=None, derandomize=True, max_examples=25,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", deadline=None, derandomize=False,
                          max_examples=25 * THOROUGH_FACTOR,
                          suppress_health_check=[HealthCheck.too_slow])

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "thorough"):
    raise SystemExit(f"HYPOTHESIS_PROFILE={PROFILE!r}: the profiles are 'ci' and 'thorough'")
settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """How many examples a property test draws: ``ci`` in the "ci" profile, ten times as
    many in "thorough".

    >>> examples(12) in (12, 120)
    True
    """
    return ci * THOROUGH_FACTOR if PROFILE == "thorough" else ci


def pairings(first, second):
    """Which pairs of ``first`` and ``second`` a test runs over: all of them in "thorough"; in
    "ci", each item of the longer list once, the other list taken in turn, so that every
    item of each list is met.

    >>> len(pairings("abc", "xy")) == (6 if PROFILE == "thorough" else 3)
    True
    """
    first, second = list(first), list(second)
    if PROFILE == "thorough":
        return [(a, b) for a in first for b in second]
    turns = max(len(first), len(second))
    return [(first[i % len(first)], second[i % len(second)]) for i in range(turns)]
