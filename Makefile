# Two commands: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
THREADS ?= 8
HTTPS_PORT ?=
PYTEST_ARGS ?=

.PHONY: run test install install-test catalogs init courses i18n bench clean

run: install catalogs init courses
	$(BIN)/lms serve --host $(HOST) --port $(PORT) --threads $(THREADS) $(if $(HTTPS_PORT),--https-port $(HTTPS_PORT))

test: install-test catalogs
	$(BIN)/pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg setup.py pyproject.toml
	$(BIN)/pip install -qq -e .  # -qq: setuptools' notice on every editable install of a flat layout
	touch $@

$(VENV)/.installed-test: $(BIN)/python setup.cfg setup.py pyproject.toml
	$(BIN)/pip install -qq -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test node_modules/axe-core/axe.min.js

# axe-core for the browser crawl's accessibility checks, injected from disk (never a CDN); without npm the
# crawl skips its axe part and says so.
node_modules/axe-core/axe.min.js:
	-command -v npm >/dev/null && npm install --no-save --no-package-lock --silent axe-core@4

catalogs:
	$(BIN)/pybabel compile -d lms/translations -D messages

init:
	$(BIN)/lms init

courses:
	@if $(BIN)/lms --help | grep -q import-courses; then $(BIN)/lms import-courses; fi
	$(BIN)/lms reindex --if-stale

# Refresh the catalogs after changing UI strings; then translate the new French entries.
i18n: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --add-comments=TRANSLATORS: --no-location --sort-output -o lms/translations/messages.pot .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-fuzzy-matching
	$(BIN)/python -m lms.core.catalogs

bench: install-test catalogs
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info
