# aftersales — the two commands a person needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
VENDOR := aftersales/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test setup venv assets messages migrate static demo serve lint format fuzz \
        bench-intake bench bench-sqlite bench-sla bench-stock bench-report bench-dispatch \
        bench-purchasing test-purchasing search-rebuild check clean

run: setup demo ## install everything, load demo data and serve on http://127.0.0.1:8000
	$(PY) manage.py serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

# The suite runs in TEST_WORKERS processes (pytest-xdist), each with a database of its own;
# --dist loadfile keeps a file's tests on one worker, so module-wide fixtures are built once.
# PYTEST_ARGS comes last and wins: PYTEST_ARGS="-n0" runs serially. The tests build their own
# databases and serve static files from the source, so migrate and collectstatic are not needed.
TEST_WORKERS ?= 2
test: venv assets messages ## the full suite: unit, API, permission and browser tests
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

setup: venv assets messages migrate static

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[test]'
	touch $@

assets: $(VENDOR)/.copied

$(VENDOR)/.copied: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons $(VENDOR)/htmx \
	  $(VENDOR)/alpine $(VENDOR)/echarts $(VENDOR)/signature_pad
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* $(VENDOR)/bootstrap/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts \
	  $(VENDOR)/bootstrap-icons/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/@alpinejs/csp/dist/cdn.min.js $(VENDOR)/alpine/alpine-csp.min.js
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/signature_pad/dist/signature_pad.umd.min.js* $(VENDOR)/signature_pad/
	touch $@

messages: venv
	$(PY) manage.py compilemessages --ignore '.venv' --ignore 'node_modules' -v 0

migrate: venv
	$(PY) manage.py migrate --noinput -v 0

static: venv assets
	$(PY) manage.py collectstatic --noinput -v 0

demo: venv migrate
	$(PY) manage.py demo_load

serve: venv
	$(PY) manage.py serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: lint ## what CI checks before the tests
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy aftersales/*/services.py aftersales/*/services/ aftersales/core/*.py

fuzz: setup ## schemathesis against the served OpenAPI schema
	$(PY) bench/fuzz.py

bench-intake: setup ## cases/s through the API vs plain SQL
	$(PY) bench/intake.py

search-rebuild: venv migrate ## rebuild the search index (after adding dictionary words)
	$(PY) manage.py search_rebuild

bench: setup ## lists at 1,000,000 cases on PostgreSQL (127.0.0.1): p50/p95/p99 through gunicorn
	$(PY) bench/lists.py $(BENCH_ARGS)

bench-sqlite: setup ## the same at 100,000 cases on SQLite
	$(PY) bench/lists.py --sqlite $(BENCH_ARGS)

bench-dispatch: venv ## dispatch board (200 technicians, 5,000 open orders) and suggestions: p50/p95/p99 on PostgreSQL
	$(PY) bench/dispatch.py $(BENCH_ARGS)

bench-sla: venv ## working-time additions/s on one core (and the SLA sweep when present)
	$(PY) bench/worktime.py
	if [ -f bench/sla_sweep.py ]; then $(PY) bench/sla_sweep.py; fi

bench-report: setup ## SLA compliance report over 100,000 cases on PostgreSQL (--sqlite: SQLite)
	$(PY) bench/sla_report.py $(BENCH_ARGS)

bench-stock: setup ## stock issues/s through the API vs plain SQL; one part's stock with 10M ledger rows (PostgreSQL)
	$(PY) bench/stock.py $(BENCH_ARGS)

bench-purchasing: venv ## supplier scorecard and stock figures over 40,000 receipt lines and 200,000 movements (SQLite; --pg URL)
	$(PY) bench/purchasing.py $(BENCH_ARGS)

test-purchasing: venv ## purchasing tests on SQLite, then on PostgreSQL when PG_TEST_URL is set
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest aftersales/purchasing -q
	if [ -n "$(PG_TEST_URL)" ]; then DATABASE_URL=$(PG_TEST_URL) DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest aftersales/purchasing -q; fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var/staticfiles
