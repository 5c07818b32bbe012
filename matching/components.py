"""Soft components: how well each opening fits, each in [0, 1], vectorised over rows.

When the youth gave nothing a component could use, it is neutral: the same value
for every opening, so it never reorders the list. An opening that says nothing
about what a component reads gets the same middle value (unknown, not bad).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import geo
from .index import OpeningIndex
from .query import Query

NEUTRAL = 0.5
COMPONENTS = ("interest", "themes", "schedule", "distance", "kind", "support", "goals", "exposure")
FULL_FIT_HOURS = 4.0  # this much shared time (or all of a shorter task) fits fully
DEFAULT_DISTANCE_SCALE_KM = 15.0

Component = Callable[[Query, OpeningIndex, np.ndarray], "np.ndarray | None"]


def _popcount(a: np.ndarray) -> np.ndarray:
    """Set bits per row of a mask column (one uint64 word or several)."""
    if a.ndim > 1 and a.shape[1] == 1:
        a = a[:, 0]
    counts = np.bitwise_count(a)
    return counts.sum(axis=-1) if counts.ndim > 1 else counts


def interest(q: Query, ix: OpeningIndex, rows: np.ndarray) -> np.ndarray | None:
    """Cosine of the youth's words and the opening's text, square-rooted to spread it."""
    if q.text.empty:
        return None
    return np.sqrt(np.clip(ix.text.scores(q.text)[rows], 0.0, 1.0))


def themes(q: Query, ix: OpeningIndex, rows: np.ndarray) -> np.ndarray | None:
    """Shared themes over the smaller theme list; related themes (parent/child) count half."""
    if q.themes_count == 0:
        return None
    own = ix.cols["themes_own"][rows]
    shared = _popcount(own & q.themes_own)
    # related pairs, seen from either side (one pair sets a bit on each side: count it once)
    near = np.maximum(_popcount(ix.cols["themes_related"][rows] & q.themes_own), _popcount(own & q.themes_related))
    count = ix.cols["themes_count"][rows]
    denom = np.maximum(np.minimum(count, q.themes_count), 1)
    fit = np.minimum((shared + 0.5 * near) / denom, 1.0)
    return np.where(count > 0, fit, NEUTRAL)


def schedule_fit(q: Query, ix: OpeningIndex, rows: np.ndarray) -> np.ndarray | None:
    """Shared weekly hours, up to a few hours or the whole of a shorter task."""
    avail = q.youth.availability
    if q.sched is None or avail is None:
        return None
    if avail.flexible:
        return np.where(ix.cols["sched_known"][rows], 1.0, NEUTRAL)
    overlap = q.overlap(ix)[rows]
    need = np.minimum(ix.cols["sched_slots"][rows], min(2 * FULL_FIT_HOURS, avail.hours * 2))
    fit = np.minimum(overlap / np.maximum(need, 1), 1.0)
    fit = np.where(ix.cols["sched_flex"][rows], 1.0, fit)
    return np.where(ix.cols["sched_known"][rows], fit, NEUTRAL)


def distance(q: Query, ix: OpeningIndex, rows: np.ndarray) -> np.ndarray | None:
    """Decays with distance; remote work is no travel at all for a youth who wants it."""
    if q.xyz is None:
        return None
    travel = q.youth.max_travel_km
    scale = max(travel / 2, 5.0) if travel is not None else DEFAULT_DISTANCE_SCALE_KM
    point = ix.cols["point"][rows]
    km = geo.chord_to_km(q.point_chords(ix)[point])
    fit = np.where(point >= 0, np.exp(-km / scale), NEUTRAL)
    remote_fit = 1.0 if (q.youth.remote_ok or "at_home" in {n.value for n in q.youth.needs}) else NEUTRAL
    return np.where(ix.cols["remote"][rows], remote_fit, fit)


def kind(q: Query, ix: OpeningIndex, rows: np.ndarray) -> np.ndarray | None:
    """1 for a kind of activity the youth asked for, 0 for another, middle if unknown."""
    if not q.kinds:
        return None
    k = ix.cols["kind"][rows]
    return np.where(k < 0, NEUTRAL, _isin_few(k, q.kinds).astype(np.float64))


def _isin_few(a: np.ndarray, values: list[int]) -> np.ndarray:
    """np.isin for a handful of values: one comparison each, without isin's set-up cost."""
    hit = np.zeros(a.shape, dtype=bool)
    for v in values:
        hit |= a == v
    return hit


def _share(mask: str, column: str) -> Component:
    """The component reading the Query's bit mask `mask` against the index's `column`."""
    def share(q: Query, ix: OpeningIndex, rows: np.ndarray) -> np.ndarray | None:
        wanted: int = getattr(q, mask)
        if not wanted:
            return None
        have = _popcount(ix.cols[column][rows] & np.uint32(wanted))
        return have / bin(wanted).count("1")

    share.__doc__ = f"Share of the youth's {mask} the opening offers."
    return share


def exposure(q: Query, ix: OpeningIndex, rows: np.ndarray) -> np.ndarray | None:
    """High for openings few have been shown or placed in, low for the much-seen ones.

    Its weight bounds how far exposure can move an opening: small associations get
    seen without hiding a clearly better match. Neutral until exposure is set."""
    if not ix.exposure_known:
        return None
    return ix.cols["exposure"][rows]


FUNCTIONS: dict[str, Component] = {
    "interest": interest,
    "themes": themes,
    "schedule": schedule_fit,
    "distance": distance,
    "kind": kind,
    "support": _share("needs", "support"),
    "goals": _share("goals", "benefits"),
    "exposure": exposure,
}


def compute(q: Query, ix: OpeningIndex, rows: np.ndarray) -> tuple[np.ndarray, frozenset[str]]:
    """Component values, shape (len(COMPONENTS), len(rows)), and the neutral ones."""
    values = np.empty((len(COMPONENTS), len(rows)))
    neutral = set()
    for i, name in enumerate(COMPONENTS):
        v = FUNCTIONS[name](q, ix, rows)
        if v is None:
            neutral.add(name)
            values[i] = NEUTRAL
        else:
            values[i] = v
    if q.themes_suggested and not {"themes", "interest"} & neutral:
        # themes read off both texts are a coarse echo of the texts: they may not outweigh them
        t, i = values[_THEMES], values[_INTEREST]
        values[_THEMES] = np.where(ix.cols["themes_given"][rows], t, np.minimum(t, i))
    return values, frozenset(neutral)


_THEMES, _INTEREST = COMPONENTS.index("themes"), COMPONENTS.index("interest")
