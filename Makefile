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
# The venv is built when a pin or the main package's definition changes; a generated package is
# reinstalled (alone, with the main package whose pins name its version) when its pyproject does.
VENV_STAMP := $(VENV)/.installed
PACKAGE_STAMPS := $(patsubst generated/%/pyproject.toml,$(VENV)/.installed-%,$(GENERATED))
READY := $(VENV_STAMP) $(PACKAGE_STAMPS)

.PHONY: help install venv regen golden test-matrix docs docs-build transport-report e2e-otel phoenix-screenshot diff-specs demo dist bench bench-quick soak fuzz check-generated check-generated-types lint-specs lint typecheck pytest test clean

help:
	@echo "make demo             start the emulator and fetch one run per provider through the CLI"
	@echo "make regen            compile specs/ into generated/ (only what changed), report and version it"
	@echo "make test             lint-specs, ruff, mypy, docs-build, pytest (the drift check among its tests), bench-quick"
	@echo "make golden           write tests/golden/ (each provider's run as OpenTelemetry spans) afresh"
	@echo "make test-matrix      the suite on Python 3.11 (the floor, 3.11.2), 3.12 and 3.13, each in its own"
	@echo "                      environment (nox; AGENTRUNS_MATRIX names other interpreters)"
	@echo "make docs             serve the documentation on http://127.0.0.1:8000"
	@echo "make diff-specs       what changed in each API since the last regen (or since REF=<git ref>)"
	@echo "make check-generated  fail if generated/ differs from a fresh generation"
	@echo "make dist             wheels and sdists of every package in dist/ (twine check --strict), and"
	@echo "                      dist/wheelhouse/ to install them with no package index"
	@echo "make bench            benchmarks against raw baselines (writes bench-results.json)"
	@echo "make soak             10,000 refs through fetch_many against a faulty emulator"
	@echo "make transport-report the hostile-server scenarios on our two roads and on stock httpx"
	@echo "make e2e-otel         runs of every provider exported to a real Arize Phoenix on 127.0.0.1 (opt-in:"
	@echo "                      installs Phoenix, ~850 MB, into .venv-phoenix)"
	@echo "make phoenix-screenshot  docs/images/phoenix-trace.png remade: a run in that Phoenix, photographed"
	@echo "                      by Debian's Chromium, headless (apt-get install chromium)"
	@echo "make fuzz             the decoding property tests with 500 examples each (about two minutes)"
	@echo "make lint-specs       validate every spec with openapi-spec-validator"
	@echo "make install INTO=<venv> [EXTRAS=cli,testing]"
	@echo "                      install agentruns and its generated clients into another environment"

venv: $(READY)

# agentruns into another environment, from this clone: the generated clients are on no package
# index, so they are installed from their folders with it. `pip install generated/* .` from here
# does the same; `pip install <clone>` alone cannot find them.
install:
	@test -n "$(INTO)" || { echo "usage: make install INTO=/path/to/venv [EXTRAS=cli,testing]"; exit 2; }
	@test -x "$(INTO)/bin/python" || { echo "$(INTO)/bin/python not found: INTO names a virtual environment"; exit 2; }
	$(INTO)/bin/python -m pip install $(PIP_ARGS) $(foreach p,$(dir $(GENERATED)),./$(p)) ".$(if $(EXTRAS),[$(EXTRAS)])"

$(VENV_STAMP): requirements-dev.txt pyproject.toml hatch_build.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps $(foreach p,$(dir $(GENERATED)),-e $(p)) -e .
	@touch $@ $(PACKAGE_STAMPS)

$(VENV)/.installed-%: generated/%/pyproject.toml | $(VENV_STAMP)
	$(BIN)/python -m pip install --quiet --no-deps -e generated/$* -e .
	@touch $@

# After generating, a second make reads generated/ afresh: a package that is new (or whose
# pyproject changed) is installed; regen writes only changed files, so otherwise nothing is.
regen: $(READY)
	$(BIN)/python scripts/regen.py
	$(BIN)/python scripts/clients_module.py
	@$(MAKE) --no-print-directory venv

# The golden files the trace tests compare against, one per provider: a new provider's is written
# here; a changed mapping's diff is read, then committed.
golden: $(READY)
	AGENTRUNS_UPDATE_GOLDEN=1 $(BIN)/pytest tests/test_otel.py -k test_golden_spans -p no:cacheprovider -o addopts="" -q

