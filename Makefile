# Two commands matter: `make demo` and `make test`. Both build their own environments.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# sam build and the venvs need Python 3.13: take python3.13 from PATH when it runs,
# else pyenv's 3.13 (pyenv's shim exists but refuses while 3.13 is not the global).
PYTHON313 ?= $(shell for candidate in python3.13 $(HOME)/.pyenv/versions/3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do \
	  if $$candidate -c 'import sys; assert sys.version_info[:2] == (3, 13)' >/dev/null 2>&1; then command -v $$candidate || echo $$candidate; break; fi; done)
VENV := .venv
SAM_VENV := .sam-venv
# checkov pins packages that clash with dev.lock, so it lives apart too.
SCAN_VENV := .scan-venv
# asl-validator (npm), pinned by package-lock.json; `npm ci` needs Node.js 20 and npm.
ASL_DIR := tools/asl
SCAN_DIR := .aws-sam/scan
PY := $(VENV)/bin/python
# The venv's bin first, so `sam build` finds python3.13 there.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# The SAM CLI and boto3 need a region; nothing here talks to a real account.
export AWS_DEFAULT_REGION ?= us-east-1
export SAM_CLI_TELEMETRY := 0
# checkov stays offline: no version check (its --skip-download is in .checkov.yaml).
export CKV_SKIP_PACKAGE_UPDATE_CHECK := true
# pip is quiet for make test; make demo shows its progress (the first run installs for minutes).
PIP_QUIET ?= --quiet

.PHONY: .venv help demo test fuzz lint typecheck unit integration e2e sam-validate sam-build scan bench sync member-template lock clean check-python browser

help:
	@echo "make demo   - deploy into an emulated account and replay the blog scenario"
	@echo "make test   - lint, type-check, unit/integration/e2e tests, sam validate --lint, sam build, scan"
	@echo "make scan   - checkov, cfn-lint (every rule) and asl-validator on the template"
	@echo "make fuzz   - 1,500 new hostile batches through the enforce handler (random each run)"
	@echo "make bench  - measure the enforce path and the sweep on the emulated account"
	@echo "make member-template - write member-template.yaml (StackSets, every member account)"

check-python:
	@test -n "$(PYTHON313)" || { echo "Python 3.13 not found: install it (pyenv install 3.13) or put python3.13 on PATH" >&2; exit 1; }

$(VENV)/.installed: requirements/dev.lock pyproject.toml | check-python
	@echo "==> creating $(VENV) with $(PYTHON313)"
	@test -x $(PY) || $(PYTHON313) -m venv $(VENV)
	@echo "==> upgrading pip"
	$(PY) -m pip install $(PIP_QUIET) --upgrade pip
	@echo "==> installing the pinned dependencies (requirements/dev.lock)"
	$(PY) -m pip install $(PIP_QUIET) -r requirements/dev.lock
	@echo "==> installing tag-enforcer itself (editable)"
	$(PY) -m pip install $(PIP_QUIET) --no-deps -e .
	@touch $@

$(SAM_VENV)/.installed: requirements/sam.lock | check-python
	@test -x $(SAM_VENV)/bin/python || $(PYTHON313) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SAM_VENV)/bin/python -m pip install --quiet -r requirements/sam.lock
	@touch $@

$(SCAN_VENV)/.installed: requirements/scan.lock | check-python
	@test -x $(SCAN_VENV)/bin/python || $(PYTHON313) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SCAN_VENV)/bin/python -m pip install --quiet -r requirements/scan.lock
	@touch $@

$(ASL_DIR)/node_modules/.installed: $(ASL_DIR)/package.json $(ASL_DIR)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 20 with npm" >&2; exit 1; }
	cd $(ASL_DIR) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# `make .venv`: the environment alone (docs/cli.md starts with it), pip's progress shown.
.venv: PIP_QUIET :=
.venv: $(VENV)/.installed

# The single-account demo, then its organization part (a central and two member accounts).
demo: PIP_QUIET :=
demo: $(VENV)/.installed
	$(VENV)/bin/tag-enforcer demo
	$(VENV)/bin/tag-enforcer demo --organization

# The browser test (tests/integration/test_report_in_chromium.py) drives Debian's chromium.
# Installed when missing and the machine lets us (root); otherwise that test says why it skips.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "==> installing Debian's chromium for the browser test"; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
	     { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1; }) || \
	      echo "chromium could not be installed; the browser test will be skipped"; \
	  else echo "not root or no apt-get: chromium not installed; the browser test will be skipped"; fi; }

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
	$(PY) -m tag_enforcer_dev.layer_requirements --check-built .aws-sam/build/EnforcerLayer

test: lint typecheck browser
	$(VENV)/bin/pytest -q
	$(MAKE) sam-validate sam-build scan

# Independent scanners, each pinned: checkov and cfn-lint (informational and experimental
# rules on, skips explained in .checkov.yaml and .cfnlintrc.yaml) on the template and on
# the template SAM makes of it, asl-validator on the sweep state machine's definition.
scan: $(VENV)/.installed $(SCAN_VENV)/.installed $(ASL_DIR)/node_modules/.installed
	$(PY) -m tag_enforcer_dev.scan_inputs $(SCAN_DIR)
	$(SCAN_VENV)/bin/checkov --config-file .checkov.yaml -f template.yaml -f $(SCAN_DIR)/translated.json -f member-template.yaml
	$(VENV)/bin/cfn-lint --format parseable --non-zero-exit-code informational -- template.yaml $(SCAN_DIR)/translated.json member-template.yaml
	$(ASL_DIR)/node_modules/.bin/asl-validator --json-path $(SCAN_DIR)/sweep.asl.json
	$(ASL_DIR)/node_modules/.bin/asl-validator --json-path $(SCAN_DIR)/organization-sweep.asl.json

# make test runs the fuzz test's 200 repeatable batches; this draws 1,500 new ones each run.
fuzz: $(VENV)/.installed
	FUZZ_EXAMPLES=1500 $(VENV)/bin/pytest tests/unit/functions/test_handler_fuzz.py -q \
	  --hypothesis-profile=fuzz

bench: $(VENV)/.installed
	$(PY) -m tag_enforcer_dev.bench
	$(PY) -m tag_enforcer_dev.bench_enforce
	$(PY) -m tag_enforcer_dev.bench_directory
	$(PY) -m tag_enforcer_dev.bench_organization

sync: $(VENV)/.installed
	$(PY) -m tag_enforcer_dev.sync

# The member accounts' plain CloudFormation template, from template.yaml (also by `make sync`).
member-template: $(VENV)/.installed
	$(PY) -m tag_enforcer_dev.member_template

lock: $(VENV)/.installed
	$(PY) -m pip freeze --exclude-editable > requirements/dev.lock

clean:
	rm -rf $(VENV) $(SAM_VENV) $(SCAN_VENV) $(ASL_DIR)/node_modules .aws-sam .pytest_cache .mypy_cache .ruff_cache
