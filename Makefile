# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
GCDS := cms/static/cms/vendor/gcds/gcds.esm.js
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e browser lint check install demo clean messages compile-messages bench api-schema serve-prod load-test

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

# The GC Design System's browser files, copied where Django's static files find them (cms/frontend_build.py).
$(GCDS): $(NODE_STAMP) $(BIN)/python cms/frontend_build.py
	$(BIN)/python -m cms.frontend_build

install: $(STAMP) $(NODE_STAMP) $(GCDS)

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
	  MCEE_CASE_REF_KEY=check-only-not-a-real-key ALLOWED_HOSTS=mcee.example REDIS_URL=redis://127.0.0.1:6379/0 $(BIN)/python manage.py check --deploy --fail-level WARNING
	DJANGO_SETTINGS_MODULE=mcee.settings.production SECRET_KEY=check-only-$$(date +%s)-not-a-real-secret-key-0123456789 \
	  MCEE_CASE_REF_KEY=check-only-not-a-real-key ALLOWED_HOSTS=mcee.example REDIS_URL=redis://127.0.0.1:6379/0 $(BIN)/python manage.py makemigrations --check --dry-run
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
	export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$$db" DJANGO_SETTINGS_MODULE=mcee.settings.bench; \
	echo "Benchmarks on the throwaway database $$db"; \
	$(BIN)/python manage.py migrate --no-input -v 0 && $(BIN)/python -m tests.benchmarks

## make serve-prod: the production profile on this machine: gunicorn (2 workers) + an RQ worker, Redis, PostgreSQL
## database mcee_prod_local (created if missing), static files by whitenoise, on http://127.0.0.1:8300 (SERVE_PORT).
## Plain HTTP on loopback only: secure cookies and the HTTPS redirect are off, and the secrets are throwaway ones.
SERVE_PORT ?= 8300
PROD_DB ?= mcee_prod_local
PROD_REDIS_URL ?= redis://127.0.0.1:6379/0
PROD_ENV = DJANGO_SETTINGS_MODULE=mcee.settings.production DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(PROD_DB) \
  REDIS_URL=$(PROD_REDIS_URL) ALLOWED_HOSTS=127.0.0.1,localhost CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$(SERVE_PORT) \
  SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 WEB_CONCURRENCY=2 \
  GUNICORN_BIND=127.0.0.1:$(SERVE_PORT) GUNICORN_ACCESS_LOG=$${GUNICORN_ACCESS_LOG:-} \
  SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
  MCEE_CASE_REF_KEY=$${MCEE_CASE_REF_KEY:-local-only-$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(16))')}
prod-db: install compile-messages
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(PROD_DB)'" | grep -q 1 \
	  || psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $(PROD_DB)"
	@export $(PROD_ENV); $(BIN)/python manage.py migrate --no-input -v 0 && $(BIN)/python manage.py collectstatic --no-input -v 0

serve-prod: prod-db
	@export $(PROD_ENV); echo "Production profile on http://127.0.0.1:$(SERVE_PORT)/ (database $(PROD_DB), Redis $(PROD_REDIS_URL))"; \
	$(BIN)/python manage.py rqworker default & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py

## make load-test: 50 users for 60 s (LOAD_USERS, LOAD_SECONDS) with locust against `make serve-prod`'s profile on
## loopback, on the benchmark data set at LOAD_SCALE (default 1) seeded into mcee_prod_local; writes the
## figures under "load_test" in bench/results.json (and bench/results.md).
LOAD_USERS ?= 50
LOAD_SECONDS ?= 60
LOAD_SCALE ?= 1
load-test: prod-db
	@DJANGO_SETTINGS_MODULE=mcee.settings.bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(PROD_DB) \
	  $(BIN)/python manage.py seed_bench --scale $(LOAD_SCALE) --replace | tail -1
	@export $(PROD_ENV) MCEE_API_RATE=$${MCEE_API_RATE:-600/minute}; \
	$(BIN)/python -m tests.benchmarks.load --users $(LOAD_USERS) --seconds $(LOAD_SECONDS) --port $(SERVE_PORT)

## make api-schema: regenerate the committed OpenAPI schema after changing the API (a test checks it).
api-schema: install
	$(BIN)/python manage.py spectacular --lang en --file docs/api/openapi.yaml --validate --fail-on-warn

## make messages: refresh locale/fr after changing user-visible strings, then fill in the French.
messages: install
	$(BIN)/python manage.py makemessages -l fr --ignore=.venv --ignore=node_modules --ignore=tests --no-obsolete --no-wrap
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
