# Kehu: the two commands are `make run` and `make test` (`make dev`: the reloading dev server).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KEHU := $(BIN)/kehu
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run dev demo-db test lint typecheck pytest pytest-postgres bench messages install install-dev clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9  || $(BIN)/python -m pip install --quiet uv

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml | $(BIN)/uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements-dev.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo-db: install
	$(KEHU) migrate --no-input -v 0
	@# A freshly built demo also gets its first analytics run and duplicate search, so the
	@# value report and the review queue have something to show.
	@$(KEHU) demo --if-empty | tee $(VENV)/.demo-output; test $${PIPESTATUS[0]} -eq 0
	@if grep -q "^Built" $(VENV)/.demo-output; then \
	  $(KEHU) analytics run --no-progress && $(KEHU) dedupe; fi
	@grep -A 12 "^Demo logins" $(VENV)/.demo-output || true

# Served by gunicorn (2 workers forked from a preloaded master; see src/kehu/gunicorn_conf.py).
run: demo-db
	@echo "Kehu is serving http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(BIN)/gunicorn -c python:kehu.gunicorn_conf --preload -w 2 -b $(HOST):$(PORT)

# Django's development server: reloads on code changes, serves static files itself.
dev: demo-db
	@echo "Kehu (development server) at http://$(HOST):$(PORT)/  (Ctrl-C stops it)"
	$(KEHU) runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install-dev
	$(BIN)/mypy src/kehu

pytest: install-dev
	@set +e; $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup tests; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure here"; exit 1; fi; exit $$rc

# The Django-side tests again on PostgreSQL when KEHU_TEST_POSTGRES names a server.
pytest-postgres: install-dev
	@if [ -z "$$KEHU_TEST_POSTGRES" ]; then echo "KEHU_TEST_POSTGRES not set: PostgreSQL run skipped"; exit 0; fi; \
	set +e; KEHU_DATABASE_URL="$$KEHU_TEST_POSTGRES" $(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not spark" tests --ignore=tests/analytics; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no PostgreSQL tests: that is a failure here"; exit 1; fi; exit $$rc

test: lint typecheck pytest pytest-postgres

bench: install-dev
	$(BIN)/python bench/run_all.py

messages: install-dev
	cd src/kehu && ../../$(KEHU) makemessages -l zh_Hans --no-obsolete --ignore "analytics/*" && ../../$(KEHU) compilemessages -l zh_Hans

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
