"""Alembic's environment: run by `flask --app webapp db ...` (see webapp/migrate.py).

The connection comes from the caller (`config.attributes["connection"]`); without
one, the URL comes from the `sqlalchemy.url` option, else from the app's config.
"""
from __future__ import annotations

from typing import TypedDict

from alembic import context
from sqlalchemy import MetaData
from sqlmodel import SQLModel

from webapp import models  # noqa: F401  (registers the tables on SQLModel.metadata)
from webapp.db import create_db_engine

config = context.config
target_metadata = SQLModel.metadata


class _Options(TypedDict):
    """The options both modes give `context.configure`."""

    target_metadata: MetaData
    render_as_batch: bool
    compare_type: bool


OPTIONS: _Options = {"target_metadata": target_metadata, "render_as_batch": True, "compare_type": True}


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from webapp import create_app
    return create_app().config["DATABASE_URL"]


def run_offline() -> None:
    context.configure(url=_url(), literal_binds=True, **OPTIONS)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, **OPTIONS)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_db_engine(_url())
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, **OPTIONS)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
