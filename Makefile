# `make run` and `make test` work on a fresh clone: they create .venv and install first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-sqlite test-postgres browser-deps lint bench fuzz migrate demo clean vendor

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/bimtek migrate
	$(BIN)/bimtek demo --if-empty --url http://$(HOST):$(PORT)
	$(BIN)/bimtek serve --host $(HOST) --port $(PORT)

# Chromium for the browser tests, pdftoppm for PDF checks, node for the scanner's JS tests:
# from the distribution (never a downloaded build).
browser-deps:
	@need=""; [ -x /usr/bin/chromium ] || need="$$need chromium"; \
	command -v pdftoppm >/dev/null || need="$$need poppler-utils"; \
	command -v node >/dev/null || need="$$need nodejs"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
	  else echo "missing:$$need (sudo apt-get install$$need); their tests will be skipped"; fi; \
	fi

# Every test, on SQLite and on PostgreSQL side by side (PostgreSQL required under
# CI=true); each run's log is in test-artifacts/suite-*.log.
test: install browser-deps
	$(BIN)/python tests/run_suites.py

test-sqlite: install
	$(BIN)/python -m pytest -q

test-postgres: install
	$(BIN)/python tests/run_postgres.py

lint: install
	$(BIN)/ruff check service tests bench migrations
	$(BIN)/mypy service

# schemathesis over /api/openapi.json with an admin's token, on SQLite and PostgreSQL:
# fails on any server error (minutes; not part of `make test`).
fuzz: install
	$(BIN)/python tests/fuzz_api.py --db sqlite
	$(BIN)/python tests/fuzz_api.py --db postgresql
	$(BIN)/python tests/fuzz_pages.py --db sqlite
	$(BIN)/python tests/fuzz_pages.py --db postgresql

# The check-in load test drives the app with wrk (Debian package); without it, it is skipped.
bench: install
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else echo "wrk is missing: the check-in load test will be skipped (sudo apt-get install wrk)"; fi; \
	fi
	$(BIN)/python -m bench
	$(BIN)/python -m bench.bench_backup

migrate: install
	$(BIN)/bimtek migrate

demo: install
	$(BIN)/bimtek demo

clean:
	rm -rf $(VENV) data/*.db* .pytest_cache .mypy_cache .ruff_cache

# Refresh the vendored front-end libraries from the npm registry (committed, served offline).
# Versions are pinned in frontend/package.json; each library's licence file is copied beside it.
ZX := node_modules/zxing-wasm
vendor:
	cd frontend && npm install --no-audit --no-fund --silent && \
	  cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js && \
	  mkdir -p static/vendor/zxing-wasm/reader static/vendor/noble-ed25519 static/vendor/idb && \
	  cp $(ZX)/dist/es/reader/index.js static/vendor/zxing-wasm/reader/index.js && \
	  cp $(ZX)/dist/es/share.js static/vendor/zxing-wasm/share.js && \
	  cp $(ZX)/dist/reader/zxing_reader.wasm static/vendor/zxing-wasm/zxing_reader.wasm && \
	  cp $(ZX)/LICENSE static/vendor/zxing-wasm/LICENSE && \
	  cp node_modules/@noble/ed25519/index.js static/vendor/noble-ed25519/index.js && \
	  cp node_modules/@noble/ed25519/LICENSE static/vendor/noble-ed25519/LICENSE && \
	  cp node_modules/idb/build/index.js static/vendor/idb/index.js && \
	  cp node_modules/idb/LICENSE static/vendor/idb/LICENSE
