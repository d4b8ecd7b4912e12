# The commands a person types. Everything runs inside .venv, made on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test test-browser lint format check messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-prod: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-prod

.env:
	cp .env.example .env

## run: set up, migrate, load demo data on first run, serve http://127.0.0.1:8000 with the mail worker
run: $(VENV)/.installed-prod .env
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	$(MANAGE) devserver

## test: set up and run the whole test suite
test: $(VENV)/.installed-dev .env
	$(BIN)/pytest

# axe-core for the accessibility scan, at the version package-lock.json pins.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

## test-browser: only the real-browser tests, failing (not skipping) when Chromium or axe-core is missing
test-browser: $(VENV)/.installed-dev .env node_modules/.package-lock.json
	TALKS_REQUIRE_BROWSER=1 $(BIN)/pytest -m browser

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## check: the migrations and production settings checks CI runs
check: $(VENV)/.installed-dev .env
	$(MANAGE) makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-key-but-long-enough-for-django \
		ALLOWED_HOSTS=talks.example.com $(MANAGE) check --deploy --fail-level WARNING

# Where makemessages looks for strings: the project's own code and templates, not its tools.
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=bench \
	--ignore='*/tests/*' --ignore=tests --ignore=conftest.py

## messages: gather the strings to translate into locale/de/LC_MESSAGES/django.po and compile the
## catalogues (.mo, committed); needs GNU gettext (apt-get install gettext)
messages: $(VENV)/.installed-dev
	$(MANAGE) makemessages --locale de --no-obsolete --add-location file $(MESSAGES_IGNORE)
	$(MANAGE) compilemessages --locale de --ignore=.venv --ignore=node_modules

## bench: load every page on gunicorn with production settings and print the table (README,
## "Performance"); SCALE=small|default|large, BENCH_SECONDS per page, BENCH_ARGS for the rest
SCALE ?= default
BENCH_SECONDS ?= 10
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run --scale $(SCALE) --seconds $(BENCH_SECONDS) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles node_modules
