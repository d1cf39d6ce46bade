# `make run` and `make test` work on a fresh clone: they create .venv and install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-sqlite test-postgres browser-deps lint bench migrate demo clean vendor

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/bimtek migrate
	$(BIN)/bimtek demo --if-empty
	$(BIN)/bimtek serve --host $(HOST) --port $(PORT)

# Chromium for the browser tests, from the distribution (never a downloaded build).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else echo "chromium is missing: browser tests will be skipped (sudo apt-get install chromium)"; fi; \
	fi

# Every test: on SQLite, then again on PostgreSQL when one answers (required under CI=true).
test: install browser-deps
	$(BIN)/python -m pytest -q -p no:cacheprovider
	$(BIN)/python tests/run_postgres.py

test-sqlite: install
	$(BIN)/python -m pytest -q

test-postgres: install
	$(BIN)/python tests/run_postgres.py

lint: install
	$(BIN)/ruff check service tests bench migrations
	$(BIN)/mypy service

bench: install
	$(BIN)/python -m bench

migrate: install
	$(BIN)/bimtek migrate

demo: install
	$(BIN)/bimtek demo

clean:
	rm -rf $(VENV) data/*.db* .pytest_cache .mypy_cache .ruff_cache

# Refresh the vendored front-end libraries from the npm registry (committed, served offline).
vendor:
	cd frontend && npm install --no-audit --no-fund --silent && \
	  cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
