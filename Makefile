# KKR Portal. `make run` and `make test` set everything up on a fresh machine.
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
export PIP_NO_WARN_SCRIPT_LOCATION := 1

.PHONY: setup run test lint e2e bench load faults worker beat chromium messages clean lock prod-check

# Packages come from the lock file (exact versions with hashes), the same one the image installs.
$(VENV)/.installed: requirements/dev.txt
	@PYTHON_BIN=$${PYTHON:-$$(bin/find-python)} || exit 1; \
	  [ -x $(PY) ] || $$PYTHON_BIN -m venv $(VENV)
	$(PIP) install --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	$(PIP) install --require-hashes --no-deps -r requirements/dev.txt
	$(PY) -c "import django, celery, weasyprint"
	touch $@

# A node_modules that is a link to a shared install is left alone (npm ci would empty the target).
node_modules/.installed: package.json package-lock.json
	@if [ -L node_modules ]; then echo "node_modules links to a shared install; not reinstalling"; \
	  else npm ci --no-audit --no-fund; fi
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# The address `make run` serves (`make run ADDR=127.0.0.1:8001`); links in the mails the demo and
# the server write, and in the calendar feeds, point there unless SITE_URL is set.
ADDR ?= 127.0.0.1:8000
run: setup
	$(PY) manage.py migrate --noinput
	SITE_URL=$${SITE_URL:-http://$(ADDR)} $(PY) manage.py seed_demo
	@echo "KKR Portal on http://$(ADDR) (SQLite, Celery tasks run eagerly)"
	SITE_URL=$${SITE_URL:-http://$(ADDR)} $(PY) manage.py runserver $(ADDR)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: setup
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest --ignore=tests/e2e

chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium; }

e2e: setup chromium
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest tests/e2e -p no:randomly

# make bench ONLY=search (or pages, measures, growth, agreements, evaluations, meetings ...; comma-
# separated) runs a part and merges it into bench/results/latest.json; BENCH_ARGS=--reuse keeps the data.
bench: setup
	$(PY) bench/run.py $(if $(ONLY),--only $(ONLY)) $(BENCH_ARGS)

load: setup
	$(PY) scripts/load.py

faults: setup
	$(PY) scripts/faults.py

worker: setup
	$(VENV)/bin/celery -A kkr_portal worker -Q celery,pdf -l info

# Refresh the lock files from pyproject.toml (keeps the locked versions unless a bound moved;
# `make lock UPGRADE=1` takes the newest allowed). prod.txt goes into the image, dev.txt into .venv.
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.12 \
	--custom-compile-command "make lock" --quiet $(if $(UPGRADE),--upgrade)
lock: setup
	$(LOCK) -o requirements/prod.txt
	$(LOCK) --extra dev -c requirements/prod.txt -o requirements/dev.txt

# The production path without Docker: Dockerfile + docker-compose.yml + README's .env, on the local
# PostgreSQL and Redis (scripts/prod_check.py).
prod-check: setup
	$(PY) scripts/prod_check.py

beat: setup
	$(VENV)/bin/celery -A kkr_portal beat -l info

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3

# Refresh the Danish catalogue after changing texts (needs GNU gettext): django.po is the one
# source of the Danish texts (translate new entries there with a .po editor); .po and .mo are
# committed, and tests/test_translations.py fails while an entry is untranslated or the .mo is stale.
messages: setup
	$(PY) manage.py makemessages -l da --no-obsolete --ignore=.venv --ignore=node_modules --ignore=bench --ignore=tests
	$(PY) manage.py compilemessages -l da --ignore=.venv --ignore=node_modules
