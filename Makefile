# One entry point for people and CI. `make run` and `make test` are the README's two commands.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# What `thedeal` reads, the first file to set a variable winning: this checkout's own .env (its
# secret key, and anything you change), then the demo borough (demo.env). The tests read
# demo.env alone (tests/settings.py). A council names its own file instead (dotenv-sample).
export THEDEAL_ENV_FILE ?= .env,demo.env
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test test-postgres lint format lock clean

$(BIN)/thedeal: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(BIN)/thedeal

# .env: this checkout's own settings, never committed (.gitignore). install gives it a random
# SECRET_KEY once and never replaces it (a new key would sign everyone out and void links sent).
install: $(BIN)/thedeal  ## Create .venv with the app and the dev tools, and .env with a key.
	@umask 077; test -e .env || echo "# This checkout's own settings (see dotenv-sample); they win over demo.env." > .env
	@grep -q '^SECRET_KEY=.' .env || { \
	  echo "SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" >> .env; \
	  echo "make install: wrote a new SECRET_KEY into .env"; }
	@! grep -q '^# Made by make install from demo.env' .env || \
	  echo "make install: .env is a copy of an older demo.env (DEBUG=true): delete it and run make install again."

run: install  ## Migrate, load the demo borough if the database is empty, serve with a worker.
	$(BIN)/thedeal migrate --no-input
	$(BIN)/thedeal load_demo --if-empty
	@# DEBUG is off, as in production: the pages' CSS and scripts are served from the collected,
	@# fingerprinted copies, so collect them (only what changed; one line says how many).
	$(BIN)/thedeal collectstatic --no-input
	@# The waiter announces the address once /healthz answers, not when the server starts.
	@trap 'kill 0' INT TERM EXIT; \
	$(BIN)/thedeal db_worker & \
	$(BIN)/thedeal run_schedule & \
	$(BIN)/thedeal runserver $(HOST):$(PORT) & server=$$!; \
	$(BIN)/python -m thedeal.operations.serving http://$(HOST):$(PORT)/healthz $$server \
	  "The Deal is serving on http://$(HOST):$(PORT)/ (Ctrl-C stops the server, the worker and the scheduler)"; \
	wait $$server

test: install  ## The whole suite, on SQLite unless DATABASE_URL says otherwise.
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install  ## The database-backed tests again, on PostgreSQL ($$DATABASE_URL).
	THEDEAL_REQUIRE_POSTGRES=1 $(BIN)/python -m pytest -m "django_db and not once" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock:  ## Re-resolve requirements.lock from pyproject.toml (needs uv: pip install uv).
	uv pip compile pyproject.toml --extra dev --extra spark -o requirements.lock --python-version 3.11

clean:
	rm -rf $(VENV) var/cache
