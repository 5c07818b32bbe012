"""Alembic, run programmatically on the app's database (no alembic.ini needed)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from .db import get_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _run(app: Flask, action: str, revision: str, **kwargs: object) -> None:
    config = alembic_config()
    with get_engine(app).begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, action)(config, revision, **kwargs)


def upgrade(app: Flask, revision: str = "head") -> None:
    _run(app, "upgrade", revision)


def downgrade(app: Flask, revision: str = "-1") -> None:
    _run(app, "downgrade", revision)


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
