# One task runner. `make run` and `make test` are the README's two commands.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint format bench init clean

$(VENV)/.installed-run: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

## run: install, create the embedded SQLite database with the bundled data, serve the app
## (Streamlit's ASGI App under uvicorn, serve.py: session cookie, security headers, open data)
run: $(VENV)/.installed-run
	$(PY) -m csa init
	$(PY) -m uvicorn serve:app --host 127.0.0.1 --port $(PORT)

init: $(VENV)/.installed-run
	$(PY) -m csa init

## test: install everything (pip, chromium, PostgreSQL) and run the whole test suite
test: $(VENV)/.installed-dev
	PYTHON=$(PY) bash scripts/test-all.sh

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed-dev
	$(PY) -m ruff format .

## bench: speed and memory ratios, written to bench/results/
bench: $(VENV)/.installed-dev
	$(PY) -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output
