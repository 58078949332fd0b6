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

run: venv
	$(VENV)/bin/credlens extract tests/fixtures/pages/wire-report/page.html --url https://example.org/

lint: venv
	$(VENV)/bin/ruff check server tests
	$(VENV)/bin/ruff format --check server tests

typecheck: venv
	$(VENV)/bin/mypy

unit: venv
	$(VENV)/bin/pytest

test: lint typecheck unit

bench-extract: venv
	$(VENV)/bin/credlens bench extract --data $(DATA)/extraction/scrapinghub --vs trafilatura,readability,resiliparse

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache

# `make model`: rebuild the default bundle (and the small swap bundle) from ../shared/data/labels.
# Needs the `train` extra (torch CPU 2.13.0 is installed first so pip never pulls a CUDA build).
.PHONY: model
