"""The database engine of an app and the session of a request.

One engine per app (so per process), kept in `app.extensions`; one session per
request, opened on first use, kept on `g`, rolled back if the request failed and
closed in teardown.
"""
from __future__ import annotations

import logging
import os
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

_KEY = "polku.db"
log = logging.getLogger(__name__)


def normalise_url(url: str | URL) -> URL:
    """postgres:// and postgresql:// mean psycopg 3; anything else as given."""
    parsed = make_url(str(url).replace("postgres://", "postgresql://", 1) if str(url).startswith("postgres://")
                      else url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


# Seconds a SQLite connection waits for another's write lock before giving up ("database is locked").
# Writers queue on this lock (see `webapp.services.decisions`), so it is long enough for a burst of them.
SQLITE_BUSY_TIMEOUT = 30.0


def _sqlite_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_wal(dbapi_connection: Any, connection_record: Any) -> None:
    """Write-ahead logging: readers never wait for the writer, nor the writer for readers.

    Only one writer at a time still; the others wait up to `SQLITE_BUSY_TIMEOUT`.
    The mode is kept in the database file, so setting it on every connection is cheap.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_db_engine(url: str | URL, echo: bool = False) -> Engine:
    """An engine for `url`: SQLite with foreign keys enforced, PostgreSQL through psycopg.

    A SQLite file is in WAL mode and its connections wait for a busy write lock
    (`SQLITE_BUSY_TIMEOUT`), so concurrent requests queue instead of failing.
    """
    parsed = normalise_url(url)
    # hide_parameters: SQL logs and database errors (logged with a 500) never show the values: e-mail addresses, notes
    kwargs: dict[str, Any] = {"echo": echo, "hide_parameters": True}
    in_memory = parsed.database in (None, "", ":memory:")
    if parsed.get_backend_name() == "sqlite":
        # check_same_thread: waitress serves from threads
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT}
        if in_memory:
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
        elif parsed.database:
            os.makedirs(os.path.dirname(os.path.abspath(parsed.database)), exist_ok=True)
    else:
        kwargs["pool_pre_ping"] = True
    engine = sa.create_engine(parsed, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_foreign_keys)
        if not in_memory:
            sa.event.listen(engine, "connect", _sqlite_wal)
    return engine


def get_engine(app: Flask | None = None) -> Engine:
    """The app's engine, made on first use (so /healthz and imports never connect)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types current_app as the app, not its proxy
    engine = app.extensions.get(_KEY)
    if engine is None:
        engine = app.extensions[_KEY] = create_db_engine(app.config["DATABASE_URL"], app.config["SQLALCHEMY_ECHO"])
    return engine


def get_session() -> Session:
    """This request's (or CLI command's) session."""
    if "db_session" not in g:
        g.db_session = Session(get_engine(), expire_on_commit=False)
    return g.db_session


def rollback_quietly(session: Session) -> None:
    """Roll the session back; if the database cannot even do that (it is down, the connection is gone),
    log it and go on: the transaction dies with its connection, and the request's error answer, not
    the server's bare one, reaches the user."""
    try:
        session.rollback()
    except Exception:  # noqa: BLE001  # a failed rollback must not replace the answer with a crash
        log.warning("rolling back failed; the connection is dropped", exc_info=True)


def close_session(exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        if exc is not None:
            rollback_quietly(session)
        try:
            session.close()
        except Exception:  # noqa: BLE001  # as above: the pool drops a connection it cannot reset
            log.warning("closing the session failed", exc_info=True)


def dispose(app: Flask) -> None:
    """Close the app's pooled connections (tests, forks)."""
    engine = app.extensions.pop(_KEY, None)
    if engine is not None:
        engine.dispose()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_session)
