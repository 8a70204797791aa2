# One task runner for the project. Every target creates the virtual environment when it is missing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-unit lint typecheck bench seed migrate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/artbattle-ops run

test: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-report=term:skip-covered

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

migrate: $(STAMP)
	$(BIN)/artbattle-ops migrate

seed: $(STAMP)
	$(BIN)/artbattle-ops seed --scale demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
