# One entry point for people and CI. `make run` and `make test` are the README's two commands.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# The demo borough's configuration; a council points THEDEAL_ENV_FILE at its own file.
export THEDEAL_ENV_FILE ?= demo.env
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test test-postgres lint format lock clean

$(BIN)/thedeal: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(BIN)/thedeal

# A developer's checkout runs as the demo borough; a council writes its own .env (see dotenv-sample).
.env:
	{ echo "# Made by make install from demo.env; see dotenv-sample."; cat demo.env; } > .env

install: $(BIN)/thedeal .env  ## Create .venv with the app and the dev tools.

run: install  ## Migrate, load the demo borough if the database is empty, serve with a worker.
	$(BIN)/thedeal migrate --no-input
	$(BIN)/thedeal load_demo --if-empty
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
