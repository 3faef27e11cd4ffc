# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e browser lint check install demo clean messages compile-messages bench api-schema

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(STAMP)

# Front-end packages (GC Design System components, axe-core for the accessibility tests) come from the
# npm registry and are served from node_modules through Django's static files: no CDN.
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "Node.js and npm are needed for the front-end packages."; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

# The compiled catalogue is committed (a test checks it matches the .po); recompile when GNU gettext is here.
compile-messages: install
	@if command -v msgfmt >/dev/null 2>&1; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; \
	else echo "msgfmt (GNU gettext) not found: using the committed locale/fr/LC_MESSAGES/django.mo"; fi

## make run: install, migrate, load the fictional demo data once, create demo users, serve on :8000 (SQLite).
run: install compile-messages
	$(BIN)/python manage.py migrate --no-input -v 0
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py demo_users
	@# The background worker of admin imports runs beside the server and stops with it (docs/operations.md).
	@$(BIN)/python manage.py db_worker --backend imports --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: install and run the whole suite but the browser journeys (DATABASE_URL chooses the database;
## SQLite otherwise). make e2e runs those.
test: install compile-messages
	$(BIN)/python -m pytest -m "not e2e"

## make browser: Debian's Chromium, which the browser journeys drive (Playwright cannot download one here).
CHROMIUM := /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	echo "$(CHROMIUM) not found: installing Debian's chromium package."; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "No apt-get here: install Chromium so that $(CHROMIUM) exists, then run make e2e again."; exit 1; fi; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	else echo "Installing chromium needs root: run 'apt-get install -y chromium' as root, then make e2e."; exit 1; fi; \
	$$sudo apt-get update -q && $$sudo apt-get install -y -q chromium || { \
	  echo "Could not install chromium with apt-get: install it as root ('apt-get install -y chromium'), then make e2e."; \
	  exit 1; }; \
	[ -x $(CHROMIUM) ] || { echo "chromium is installed but $(CHROMIUM) is missing."; exit 1; }

## make e2e: the real-browser journeys and accessibility checks (tests/e2e; docs/browser-tests.md), with
## screenshots of each journey's last page in test-artifacts/e2e/.
e2e: install compile-messages browser
	$(BIN)/python -m pytest -m e2e

lint: install
	$(BIN)/ruff check .

## make check: the standing checks CI runs besides the tests.
check: install
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=mcee.settings.production SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-key-0123456789 \
	  MCEE_CASE_REF_KEY=check-only-not-a-real-key ALLOWED_HOSTS=mcee.example $(BIN)/python manage.py check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=mcee.settings.production SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-key-0123456789 \
	  MCEE_CASE_REF_KEY=check-only-not-a-real-key ALLOWED_HOSTS=mcee.example $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py makemigrations --check --dry-run

## make bench: performance benchmarks (tests/benchmarks) on a throwaway PostgreSQL database, created, migrated
## and dropped here (127.0.0.1:5432, user postgres); BENCH_ROWS=100000 runs them smaller (default 1000000).
bench: install
	@if ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -1)" main start; \
	  for _ in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi
	@db=mcee_bench_$$$$; \
	psql -h 127.0.0.1 -U postgres -q -c "CREATE DATABASE $$db" || exit 1; \
	trap 'psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $$db" >/dev/null 2>&1' EXIT; \
	export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$$db" DJANGO_SETTINGS_MODULE=mcee.settings.test; \
	echo "Benchmarks on the throwaway database $$db"; \
	$(BIN)/python manage.py migrate --no-input -v 0 && $(BIN)/python -m tests.benchmarks

## make api-schema: regenerate the committed OpenAPI schema after changing the API (a test checks it).
api-schema: install
	$(BIN)/python manage.py spectacular --lang en --file docs/api/openapi.yaml --validate --fail-on-warn

## make messages: refresh locale/fr after changing user-visible strings, then fill in the French.
messages: install
	$(BIN)/python manage.py makemessages -l fr --ignore=.venv --ignore=node_modules --ignore=tests --no-obsolete --no-wrap
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
