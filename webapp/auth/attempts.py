"""Limits on sign-ins, sign-ups and registrations that cannot be raced and cannot be turned on the owner.

Each attempt is counted *before* the work it guards (the ~150 ms password hash): a row is
inserted and committed under every key the attempt touches, then the keys' rows in the
window are counted. Commits are ordered, so the k-th attempt to commit sees at least k
rows: of 100 parallel attempts on one key at most `most` go ahead, on SQLite and on
PostgreSQL, in every worker process. An attempt that is refused takes its rows back, so
refused attempts do not push the window on; one that went ahead keeps them (a failure
counts) until it ends well (`release`) or leaves the window.

The keys (sha256 of their parts: no address, e-mail or device id is stored):
- the client address: every sign-in from it, known accounts or not, so nobody can make the
  server hash passwords for made-up addresses at will;
- the account, for browsers it has never signed in from: the guessing budget of strangers;
- the account and this browser, for a browser that signed in to the account before (a
  device cookie, OWASP's "device cookies"): the owner's own budget, which no stranger's
  attempts touch, so an attacker can slow strangers down but never lock the owner out;
- sign-ups and registrations per client address.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from .. import clock
from ..models import Attempt


@dataclass(frozen=True)
class Limit:
    """At most `most` attempts per `window` under one key."""

    most: int
    window: dt.timedelta


def key(kind: str, *parts: str) -> str:
    """A key of `kind` for `parts` (an address, an e-mail, a device id): a hash, so none is stored."""
    return hashlib.sha256("\x1f".join((kind, *parts)).encode()).hexdigest()


@dataclass(frozen=True)
class Taken:
    """An attempt counted: `wait` seconds before it may go ahead (0: now), the rows that count it."""

    wait: int
    rows: list[int]


class Attempts:
    """Attempts per key in sliding windows, kept in the database (`Attempt` rows)."""

    def __init__(self, limits: Mapping[str, Limit], now: Callable[[], dt.datetime] = clock.now) -> None:
        self.limits = dict(limits)
        self.now = now

    def take(self, session: Session, keys: Iterable[tuple[str, str]]) -> Taken:
        """One attempt under each (kind, key): `Taken.wait` 0 if it may go ahead (its rows stay
        counted), else the seconds to wait (its rows taken back). Commits."""
        wanted = list(keys)
        now = self.now()
        table = Attempt.__table__
        oldest = now - max(self.limits[kind].window for kind, _ in wanted)
        session.connection().execute(sa.delete(table).where(table.c.at <= oldest))
        inserted = [int(session.connection().execute(sa.insert(table).values(key=k, at=now).returning(table.c.id))
                        .scalar_one()) for _, k in wanted]
        session.commit()
        wait = 0
        for kind, k in wanted:
            limit = self.limits[kind]
            recent = session.connection().execute(
                sa.select(table.c.at).where(table.c.key == k, table.c.at > now - limit.window)
                .order_by(table.c.at.desc(), table.c.id.desc()).limit(limit.most + 1)).scalars().all()
            if len(recent) > limit.most:  # this one and `most` others: one try frees up when the oldest
                freed = clock.aware(recent[limit.most]) + limit.window  # of those others leaves the window
                wait = max(wait, max(1, math.ceil((freed - now).total_seconds())))
        if wait:
            session.connection().execute(sa.delete(table).where(table.c.id.in_(inserted)))
            session.commit()
            return Taken(wait, [])
        return Taken(0, inserted)

    def release(self, session: Session, taken: Taken, clear: Iterable[str] = ()) -> None:
        """The attempt ended well: its own rows go, and every row under `clear` (say, an account's
        earlier failures from this browser); commits."""
        table = Attempt.__table__
        session.connection().execute(sa.delete(table).where(
            sa.or_(table.c.id.in_(taken.rows), table.c.key.in_(list(clear)))))
        session.commit()
