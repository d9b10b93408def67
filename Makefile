# The two commands of the README: `make run` and `make test`. Everything they need installs here.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test venv lint format

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

venv: $(VENV)/.dev

# The W3C Nu Html Checker the browser tests run over every page they visit (package.json).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

## Start the application with demo data on http://127.0.0.1:8000/ (Ctrl-C stops everything).
run: $(VENV)/.runtime
	$(PY) scripts/devstack.py run

## Lint, check migrations and run the whole test suite against PostgreSQL and Redis.
test: $(VENV)/.dev node_modules/.installed
	$(PY) scripts/devstack.py test $(ARGS)

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
