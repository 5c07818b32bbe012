"""The matching engine of a process: one `matching.Matcher`, kept fresh from the database by its changes.

Every change to what the engine sees of an opening stamps the row with the catalogue version of its
transaction (`engine.versions`). `current()` reads the catalogue version at most once per request
(kept on `g`) and, when the database is ahead of the matcher, reads only the openings changed since
the matcher's own version and applies them to it in place (`engine.changes`: add, update, remove,
or just the places taken), a few milliseconds at 10^5 openings. A full build happens only when the
process has no matcher yet (at start; gunicorn builds it before forking, `warm`) or when more than
`MATCHER_REBUILD_AFTER` openings changed at once: then a background thread builds a new matcher
while requests go on with the old one, and swaps it in when done. So every worker process on one
database follows the same catalogue, each on its own.

Threads: a worker's threads share one matcher, changed in place, so it is guarded by a readers-writer
lock (`locks.ReadWriteLock`), not copied. A request takes the read side when it first asks for the
matcher and lets go when its app context ends, so the matcher, its index rows and its version stay
put for the whole request; applying changes and swapping in a rebuilt matcher take the write side,
which waits for the requests in flight (at most `WRITE_WAIT` seconds, else a later request applies
them). One thread at a time applies or swaps (`lock`).

The process also keeps the youths' lists of matches (`kept_matches`), checked against the openings
changed since each was made (`engine.kept`).
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
from . import changes, versions
from .convert import openings_from_rows
from .kept import KeptMatches
from .locks import ReadWriteLock
from ..models import Association, Opening
from ..states import OpeningStatus
from .versions import catalogue_version

log = logging.getLogger(__name__)

_KEY = "polku.engine"
MATCH_CACHE_SIZE = 4096  # lists of matches kept per process (config MATCH_CACHE_SIZE; 0: none)
REBUILD_AFTER = 2000  # more openings changed at once than this: rebuild in the background (MATCHER_REBUILD_AFTER)
WRITE_WAIT = 0.25  # seconds a change waits for the requests reading the matcher before it is left for later
CATCH_UP_WAIT = 1.0  # seconds a request waits for another thread applying changes before serving the old state


@dataclass
class ProcessEngine:
    """A process's matcher with the catalogue version it reflects (None before the first build), its
    locks, the background rebuild if one runs, and the matches it gave."""

    built: tuple[Matcher, int] | None = None  # one attribute: readers get a matcher with its own version
    lock: threading.Lock = field(default_factory=threading.Lock)  # one thread applies or swaps at a time
    rw: ReadWriteLock = field(default_factory=ReadWriteLock)  # requests read, changes write
    matches: KeptMatches = field(default_factory=lambda: KeptMatches(MATCH_CACHE_SIZE))
    rebuild_after: int = REBUILD_AFTER
    rebuilding: threading.Thread | None = None
    builds: int = 0  # full builds so far, the first included
    applied: int = 0  # batches of changes applied in place

    @property
    def matcher(self) -> Matcher | None:
        return self.built[0] if self.built is not None else None

    @property
    def version(self) -> int:
        return self.built[1] if self.built is not None else -1

    def rebuild_running(self) -> bool:
        return self.rebuilding is not None and self.rebuilding.is_alive()


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


def _build_now(app: Flask, engine: ProcessEngine) -> None:
    """Build the first matcher (nothing to serve yet); caller holds `engine.lock`."""
    started = time.perf_counter()
    with Session(db.get_engine(app)) as session:
        matcher, version = build_matcher(session, app)
    engine.built = (matcher, version)
    engine.builds += 1
    engine.matches.restart(version)
    log.info("matcher built from catalogue version %d: %d openings in %.2f s",
             version, len(matcher.index), time.perf_counter() - started)


def catch_up(app: Flask, engine: ProcessEngine) -> None:
    """Apply the openings changed since the matcher's version, or start a background rebuild if too many
    did; caller holds `engine.lock` and no read of `engine.rw`."""
    if engine.built is None or engine.rebuild_running():
        return
    with Session(db.get_engine(app)) as session:
        found = changes.read(session, engine.version, engine.rebuild_after)
    if found is None:
        start_rebuild(app, engine)
        return
    if found.version <= engine.version:
        return
    if not engine.rw.acquire_write(WRITE_WAIT):
        return  # requests still reading: a later one applies them
    try:
        matcher = engine.built[0]
        touched = changes.apply(matcher, found)
        engine.built = (matcher, found.version)
        engine.applied += 1
        engine.matches.changed(found.version, touched)
    except Exception:  # the index may be half changed: serve it, and build a whole new one
        log.exception("applying %d changed openings failed; rebuilding the matcher", len(found.items))
        start_rebuild(app, engine)
    finally:
        engine.rw.release_write()


def start_rebuild(app: Flask, engine: ProcessEngine) -> threading.Thread:
    """Build a new matcher in a background thread (unless one is building) and swap it in when done."""
    if engine.rebuilding is not None and engine.rebuilding.is_alive():
        return engine.rebuilding
    thread = threading.Thread(target=_rebuild_in_background, args=(app, engine), name="polku-matcher-rebuild",
                              daemon=True)
    engine.rebuilding = thread
    thread.start()
    return thread


def _rebuild_in_background(app: Flask, engine: ProcessEngine) -> None:
    started = time.perf_counter()
    try:
        with Session(db.get_engine(app)) as session:
            matcher, version = build_matcher(session, app)
    except Exception:
        log.exception("rebuilding the matcher failed; the old one is served")
        return
    with engine.lock:
        while not engine.rw.acquire_write(WRITE_WAIT):
            pass  # readers go on between tries; the old matcher is theirs until then
        try:
            engine.built = (matcher, version)
            engine.builds += 1
            engine.matches.restart(version)
        finally:
            engine.rw.release_write()
    log.info("matcher rebuilt in the background from catalogue version %d: %d openings in %.2f s",
             version, len(matcher.index), time.perf_counter() - started)


def get_matcher() -> Matcher:
    """This process's matcher, brought up to date if the catalogue changed (inside an app or request context)."""
    return current()[0]


