# medbill — the two commands are `make demo` and `make test`; everything they need is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HTMX_VERSION := 2.0.4
HTMX := src/medbill/web/static/vendor/htmx.min.js

.PHONY: install demo test lint typecheck imports pytest system-deps clean

install: $(STAMP) $(HTMX)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# htmx only enhances the web UI (every page works without it); fetched from the npm registry, never committed.
$(HTMX):
	@mkdir -p $(dir $(HTMX))
	@tmp=$$(mktemp -d) && if (cd $$tmp && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null 2>&1); then \
		tar -xzf $$tmp/htmx.org-$(HTMX_VERSION).tgz -C $$tmp && cp $$tmp/package/dist/htmx.min.js $(HTMX); \
	else echo "note: htmx not fetched (no npm?); the web UI works without it"; fi; rm -rf $$tmp

# Debian packages the tests need: Chromium for the browser tests, openssh-server for the SFTP tests.
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -x /usr/sbin/sshd || missing="$$missing openssh-server"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: install
	$(BIN)/medbill demo

lint: install
	$(BIN)/ruff check --output-format concise src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck: install
	$(BIN)/mypy

imports: install
	$(BIN)/lint-imports

pytest: install system-deps
	$(BIN)/pytest -q

test: install system-deps lint typecheck imports pytest

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
