# agentruns — every target bootstraps .venv from nothing but python3.11 and PyPI.
# `make demo` is the main job; `make regen` compiles specs/ into generated/; `make test` runs
# every check CI runs.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Every spec under specs/ is a provider: this is the only list, and it is a wildcard.
SPECS := $(wildcard specs/*.yaml)
PROVIDERS := $(basename $(notdir $(SPECS)))
# The generated packages that exist now (a new provider's appears with its first `make regen`).
GENERATED := $(wildcard generated/*/pyproject.toml)
# The venv is rebuilt when a pin or a package definition changes.
VENV_STAMP := $(VENV)/.installed

.PHONY: help venv regen demo bench bench-quick soak fuzz check-generated lint-specs lint typecheck pytest test clean

help:
	@echo "make demo             start the emulator and fetch one run per provider through the CLI"
	@echo "make regen            compile specs/ into generated/ (only what changed)"
	@echo "make test             lint-specs, check-generated, ruff, mypy and pytest"
	@echo "make check-generated  fail if generated/ differs from a fresh generation"
	@echo "make bench            benchmarks against raw baselines (writes bench-results.json)"
	@echo "make soak             10,000 refs through fetch_many against a faulty emulator"
	@echo "make fuzz             the decoding property tests with 500 examples each (about 15 minutes)"
	@echo "make lint-specs       validate every spec with openapi-spec-validator"

venv: $(VENV_STAMP)

$(VENV_STAMP): requirements-dev.txt pyproject.toml $(GENERATED)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps $(foreach p,$(dir $(GENERATED)),-e $(p)) -e .
	@touch $@

# After generating, a second make reads generated/ afresh: a package that is new (or whose
# pyproject changed) is installed; regen writes only changed files, so otherwise nothing is.
regen: $(VENV_STAMP)
	$(BIN)/python scripts/regen.py
	@$(MAKE) --no-print-directory venv

demo: regen
	$(BIN)/python scripts/demo.py

check-generated: $(VENV_STAMP)
	$(BIN)/python scripts/regen.py --check
	$(BIN)/mypy --strict $(foreach p,$(PROVIDERS),generated/$(p)/agentruns_$(p)) generated/agentrun/agentruns_model

lint-specs: $(VENV_STAMP)
	@for spec in $(SPECS); do $(BIN)/openapi-spec-validator $$spec || exit 1; done
	@$(BIN)/python -c "import json, jsonschema; jsonschema.Draft202012Validator.check_schema(json.load(open('specs/agentrun.schema.json')))" && echo "specs/agentrun.schema.json: OK"

lint: $(VENV_STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: $(VENV_STAMP)
	$(BIN)/mypy --strict src $(wildcard tests/typed_usage*.py)

pytest: $(VENV_STAMP)
	$(BIN)/pytest

bench: $(VENV_STAMP)
	$(BIN)/python scripts/bench.py

soak: $(VENV_STAMP)
	$(BIN)/python scripts/soak.py --refs 10000

fuzz: $(VENV_STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider -o addopts="" --timeout 0

# The harness with tiny counts: proves it still runs; its numbers mean nothing.
bench-quick: $(VENV_STAMP)
	$(BIN)/python scripts/bench.py --quick --out $(VENV)/bench-quick.json

test: lint-specs check-generated lint typecheck pytest bench-quick

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
