# CTMS: `make run` serves the embedded system, `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
export DJANGO_SETTINGS_MODULE := ctms.settings

.PHONY: install run demo test test-postgres lint migrations-check messages ci clean

$(BIN)/activate: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(BIN)/activate

install: $(BIN)/activate

messages: install
	$(PY) manage.py compilemessages --ignore "$(VENV)" -v 0

# The embedded system runs with DEBUG (and its development key) unless told otherwise.
demo: install messages
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_reference_data
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo

# The embedded system: SQLite, tasks in-process, demo data; http://127.0.0.1:8000
run: demo
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver 127.0.0.1:8000

test: install messages
	$(BIN)/pytest -q

# The same suite on PostgreSQL + Redis with a real Celery worker for the task tests.
test-postgres: install messages
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ctms} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/5} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/6} \
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

ci:
	bash .ci/run

# Performance figures on a cached PostgreSQL database of a million victims (built once, ~15 min);
# writes docs/performance.md. BENCH_DATABASE_URL and BENCH_SCALE override the defaults.
.PHONY: bench
bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm var staticfiles
