# Two commands: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
THREADS ?= 8
HTTPS_PORT ?=
PYTEST_ARGS ?=
# Offline install: a folder of wheels made by `make wheelhouse` (a ./wheelhouse beside the code is used by itself).
WHEELHOUSE ?= $(wildcard wheelhouse)
PIP_SOURCE = $(if $(WHEELHOUSE),--no-index --find-links $(WHEELHOUSE))
NO_PACKAGES = { echo "Could not install the Python packages$(if $(WHEELHOUSE), from $(WHEELHOUSE): the package named above is missing from it; make it again with make wheelhouse.,: no internet?) On a machine with internet run make wheelhouse, copy the wheelhouse folder beside this one (a USB stick is fine), then run WHEELHOUSE=wheelhouse make run."; exit 1; }
# What `make wheelhouse` downloads for: the centres' machines (64-bit PCs and Raspberry Pis) and Pythons.
WHEEL_PLATFORMS ?= x86_64 aarch64
WHEEL_PYTHONS ?= 3.11 3.12 3.13
WHEELHOUSE_DIR ?= wheelhouse

.PHONY: run test install install-test catalogs init courses i18n bench clean wheelhouse upgrade

run: install catalogs init courses
	$(BIN)/lms serve --host $(HOST) --port $(PORT) --threads $(THREADS) $(if $(HTTPS_PORT),--https-port $(HTTPS_PORT))

test: install-test catalogs
	$(BIN)/pytest $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(if $(WHEELHOUSE),,-$(BIN)/python -m pip install -q --upgrade pip)

$(VENV)/.installed: $(BIN)/python setup.cfg setup.py pyproject.toml
	$(BIN)/pip install -qq $(PIP_SOURCE) -e . || $(NO_PACKAGES)  # -qq: setuptools' notice on every editable install
	touch $@

$(VENV)/.installed-test: $(BIN)/python setup.cfg setup.py pyproject.toml
	$(BIN)/pip install -qq $(PIP_SOURCE) -e '.[test]' || $(NO_PACKAGES)
	touch $@ $(VENV)/.installed

# Every wheel the platform needs, for every machine and Python we support, plus the source: copy the folder to a
# centre without internet and run `WHEELHOUSE=wheelhouse make run` there. WHEEL_PLATFORMS= gives this machine's only.
wheelhouse: $(BIN)/python
	mkdir -p $(WHEELHOUSE_DIR)
	$(BIN)/python -c "import configparser; c = configparser.ConfigParser(); c.read('setup.cfg'); \
	  print(c['options']['install_requires'] + c['options.extras_require']['postgres'])" > $(WHEELHOUSE_DIR)/requirements.txt
	$(BIN)/pip download -q -d $(WHEELHOUSE_DIR) -r $(WHEELHOUSE_DIR)/requirements.txt 'setuptools>=68' wheel 'Babel>=2.12' pip
	for arch in $(WHEEL_PLATFORMS); do for py in $(WHEEL_PYTHONS); do \
	  $(BIN)/pip download -q -d $(WHEELHOUSE_DIR) --only-binary=:all: --implementation cp --python-version $$py \
	    --platform manylinux_2_28_$$arch --platform manylinux2014_$$arch -r $(WHEELHOUSE_DIR)/requirements.txt || exit 1; \
	done; done
	git archive --format=tar.gz --prefix=lms/ -o $(WHEELHOUSE_DIR)/lms-source.tar.gz HEAD 2>/dev/null || \
	  tar --exclude=./.venv --exclude=./instance --exclude=./$(WHEELHOUSE_DIR) --exclude=./node_modules -czf $(WHEELHOUSE_DIR)/lms-source.tar.gz .
	@du -sh $(WHEELHOUSE_DIR)

# Upgrade a running centre after copying the new code: install, then back up, migrate, re-import and re-index.
upgrade: install catalogs
	$(BIN)/lms upgrade

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
