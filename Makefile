# `make run` and `make test` do all set-up on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000

.PHONY: run test test-pg test-fast fuzz lint format migrations-check loaddata release clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# A local development server: DEBUG is on unless you say DEBUG=false.
run: export DEBUG ?= true
run: $(VENV)/.runtime loaddata
	$(BIN)/python manage.py runserver $(ADDR)

# A generated SECRET_KEY for this checkout (git-ignored), so every manage.py command works after `make run`.
.env: | $(VENV)/.runtime
	$(BIN)/python -c "from django.core.management.utils import get_random_secret_key as key; print(f'SECRET_KEY={key()}')" > $@

loaddata: $(VENV)/.runtime .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference_data

# One release of the dataset (README, "For researchers") from the local database, into an empty RELEASE_DIR.
RELEASE_DIR ?= release
release: loaddata
	$(BIN)/python manage.py export_dataset $(RELEASE_DIR)

# The suite in parallel (pytest-xdist: a process and a test database per CPU; each starts on its share of the
# tests in order, the longest first, and an idle one takes over another's); TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= auto
test: $(VENV)/.dev
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The suite on a throwaway PostgreSQL cluster (PostgreSQL 15's server; PG_BIN to use another), so that the fast
# paths' parity tests, skipped on SQLite, run too: tests/pg_cluster.sh starts it on a free port and removes it
# afterwards, even when a test fails or the run is interrupted, and keeps pytest's exit status.
test-pg: $(VENV)/.dev
	bash tests/pg_cluster.sh $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Everything but the tests that start servers or real tools (marked realtools): a quick check while editing.
test-fast: $(VENV)/.dev
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal -m "not realtools" $(PYTEST_ARGS)

# The benchmark (tests/bench/README.md): PostgreSQL at BENCH_PG_URL and wrk; BENCH_ARGS="--quick" for CI.
bench: $(VENV)/.runtime
	$(BIN)/python tests/bench/run.py $(BENCH_ARGS)

# A longer Schemathesis run than the suite's: every boundary and invalid value of
# every body field too, and FUZZ_EXAMPLES random cases per operation and mode.
FUZZ_EXAMPLES ?= 100
fuzz: $(VENV)/.dev
	FUZZ_FULL=1 FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -s -p no:warnings tests/test_fuzz_schema.py $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(VENV)/.dev
	SECRET_KEY=check $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles $(RELEASE_DIR)
