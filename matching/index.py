"""OpeningIndex: every opening as columns of numpy arrays plus term postings.

Constraints and components read these columns with vectorised operations, so one
youth is scored against all openings without a Python loop over openings.
Openings can be added, updated and removed at any time without refitting.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

import numpy as np

from . import geo, schedule, themes
from .columns import Columns
from .model import Benefit, Kind, Opening, Requirement, Support
from .postings import Postings
from .text import Analyzer, LanguageAnalyzer

KINDS = list(Kind)
REQUIREMENTS = list(Requirement)
SUPPORT = list(Support)
BENEFITS = list(Benefit)
NO_DATE = np.iinfo(np.int32).max
NO_AGE = -1
SUGGESTED_THEMES = 3  # at most this many themes are read off a text that was given none


def code_mask(codes: Iterable[object], order: Sequence[object]) -> int:
    """Bit i set when order[i] is among the codes."""
    return sum(1 << order.index(c) for c in set(codes))


class OpeningIndex:
    """Columnar store of openings; rows are stable until a compaction."""

    def __init__(self, analyzer: Analyzer | None = None, merge_min: int = 2048, *, compact_min: int = 1024) -> None:
        """`merge_min`: added rows that wait, unmerged, for the compressed postings (or an
        eighth of those, if more). `compact_min`: removed rows a merge leaves in place
        (or a tenth of all rows, if more) before it drops them and renumbers the rest."""
        self.analyzer = analyzer or LanguageAnalyzer()
        self.merge_min = merge_min
        self.compact_min = compact_min
        self._reset()

    def _reset(self) -> None:
        self.languages: dict[str, int] = {}  # language code -> bit
        self.text = Postings(self.analyzer)
        self.theme_finder = themes.ThemeFinder(self.analyzer)
        self.cols = Columns(
            {
                "alive": (np.bool_, (), False),
                "kind": (np.int8, (), -1),
                "remote": (np.bool_, (), False),
                "point": (np.int32, (), -1),  # row of `points`, -1 when the opening gives no place
                "min_age": (np.int16, (), NO_AGE),
                "max_age": (np.int16, (), NO_AGE),
                "langs": (np.uint64, (), 0),
                "requirements": (np.uint32, (), 0),
                "support": (np.uint32, (), 0),
                "benefits": (np.uint32, (), 0),
                **{f"sched{w}": (np.uint64, (), 0) for w in range(schedule.WORDS)},
                "sched_known": (np.bool_, (), False),
                "sched_flex": (np.bool_, (), False),
                "sched_slots": (np.int32, (), 0),
                "end": (np.int32, (), NO_DATE),
                "capacity": (np.int32, (), -1),
                "filled": (np.int32, (), 0),
                "themes_own": (np.uint64, (themes.N_WORDS,), 0),
                "themes_related": (np.uint64, (themes.N_WORDS,), 0),
                "themes_count": (np.int16, (), 0),
                "themes_given": (np.bool_, (), False),  # by the association, not read off the text
                "exposure": (np.float64, (), 1.0),
            }
        )
        self.exposure_known = False
        # distinct places (most openings sit on a municipality centre): distances are
        # computed once per place per query, not once per opening
        self.points = Columns({"xyz": (np.float64, (3,), 0.0)})
        self._point_of: dict[tuple[float, float], int] = {}
        self._openings: list[Opening | None] = []
        self._row: dict[str, int] = {}
        self._dead = 0
        self._compactions = 0

    # ------------------------------------------------------------ building
    def fit(self, openings: Iterable[Opening]) -> "OpeningIndex":
        """Indexes all openings at once (replacing any earlier content)."""
        self._reset()
        for o in openings:
            self._append(o)
        self.text.merge()
        return self

    def add(self, opening: Opening) -> int:
        """Indexes one more opening; returns its row. Raises KeyError on a duplicate id."""
        if opening.id in self._row:
            raise KeyError(f"opening {opening.id!r} is already indexed; use update()")
        row = self._append(opening)
        if self.text.tail_size() >= max(self.merge_min, self.text.main_rows // 8):
            self._merge()
        return row

    def update(self, opening: Opening) -> int:
        """Replaces the opening with the same id (or adds it)."""
        if opening.id in self._row:
            self.remove(opening.id)
        return self.add(opening)

    def remove(self, opening_id: str) -> None:
        """Drops an opening; raises KeyError when it is not indexed."""
        row = self._row.pop(opening_id)
        self.cols.set(row, "alive", False)
        self._openings[row] = None
        self.text.forget(row)
        self._dead += 1

    def set_exposure(self, counts: dict[str, float]) -> None:
        """How often each opening was shown or filled lately (missing ids: never).

        Stored as ref / (count + ref) with ref = 1 + the mean count, so an opening seen
        as often as the average scores about one half, one never seen scores 1, and one
        seen far more than others approaches 0. Openings added later start at 1.
        """
        alive = self.cols["alive"]
        c = np.zeros(self.n_rows)
        for opening_id, count in counts.items():
            if count < 0:
                raise ValueError(f"exposure of {opening_id!r} must be non-negative, got {count!r}")
            row = self._row.get(opening_id)
            if row is not None:
                c[row] = count
        ref = 1.0 + (c[alive].mean() if alive.any() else 0.0)
        self.cols["exposure"][:] = ref / (c + ref)
        self.exposure_known = True

    def set_filled(self, opening_id: str, filled: int) -> None:
        """Updates how many places are taken, without re-analysing the text (the row stays where it is,
        and `opening(row)` answers the opening with its new `filled`)."""
        row = self.row_of(opening_id)
        self.cols.set(row, "filled", filled)
        o = self._openings[row]
        assert o is not None  # a live row
        self._openings[row] = replace(o, filled=filled)

    def effective_themes(self, theme_ids: tuple[str, ...], terms: list[str]) -> tuple[str, ...]:
        """The themes given, or when none are, the ones the text is about."""
        if theme_ids:
            return theme_ids
        found = self.theme_finder.counts(terms)
        return tuple(t for t, _ in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:SUGGESTED_THEMES])

    def themes_of(self, row: int) -> list[str]:
        """An opening's effective themes (given or found in its text)."""
        return themes.ids_of(int(themes.unpack(self.cols["themes_own"][row])))

    def _append(self, o: Opening) -> int:
        terms = self.analyzer.terms(o.text)
        ids, weights = self.text.vectorise(terms)
        own_themes = self.effective_themes(o.themes, terms)
        own, related = themes.masks(own_themes)
        sched = o.schedule
        row = self.cols.append(
            {
                "alive": True,
                "kind": KINDS.index(o.kind) if o.kind else -1,
                "remote": o.remote,
                "point": self._point(o.place.lat, o.place.lon) if o.place else -1,
                "min_age": NO_AGE if o.min_age is None else o.min_age,
                "max_age": NO_AGE if o.max_age is None else o.max_age,
                "langs": self.language_mask(o.languages, grow=True),
                "requirements": code_mask(o.requirements, REQUIREMENTS),
                "support": code_mask(o.support, SUPPORT),
                "benefits": code_mask(o.benefits, BENEFITS),
                **({f"sched{w}": v for w, v in enumerate(sched.words())} if sched else {}),
                "sched_known": sched is not None,
                "sched_flex": bool(sched and sched.flexible),
                "sched_slots": bin(sched.mask).count("1") if sched else 0,
                "end": o.end_date.toordinal() if o.end_date else NO_DATE,
                "capacity": -1 if o.capacity is None else o.capacity,
                "filled": o.filled,
                "themes_own": themes.pack(own),
                "themes_related": themes.pack(related),
                "themes_count": len(own_themes),
                "themes_given": bool(o.themes),
            }
        )
        self.text.append(ids, weights)
        self._openings.append(o)
        self._row[o.id] = row
        return row

    def _merge(self) -> None:
        """Folds recent rows into the compressed postings; drops removed rows when many."""
        if self._dead > max(self.compact_min, len(self._openings) // 10):
            keep = np.flatnonzero(self.cols["alive"])
            self.text.merge(keep)
            self.cols.take(keep)
            self._openings = [self._openings[r] for r in keep]
            self._row = {o.id: r for r, o in enumerate(self._openings) if o is not None}
            self._dead = 0
            self._compactions += 1
        else:
            self.text.merge()

    def _point(self, lat: float, lon: float) -> int:
        key = (lat, lon)
        point = self._point_of.get(key)
        if point is None:
            point = self._point_of[key] = self.points.append({"xyz": geo.unit_vectors(lat, lon)})
        return point

    def overlap_slots(self, words: np.ndarray) -> np.ndarray:
        """Half-hour slots every row shares with a week mask, one pass per non-zero word."""
        total = np.zeros(self.n_rows, dtype=np.uint16)
        for w in np.flatnonzero(words):
            total += np.bitwise_count(self.cols[f"sched{w}"] & words[w])
        return total

    def language_mask(self, codes: Iterable[str], grow: bool = False) -> int:
        """Bits of language codes; unknown codes get a bit when `grow`, else are skipped."""
        mask = 0
        for code in codes:
            bit = self.languages.get(code)
            if bit is None and grow:
                if len(self.languages) >= 64:
                    raise ValueError("an index holds at most 64 distinct languages")
                bit = self.languages[code] = len(self.languages)
            if bit is not None:
                mask |= 1 << bit
        return mask

    # ------------------------------------------------------------ reading
    def __len__(self) -> int:
        return len(self._row)

    def __contains__(self, opening_id: object) -> bool:
        return opening_id in self._row

    def __iter__(self) -> Iterator[Opening]:
        return (o for o in self._openings if o is not None)

    @property
    def n_rows(self) -> int:
        """Rows including removed ones not yet compacted away (mask with `alive`)."""
        return len(self.cols)

    @property
    def dead_rows(self) -> int:
        """Rows of removed openings still in the arrays: `n_rows - len(self)`."""
        return self._dead

    @property
    def compactions(self) -> int:
        """How often removed rows were dropped (and rows renumbered) since the last fit."""
        return self._compactions

    def row_of(self, opening_id: str) -> int:
        try:
            return self._row[opening_id]
        except KeyError:
            raise KeyError(f"no opening {opening_id!r} in the index") from None

    def opening(self, row: int) -> Opening:
        o = self._openings[row]
        if o is None:
            raise KeyError(f"row {row} was removed")
        return o

    def ids(self, rows: np.ndarray | list[int]) -> list[str]:
        """The ids of openings at rows (KeyError for a removed row)."""
        return [self.opening(r).id for r in np.asarray(rows, dtype=np.int64).tolist()]

    def nbytes(self) -> int:
        return self.cols.nbytes() + self.text.nbytes()
