# The one place commands live. `make run` and `make test` work on a fresh
# clone with only Python 3.11 and make.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-fast lint format bench serve-prod loadtest clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（找不到 $(PYTHON)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/gonghui setup
	$(BIN)/gonghui runserver --noreload $(HOST):$(PORT)

test: $(DEVSTAMP)
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test-fast: $(DEVSTAMP)
	$(BIN)/pytest -n 2 --dist loadgroup -m "not browser" $(PYTEST_ARGS)

lint: $(DEVSTAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEVSTAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(DEVSTAMP)
	$(BIN)/python -m bench.run

# The production stack of docs/deployment.md on 127.0.0.1 (PostgreSQL, gunicorn,
# nginx; Debian packages installed when missing). Ctrl-C stops it.
serve-prod: $(STAMP)
	$(BIN)/python deploy/serve_prod.py

# 100 portal and 10 staff users against that stack (started if not running) for
# LOADTEST_SECONDS (180); figures into bench/results.json.
loadtest: $(STAMP)
	$(BIN)/python bench/loadtest.py

clean:
	rm -rf $(VENV) build *.egg-info
