# 轻负 Qingfu — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
# uv from PATH if present, else installed with pip and run as a module.
UV_BIN := $(shell command -v uv 2>/dev/null)
UV := $(if $(UV_BIN),$(UV_BIN),$(PYTHON) -m uv)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup test test-fast lint format bench browser-deps clean

$(BIN)/qingfu: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --quiet
	@touch $@

setup: $(BIN)/qingfu
	$(BIN)/qingfu migrate --noinput -v 0
	$(BIN)/qingfu demo --if-empty

## Set up everything, build the demo school if the database is empty, serve on :8000.
run: setup
	@echo ""
	@echo "轻负已启动： http://$(HOST):$(PORT)/   （Ctrl+C 停止）"
	$(BIN)/qingfu runserver $(HOST):$(PORT)

## The whole test suite (SQLite unless DATABASE_URL says otherwise), browser tests included.
test: $(BIN)/qingfu browser-deps
	$(BIN)/pytest -q -n 2 --dist loadgroup

## Without the browser tests.
test-fast: $(BIN)/qingfu
	$(BIN)/pytest -q -m "not browser"

lint: $(BIN)/qingfu
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy qingfu
	$(BIN)/lint-imports --no-cache

format: $(BIN)/qingfu
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(BIN)/qingfu
	$(BIN)/python -m bench

## Debian's Chromium and CJK fonts for the browser tests (installs only what is missing).
browser-deps:
	@bash scripts/browser-deps.sh

clean:
	rm -rf $(VENV) var/qingfu.sqlite3*
