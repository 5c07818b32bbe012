"""Alembic, run programmatically on the app's database (no alembic.ini needed)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import Connection

from .db import get_engine
from .migrations.keep import DROP_DATA, DataWouldBeLost

__all__ = ["DataWouldBeLost", "IntegrityError", "downgrade", "upgrade"]


class IntegrityError(Exception):
    """The migration would break a reference between rows; nothing was changed."""

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _run(app: Flask, action: str, revision: str, *, drop_data: bool = False) -> None:
    """Runs the migration steps in one transaction: a step that fails (or refuses, `migrations.keep`)
    leaves the database as it was, on SQLite too."""
    config = alembic_config()
    config.attributes[DROP_DATA] = drop_data
    engine = get_engine(app)
    if engine.dialect.name != "sqlite":
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            getattr(command, action)(config, revision)
        return
    with engine.connect() as connection:
        with _sqlite_transactional(connection):
            config.attributes["connection"] = connection
            getattr(command, action)(config, revision)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise IntegrityError(f"the migration would leave {len(broken)} rows pointing at rows that are gone "
                                     f"(first in table {broken[0][0]}); nothing was changed")


@contextmanager
def _sqlite_transactional(connection: Connection) -> Iterator[None]:
    """SQLite's driver commits DDL as it goes and keeps foreign keys on, so a table rebuilt by a batch
    step fails on its references and a failure leaves `_alembic_tmp_*` tables behind. Here foreign keys
    are off during the run (and checked once at its end, `PRAGMA foreign_key_check`) and every
    statement, DDL included, is in one real transaction, rolled back on any error."""
    driver = cast(sqlite3.Connection, connection.connection.driver_connection)  # SQLite: pysqlite's connection
    connection.commit()  # nothing open: the pragma below works only outside a transaction
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    level = driver.isolation_level
    driver.isolation_level = None  # the driver starts no transaction of its own
    try:
        driver.execute("BEGIN")
        try:
            yield
        except BaseException:
            driver.rollback()
            raise
        driver.commit()
    finally:
        driver.isolation_level = level
        driver.execute("PRAGMA foreign_keys=ON")


def upgrade(app: Flask, revision: str = "head") -> None:
    _run(app, "upgrade", revision)


def downgrade(app: Flask, revision: str = "-1", *, drop_data: bool = False) -> None:
    """Down to `revision`; refuses (`DataWouldBeLost`, nothing changed) where a step would delete data,
    unless `drop_data`."""
    _run(app, "downgrade", revision, drop_data=drop_data)


def current_revision(app: Flask) -> str | None:
    with get_engine(app).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def revision(app: Flask, message: str) -> None:
    """Autogenerate a new migration from the models (for developers)."""
    config = alembic_config()
    with get_engine(app).begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
