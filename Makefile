# One entry point. `make run` and `make test` are the README's two set-up commands:
# each creates .venv on first use and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test eval bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,eval,dev]'
	touch $@

run: $(VENV)/.installed
	$(BIN)/newsdigest run

# pytest exits 5 when it collects no tests: that is a failure here, never a pass.
test: $(VENV)/.installed
	$(BIN)/python -m pytest -q; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected" >&2; exit 1; fi; exit $$rc

eval: $(VENV)/.installed
	$(BIN)/python -m bench.eval_summaries
	$(BIN)/python -m bench.eval_quotes

bench: $(VENV)/.installed
	$(BIN)/python -m bench.run_all

lint: $(VENV)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info
