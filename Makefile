# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Recipes run in bash: an install pipes pip through a filter, and pipefail keeps pip's status.
SHELL  := /bin/bash
# No version check, no progress bars, and no byte-compiling of every file installed
# (torch alone has 2,000 modules: a minute of CPU on 2 cores; Python compiles what it imports).
PIP    := PYTHONUNBUFFERED=1 $(BIN)/python -m pip install --disable-pip-version-check --progress-bar off --no-compile
# pip's default output, unbuffered (what it collects and installs) without its one line per package
# that is already there, which says nothing new when `make test` follows `make demo`, and without
# the machine's own notes that a local package mirror in its pip.conf lacks a package (a line a
# package, a few dozen in all, about the machine and not the install).
PIP_LOG := 2>&1 | { grep --line-buffered -v -e '^Requirement already satisfied' \
	-e "^WARNING: Location 'file://.*' is ignored: it is neither a file nor a directory" || true; }
# An editable install: pyproject.toml maps the root folder as the package directory, so
# setuptools writes one .pth line to this folder and prints no warning.
EDITABLE := -e
DEMO_STAMP := $(VENV)/.installed-demo
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test test-thorough install bench clean notes

$(BIN)/python:
	@echo "symprop: creating the virtual environment $(VENV)"
	@$(PYTHON) -m venv $(VENV)

# The demo derives, compiles and checks against PyTorch: symprop and the CPU build of torch.
$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	@echo "symprop: installing symprop (sympy, numpy, latex2sympy2, graphviz) and PyTorch's CPU build for the demo"
	@echo "symprop: PyTorch unpacks to about 700 MB, so the last step takes up to a minute"
	@set -o pipefail; $(PIP) $(EDITABLE) '.[torch]' $(PIP_LOG)
	@touch $(DEMO_STAMP)

# The tests need the rest too: jax, pytest, hypothesis.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	@echo "symprop: installing symprop with everything the tests need (torch, jax, pytest, hypothesis, nbformat)"
	@set -o pipefail; $(PIP) $(EDITABLE) '.[test]' $(PIP_LOG)
	@touch $(TEST_STAMP) $(DEMO_STAMP)

install: $(TEST_STAMP)

demo: $(DEMO_STAMP)
	@echo "symprop: running examples/logistic_regression.py"
	$(BIN)/python examples/logistic_regression.py

# KaTeX for the LaTeX tests, when npm is there (.ci/run installs Node and TeX Live).
KATEX := tests/katex/node_modules/katex

$(KATEX): tests/katex/package-lock.json
	@if command -v npm >/dev/null 2>&1; then (cd tests/katex && npm ci --no-audit --no-fund) && touch $(KATEX); \
	else echo "npm not found: the KaTeX tests will say so and skip (CI installs Node)"; fi

# One worker per core (pytest-xdist): the suite is CPU-bound.  Bytecode is written even where
# the environment sets PYTHONDONTWRITEBYTECODE: otherwise every worker, subprocess and notebook
# kernel compiles torch, jax and sympy, and pytest rewrites every test module, afresh.
TEST_ENV := PYTHONDONTWRITEBYTECODE=
test: $(TEST_STAMP) $(KATEX)
	$(TEST_ENV) $(BIN)/python -m pytest -q -n auto

# Ten times the property-test examples, drawn at random (tests/hypothesis_profiles.py): for a
# search before a release or after a change to the engine, not for every run.
test-thorough: $(TEST_STAMP) $(KATEX)
	$(TEST_ENV) HYPOTHESIS_PROFILE=thorough $(BIN)/python -m pytest -q -n auto

# The notebook *Back Propagation*'s whole lesson as lecture notes: out/seed_lesson.pdf (and .tex, pictures).
notes: $(DEMO_STAMP)
	$(BIN)/python examples/seed_lesson.py out

bench: $(TEST_STAMP)
	$(TEST_ENV) $(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
