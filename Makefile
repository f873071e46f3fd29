# Commonweal. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := .uv/bin/uv
VENV := .venv
RUN := $(VENV)/bin
PORT ?= 8000
DEMO_ENV := DJANGO_SETTINGS_MODULE=commonweal.settings.demo COMMONWEAL_DATA_DIR=$(CURDIR)/data
# Test runs on both databases; PYTEST_ARGS adds options (for example PYTEST_ARGS="-k geo").
PYTEST_ARGS ?=
XDIST ?= -n auto

.PHONY: help setup assets demo serve test test-sqlite test-postgres lint fmt check bench browser postgres clean

help: ## Show the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check 'uv>=0.9,<1'

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --compile-bytecode --python $(PYTHON)
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

commonweal/static/.built: node_modules/.installed $(shell find static_src -type f 2>/dev/null)
	npm run --silent build
	@touch $@

setup: $(VENV)/.synced commonweal/static/.built ## Install Python and front-end packages into .venv and node_modules

assets: commonweal/static/.built ## Build the front end (GOV.UK Frontend, our styles and scripts)

demo: setup ## Install, migrate, load the demo borough and serve it at http://127.0.0.1:$(PORT)
	$(DEMO_ENV) $(RUN)/commonweal migrate --noinput
	$(DEMO_ENV) $(RUN)/commonweal demo_load
	@echo "Serving the demo borough at http://127.0.0.1:$(PORT) (Ctrl+C stops it)"
	$(DEMO_ENV) $(RUN)/gunicorn commonweal.wsgi:application --bind 127.0.0.1:$(PORT) --workers 2 --access-logfile - --env DJANGO_SETTINGS_MODULE=commonweal.settings.demo

serve: setup ## Run the development server with debug on
	COMMONWEAL_DATA_DIR=$(CURDIR)/data $(RUN)/python manage.py migrate --noinput
	COMMONWEAL_DATA_DIR=$(CURDIR)/data $(RUN)/python manage.py runserver 127.0.0.1:$(PORT)

browser: ## Install Debian's chromium for the browser tests (no browser download)
	@bash scripts/ensure_chromium.sh

postgres: ## Make sure a PostgreSQL server is reachable (uses DATABASE_URL or starts a local one)
	@bash scripts/ensure_postgres.sh >/dev/null

test: setup browser ## Install what the tests need and run every test on SQLite and on PostgreSQL
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: setup ## Run the suite on SQLite
	@echo "== Tests on SQLite"
	env -u DATABASE_URL $(RUN)/pytest $(XDIST) $(PYTEST_ARGS)

test-postgres: setup ## Run the suite on PostgreSQL (fails if no server can be had)
	@echo "== Tests on PostgreSQL"
	DATABASE_URL="$$(bash scripts/ensure_postgres.sh)" COMMONWEAL_REQUIRE_POSTGRES=1 $(RUN)/pytest $(XDIST) $(PYTEST_ARGS)

check: setup ## Django checks, deploy checks on production settings, migrations, collectstatic, lock
	$(UV) lock --check
	DJANGO_SETTINGS_MODULE=commonweal.settings.test $(RUN)/commonweal check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=commonweal.settings.test $(RUN)/commonweal makemigrations --check --dry-run
	DJANGO_SECRET_KEY=check-deploy-$$RANDOM-$$RANDOM-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ \
	  COMMONWEAL_DATA_DIR=$$(mktemp -d) $(RUN)/commonweal check --deploy --fail-level WARNING
	DJANGO_SECRET_KEY=collectstatic-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP \
	  COMMONWEAL_DATA_DIR=$$(mktemp -d) $(RUN)/commonweal collectstatic --noinput -v 0

lint: setup ## ruff (lint and format check), mypy and the import contracts
	$(RUN)/ruff check .
	$(RUN)/ruff format --check .
	$(RUN)/mypy commonweal
	$(RUN)/lint-imports

fmt: setup ## Format and fix what ruff can
	$(RUN)/ruff format .
	$(RUN)/ruff check --fix .

bench: setup ## Benchmarks: print figures and ratios against floors measured in the same run
	$(RUN)/python -m bench

clean: ## Remove the virtual environments, node_modules and built assets (keeps data/)
	rm -rf .uv $(VENV) node_modules commonweal/static
