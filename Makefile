# Two commands set everything up on a fresh machine (Python 3.11, make and the package registries):
#   make up     install, run the pipeline on the embedded default, start Superset and the Dagster UI
#   make test   install what the tests need and run the whole suite
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# One rule finds uv everywhere (planwatch_core/uv_locator.py): PATH, ~/.local/bin, the uv package of python3.
UV = $$(python3 planwatch_core/uv_locator.py)
# One line per stage on the terminal, the full output in .local/logs/<make-up|make-test>-<stage>.log
STAGE = python3 -m planwatch_core.stages
SUBMAKE = $(MAKE) --no-print-directory
export UV_LINK_MODE ?= copy
# Bytecode compiled at install: a machine with PYTHONDONTWRITEBYTECODE (or a read-only venv) otherwise compiles every
# module on every start, ~5 s of each `planwatch build` and as much again in its dbt process (bench/RESULTS.md)
export UV_COMPILE_BYTECODE ?= 1
export PLANWATCH_LOCAL_DEMO ?= 0

.PHONY: help uv install install-superset install-browser up down build superset-bootstrap services test lint bench

help:
	@echo "make up      install, build the warehouse, start Superset (dashboards) and the Dagster UI"
	@echo "make down    stop the services that make up started"
	@echo "make test    install test dependencies and run the whole test suite"
	@echo "make bench   benchmarks (prints figures, writes bench/RESULTS.md)"

uv:
	@python3 planwatch_core/uv_locator.py --install >/dev/null

install: uv
	@echo "==> pipeline environment (.venv, locked by uv.lock)"
	@$(UV) sync --frozen
	@# the project's own packages are installed editable, which uv does not compile: compiled here likewise
	@$(UV) run --frozen --no-sync python -m compileall -q ingest orchestration planwatch planwatch_core >/dev/null

install-superset: install
	@echo "==> Superset environment (superset_config/.venv, locked by superset_config/uv.lock)"
	@$(UV) run --frozen planwatch superset install

# Debian chromium, its driver and CJK fonts for the dashboard checks (as root, or with sudo).
install-browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then \
		echo "==> chromium, chromedriver and fonts-noto-cjk already installed"; \
	else \
		echo "==> installing chromium, chromium-driver, fonts-noto-cjk (apt)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; \
	fi

build: install
	@echo "==> pipeline: land inputs → dbt build → checks → publish warehouse/serving/planwatch.duckdb"
	@$(UV) run --frozen planwatch build --quiet

superset-bootstrap: install-superset
	@echo "==> Superset: metadata, roles, users, dashboards"
	@$(UV) run --frozen planwatch superset bootstrap

services: install
	@echo "==> services"
	@$(UV) run --frozen planwatch services start

up:
	@$(STAGE) install 1/5 "install: uv and the pipeline environment (.venv)" \
		--hint "check that PyPI is reachable (proxy, network), then run make up again" -- $(SUBMAKE) install
	@$(STAGE) superset-env 2/5 "install: the Superset environment (superset_config/.venv)" \
		--hint "run make up again; if it keeps failing, delete superset_config/.venv first" -- $(SUBMAKE) install-superset
	@$(STAGE) build 3/5 "build: land the inbox, dbt build and tests, publish the warehouse" \
		--hint "the log names the file, the place and what is wrong: fix it (or move the file out of inbox/), then make up" \
		-- $(SUBMAKE) build
	@$(STAGE) superset-bootstrap 4/5 "Superset: metadata, roles, users, dashboards" \
		--hint "run make up again; to start Superset's metadata over, delete .local/superset/superset.db first" \
		-- $(SUBMAKE) superset-bootstrap
	@$(STAGE) services 5/5 "services: Dagster UI, Dagster daemon, Superset" --show-from "planwatch is" \
		--hint "make down, then make up; each service's own log is in .local/logs/" -- $(SUBMAKE) services

down:
	@$(UV) run --frozen planwatch services stop

test:
	@$(STAGE) install 1/3 "install: uv and the pipeline environment (.venv)" --log-prefix make-test -- $(SUBMAKE) install
	@$(STAGE) superset-env 2/3 "install: the Superset environment" --log-prefix make-test -- $(SUBMAKE) install-superset
	@$(STAGE) browser 3/3 "install: chromium, chromedriver, CJK fonts" --log-prefix make-test -- $(SUBMAKE) install-browser
	@echo "==> test suite"
	@$(UV) run --frozen pytest -q

lint: install
	@$(UV) run --frozen ruff check .

bench: install install-superset
	@$(UV) run --frozen python bench/run_all.py
