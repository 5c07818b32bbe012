"""What each worker process keeps, and the versions that say when to drop it.

Every worker keeps values made from the database: the matcher and each youth's matches
(`engine.matcher`, `engine.kept`), the directory's searches and filter choices
(`services.catalogue`), the weights each region scores with (`engine.matches`). One row
(`models.CatalogueVersion`) holds a version for each kind of source, raised in the same
transaction as any change to it (`bump_catalogue`, `bump_weights`, and on every flush
that touches an Opening or a WeightProfile); the openings changed carry the new catalogue
version in `changed_in`, so the matcher applies just those (`engine.changes`). A request
reads that row once (`current`) and a `VersionCache` drops its values when its version
moves, so a kept value is never older than what the request itself would read.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from cachetools import LRUCache
from flask import g

import sqlalchemy as sa
from sqlmodel import Session

from .. import clock
from ..db import get_session
from ..models import CatalogueVersion, Opening, OpeningTombstone, WeightProfile
from ..states import OpeningStatus

T = TypeVar("T")


@dataclass(frozen=True)
class Versions:
    """The row's versions as one query read them."""

    catalogue: int
    weights: int


def _bump(session: Session, column: str) -> int:
    """Raise one version of the row by one within the session's transaction; the new value.

    The UPDATE takes the row's write lock, so concurrent writers serialise and every
    committed change has its own version."""
    table = CatalogueVersion.__table__
    connection = session.connection()  # not session.execute: this may run inside a flush
    bumped = connection.execute(
        sa.update(table).where(table.c.id == 1).values({column: table.c[column] + 1}).returning(table.c[column])
    ).scalar_one_or_none()
    if bumped is None:  # a database made without the migrations (which insert the row)
        connection.execute(sa.insert(table).values({"id": 1, column: 1}))
        bumped = 1
    return bumped


def bump_catalogue(session: Session) -> int:
    """Raise the catalogue version within the session's transaction; the new value.

    Flushing a new, changed or deleted open Opening calls this by itself (see
    `_versions_changed`), and stamps the opening's `changed_in` with the new value. Call it
    directly before bulk UPDATE statements on openings, which bypass the session, and set
    `changed_in` to the value it returns on every row they change (or `mark_changed` them),
    so every worker applies them (`engine.changes`).
    """
    return _bump(session, "version")


def mark_changed(session: Session, version: int, *where: sa.ColumnElement[bool]) -> None:
    """Stamp the openings `where` selects as changed at `version` (one `bump_catalogue` gave), for a
    change they do not carry in their own columns (their association's name)."""
    table = Opening.__table__
    session.connection().execute(sa.update(table).where(*where).values(changed_in=version))


def bump_weights(session: Session) -> int:
    """Raise the weights version within the session's transaction (as `bump_catalogue`, for
    weight profiles); the new value."""
    return _bump(session, "weights")


_VERSION_ROW = CatalogueVersion.__table__
_VERSIONS = sa.select(_VERSION_ROW.c.version, _VERSION_ROW.c.weights).where(_VERSION_ROW.c.id == 1)


def versions(session: Session) -> Versions:
    """Every request reads this (`current`): one statement, built once."""
    row = session.connection().execute(_VERSIONS).first()
    return Versions(row.version, row.weights) if row is not None else Versions(0, 0)


def catalogue_version(session: Session) -> int:
    return versions(session).catalogue


def _in_catalogue(opening: Opening) -> bool:
    """Whether the opening is open, or was open before this flush: what the engine and the directory see."""
    history = sa.inspect(opening).attrs.status.history
    return OpeningStatus.OPEN in (opening.status, *history.deleted)


@sa.event.listens_for(Session, "before_flush")
def _versions_changed(session: Session, flush_context: Any, instances: Any) -> None:
    """A flush that adds, changes or deletes an open Opening (or closes or drafts one that was open)
    bumps the catalogue version and stamps those openings' `changed_in` with it (a deleted one that
    was ever published leaves an `OpeningTombstone`); drafts and closed openings are nobody's matches, so saving one
    leaves every worker's matcher and caches as they are. Any WeightProfile change bumps the weights
    version."""
    changed = [o for o in session.dirty if isinstance(o, Opening) and session.is_modified(o)]
    for opening in changed:
        opening.updated_at = clock.now()
    written = [o for o in (*changed, *session.new) if isinstance(o, Opening) and _in_catalogue(o)]
    deleted = [o for o in session.deleted if isinstance(o, Opening)]
    version = bump_catalogue(session) if written or any(_in_catalogue(o) for o in deleted) else 0
    for opening in written:
        opening.changed_in = version
    # A deleted row leaves a tombstone: at this version if it was open, else at the version it left the
    # catalogue (its status change is gone with the row, and a worker behind it must still drop it).
    tombstones = [{"ref": o.ref, "version": version if _in_catalogue(o) else o.changed_in} for o in deleted]
    tombstones = [t for t in tombstones if t["version"]]  # 0: a draft never published
    if tombstones:
        session.connection().execute(sa.insert(OpeningTombstone.__table__), tombstones)
    if any(isinstance(o, WeightProfile) for o in (*session.new, *session.deleted)) or any(
            isinstance(o, WeightProfile) and session.is_modified(o) for o in session.dirty):
        bump_weights(session)


def current() -> Versions:
    """The versions as this request (or CLI command) reads them: one query, then kept on `g`."""
    if "polku_versions" not in g:
        g.polku_versions = versions(get_session())
    return g.polku_versions


class VersionCache:
    """Values kept until their version moves (then all are dropped).

    `get(version, key, make)` answers the value kept for `key` at `version`, or makes it.
    A request that read an older version than the cache holds (a snapshot taken just
    before a change) gets a value made from its own snapshot, not kept. At most `size`
    keys, the least recently used dropped first; a size of 0 keeps nothing. Thread-safe;
    `make` runs outside the lock, so other threads go on meanwhile.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.version = -1
        self._values: LRUCache[Hashable, Any] | None = LRUCache(size) if size > 0 else None
        self._lock = threading.Lock()

    def get(self, version: int, key: Hashable, make: Callable[[], T]) -> T:
        if self._values is None:
            return make()
        with self._lock:
            if version > self.version:
                self._values.clear()
                self.version = version
            elif version == self.version and key in self._values:
                return self._values[key]  # cachetools marks it as used
        value = make()
        with self._lock:
            if version == self.version:
                self._values[key] = value
        return value

    def __len__(self) -> int:
        return len(self._values) if self._values is not None else 0
