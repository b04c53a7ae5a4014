# Two commands for a fresh machine: `make run` and `make test`. Each builds .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# One pytest worker per core (pytest-xdist); `make test PYTEST_ARGS=` runs the suite in one process.
PYTEST_ARGS ?= -n auto

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)  ## start the bot, or the console trial when no Slack credentials are configured
	@$(BIN)/peerlearn run --trial-if-unconfigured

test: $(STAMP)  ## lint, type-check and run the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench.matcher
	$(BIN)/python -m bench.http_servers
	$(BIN)/python -m bench.digest
	$(BIN)/python -m bench.http_load
	$(BIN)/python -m bench.workers

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
