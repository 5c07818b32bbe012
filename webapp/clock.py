"""The clock every timestamp is read from: UTC, timezone-aware, as every timestamp column stores it."""
from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """The current moment in UTC."""
    return dt.datetime.now(dt.timezone.utc)


def aware(moment: dt.datetime) -> dt.datetime:
    """A stored moment as an aware UTC time: SQLite gives back naive UTC, PostgreSQL aware."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)
