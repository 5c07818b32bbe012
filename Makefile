# The two commands of the README: `make run` and `make test`. `make bench` measures.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run demo test bench system-deps translations clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

system-deps:
	./scripts/system-deps test

# The app on http://127.0.0.1:5000 with waitress, on the SQLite file in instance/ (or DATABASE_URL).
run: $(STAMP)
	./scripts/system-deps run
	$(VENV)/bin/flask --app webapp db upgrade
	$(VENV)/bin/flask --app webapp seed
	@echo "Polku: http://127.0.0.1:5000  (Ctrl-C stops)"
	$(VENV)/bin/waitress-serve --host 127.0.0.1 --port 5000 --call webapp:create_app

# The engine alone: the demo youths' top matches, with reasons, as text.
demo: $(STAMP)
	$(PY) -m matching match --openings fixtures/openings.jsonl --youths fixtures/youths.jsonl -k 5 --pretty

# The suite runs on SQLite and on a throwaway PostgreSQL server started for it.
test: system-deps $(STAMP)
	@eval "$$(./scripts/pg-test start)"; export POLKU_TEST_POSTGRES; \
	trap './scripts/pg-test stop "$$PGTEST_DIR"' EXIT; \
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m benchmarks

# After changing user-facing strings: refresh the catalogues, then translate the new entries.
translations: $(STAMP)
	$(VENV)/bin/pybabel extract -F webapp/translations/babel.cfg -k _l -o messages.pot .
	$(VENV)/bin/pybabel update -i messages.pot -d webapp/translations
	rm -f messages.pot

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
