# Two commands set everything up on a fresh machine (Python 3.11, make and the package registries):
#   make up     install, run the pipeline on the embedded default, start Superset and the Dagster UI
#   make test   install what the tests need and run the whole suite
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# One rule finds uv everywhere (planwatch/uv_locator.py): PATH, ~/.local/bin, the uv package of python3.
UV = $$(python3 planwatch/uv_locator.py)
export UV_LINK_MODE := copy
export PLANWATCH_LOCAL_DEMO ?= 0

.PHONY: help uv install install-superset install-browser up down build test lint bench

help:
	@echo "make up      install, build the warehouse, start Superset (dashboards) and the Dagster UI"
	@echo "make down    stop the services that make up started"
	@echo "make test    install test dependencies and run the whole test suite"
	@echo "make bench   benchmarks (prints figures, writes bench/RESULTS.md)"

uv:
	@python3 planwatch/uv_locator.py --install >/dev/null

install: uv
	@echo "==> pipeline environment (.venv, locked by uv.lock)"
	@$(UV) sync --frozen

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

up: build install-superset
	@echo "==> Superset: metadata, roles, users, dashboards"
	@$(UV) run --frozen planwatch superset bootstrap
	@echo "==> services"
	@$(UV) run --frozen planwatch services start

down:
	@$(UV) run --frozen planwatch services stop

test: install install-superset install-browser
	@echo "==> test suite"
	@$(UV) run --frozen pytest

lint: install
	@$(UV) run --frozen ruff check .

bench: install install-superset
	@$(UV) run --frozen python bench/run_all.py
