"""Downgrades keep data or refuse: a downgrade step that would drop a table or column holding data
calls `refuse_to_lose` first, which stops the whole downgrade (nothing is changed: it runs in one
transaction) unless the operator said `--drop-data`.

A step that drops only what is rebuilt by itself (sign-in attempts, trusted devices, session
tokens, counters) need not call it.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

# `config.attributes[DROP_DATA]` is True when the operator agreed to lose data (`flask db downgrade --drop-data`).
DROP_DATA = "drop_data"


class DataWouldBeLost(Exception):
    """The downgrade would delete data and the operator has not agreed to it; nothing was changed."""


def _count(table: str, where: str = "") -> int:
    sql = f'SELECT COUNT(*) FROM "{table}"' + (f" WHERE {where}" if where else "")
    return int(op.get_bind().execute(sa.text(sql)).scalar_one())


def refuse_to_lose(step: str, *, tables: tuple[str, ...] = (), rows: dict[str, str] | None = None) -> None:
    """Raises `DataWouldBeLost` naming what `step` would delete or change: the rows of `tables`, and the
    rows of `rows` ({table: SQL condition}, e.g. the rows with a value in a column it drops)."""
    if context.config.attributes.get(DROP_DATA):
        return
    found: list[str] = []
    for table in tables:
        if n := _count(table):
            found.append(f"{n} rows in table {table}")
    for table, where in (rows or {}).items():
        if n := _count(table, where):
            found.append(f"{n} rows of {table} ({where})")
    if found:
        raise DataWouldBeLost(f"downgrading past {step} would delete " + ", ".join(found)
                              + "; nothing was changed (export first, or run again with --drop-data)")
