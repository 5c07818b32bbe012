"""Fixtures for the web app: a fresh database per test, on SQLite and on PostgreSQL.

Tests that take `database_url` (or `app`, `client`, `runner`) run once per backend.
PostgreSQL needs `POLKU_TEST_POSTGRES`, a server URL such as
postgresql://postgres@127.0.0.1:5433/ (`scripts/pg-test start` prints one); each test
creates its own database there and drops it afterwards. Without the variable the
PostgreSQL runs are deselected, and the summary says so, except under CI, where they
fail: CI must test both.

The youth tests' `catalogue` and `anna` are here too; the helpers all tests share are in tests/support.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.pool import NullPool

from tests.support.apps import make_app
from tests.support.catalogue import add_youth_catalogue
from tests.support.cohort_case import case, kaisa  # noqa: F401  (fixtures of the cohort tests)
from tests.support.smtp import SmtpServer
from tests.support.youths import youth_client
from webapp import db, migrate

PG_ENV = "POLKU_TEST_POSTGRES"
BACKENDS = ("sqlite", "postgresql")
_DESELECTED = pytest.StashKey[int]()


def _postgres_wanted() -> bool:
    return bool(os.environ.get(PG_ENV)) or bool(os.environ.get("CI"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _postgres_wanted():
        return
    keep, drop = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("database_url") == "postgresql"
        (drop if on_postgres else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
        config.stash[_DESELECTED] = len(drop)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    count = config.stash.get(_DESELECTED, 0)
    if count:
        terminalreporter.write_line(
            f"tests/webapp: {count} PostgreSQL test runs deselected because {PG_ENV} is not set "
            f"(start a server with `eval \"$(scripts/pg-test start)\"; export {PG_ENV}`)", yellow=True)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A URL of an empty database of its own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'polku.sqlite'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.fail(f"{PG_ENV} is not set, and CI must run the PostgreSQL tests: start a server with "
                    f"`eval \"$(scripts/pg-test start)\"; export {PG_ENV}` (Debian package postgresql)")
    server = db.normalise_url(base)
    name = f"polku_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server.set(database=server.database or "postgres"), poolclass=NullPool,
                             isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture
def empty_app(database_url: str) -> Iterator[Flask]:
    """An app on an empty database (no tables)."""
    app = make_app(database_url)
    yield app
    db.dispose(app)


@pytest.fixture
def app(empty_app: Flask) -> Flask:
    """An app on a database migrated to the newest revision."""
    migrate.upgrade(empty_app)
    return empty_app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def catalogue(app: Flask) -> None:
    """The catalogue as the youth tests read it (`add_youth_catalogue`); a module that needs another one
    defines its own `catalogue`."""
    add_youth_catalogue(app)


@pytest.fixture
def anna(app: Flask, catalogue: None) -> FlaskClient:
    """Anna, a youth just signed up (so signed in), in English; a module may define its own `anna`."""
    return youth_client(app)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on a free loopback port, stopped after the test."""
    server = SmtpServer().start()
    yield server
    server.stop()
