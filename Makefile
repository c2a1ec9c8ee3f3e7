# wsgen developer commands. Quick start: `make build`, then `make test`.
# Every target installs what it needs into .venv (PyPI, pinned by constraints.txt) and
# node_modules (npm, pinned by package-lock.json); nothing is assumed on the machine but
# Python 3.11 and Node 20.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
WSGEN  := $(BIN)/wsgen
PYTEST_ARGS ?=

.PHONY: build check test goldens lint types bench clean deps dev-deps

build: deps
	$(WSGEN) build idl/

check: deps
	$(WSGEN) check idl/

# The drift check runs first, against the committed generated/, before anything could
# regenerate it; then the whole suite.
test: dev-deps
	$(WSGEN) check idl/
	$(BIN)/python -m pytest $(PYTEST_ARGS)

goldens: dev-deps
	WSGEN_UPDATE_GOLDENS=1 $(BIN)/python -m pytest tests -m golden -q
	$(WSGEN) build idl/

lint: dev-deps
	$(BIN)/ruff check codegen runtime tests bench
	$(BIN)/ruff format --check codegen runtime tests bench

types: dev-deps
	$(BIN)/mypy codegen/wsgen runtime/wsgen_runtime

bench: dev-deps
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis build

deps: $(VENV)/.stamp-runtime

dev-deps: $(VENV)/.stamp-dev node_modules/.stamp

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=24"

$(VENV)/.stamp-runtime: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.stamp-dev: $(VENV)/.stamp-runtime
	$(PIP) install --quiet -c constraints.txt -e ".[dev]"
	touch $@

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@
