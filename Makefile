# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean screenshots simulate

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# The demo: a local server with a year of demo data, a customer simulator, the console logged in.
run: $(STAMP)
	$(PY) -m consoleapp --demo

# The pictures in the README: every screen rendered with the demo data.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m consoleapp.ui.screenshots docs/screenshots

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(PY) -m ruff check consoleapp tests bench
	$(PY) -m mypy

# The deterministic simulation: one seed drives customers, experts' desktops, faults and time.
SEED ?= 1
STEPS ?= 2000
simulate: $(STAMP)
	$(PY) -m tests.simulation --seed $(SEED) --steps $(STEPS)

bench: $(STAMP)
	$(PY) bench/engine.py

clean:
	rm -rf $(VENV) build *.egg-info
