# The README's two commands: `make demo` and `make test`. Both install what they need first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install demo test test-sqlite test-postgresql bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@missing=""; \
	command -v ffprobe >/dev/null || missing="$$missing ffmpeg"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing from the system's packages (chromium is the browser the portal's tests drive)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[dev,postgres,dask]"
	touch $(STAMP)

demo: install
	rm -rf demo
	$(BIN)/mentoring demo demo

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgresql

# The whole suite on each workspace's SQLite store and, at the same time, everything that
# touches a store on PostgreSQL (skipped, saying why, when no server answers): the task tests
# of the store, the ledger and the uploads, and every flow and process but those marked
# store_independent (tests/conftest.py), which prove the same on any store.
STORE_TESTS := $(addprefix tests/tasks/,test_store.py test_schema.py test_faults.py 	test_email.py test_submissions.py) tests/flows tests/e2e

# The SQLite run is the longer: two workers, each taking whole modules so that a module's
# programme is built once, keep both cores busy once the PostgreSQL run is done.
test-sqlite: install
	$(BIN)/pytest --durations=10 -n 2 --dist loadfile

test-postgresql: install
	$(BIN)/pytest --durations=10 --store postgresql $(STORE_TESTS)

bench: install
	$(BIN)/python benchmarks/intake.py --applicants 1000
	$(BIN)/python benchmarks/intake.py --applicants 100000
	$(BIN)/python benchmarks/videos.py --videos 4
	$(BIN)/python benchmarks/orchestration.py
	$(BIN)/python benchmarks/latency.py
	$(BIN)/python benchmarks/decisions.py
	$(BIN)/python benchmarks/web.py

clean:
	rm -rf $(VENV) demo
