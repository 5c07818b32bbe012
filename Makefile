# The two commands of the README: `make run` and `make test`. `make bench` measures.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed

.PHONY: run demo test bench system-deps translations clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

system-deps:
	./scripts/system-deps test

# axe-core for the accessibility checks of the page tests (package.json; a test tool, not shipped).
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The app on http://127.0.0.1:5000 with gunicorn (a worker process per core, see scripts/gunicorn.conf.py)
# and the background worker (`python -m webapp.worker`: e-mail, long runs), stopped together by Ctrl-C,
# on the SQLite file in instance/ (or DATABASE_URL); the install's random secret key is made once in
# instance/secret_key (SECRET_KEY in the environment wins); demo data only into a database without real accounts.
run: $(STAMP)
	./scripts/system-deps run
	$(PY) -m webapp.secret_key
	$(VENV)/bin/flask --app webapp db upgrade
	$(VENV)/bin/flask --app webapp seed
	@echo "Polku: http://127.0.0.1:5000  (Ctrl-C stops the web server and the worker)"
	./scripts/run-together \
	  -- $(VENV)/bin/gunicorn --config scripts/gunicorn.conf.py --bind 127.0.0.1:5000 'webapp:create_app()' \
	  -- $(PY) -m webapp.worker

# The engine alone: the demo youths' top matches, with reasons, as text.
demo: $(STAMP)
	$(PY) -m matching match --openings fixtures/openings.jsonl --youths fixtures/youths.jsonl -k 5 --pretty

# The suite runs on SQLite and on a throwaway PostgreSQL server started for it; page tests
# drive Debian's Chromium (never a downloaded browser). TEST_WORKERS processes share the tests
# (pytest-xdist): most wait on a database or a browser, so more than the cores pays.
TEST_WORKERS ?= 3
test: system-deps $(STAMP) $(NODE_STAMP)
	@eval "$$(./scripts/pg-test start)"; export POLKU_TEST_POSTGRES; \
	trap './scripts/pg-test stop "$$PGTEST_DIR"' EXIT; \
	$(PY) -m pytest -n $(TEST_WORKERS)

bench: $(STAMP)
	./scripts/system-deps bench
	$(PY) -m benchmarks

# After changing user-facing strings: refresh the catalogues, then translate the new entries.
translations: $(STAMP)
	$(VENV)/bin/pybabel extract -F webapp/translations/babel.cfg -k _l -o messages.pot .
	$(VENV)/bin/pybabel update -i messages.pot -d webapp/translations
	rm -f messages.pot

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis node_modules
