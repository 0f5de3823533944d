# Waypoint: `make run` serves the platform with demo data; `make test` runs
# every check. Both set everything up first on a fresh machine.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# A local, loopback-only run: no TLS, so the HTTPS-only protections are off.
LOCAL_ENV := WAYPOINT_HTTPS=0 SECRET_KEY_FILE=var/secret_key ALLOWED_HOSTS=127.0.0.1,localhost

.PHONY: run setup install messages static test lint typecheck pytest bench clean

run: setup
	@echo "Waypoint is at http://127.0.0.1:$(PORT)/ (Ctrl+C stops it)"
	$(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

setup: install var/secret_key messages static
	$(LOCAL_ENV) $(PY) manage.py migrate --no-input
	$(LOCAL_ENV) $(PY) manage.py load_demo
	$(LOCAL_ENV) $(PY) manage.py ensure_admin

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	@py=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] || "$$py" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

var/secret_key:
	@mkdir -p var
	@umask 077; $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

messages: install var/secret_key
	@command -v msgfmt >/dev/null || scripts/apt-install gettext
	$(LOCAL_ENV) $(PY) manage.py compilemessages --ignore=.venv -v 0

static: install var/secret_key
	$(LOCAL_ENV) $(PY) manage.py collectstatic --no-input -v 0

test: install messages
	scripts/test

bench: setup
	$(PY) bench/search.py --services 100000

clean:
	rm -rf $(VENV) staticfiles
