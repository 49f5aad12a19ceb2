# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CODE := parking schema api config workers hardware edge fakes bench tests migrations

.PHONY: run test lint typecheck pytest schema schema-check migrations-check bench install clients web-test mp-test train-install clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,vision]'
	touch $(STAMP)

install: $(STAMP)

# Training (torch, ultralytics, easyocr): pinned to the CPU torch, see docs/recognition.md.
train-install: install
	$(PY) -m pip install -q -e '.[dev,vision,train]' -c constraints/train.txt

WEB := clients/web
WEB_STAMP := $(WEB)/node_modules/.installed

# npm ci only when the lock file changed (it wipes node_modules, about a minute here); the build always runs.
$(WEB_STAMP): $(wildcard $(WEB)/package-lock.json)
	cd $(WEB) && npm ci --no-audit --no-fund
	touch $@

# The drivers' mini-program (uni-app): one source, built as H5 (served at /m/) and as mp-weixin.
MP := clients/miniprogram
MP_STAMP := $(MP)/node_modules/.installed

$(MP_STAMP): $(wildcard $(MP)/package-lock.json)
	cd $(MP) && npm ci --no-audit --no-fund
	touch $@

clients:
	@if [ -f $(WEB)/package.json ]; then $(MAKE) --no-print-directory $(WEB_STAMP) && cd $(WEB) && npm run build; fi
	@if [ -f $(MP)/package.json ]; then $(MAKE) --no-print-directory $(MP_STAMP) && cd $(MP) && npm run build:h5; fi

# The dashboard's vitest suite; `clients` has installed its node_modules.
web-test: clients
	@if [ -f $(WEB)/package.json ]; then cd $(WEB) && npm test; fi

# Both mini-program targets, its type check and its vitest suite; tests/miniprogram then checks the outputs.
mp-test: clients
	@if [ -f $(MP)/package.json ]; then cd $(MP) && npm run build:mp-weixin && npm run typecheck && npm test; fi

run: install clients
	$(VENV)/bin/parkcloud migrate
	$(VENV)/bin/parkcloud demo --if-empty
	$(VENV)/bin/parkcloud serve --host 127.0.0.1 --port 8000 --simulate

lint: install
	$(VENV)/bin/ruff check $(CODE)
	$(VENV)/bin/ruff format --check $(CODE)
	$(VENV)/bin/lint-imports

typecheck: install
	$(VENV)/bin/mypy $(CODE)

schema: install
	$(VENV)/bin/parkcloud schema print -o schema/schema.graphql

# pytest-xdist: a test file per worker at a time (tests/scheduling.py keeps tests/multiprocess whole). Most tests
# wait on a server, a browser or PostgreSQL, so two workers use both cores; PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= 2

pytest: install
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile

# web-test and mp-test build the dists first, so the browser tests in tests/web and tests/miniprogram have
# something to serve.
test: lint typecheck web-test mp-test pytest

bench: install
	$(PY) -m bench all

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
