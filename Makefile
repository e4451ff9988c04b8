# Two commands: `make run` (install, migrate, demo data, serve) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test deps browser lint check serve clean messages screenshots

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.installed node_modules/.installed

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || { echo "Could not install chromium: run 'apt-get install chromium' as root."; exit 1; }; }

run: deps
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver $(HOST)

serve: deps
	DEBUG=1 $(PY) manage.py runserver $(HOST)

# Tests run as production does (DEBUG off); only the secret is a throwaway.
# Two processes (each with its own test database and Redis database): the suite takes about half the time.
TEST_WORKERS ?= auto
test: deps browser
	SECRET_KEY="$${SECRET_KEY:-make-test-throwaway-secret}" DEBUG=0 $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: deps
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check

# Refresh the English catalogue from the source strings and compile it (needs gettext's msgfmt/xgettext).
# Translate any new or fuzzy entries in locale/en/LC_MESSAGES/django.po, then run it again; commit .po and .mo.
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules
messages: deps
	DEBUG=1 $(PY) manage.py makemessages -l en $(MESSAGES_IGNORE) --ignore=bench --ignore=tests --no-location
	DEBUG=1 $(PY) manage.py compilemessages $(MESSAGES_IGNORE)

# The README's pictures (docs/img/*.png), from a fresh demo county; needs a Chinese font (fonts-noto-cjk).
screenshots: deps browser
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 var
