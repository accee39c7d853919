# Two commands on a fresh machine with Python 3.11+:
#   make serve   set up, initialise the embedded store (first run), serve at http://127.0.0.1:8000
#   make test    set up and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup serve init test browser benchmark benchmark-ingest benchmark-http clean

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

# The editor page is tested in a real browser: Debian's Chromium, installed here when it is missing
# and this user may install packages; otherwise that one test is skipped with its reason.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && export DEBIAN_FRONTEND=noninteractive && \
	  { apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; }; } || \
	  echo "note: Chromium is not installed; the browser test will be skipped"

test: setup browser
	$(BIN)/pytest

clean:
	rm -rf $(VENV) data/store

benchmark: setup
	$(BIN)/python benchmarks/bench_store.py

benchmark-ingest: setup
	$(BIN)/python benchmarks/bench_ingest.py

benchmark-http: setup
	$(BIN)/python benchmarks/bench_http.py
