# QGov — `make run` starts the platform on this machine; `make test` runs every test against
# the same real PostgreSQL and broker. Only Python 3.11 and pip are needed: the first run
# installs a pinned uv into .qgov/tools and the locked dependencies into .venv.

UV_VERSION := 0.13.9
PYTHON ?= python3
TOOLS := .qgov/tools
UV := $(TOOLS)/bin/uv
SYNC_STAMP := .venv/.synced

.PHONY: run test soak lint fmt bench contracts clean distclean status down

run: $(SYNC_STAMP)
	$(UV) run --no-sync qgov up

status: $(SYNC_STAMP)
	$(UV) run --no-sync qgov status

down: $(SYNC_STAMP)
	$(UV) run --no-sync qgov down

# One pytest worker per core of CI's machine, each with its own PostgreSQL and broker.
TEST_WORKERS ?= 2
# pytest exits 5 when it collected no test; that is not a failure of the code under test.
# The web's browser tests drive Debian's Chromium (and need a Chinese font to draw the pages):
# installed first where they are missing and apt can install them (as root, as on CI).
test: $(SYNC_STAMP)
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends chromium fonts-wqy-microhei; fi
	$(UV) run --no-sync pytest -n $(TEST_WORKERS) $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests"; status=0; fi; exit $$status

# The fault suite's long version: a minute of each fault under load, then the table of results.
soak: $(SYNC_STAMP)
	QGOV_SOAK=1 $(UV) run --no-sync pytest tests/reliability $(PYTEST_ARGS)

lint: $(SYNC_STAMP)
	$(UV) run --no-sync ruff check .
	$(UV) run --no-sync ruff format --check .

fmt: $(SYNC_STAMP)
	$(UV) run --no-sync ruff check --fix .
	$(UV) run --no-sync ruff format .

# Regenerates contracts/openapi/ from the services' code (a test checks it is current).
contracts: $(SYNC_STAMP)
	$(UV) run --no-sync qgov openapi

bench: $(SYNC_STAMP)
	$(UV) run --no-sync python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf .venv $(TOOLS) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Also removes the platform's data (databases, logs) under .qgov.
distclean: clean
	rm -rf .qgov

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(SYNC_STAMP): $(UV) uv.lock pyproject.toml shared/pyproject.toml $(wildcard services/*/pyproject.toml)
	$(UV) sync --frozen --all-packages --python $(PYTHON)
	touch $(SYNC_STAMP)
