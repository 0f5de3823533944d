# Waypoint: `make run` serves the platform with demo data; `make test` runs
# every check. Both set everything up first on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# A local, loopback-only run: no TLS, so the HTTPS-only protections are off.
LOCAL_ENV := WAYPOINT_HTTPS=0 EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend SECRET_KEY_FILE=var/secret_key ALLOWED_HOSTS=127.0.0.1,localhost \
  WAYPOINT_FIELD_KEYS_FILE=var/field_keys WAYPOINT_BLIND_INDEX_KEY_FILE=var/blind_index_key
# Local secrets, written once with owner-only permissions and kept across runs
# (losing var/field_keys makes the encrypted data unreadable).
KEYS := var/secret_key var/field_keys var/blind_index_key

.PHONY: help run setup install messages fonts static test lint typecheck pytest bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## /  make \1\t/' | expand -t 20

# The web server, one task worker (django-tasks-db) and the scheduler that
# enqueues periodic tasks; Ctrl+C stops all three. Before the worker starts,
# the tasks a stopped `make run` left RUNNING are queued again (no worker is
# running yet, so all of them were lost: --stale-after 0).
run: setup ## set everything up, load the demo data, serve http://127.0.0.1:8000 (PORT=…)
	@$(LOCAL_ENV) $(PY) manage.py tasks_recover --stale-after 0 --actor worker-start
	@echo "Waypoint is at http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	@trap 'kill 0' EXIT INT TERM; \
	  $(LOCAL_ENV) $(PY) manage.py db_worker --queue-name default --interval 2 & \
	  $(LOCAL_ENV) $(PY) manage.py tasks_scheduler & \
	  $(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

setup: install $(KEYS) messages fonts static ## everything `make run` does except serving
	$(LOCAL_ENV) $(PY) manage.py migrate --no-input
	$(LOCAL_ENV) $(PY) manage.py load_demo
	$(LOCAL_ENV) $(PY) manage.py load_activities_demo
	$(LOCAL_ENV) $(PY) manage.py ensure_admin

install: $(VENV)/.installed ## the virtual environment with the pinned dependencies

$(VENV)/.installed: requirements.lock
	@py=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || "$$py" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

var/secret_key:
	@mkdir -p var
	@umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# Fernet keys for the encrypted personal data, newest first (see README).
var/field_keys: | $(VENV)/.installed
	@mkdir -p var
	@umask 077; $(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > $@

var/blind_index_key:
	@mkdir -p var
	@umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(32))' > $@

messages: install $(KEYS)
	@command -v msgfmt >/dev/null || scripts/apt-install gettext
	$(LOCAL_ENV) $(PY) manage.py compilemessages --ignore=.venv -v 0

# The PDF downloads embed DejaVu Sans for Romanian, Bulgarian and Greek letters.
fonts:
	@[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || scripts/apt-install fonts-dejavu-core

static: install $(KEYS)
	$(LOCAL_ENV) $(PY) manage.py collectstatic --no-input -v 0

test: install messages fonts ## every check and test (what CI runs)
	scripts/test

lint: install ## ruff (lint and format) and the import contracts
	scripts/test lint

typecheck: install ## mypy --strict
	scripts/test typecheck

pytest: install messages fonts ## the test suite on SQLite, then PostgreSQL
	scripts/test pytest

bench: setup ## the public search benchmark (see docs/performance.md for the rest)
	$(PY) bench/search.py --services 100000

clean: ## remove the virtual environment and collected static files
	rm -rf $(VENV) staticfiles
