# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
BUILD_NEEDS := $(VENV)/.build-needs-stamp
ENGINE_BUILT := $(VENV)/.engine-built-stamp
ENGINE_STAMP := $(VENV)/.engine-stamp
ENGINE_SOURCES := $(wildcard consoleapp/engine/*.py)

.PHONY: run test test-ready test-time system-packages lint bench bench-interpreted engine-interpreted clean screenshots simulate simulate-batch translations

# The install goes with compiling the engine with mypyc (tools/compile_engine.py: one line and
# pure Python when it cannot), again whenever an engine source is newer than the build. What the
# build needs (mypy, setuptools and the libraries the engine imports: `compile_engine.py --needs`)
# is installed first, so that with two jobs (`make test`) the build runs while pip installs the
# rest: one after the other they took 37 s and 63 s, each on one core of two.
$(BUILD_NEEDS): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) tools/compile_engine.py --needs | $(PY) -m pip install --quiet -r /dev/stdin
	@touch $(BUILD_NEEDS)

$(STAMP): $(BUILD_NEEDS) pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

$(ENGINE_BUILT): $(BUILD_NEEDS) $(ENGINE_SOURCES)
	@$(PY) tools/compile_engine.py
	@touch $(ENGINE_BUILT)

# Once all is installed the build is checked again, in a moment when it is current: one that the
# install beside it spoiled (a library pip replaced under it) is made again here. Then the
# project's own bytecode: an editable install has none, and where PYTHONDONTWRITEBYTECODE is set
# (CI images often do) every process would compile the sources again (0.15 s of the desktop's
# start with a long history, and of every server a test starts).
$(ENGINE_STAMP): $(STAMP) $(ENGINE_BUILT)
	@$(PY) tools/compile_engine.py
	@$(PY) -m compileall -q -j 0 consoleapp > /dev/null
	@touch $(ENGINE_STAMP)

# For the suite, the system packages (a C compiler among them) come before the engine's
# compilation, and are installed while pip installs: `test-ready` is made with two jobs.
ifneq ($(filter test-ready,$(MAKECMDGOALS)),)
$(ENGINE_BUILT): | system-packages
endif
test-ready: $(ENGINE_STAMP) system-packages

# The demo: a local server with a year of demo data, a customer simulator, the console logged in.
run: $(ENGINE_STAMP)
	$(PY) -m consoleapp --demo

# The pictures in the README: every desktop screen with the demo data, and every web page as the
# browser tests leave it (Chromium, as `make test` installs it).
screenshots: $(ENGINE_STAMP) system-packages
	QT_QPA_PLATFORM=offscreen $(PY) -m consoleapp.ui.screenshots docs/screenshots
	CONSOLEAPP_WEB_SHOTS=docs/screenshots/web QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider -n $(JOBS) tests/web

# The whole suite on two workers, except the tests whose outcome depends on the calendar (marker
# `dates`): the time-travel pass (tests/timetravel/run) runs those, started at two awkward instants.
JOBS ?= 2
# The tests the main pass leaves to the time-travel pass, as it collected them (tests/conftest.py).
DATED_LIST := $(VENV)/dated-tests
test:
	@$(MAKE) --no-print-directory -j2 test-ready
	@rm -f $(DATED_LIST); CONSOLEAPP_DATED_LIST=$(DATED_LIST) QT_QPA_PLATFORM=offscreen \
	$(PY) -m pytest -q -p no:cacheprovider --durations=12 -n $(JOBS) -m "not dates"; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a broken suite, not a pass" >&2; exit 1; fi; \
	exit $$rc
	@JOBS=$(JOBS) DATED_LIST=$(DATED_LIST) bash tests/timetravel/run

# One instant of your choosing: make test-time AT='2027-03-28 00:30 UTC' (any `date -d` instant).
test-time:
	@$(MAKE) --no-print-directory -j2 test-ready
	@JOBS=$(JOBS) bash tests/timetravel/run $(if $(AT),"$(AT)")

# faketime, pdftotext, a C compiler: installed with apt-get when missing.
system-packages:
	@bash tests/system-packages

# The desktop's catalogs: re-extract every tr() with Qt's lupdate into translations/<language>.ts
# (kept translations stay, unused ones go), then list what is left to translate (exit 1 if any).
translations: $(ENGINE_STAMP)
	$(PY) -m consoleapp.ui.i18n --update

lint: $(ENGINE_STAMP)
	$(PY) -m ruff check consoleapp tests bench tools
	$(PY) -m mypy

# The deterministic simulation: one seed drives customers, experts' desktops, faults and time.
# A run of 3 000 steps or more fails when it reaches a required outcome fewer than 5 times.
SEED ?= 1
STEPS ?= 3000
simulate: $(ENGINE_STAMP)
	$(PY) -m tests.simulation --seed $(SEED) --steps $(STEPS) --customers 5 --experts 3 --table

# 50 seeds x 400 steps, two at a time: each seed its own mix of actions and faults.
simulate-batch: $(ENGINE_STAMP)
	$(PY) -m tests.simulation --seed 1 --seeds 50 --steps 400 --customers 5 --experts 3 --jobs 2 --table

bench: $(ENGINE_STAMP)
	$(PY) bench/engine.py

# The same bench on the engine's .py files, compiled modules ignored.
bench-interpreted: $(ENGINE_STAMP)
	CONSOLEAPP_INTERPRETED=1 $(PY) bench/engine.py

# Remove the compiled modules: everything runs as pure Python until the next install step.
engine-interpreted:
	$(PY) tools/compile_engine.py --clean

clean:
	-$(PY) tools/compile_engine.py --clean
	rm -rf $(VENV) build *.egg-info
