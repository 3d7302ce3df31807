# Two commands matter: `make demo` and `make test`. Both build their own environments.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# sam build and the venvs need Python 3.13: take python3.13 from PATH when it runs,
# else pyenv's 3.13 (pyenv's shim exists but refuses while 3.13 is not the global).
PYTHON313 ?= $(shell for candidate in python3.13 $(HOME)/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do \
	  if $$candidate -c 'import sys; assert sys.version_info[:2] == (3, 13)' >/dev/null 2>&1; then command -v $$candidate || echo $$candidate; break; fi; done)
VENV := .venv
SAM_VENV := .sam-venv
PY := $(VENV)/bin/python
# The venv's bin first, so `sam build` finds python3.13 there.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# The SAM CLI and boto3 need a region; nothing here talks to a real account.
export AWS_DEFAULT_REGION ?= us-east-1
export SAM_CLI_TELEMETRY := 0

.PHONY: help demo test fuzz lint typecheck unit integration e2e sam-validate sam-build bench sync lock clean check-python

help:
	@echo "make demo   - deploy into an emulated account and replay the blog scenario"
	@echo "make test   - lint, type-check, unit/integration/e2e tests, sam validate --lint, sam build"
	@echo "make fuzz   - 1,500 new hostile batches through the enforce handler (random each run)"
	@echo "make bench  - measure the enforce path and the sweep on the emulated account"

check-python:
	@test -n "$(PYTHON313)" || { echo "Python 3.13 not found: install it (pyenv install 3.13) or put python3.13 on PATH" >&2; exit 1; }

$(VENV)/.installed: requirements/dev.lock pyproject.toml | check-python
	@test -x $(PY) || $(PYTHON313) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

$(SAM_VENV)/.installed: requirements/sam.lock | check-python
	@test -x $(SAM_VENV)/bin/python || $(PYTHON313) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/python -m pip install --quiet -r requirements/sam.lock
	@touch $@

demo: $(VENV)/.installed
	$(VENV)/bin/tag-enforcer demo

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# What mypy checks is [tool.mypy] files in pyproject.toml: the packages, functions/, tests/.
typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

unit: $(VENV)/.installed
	$(VENV)/bin/pytest tests/unit -q

integration: $(VENV)/.installed
	$(VENV)/bin/pytest tests/integration -q

e2e: $(VENV)/.installed
	$(VENV)/bin/pytest tests/e2e -q

sam-validate: $(SAM_VENV)/.installed
	$(SAM_VENV)/bin/sam validate --lint --template template.yaml

sam-build: $(SAM_VENV)/.installed $(VENV)/.installed
	$(SAM_VENV)/bin/sam build --template template.yaml

test: lint typecheck
	$(VENV)/bin/pytest -q
	$(MAKE) sam-validate sam-build

# make test runs the fuzz test's 200 repeatable batches; this draws 1,500 new ones each run.
fuzz: $(VENV)/.installed
	FUZZ_EXAMPLES=1500 $(VENV)/bin/pytest tests/unit/functions/test_handler_fuzz.py -q \
	  --hypothesis-profile=fuzz

bench: $(VENV)/.installed
	$(PY) -m tag_enforcer_dev.bench
	$(PY) -m tag_enforcer_dev.bench_enforce

sync: $(VENV)/.installed
	$(PY) -m tag_enforcer_dev.sync

lock: $(VENV)/.installed
	$(PY) -m pip freeze --exclude-editable > requirements/dev.lock

clean:
	rm -rf $(VENV) $(SAM_VENV) .aws-sam .pytest_cache .mypy_cache .ruff_cache
