# One entry point. `make run` and `make test` are the README's two set-up commands:
# each creates .venv on first use and installs what it needs (again when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: run test eval bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.test: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test]'
	touch $@

$(VENV)/.eval: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test,eval]'
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test,eval,dev]'
	touch $@

run: $(VENV)/.run
	$(BIN)/newsdigest run

# pytest exits 5 when it collects no tests: that is a failure here, never a pass.
test: $(VENV)/.test
	$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

eval: $(VENV)/.eval
	$(BIN)/python -m bench.eval_summaries
	$(BIN)/python -m bench.eval_quotes

bench: $(VENV)/.eval
	$(BIN)/python -m bench.run_all

lint: $(VENV)/.dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info
