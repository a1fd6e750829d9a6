# The README's commands. Everything installs into .venv from uv.lock.
PYTHON ?= python3
VENV := .venv
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_PASSWORD ?= kopru-demo-2026

# Tests run against real PostgreSQL and Redis on the standard local ports.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kopru
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0
# In parallel: one pytest-xdist worker per CPU, each with a test database of its own
# (test_kopru_gw0, test_kopru_gw1, ...). PYTEST_ARGS="-n0" runs in one process;
# PYTEST_WORKERS=4 sets the number.
PYTEST_WORKERS ?= auto

.PHONY: help install run test lint format worker beat bench-allocation messages clean

help:
	@echo "make run    - start the portal with demo data on http://127.0.0.1:$(PORT)"
	@echo "make test   - run the whole test suite against PostgreSQL and Redis"
	@echo "make lint   - ruff, mypy and the migrations check"
	@echo "make messages - update and compile the translations (ru en ky kk tr uz az)"

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

install: $(UV)
	$(UV) sync --frozen --inexact --quiet

# The embedded default: SQLite under var/, tasks in-process, e-mail to the console.
# PORT goes to the portal too: its links in notices and letters (PORTAL_URL) follow it.
run: install
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL DEBUG=1 PORT=$(PORT) EMAIL_URL=consolemail:// \
		$(PY) manage.py migrate --no-input
	# The demo's notices go to the inbox; their e-mails are not printed at start-up.
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL DEBUG=1 PORT=$(PORT) EMAIL_URL=dummymail:// \
		$(PY) manage.py seed_demo --password "$(DEMO_PASSWORD)"
	env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL DEBUG=1 PORT=$(PORT) EMAIL_URL=consolemail:// \
		$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) scripts/check_services.py
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage \
		$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=info

# Approvals per second through gunicorn against the raw UPDATE limit of PostgreSQL.
# Its own database (created and migrated if missing); numbers only, no pass/fail.
bench-allocation: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/kopru_bench} \
		$(PY) -m bench.allocation

messages: install
	$(PY) manage.py makemessages --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests \
		-l ru -l en -l ky -l kk -l tr -l uz -l az
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var
