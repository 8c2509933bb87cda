# Switchboard: `make run` starts embedded Switchboard, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
DEV_STAMP := $(VENV)/.dev-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: run test lint typecheck unit up down bench retrain clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	@touch $@

$(DEV_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/switchboard migrate
	$(BIN)/switchboard run

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# Worker processes for the suite: two and three took about the same time on two cores; the third keeps a core
# busy while another worker waits on its servers and timers.
TEST_WORKERS ?= 3

test: lint typecheck
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --durations=10

up: $(STAMP)
	bash deploy/local/up.sh

down:
	bash deploy/local/down.sh

bench: $(DEV_STAMP)
	$(BIN)/python tests/perf/run_all.py

retrain: $(DEV_STAMP)
	$(BIN)/python -m router.classify.train

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
