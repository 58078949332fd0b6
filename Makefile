# credlens: `make run` starts the service, `make test` runs every test.
# Both set up .venv idempotently: an install step re-runs only when what it installs changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
EXTRAS ?= dev,bench
comma := ,
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)-$(subst $(comma),_,$(EXTRAS))
DATA ?= ../shared/data
# The extension's npm dev dependencies (web-ext, puppeteer-core and axe-core for the browser tests).
NODE_STAMP := extension/node_modules/.installed-$(shell cat extension/package-lock.json 2>/dev/null | sha1sum | cut -c1-12)

.PHONY: venv run test lint typecheck unit extension extension-test system-deps model \
	bench-extract clean audit

# --- Python environment ----------------------------------------------------------------------
venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	$(PIP) install -e '.[$(EXTRAS)]' 2>&1 | grep -v '^WARNING: Location' ; test $${PIPESTATUS[0]} -eq 0
	@rm -f $(VENV)/.installed-*
	@touch $@

# --- The service ------------------------------------------------------------------------------
# The API on 127.0.0.1:8000 with the default bundle and the in-memory cache (README: settings).
run: venv
	CREDLENS_CACHE_URL= $(VENV)/bin/credlens serve --host 127.0.0.1 --port 8000 --bundle models/credlens-default

# --- Tests ------------------------------------------------------------------------------------
# Everything: lint and types, the extension's unit tests and package lint, then pytest (unit,
# property-based, API with a real redis-server, end to end in a real Chromium).
test: lint typecheck extension-test extension unit

lint: venv
	$(VENV)/bin/ruff check server tests tools
	$(VENV)/bin/ruff format --check server tests tools
	$(VENV)/bin/lint-imports --no-cache

typecheck: venv
	$(VENV)/bin/mypy

unit: venv system-deps $(NODE_STAMP)
	$(VENV)/bin/pytest -p no:cacheprovider

# What the tests need from Debian: redis-server (the shared cache), Chromium and Firefox ESR
# (the extension's browsers). Installed once, idempotently; CI machines start bare.
system-deps:
	@command -v chromium >/dev/null && command -v redis-server >/dev/null && \
		command -v firefox-esr >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium redis-server firefox-esr)

# --- Browser extension ------------------------------------------------------------------------

$(NODE_STAMP): extension/package.json extension/package-lock.json
	cd extension && npm ci --no-audit --no-fund --loglevel=error
	@rm -f extension/node_modules/.installed-*
	@touch $@

# Packs dist/credlens-<version>-chromium.zip and -firefox.xpi, then lints the Firefox package.
extension: venv $(NODE_STAMP)
	$(PY) tools/pack_extension.py dist
	cd extension && npx web-ext lint --source-dir ../dist/firefox --warnings-as-errors

extension-test: $(NODE_STAMP)
	cd extension && node --test tests/

# --- Model ------------------------------------------------------------------------------------
# `make model`: rebuild both bundles from ../shared/data/labels and ../shared/data/articles
# (52 minutes measured on 2 cores from scratch, 34 of them fine-tuning the top layer; the budget is 60),
# then the default bundle's headline ranker from the rebuilt scorer (4 minutes).
# torch (CPU 2.13.0) is installed first so that pip never pulls a CUDA build.
TRAIN_STAMP := $(VENV)/.train-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

$(TRAIN_STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	$(PIP) install torch==2.13.0 2>&1 | grep -v '^WARNING: Location' ; test $${PIPESTATUS[0]} -eq 0
	$(PIP) install -e '.[train,$(EXTRAS)]' 2>&1 | grep -v '^WARNING: Location' ; test $${PIPESTATUS[0]} -eq 0
	@rm -f $(VENV)/.train-*
	@touch $@

# From scratch: the embedding cache goes too (models/.cache; `python -m credlens_training.build`
# alone reuses it for quick iterations, with identical results).
model: $(TRAIN_STAMP)
	rm -rf models/.cache
	nice -n 10 $(PY) -m credlens_training.build --labels $(DATA)/labels --articles $(DATA)/articles
	nice -n 10 $(PY) -m credlens_training.headline --bundle models/credlens-default \
		--labels $(DATA)/labels --articles $(DATA)/articles

# --- Benchmarks (not tests) --------------------------------------------------------------------
bench-extract: venv
	$(VENV)/bin/credlens bench extract --data $(DATA)/extraction/scrapinghub --vs trafilatura,readability,resiliparse

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache dist extension/node_modules

# --- Dependency audit (needs the PyPI JSON API or OSV; not part of `make test`) -----------------
# --strict: a dependency that could not be looked up fails the audit instead of passing silently.
audit: venv
	$(VENV)/bin/pip-audit --strict --skip-editable --progress-spinner off
