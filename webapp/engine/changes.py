"""The openings changed since a catalogue version, read from the database and applied to a fitted matcher.

Every change to what the engine sees of an opening stamps its row's `changed_in` with the catalogue
version of its transaction (`engine.versions`); a deleted one leaves an `OpeningTombstone`. So the
openings a worker at version v has not seen are the rows with `changed_in > v` and the tombstones
above v, and applying them (add, update, remove, or just the places taken) brings its matcher to what
a full build from the database would give (tests/webapp/test_changes.py checks it).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from matching import Matcher
from matching.io import FieldError
from matching.model import Opening as EngineOpening

from ..models import Association, Opening, OpeningTombstone
from ..states import OpeningStatus
from .convert import opening_from_row
from .versions import catalogue_version

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """An opening as the engine should now hold it; None: out of the catalogue (closed, a draft, deleted,
    or a row the engine cannot read)."""

    ref: str
    opening: EngineOpening | None


@dataclass(frozen=True)
class Changes:
    """What brings a matcher from one catalogue version to `version`, oldest first."""

    version: int
    items: list[Change]


def read(session: Session, since: int, limit: int) -> Changes | None:
    """The changes after catalogue version `since`; None when more than `limit` openings changed (rebuild).

    The version is read before the rows, so under READ COMMITTED the rows are at least as new
    as it: a change committed in between is applied now and again next time (the same state)."""
    version = catalogue_version(session)
    if version <= since:
        return Changes(version, [])
    connection = session.connection()
    tombstones = OpeningTombstone.__table__
    removed = connection.execute(sa.select(tombstones.c.ref).where(tombstones.c.version > since)
                                 .order_by(tombstones.c.version).limit(limit + 1)).scalars().all()
    table = Opening.__table__
    rows: list[sa.Row[Any]] = list(connection.execute(
        sa.select(table, col(Association.name).label("association_name"))
        .join(Association, table.c.association_id == Association.id)
        .where(table.c.changed_in > since).order_by(table.c.changed_in, table.c.id).limit(limit + 1 - len(removed))
    )) if len(removed) <= limit else []
    if len(removed) + len(rows) > limit:
        return None
    items = [Change(ref, None) for ref in removed]
    for row in rows:
        items.append(Change(row.ref, _engine_opening(row) if row.status == OpeningStatus.OPEN else None))
    return Changes(version, items)


def _engine_opening(row: sa.Row[Any]) -> EngineOpening | None:
    try:
        return opening_from_row(row, row.association_name)
    except FieldError as e:  # one bad row must not take the engine down
        log.warning("opening %s left out of the engine: field %r: %s", row.ref, e.field, e.message)
        return None


def apply(matcher: Matcher, changes: Changes) -> set[str]:
    """Apply `changes` to `matcher`'s index in place; the ids of the openings whose indexed state changed.

    Only the places taken changed: `set_filled`, no re-indexing. The caller makes sure nobody reads the
    matcher meanwhile (`engine.matcher` holds its write lock)."""
    index = matcher.index
    touched: set[str] = set()
    for change in changes.items:
        new = change.opening
        if new is None:
            if change.ref in index:
                matcher.remove(change.ref)
                touched.add(change.ref)
            continue
        if change.ref not in index:
            matcher.add(new)
        else:
            old = index.opening(index.row_of(change.ref))
            if old == new:
                continue  # nothing the engine reads changed (say, the association's name set back)
            if replace(old, filled=new.filled) == new:
                matcher.set_filled(change.ref, new.filled)
            else:
                matcher.update(new)
        touched.add(change.ref)
    return touched
