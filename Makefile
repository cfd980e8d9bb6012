# polybius: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DEMO_DB ?= demo/polybius.duckdb
CORPUS ?= ../shared/data/corpus
PORT ?= 8000

.PHONY: install dev demo test lint typecheck bench clean browser-deps

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: install

## demo: code the example articles into a DuckDB file, print a summary, then serve the dashboard
demo: install
	$(PY) scripts/demo.py --db $(DEMO_DB) --corpus $(CORPUS) --port $(PORT)

## test: run the whole test suite (unit, CLI, API, store, dask, browser)
test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check src tests scripts benchmarks
	$(VENV)/bin/ruff format --check src tests scripts benchmarks
	$(VENV)/bin/mypy

bench: install
	$(PY) benchmarks/throughput.py

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
