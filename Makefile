# credlens: `make run` starts the service, `make test` runs every test.
# Both set up .venv idempotently: the install step re-runs only when pyproject.toml changes.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
EXTRAS ?= dev,bench
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)-$(subst $(comma),_,$(EXTRAS))
comma := ,
DATA ?= ../shared/data

.PHONY: venv run test lint typecheck unit bench-extract clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	$(PIP) install -e '.[$(EXTRAS)]' 2>&1 | grep -v '^WARNING: Location' ; test $${PIPESTATUS[0]} -eq 0
	@rm -f $(VENV)/.installed-*
	@touch $@

SAMPLE_PAGE ?= $(DATA)/extraction/scrapinghub/html/57d46c9d751e3fd3ffaf3ede7ac20cebd30eacb5ea78e1a6aa0a72059244e7ca.html.gz

run: venv
	$(VENV)/bin/credlens extract $(SAMPLE_PAGE)

lint: venv
	$(VENV)/bin/ruff check server tests
	$(VENV)/bin/ruff format --check server tests

typecheck: venv
	$(VENV)/bin/mypy

unit: venv
	$(VENV)/bin/pytest -p no:cacheprovider

test: lint typecheck unit

bench-extract: venv
	$(VENV)/bin/credlens bench extract --data $(DATA)/extraction/scrapinghub --vs trafilatura,readability,resiliparse

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

# `make model`: rebuild the default bundle (and the small swap bundle) from ../shared/data/labels.
# Needs the `train` extra (torch CPU 2.13.0 is installed first so pip never pulls a CUDA build).
.PHONY: model
TRAIN_STAMP := $(VENV)/.train-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

$(TRAIN_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	$(PIP) install torch==2.13.0 2>&1 | grep -v '^WARNING: Location' ; test $${PIPESTATUS[0]} -eq 0
	$(PIP) install -e '.[train,$(EXTRAS)]' 2>&1 | grep -v '^WARNING: Location' ; test $${PIPESTATUS[0]} -eq 0
	@rm -f $(VENV)/.train-*
	@touch $@

# From scratch: the embedding cache goes too (models/.cache; `python -m models.training.build`
# alone reuses it for quick iterations, with identical results).
model: $(TRAIN_STAMP)
	rm -rf models/.cache
	nice -n 10 $(PY) -m models.training.build --labels $(DATA)/labels