def current() -> tuple[Matcher, int]:
    """The matcher this request uses and its catalogue version, caught up if the catalogue moved; kept on
    `g`, and read-locked until the app context ends."""
    if "polku_matcher" in g:
        return g.polku_matcher
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types current_app as the app, not its proxy
    engine: ProcessEngine = app.extensions[_KEY]
    wanted = versions.current().catalogue
    if engine.built is None:  # nothing to serve yet: wait for the first build
        with engine.lock:
            if engine.built is None:
                _build_now(app, engine)
    if engine.version < wanted and not engine.rebuild_running() and engine.lock.acquire(timeout=CATCH_UP_WAIT):
        try:
            catch_up(app, engine)
        finally:
            engine.lock.release()
    engine.rw.acquire_read()
    g.polku_engine_read = engine
    g.polku_matcher = engine.built
    return g.polku_matcher


def _release(exc: BaseException | None = None) -> None:
    """The end of an app context: its read of the matcher ends."""
    engine: ProcessEngine | None = g.pop("polku_engine_read", None)
    if engine is not None:
        engine.rw.release_read()


def kept_matches() -> KeptMatches:
    """The youths' lists of matches this process keeps, checked against the changes since each was made."""
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
        _build_now(app, engine)
    db.dispose(app)


def init_app(app: Flask) -> None:
    size = int(app.config.get("MATCH_CACHE_SIZE", MATCH_CACHE_SIZE))
    app.extensions[_KEY] = ProcessEngine(matches=KeptMatches(size),
                                         rebuild_after=int(app.config.get("MATCHER_REBUILD_AFTER", REBUILD_AFTER)))
    app.teardown_appcontext(_release)
