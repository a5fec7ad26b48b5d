# Developer entry points. `make demo` deploys the basic example with the real
# Pulumi CLI against the local AWS endpoint; `make test` runs every test tier.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv pulumi demo test lint typecheck test-unit test-emulator \
	test-provider test-engine clean

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

pulumi:
	@bash scripts/get-pulumi.sh

demo: venv
	bash scripts/demo.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy

test-unit: venv
	$(PY) -m pytest tests/unit -q

test-emulator: venv
	$(PY) -m pytest tests/emulator -q

test-provider: venv
	$(PY) -m pytest tests/provider -q

test-engine: venv
	PTC_PULUMI_DIR="$$(bash scripts/get-pulumi.sh | tail -n 1)" \
		$(PY) -m pytest tests/engine -q

test: lint typecheck
	PTC_PULUMI_DIR="$$(bash scripts/get-pulumi.sh | tail -n 1)" \
		PTC_REQUIRE_ENGINE=1 $(PY) -m pytest -q

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