demo: regen
	$(BIN)/python scripts/demo.py

# What an upload would send (dist/*.whl, dist/*.tar.gz), and dist/wheelhouse/: those wheels with
# every third-party wheel they need, at the dev pins, for `pip install --no-index --find-links`.
dist: $(READY)
	$(BIN)/python scripts/dist.py

# What changed in each provider's API, and whether it breaks: against the committed packages, or
# against specs/ at a git ref (make diff-specs REF=main).
diff-specs: $(READY)
	$(BIN)/python scripts/specdiff.py $(if $(REF),--ref $(REF))

# The drift check: generated/ is what a fresh generation of specs/ writes, and type-checks strictly.
check-generated: $(READY)
	$(BIN)/python scripts/regen.py --check
	@$(MAKE) --no-print-directory check-generated-types

# The rest of it, for `make test`: there the fresh generation is compared by pytest
# (tests/test_pipeline.py, test_committed_output_matches_a_fresh_generation), not twice.
check-generated-types: $(READY)
	$(BIN)/python scripts/clients_module.py --check
	$(BIN)/mypy --strict $(foreach p,$(PROVIDERS),generated/$(p)/agentruns_$(p)) generated/agentrun/agentruns_model

lint-specs: $(READY)
	@$(BIN)/openapi-spec-validator $(SPECS)
	@$(BIN)/python scripts/check_extensions.py
	@$(BIN)/python -c "import json, jsonschema; [jsonschema.Draft202012Validator.check_schema(json.load(open(f))) for f in ('specs/agentrun.schema.json', 'specs/x-agentruns.schema.json')]" && echo "specs/agentrun.schema.json, specs/x-agentruns.schema.json: OK"

lint: $(READY)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts

typecheck: $(READY)
	$(BIN)/mypy --strict src $(wildcard tests/typed_usage*.py)

# On every core (pytest-xdist), a test file to a worker (pyproject's addopts): the files that share a server or a port
# (the examples' emulator on 8787) keep their tests together.
pytest: $(READY)
	$(BIN)/pytest -n auto

# The docs site (mkdocs.yml) with ProperDocs, the maintained continuation of MkDocs 1.x that
# mkdocs-gen-files builds on. The strict build fails on any warning and runs with no network
# (in a network namespace of its own, where unshare can make one).
DOCS := $(BIN)/properdocs
docs: $(READY)
	$(DOCS) serve -f mkdocs.yml -a 127.0.0.1:8000

docs-build: $(READY)
	@offline=$$(unshare -rn true 2>/dev/null && echo "unshare -rn"); \
	$$offline $(DOCS) build -f mkdocs.yml --strict --quiet --site-dir $(VENV)/site && echo "docs: built strictly into $(VENV)/site"

bench: $(READY)
	$(BIN)/python scripts/bench.py

# Opt-in, out of `make test`: Phoenix is an 850 MB install, into a venv of its own.
e2e-otel: $(READY)
	$(BIN)/python scripts/e2e_otel.py

phoenix-screenshot: $(READY)
	$(BIN)/python scripts/phoenix_screenshot.py

transport-report: $(READY)
	$(BIN)/python scripts/transport_report.py

soak: $(READY)
	$(BIN)/python scripts/soak.py --refs 10000

fuzz: $(READY)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/test_fuzz.py -p no:cacheprovider -o addopts="" --timeout 0

# The harness with tiny counts: proves it still runs; its numbers mean nothing.
bench-quick: $(READY)
	$(BIN)/python scripts/bench.py --quick --out $(VENV)/bench-quick.json

# The checks that each run on one core run side by side (their lines kept together per check),
# then the suite on every core, then the harness.
CORES := $(shell nproc 2>/dev/null || echo 2)
CHECKS := lint-specs check-generated-types lint typecheck docs-build
test: $(READY)
	@$(MAKE) --no-print-directory -j$(CORES) --output-sync=target $(CHECKS)
	@$(MAKE) --no-print-directory pytest
	@$(MAKE) --no-print-directory bench-quick

# Every Python the project claims, each in its own environment under .nox/ (noxfile.py); `make
# test` stays one Python, as CI runs it.
test-matrix: $(READY)
	$(BIN)/nox -f noxfile.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache site
