"""Hard rules: which openings a youth cannot take, and why.

Each rule is vectorised over index rows and returns the rows that pass, or None when
the youth's profile gives it nothing to check (a missing field is no constraint).
The reason codes are stable; their texts live in `texts`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np

from . import geo
from .index import NO_AGE, SUPPORT, OpeningIndex
from .model import Support
from .query import Query

Rows = np.ndarray | slice
Check = Callable[[Query, OpeningIndex, Rows, int], "np.ndarray | None"]

_AT_HOME = 1 << SUPPORT.index(Support.AT_HOME)
_WHEELCHAIR = 1 << SUPPORT.index(Support.WHEELCHAIR_ACCESSIBLE)
MIN_OVERLAP_SLOTS = 2  # one hour of shared time


def _too_young(q: Query, ix: OpeningIndex, rows: Rows, today: int) -> np.ndarray | None:
    if q.youth.age is None:
        return None
    lo = ix.cols["min_age"][rows]
    return (lo == NO_AGE) | (lo <= q.youth.age)


def _too_old(q: Query, ix: OpeningIndex, rows: Rows, today: int) -> np.ndarray | None:
    if q.youth.age is None:
        return None
    hi = ix.cols["max_age"][rows]
    return (hi == NO_AGE) | (q.youth.age <= hi)


def _language(q: Query, ix: OpeningIndex, rows: Rows, today: int) -> np.ndarray | None:
    if q.langs is None:
        return None
    return (ix.cols["langs"][rows] & np.uint64(~q.langs & 0xFFFFFFFFFFFFFFFF)) == 0


def _requirement(q: Query, ix: OpeningIndex, rows: Rows, today: int) -> np.ndarray | None:
    if q.qualifications is None:
        return None
    return (ix.cols["requirements"][rows] & np.uint32(~q.qualifications & 0xFFFFFFFF)) == 0


def _remote_not_wanted(q: Query, ix: OpeningIndex, rows: Rows, today: int) -> np.ndarray | None:
    if q.youth.remote_ok is not False:
        return None
    return ~ix.cols["remote"][rows]


def _too_far(q: Query, ix: OpeningIndex, rows: Rows, today: int) -> np.ndarray | None:
    if q.xyz is None or q.youth.max_travel_km is None:
        return None
    point = ix.cols["point"][rows]
    near = q.point_chords(ix)[point] <= geo.km_to_chord(q.youth.max_travel_km)
    return ix.cols["remote"][rows] | (point < 0) | near


def _support_needed(bit: int, need: Support) -> Check:
    def check(q: Query, ix: OpeningIndex, rows: Rows, today: int) -> np.ndarray | None:
        if need not in q.youth.needs:
            return None
        return ix.cols["remote"][rows] | ((ix.cols["support"][rows] & np.uint32(bit)) != 0)

    return check


def _schedule(q: Query, ix: OpeningIndex, rows: Rows, today: int) -> np.ndarray | None:
    if q.sched is None or q.youth.availability is None or q.youth.availability.flexible:
        return None
    overlap = q.overlap(ix)[rows]
    need = np.minimum(ix.cols["sched_slots"][rows], MIN_OVERLAP_SLOTS)
    return ~ix.cols["sched_known"][rows] | ix.cols["sched_flex"][rows] | (overlap >= need)


def _ended(q: Query, ix: OpeningIndex, rows: Rows, today: int) -> np.ndarray | None:
    return ix.cols["end"][rows] >= today


def _full(q: Query, ix: OpeningIndex, rows: Rows, today: int) -> np.ndarray | None:
    cap = ix.cols["capacity"][rows]
    return (cap < 0) | (ix.cols["filled"][rows] < cap)


RULES: dict[str, Check] = {
    "too_young": _too_young,
    "too_old": _too_old,
    "language": _language,
    "requirement": _requirement,
    "remote_not_wanted": _remote_not_wanted,
    "too_far": _too_far,
    "not_at_home": _support_needed(_AT_HOME, Support.AT_HOME),
    "not_accessible": _support_needed(_WHEELCHAIR, Support.WHEELCHAIR_ACCESSIBLE),
    "schedule": _schedule,
    "ended": _ended,
    "full": _full,
}


def eligible(q: Query, ix: OpeningIndex, today: dt.date) -> np.ndarray:
    """Boolean mask over all index rows: alive and passing every rule."""
    day = today.toordinal()
    ok = ix.cols["alive"].copy()
    for check in RULES.values():
        passed = check(q, ix, slice(None), day)
        if passed is not None:
            ok &= passed
    return ok


def passing(q: Query, ix: OpeningIndex, rows: np.ndarray, today: dt.date) -> np.ndarray:
    """`eligible` of the given rows only: a boolean per row, alive and passing every rule."""
    day = today.toordinal()
    ok = ix.cols["alive"][rows].copy()
    for check in RULES.values():
        passed = check(q, ix, rows, day)
        if passed is not None:
            ok &= passed
    return ok


def blocking(q: Query, ix: OpeningIndex, row: int, today: dt.date) -> list[str]:
    """Codes of every rule one row breaks, in RULES order (empty: eligible)."""
    rows = np.array([row])
    day = today.toordinal()
    out = []
    for code, check in RULES.items():
        passed = check(q, ix, rows, day)
        if passed is not None and not passed[0]:
            out.append(code)
    return out


def hidden_only_by(q: Query, ix: OpeningIndex, today: dt.date) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The eligible rows, and per rule the alive rows that this rule alone excludes.

    A row under a rule here would be offered if the youth's answer behind that rule were
    different, so it tells a youth which answer hides what (rules without rows are left out)."""
    day = today.toordinal()
    alive = ix.cols["alive"]
    passed = {code: check(q, ix, slice(None), day) for code, check in RULES.items()}
    failed = {code: alive & ~p for code, p in passed.items() if p is not None}
    fails = np.zeros(len(alive), dtype=np.int32)
    for mask in failed.values():
        fails += mask
    eligible_rows = np.flatnonzero(alive & (fails == 0))
    only = {code: np.flatnonzero(mask & (fails == 1)) for code, mask in failed.items()}
    return eligible_rows, {code: rows for code, rows in only.items() if len(rows)}
