# Two commands on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# What building and serving need, and nothing more: the development tools bring `rich`, with
# which Datasette prints every handled error with its locals (and answers 404s with 500s).
RUN_VENV := .venv-run
RUN_PY := $(RUN_VENV)/bin/python
RUN_STAMP := $(RUN_VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8001
INPUTS := build.py $(shell find article_dataset data -type f -not -name '*.pyc' 2>/dev/null)

.PHONY: setup build serve test lint format metadata docs export load bench clean

setup: $(STAMP) $(RUN_STAMP)

$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(RUN_STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(RUN_PY) || $(PYTHON) -m venv $(RUN_VENV)
	$(RUN_PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(RUN_PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

build: article.db

article.db: $(RUN_STAMP) $(INPUTS)
	$(RUN_PY) build.py --db $@

# Where the site is published: the URL its citations and exports give (not the request's Host).
SITE_URL ?= http://$(HOST):$(PORT)

serve: article.db
	ARTICLE_DATASET_SITE_URL=$(SITE_URL) $(RUN_PY) -m article_dataset serve article.db --host $(HOST) --port $(PORT)

# The serving tests start the server from the serving environment, as make serve does.
test: $(STAMP) $(RUN_STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf article.db test-artifacts .pytest_cache

metadata: $(STAMP)
	$(PY) -m article_dataset metadata > metadata.yml

docs: $(STAMP) article.db
	$(PY) -m article_dataset docs README.md article.db

export: $(STAMP) article.db
	$(PY) -m article_dataset export article.db exports --base-url $(SITE_URL)

load: $(STAMP) $(RUN_STAMP)
	$(PY) -m bench.load --clients 50 --seconds 60 --hostile 10 --out bench/load-results.md

ARTICLES ?= 1000
bench: $(STAMP) $(RUN_STAMP)
	$(PY) -m bench.run --articles $(ARTICLES)
