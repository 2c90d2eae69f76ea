# The newcomer's commands: `make run` and `make test` (README). Everything installs into .venv.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# The first interpreter >= 3.12 found: pyenv's (from .python-version), then the usual names.
PYTHON ?= $(shell for c in "$$(pyenv which python 2>/dev/null)" python3.13 python3.12 python3 python; do \
	p=$$(command -v "$$c" 2>/dev/null) || continue; \
	"$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$p"; break; }; \
	done)
DATABASE_URL_PG ?= postgres://postgres@127.0.0.1:5432/kyodo
REDIS_URL_TEST ?= redis://127.0.0.1:6379/15
PYTEST_ARGS ?=
# `make run PORT=8001` serves on another port; links in the demo's mails (KYODO_SITE_URL)
# follow it unless KYODO_SITE_URL is set in the environment.
PORT ?= 8000
RUN_SITE_URL := $(or $(KYODO_SITE_URL),http://127.0.0.1:$(PORT))
# The suite runs on two processes (pytest-xdist): the machines here have 2 cores. 0 runs it in one.
PYTEST_WORKERS ?= 2

.PHONY: help python install run migrate seed test test-postgres test-e2e worker beat lint format messages check-deploy clean bench bench-data

help:
	@echo "make run            serve the portal with demo data on http://127.0.0.1:8000 (SQLite, no services; PORT=8001 for another port)"
	@echo "make test           run the whole test suite on SQLite"
	@echo "make test-postgres  the same suite on PostgreSQL (DATABASE_URL) + Celery against Redis (REDIS_URL)"
	@echo "make worker | beat  a Celery worker / the beat scheduler (needs REDIS_URL)"
	@echo "make lint           ruff check + format check"
	@echo "make bench          the benchmark on a generated PostgreSQL database (bench/README.md)"
	@echo "make messages       update and compile the Japanese catalogue (needs GNU gettext)"

python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "kyodo needs Python 3.12 or newer (Django 6.1), and none was found."; \
	  echo "Install it (e.g. 'pyenv install 3.13.0', or your system's python3.13 package), then run make again."; \
	  exit 1; fi

$(VENV)/.installed: pyproject.toml | python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "$(VENV) was made with $$($(PY) --version); kyodo needs 3.12+. Remove $(VENV) and run make again."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	# The IPAex Gothic font for PDFs; --no-deps because the wheel would pull in matplotlib.
	$(PY) -m pip install --quiet --no-deps "matplotlib-fontja==1.1.0"
	@touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	KYODO_SITE_URL="$(RUN_SITE_URL)" $(PY) manage.py seed_demo

run: seed
	@echo "Background tasks run in-process (no REDIS_URL). Mail is printed to this console."
	KYODO_SITE_URL="$(RUN_SITE_URL)" $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	DJANGO_ENV=test $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test-postgres: install
	DJANGO_ENV=test DATABASE_URL=$${DATABASE_URL:-$(DATABASE_URL_PG)} REDIS_URL=$${REDIS_URL:-$(REDIS_URL_TEST)} \
	  $(PY) -m pytest -n $(PYTEST_WORKERS) -m "not pages" $(PYTEST_ARGS)

worker: install
	$(VENV)/bin/celery -A kyodo worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A kyodo beat --loglevel=INFO

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages --locale ja --no-obsolete --ignore ".venv/*" --ignore "tests/*"
	$(PY) manage.py compilemessages --locale ja --ignore ".venv/*"

check-deploy: install
	DJANGO_ENV=production SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  ALLOWED_HOSTS=kyodo.example.jp EMAIL_URL=smtp+tls://kyodo:secret@mail.example.jp:587 \
	  KYODO_SITE_URL=https://kyodo.example.jp REDIS_URL=redis://127.0.0.1:6379/0 \
	  $(PY) manage.py check --deploy --fail-level WARNING

# The benchmark (bench/README.md): not part of the suite. BENCH_DATABASE_URL is filled once
# (bench-data, a few minutes), then measured as often as wanted.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kyodo_bench
BENCH_SCALE ?= 1
BENCH_ARGS ?=

bench-data: install
	@db=$${BENCH_DATABASE_URL##*/}; \
	  psql "$${BENCH_DATABASE_URL%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$$db'" | grep -q 1 \
	  || { createdb -h 127.0.0.1 -U postgres "$$db" && \
	       DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0 && \
	       DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.generate --scale $(BENCH_SCALE); }

bench: bench-data
	DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
