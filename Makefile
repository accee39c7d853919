# Two commands on a fresh machine with Python 3.11+:
#   make serve   set up, initialise the embedded store (first run), serve at http://127.0.0.1:8000
#   make test    set up and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup serve init test benchmark benchmark-ingest clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

init: setup
	$(BIN)/mwg-kg init

serve: init
	$(BIN)/mwg-kg serve

test: setup
	$(BIN)/pytest

clean:
	rm -rf $(VENV) data/store

benchmark: setup
	$(BIN)/python benchmarks/bench_store.py

benchmark-ingest: setup
	$(BIN)/python benchmarks/bench_ingest.py
