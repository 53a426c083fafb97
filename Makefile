# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python examples/logistic_regression.py

# KaTeX for the LaTeX tests, when npm is there (.ci/run installs Node and TeX Live).
KATEX := tests/katex/node_modules/katex

$(KATEX): tests/katex/package-lock.json
	@if command -v npm >/dev/null 2>&1; then (cd tests/katex && npm ci --no-audit --no-fund) && touch $(KATEX); \
	else echo "npm not found: the KaTeX tests will say so and skip (CI installs Node)"; fi

test: $(STAMP) $(KATEX)
	$(BIN)/python -m pytest -q

# The seed's whole lesson as lecture notes: out/seed_lesson.pdf (and .tex, pictures).
.PHONY: notes
notes: $(STAMP)
	$(BIN)/python examples/seed_lesson.py out

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
