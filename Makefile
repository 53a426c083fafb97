# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --disable-pip-version-check --progress-bar off
# compat: a .pth to this folder, which setuptools installs without a warning
EDITABLE := --config-settings editable_mode=compat -e
DEMO_STAMP := $(VENV)/.installed-demo
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test install bench clean notes

$(BIN)/python:
	@echo "symprop: creating the virtual environment $(VENV)"
	$(PYTHON) -m venv $(VENV)

# The demo derives, compiles and checks against PyTorch: symprop and the CPU build of torch.
$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	@echo "symprop: installing symprop and PyTorch (CPU) for the demo"
	$(PIP) --quiet $(EDITABLE) '.[torch]'
	touch $(DEMO_STAMP)

# The tests need the rest too: jax, pytest, hypothesis.
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	@echo "symprop: installing symprop with everything the tests need (torch, jax, pytest)"
	$(PIP) --quiet $(EDITABLE) '.[test]'
	touch $(TEST_STAMP) $(DEMO_STAMP)

install: $(TEST_STAMP)

demo: $(DEMO_STAMP)
	@echo "symprop: running examples/logistic_regression.py"
	$(BIN)/python examples/logistic_regression.py

# KaTeX for the LaTeX tests, when npm is there (.ci/run installs Node and TeX Live).
KATEX := tests/katex/node_modules/katex

$(KATEX): tests/katex/package-lock.json
	@if command -v npm >/dev/null 2>&1; then (cd tests/katex && npm ci --no-audit --no-fund) && touch $(KATEX); \
	else echo "npm not found: the KaTeX tests will say so and skip (CI installs Node)"; fi

# One worker per core (pytest-xdist): the suite is CPU-bound.
test: $(TEST_STAMP) $(KATEX)
	$(BIN)/python -m pytest -q -n auto

# The seed's whole lesson as lecture notes: out/seed_lesson.pdf (and .tex, pictures).
notes: $(DEMO_STAMP)
	$(BIN)/python examples/seed_lesson.py out

bench: $(TEST_STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
