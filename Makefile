# polybius: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
DEMO_DB ?= demo/polybius.duckdb
DEMO_SOURCES ?= src/polybius/data/examples/articles.jsonl
PORT ?= 8000

.PHONY: install dev demo test lint typecheck bench clean browser-deps

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: install

## demo: code the example articles into a DuckDB file, show what was coded, serve the dashboard
## (any source works: make demo DEMO_SOURCES=path/to/news.csv DEMO_DB=demo/news.duckdb)
demo: install
	mkdir -p $(dir $(DEMO_DB))
	$(VENV)/bin/polybius ingest $(DEMO_SOURCES) --db $(DEMO_DB)
	$(VENV)/bin/polybius events --db $(DEMO_DB) --limit 20
	$(VENV)/bin/polybius serve --db $(DEMO_DB) --port $(PORT)

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
