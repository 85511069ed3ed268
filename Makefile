# Two commands: `make run` and `make test`. Both install what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
DEMO := fixtures/demo-catalogue.json

.PHONY: run test quick install assets lint check migrate demo benchmark clean

# `exec`, so stopping make (Ctrl-C or SIGTERM, which make passes on to its child)
# reaches runserver itself, which then stops the embedded database it started.
run: install migrate demo
	exec env DEBUG=true $(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=true $(MANAGE) check --fail-level WARNING
	DEBUG=true $(MANAGE) makemigrations --check --dry-run
	DEBUG=true $(BIN)/pytest $(PYTEST_ARGS)

# The inner loop: everything but the browser tests, stopping at the first failure.
quick: install
	$(BIN)/ruff check .
	DEBUG=true $(BIN)/pytest -m "not browser" -x -q $(PYTEST_ARGS)

install: $(VENV)/.installed node_modules/.installed build/css/main.css

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

build/css/main.css: node_modules/.installed $(wildcard static/scss/*.scss)
	npm run --silent build

assets: build/css/main.css

migrate: install
	DEBUG=true $(MANAGE) migrate --no-input

# Loads the demo catalogue only into an empty database.
demo: install
	DEBUG=true $(MANAGE) load_demo_catalogue

# The measurement of record: gunicorn with production settings under wrk, at the
# demo catalogue and 100 times it (databases of its own in .benchmark/, kept), cold
# and warm, 1 and 8 clients, beside a static file. Prints the table and the targets
# met or missed; never fails on a missed target. Needs wrk (Debian: apt-get install wrk).
benchmark: install
	$(BIN)/python -m publishing.load_benchmark

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules build
