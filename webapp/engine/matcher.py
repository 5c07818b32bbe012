"""The matching engine of a process: one `matching.Matcher`, kept fresh from the database.

Every change to openings bumps the catalogue version in the same transaction (see
`engine.versions.bump_catalogue`). `get_matcher()` reads that one row at most once per request
(the result is kept on `g`) and, when the database is ahead of the matcher, rebuilds it
from the open openings. One thread rebuilds under a lock while the others keep serving
the old matcher; only a process that has no matcher yet waits for the first build. So
every worker process on one database converges on the same catalogue.

The process also keeps the youths' lists of matches (`kept_matches`) for the matcher's
catalogue version: a new version starts them empty. `engine.matches` decides what goes in.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlmodel import Session, col

from matching import Matcher

from .. import db
from . import versions
from .convert import openings_from_rows
from ..models import Association, Opening
from ..states import OpeningStatus
from .versions import catalogue_version
from .versions import VersionCache

log = logging.getLogger(__name__)

_KEY = "polku.engine"
MATCH_CACHE_SIZE = 4096  # lists of matches kept per process (config MATCH_CACHE_SIZE; 0: none)


@dataclass
class ProcessEngine:
    """A process's matcher with the catalogue version it was built from (None before the first
    build), the rebuild lock and the matches it gave (kept for that version only)."""

    built: tuple[Matcher, int] | None = None  # one attribute: readers get a matcher with its own version
    lock: threading.Lock = field(default_factory=threading.Lock)
    matches: VersionCache = field(default_factory=lambda: VersionCache(MATCH_CACHE_SIZE))

    @property
    def matcher(self) -> Matcher | None:
        return self.built[0] if self.built is not None else None

    @property
    def version(self) -> int:
        return self.built[1] if self.built is not None else -1


def build_matcher(session: Session, app: Flask) -> tuple[Matcher, int]:
    """A matcher fitted on the open openings, and the catalogue version it reflects.

    The version is read before the openings: under READ COMMITTED a change committed
    in between makes the openings newer than the version, never older, so at worst the
    next request rebuilds once more.
    """
    version = catalogue_version(session)
    # Plain rows, not ORM objects: the engine needs only the values, and at 10^4 openings
    # building (and tracking) an ORM object per row is a good part of the startup.
    table = Opening.__table__
    rows = session.connection().execute(
        sa.select(table, col(Association.name).label("association_name"))
        .join(Association, table.c.association_id == Association.id)
        .where(table.c.status == OpeningStatus.OPEN).order_by(table.c.id)
    )
    openings = openings_from_rows((row, row.association_name) for row in rows)
    for skipped in openings.skipped:  # one bad row must not take the engine down
        log.warning("opening %s left out of the engine: field %r: %s", skipped.ref, skipped.field, skipped.message)
    matcher = Matcher(**app.config.get("MATCHER_OPTIONS", {})).fit(openings.items)
    return matcher, version


def _rebuild(app: Flask, engine: ProcessEngine, wanted: int) -> None:
    """Build a new matcher unless another thread has already caught up with `wanted`; caller holds the lock."""
    if engine.matcher is not None and engine.version >= wanted:
        return
    started = time.perf_counter()
    with Session(db.get_engine(app)) as session:
        matcher, version = build_matcher(session, app)
    engine.built = (matcher, version)
    log.info("matcher built from catalogue version %d: %d openings in %.2f s",
             version, len(matcher.index), time.perf_counter() - started)


def get_matcher() -> Matcher:
    """This process's matcher, refreshed if the catalogue changed (inside an app or request context)."""
    return current()[0]


def current() -> tuple[Matcher, int]:
    """The matcher this request uses and its catalogue version, refreshed if the catalogue moved; kept on `g`."""
    if "polku_matcher" in g:
        return g.polku_matcher
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types current_app as the app, not its proxy
    engine: ProcessEngine = app.extensions[_KEY]
    current = versions.current().catalogue
    if engine.matcher is None:  # nothing to serve yet: wait for the first build
        with engine.lock:
            _rebuild(app, engine, current)
    elif engine.version < current and engine.lock.acquire(blocking=False):
        try:  # the others keep serving the old matcher meanwhile
            _rebuild(app, engine, current)
        finally:
            engine.lock.release()
    g.polku_matcher = engine.built
    return g.polku_matcher


def kept_matches() -> VersionCache:
    """The youths' lists of matches this process keeps, for the catalogue version of its matcher."""
    return state(current_app).matches


def state(app: Flask) -> ProcessEngine:
    """The app's engine in this process: its matcher, the version it reflects, its lock, its kept matches."""
    engine: ProcessEngine = app.extensions[_KEY]
    return engine


def warm(app: Flask) -> None:
    """Build the matcher now, then close the database connections it used.

    For a server that forks worker processes after loading the app (gunicorn --preload,
    see scripts/gunicorn.conf.py): the workers inherit the fitted matcher (shared
    copy-on-write) and answer their first request at once, and no connection opened
    here is shared with them (each opens its own on first use).
    """
    engine: ProcessEngine = app.extensions[_KEY]
    with app.app_context(), engine.lock:
        with Session(db.get_engine(app)) as session:
            current = catalogue_version(session)
        _rebuild(app, engine, current)
    db.dispose(app)


def init_app(app: Flask) -> None:
    size = int(app.config.get("MATCH_CACHE_SIZE", MATCH_CACHE_SIZE))
    app.extensions[_KEY] = ProcessEngine(matches=VersionCache(size))
