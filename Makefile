# STEMnet: `make demo` and `make test` work on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
# Two test processes (CI machines have two cores); PYTEST_ARGS=-n0 runs in one. An idle
# process takes queued tests from the busy one (worksteal), so the slowest tests overlap.
PYTEST_ARGS ?= -n 2 --dist worksteal
PORT ?= 8000

.PHONY: install demo serve test test-sqlite test-postgres lint format messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py createcachetable
	DEBUG=1 $(PY) manage.py load_places
	DEBUG=1 $(PY) manage.py seed_demo
	$(MAKE) serve

serve: install
	@DEBUG=1 $(PY) manage.py demo_accounts
	@echo "STEMnet runs on http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	@trap 'kill 0' EXIT INT TERM; \
	  DEBUG=1 $(PY) manage.py db_worker --interval 1 & \
	  DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT) --noreload

# The whole suite on SQLite, and again on PostgreSQL when DATABASE_URL points at one.
test: install
	env -u DATABASE_URL $(VENV)/bin/pytest -p no:cacheprovider $(PYTEST_ARGS)
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "== again on PostgreSQL ($${DATABASE_URL%%@*}@…)"; \
	  $(VENV)/bin/pytest -p no:cacheprovider $(PYTEST_ARGS); \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Extract and compile the translation catalogues (needs GNU gettext).
messages: install
	DEBUG=1 $(PY) manage.py makemessages_all
	DEBUG=1 $(PY) manage.py compilemessages --ignore .venv

# Agenda search benchmark (separate databases; writes docs/benchmarks.md). BENCH_ARGS=--help;
# SCALE=1m: a million activities (three sessions each; default 100k).
.PHONY: bench bench-matching
bench: install
	DEBUG=1 $(PY) -m stemnet.bench $(if $(SCALE),--scale $(SCALE)) $(BENCH_ARGS)

# Only the matching engine (3,000 schools x 10,000 companies; no database).
bench-matching: install
	DEBUG=1 $(PY) -m stemnet.bench --only matching

# Events: 500 concurrent registration attempts for 100 places from 8 processes (PostgreSQL).
.PHONY: bench-events
bench-events: install
	DEBUG=1 $(PY) manage.py events_bench

# Regenerate the committed OpenAPI document of /api/v1 (a test fails when it drifts).
.PHONY: openapi
openapi: install
	DEBUG=1 $(PY) manage.py export_openapi

clean:
	rm -rf $(VENV) var
