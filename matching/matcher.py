"""Matcher: fit the openings once, then rank them for any youth, with reasons.

Scoring is one vectorised pass per youth: hard constraints give a mask over all
openings, components are computed for the eligible ones only, and the score is the
weighted sum of components, so every contribution in a reason is exact.
"""
from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace

import numpy as np

from . import components, constraints, texts
from .explain import Block, Explanation, Match, block, reasons
from .index import OpeningIndex
from .model import Opening, Youth
from .query import Query
from .settings import Settings
from .text import Analyzer
from .weights import Weights


NEAR_DUPLICATE = 0.9  # text cosine from which two openings of one association are the same offer
COPIES = 3  # near-duplicates of one offer in a list before the next ones are demoted


@dataclass(frozen=True)
class Scored:
    """Every eligible opening of one youth: rows, component values and scores."""

    query: Query
    rows: np.ndarray
    values: np.ndarray  # (n_components, len(rows))
    scores: np.ndarray
    neutral: frozenset[str]


@dataclass(frozen=True)
class Ranked:
    """A youth's matches and what they were chosen from, for a cache that keeps them across changes.

    `pool`: the ids the list was picked from (the top by score before the diversity pass);
    `floor`: the lowest score in the pool when some eligible opening was left out of it, None when
    the pool holds every eligible opening. A change to an opening outside the pool leaves the list
    as it is unless the opening's new score reaches `floor` (any eligible score, when None), and
    the youth's text query (`query_key`) stays the same, as the list depends on nothing else."""

    matches: list[Match]
    pool: frozenset[str]
    floor: float | None
    query_key: Hashable


def _top(scores: np.ndarray, pool: int) -> np.ndarray:
    """Positions of the `pool` best scores, ties at the cut taken in position order (rows ascend in a
    `Scored`, so: by index row), whatever else the arrays hold; argpartition alone picks tied ones
    arbitrarily, so one opening more or less elsewhere could swap which of them make the list."""
    cut = -np.partition(-scores, pool - 1)[pool - 1]
    above = np.flatnonzero(scores > cut)
    return np.concatenate([above, np.flatnonzero(scores == cut)[: pool - len(above)]])


@dataclass(frozen=True)
class Hidden:
    """Openings a youth is offered (a count) and, per rule code, the ids that rule alone excludes."""

    eligible: int
    by_rule: dict[str, tuple[str, ...]]


def weighted_sum(w: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Sum of weight x value, component by component: the same bits for an opening
    wherever it sits in the arrays (a BLAS product may sum in another order)."""
    total = np.zeros(values.shape[1])
    for i in range(len(w)):
        total += w[i] * values[i]
    return total


def query_key(q: Query, index: OpeningIndex) -> Hashable:
    """What of a youth's query the index's other openings decide (the text's term weights, which follow
    the document frequencies, the rows' mean length, BM25's yardstick, and the language bits): equal keys,
    equal scores for an unchanged row."""
    mean = index.text.mean_length() if not q.text.empty else None
    return (q.text.terms.tobytes(), q.text.weights.tobytes(), tuple(sorted(q.text.fuzzy.items())), q.langs, mean)


class Matcher:
    """Ranks openings for youths.

    Its settings (weights, diversity, analyzer, default lang, today) are one frozen
    `Settings` value. `with_weights` gives another matcher over the same fitted index
    with other weights or diversity, and `settings_key` tells matchers apart for
    caches. The settings are read-only: a matcher never changes under a cache's key.

    >>> from matching import Matcher, Opening, Youth, Weights
    >>> m = Matcher().fit([Opening("o-1", "Koiran ulkoiluttaja"), Opening("o-2", "Kioskimyyjä")])
    >>> [x.opening_id for x in m.match(Youth("y-1", interests="koirat ja ulkoilu"), k=1)]
    ['o-1']
    >>> other = m.with_weights(Weights({"interest": 1.0}), diversity=0.0)
    >>> other.shares_index(m), other.settings_key == m.settings_key
    (True, False)
    """

    def __init__(self, weights: Weights | None = None, *, diversity: float = 0.2,
                 analyzer: Analyzer | None = None, lang: str = "en",
                 today: dt.date | None = None) -> None:
        # every parameter goes into Settings (tests/test_matcher_settings.py checks it)
        self._settings = Settings(weights=Weights.default() if weights is None else weights, diversity=diversity,
                                  analyzer=analyzer, lang=lang, today=today)
        self._index: OpeningIndex | None = None

    # ------------------------------------------------------------ settings
    @property
    def settings(self) -> Settings:
        """This matcher's settings: what it was built with, validated."""
        return self._settings

    @property
    def settings_key(self) -> tuple[tuple[str, Hashable], ...]:
        """Hashable; equal for matchers whose settings give the same output.

        Covers everything besides the index's content and a call's own arguments that
        changes what `match` and `explain` return, read off every field of `Settings`.
        Cache lists of matches under `(settings_key, youth, k, lang, day)` per fitted
        index: keep one cache per index (see `shares_index`), or start afresh when the
        index changes (add, update, remove, set_exposure, set_filled).
        """
        return self._settings.key()

    @property
    def weights(self) -> Weights:
        return self._settings.weights


    @property
    def diversity(self) -> float:
        return self._settings.diversity


    @property
    def analyzer(self) -> Analyzer | None:
        """The analyzer given (None: the index's default); fixed, as the index is built with it."""
        return self._settings.analyzer

    @property
    def lang(self) -> str:
        return self._settings.lang


    @property
    def today(self) -> dt.date | None:
        return self._settings.today


    def with_weights(self, weights: Weights | None = None, *, diversity: float | None = None) -> Matcher:
        """A matcher over this one's fitted index (the same OpeningIndex object: no refit,
        no copy) that scores with other weights and/or diversity; None keeps this one's.

        Changes to the index (add, update, remove, exposure) show in both. Raises
        RuntimeError when this matcher is not fitted, ValueError for a diversity
        outside [0, 1).
        """
        index = self.index
        other = copy.copy(self)  # shallow: the index is shared, never copied
        other._settings = replace(self._settings, weights=self.weights if weights is None else weights,
                                  diversity=self.diversity if diversity is None else diversity)
        other._index = index
        return other

    def shares_index(self, other: Matcher) -> bool:
        """Whether both are fitted over the very same index (one came from the other by
        `with_weights`), so matches cached for one index version hold for both."""
        return self._index is not None and self._index is other._index

    # ------------------------------------------------------------ fitting
    def fit(self, openings: Iterable[Opening]) -> Matcher:
        """Indexes the openings; a new index, so matchers made from the old one keep it."""
        self._index = OpeningIndex(self.analyzer).fit(openings)
        return self

    @property
    def index(self) -> OpeningIndex:
        if self._index is None:
            raise RuntimeError("this Matcher is not fitted yet; call fit(openings) first")
        return self._index

    def add(self, opening: Opening) -> None:
        self.index.add(opening)

    def update(self, opening: Opening) -> None:
        self.index.update(opening)

    def remove(self, opening_id: str) -> None:
        self.index.remove(opening_id)

    def set_filled(self, opening_id: str, filled: int) -> None:
        """Places taken of one opening, without re-indexing it (scores as `update` would)."""
        self.index.set_filled(opening_id, filled)

    def set_exposure(self, counts: dict[str, float]) -> None:
        """Recent times each opening was shown or filled; used when `exposure` weighs > 0."""
        self.index.set_exposure(counts)

    # ------------------------------------------------------------ scoring
    def score(self, youth: Youth, *, today: dt.date | None = None, weights: Weights | None = None) -> Scored:
        """Component values and scores of every opening the youth is eligible for."""
        ix = self.index
        q = Query.of(youth, ix)
        rows = np.flatnonzero(constraints.eligible(q, ix, self._today(today)))
        values, neutral = components.compute(q, ix, rows)
        return Scored(q, rows, values, weighted_sum(self._vector(weights), values), neutral)

    def component_values(self, youth: Youth, opening_ids: list[str]) -> np.ndarray:
        """Component values (n_components, len(opening_ids)) whatever the constraints say:
        what learning reads off past outcomes."""
        ix = self.index
        rows = np.array([ix.row_of(o) for o in opening_ids], dtype=np.int64)
        values, _ = components.compute(Query.of(youth, ix), ix, rows)
        return values

    def match(self, youth: Youth, k: int = 10, *, lang: str | None = None,
              today: dt.date | None = None, weights: Weights | None = None) -> list[Match]:
        """The k best openings for a youth, best first, each with its reasons."""
        return self.ranked(youth, k, lang=lang, today=today, weights=weights).matches

    def ranked(self, youth: Youth, k: int = 10, *, lang: str | None = None,
               today: dt.date | None = None, weights: Weights | None = None) -> Ranked:
        """`match`, with the pool the list was chosen from (see `Ranked`)."""
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k!r}")
        lang = texts.check_lang(lang or self.lang)
        s = self.score(youth, today=today, weights=weights)
        chosen, pool = self._select_pool(s, k)
        w = self._vector(weights)
        matches = [
            Match(self.index.opening(int(s.rows[i])).id, float(s.scores[i]),
                  reasons(s.query, self.index, int(s.rows[i]), s.values[:, i], w, s.neutral, lang))
            for i in chosen
        ]
        floor = float(s.scores[pool].min()) if len(pool) < len(s.rows) else None
        return Ranked(matches, frozenset(self.index.ids(s.rows[pool])), floor, query_key(s.query, self.index))

    def scores_of(self, youth: Youth, opening_ids: Iterable[str], *, today: dt.date | None = None,
                  weights: Weights | None = None) -> tuple[dict[str, float | None], Hashable]:
        """Each indexed opening's score for the youth as `score` gives it (None: a rule excludes it),
        ids the index does not hold left out, and the youth's `query_key`."""
        ix = self.index
        ids = [o for o in opening_ids if o in ix]
        q = Query.of(youth, ix)
        rows = np.array([ix.row_of(o) for o in ids], dtype=np.int64)
        ok = constraints.passing(q, ix, rows, self._today(today))
        values, _ = components.compute(q, ix, rows[ok])
        scores = iter(weighted_sum(self._vector(weights), values).tolist())
        return {o: (next(scores) if passed else None) for o, passed in zip(ids, ok.tolist())}, query_key(q, self.index)

    def explain(self, youth: Youth, opening_id: str, *, lang: str | None = None,
                today: dt.date | None = None, weights: Weights | None = None) -> Explanation:
        """Why an opening is or is not a match: broken rules, components and rank.

        Scored with `weights` (default: this matcher's) exactly as `match` scores, so
        score and reasons equal those of the opening in `match(youth, ..., weights=)`.
        `rank` is its place among the youth's eligible openings by score, ties by index
        row: the order of `match` before its diversity pass, so with diversity 0 and k
        at least the number of eligible openings, `match(youth, k)[rank - 1]` is this one.
        """
        lang = texts.check_lang(lang or self.lang)
        ix = self.index
        row = ix.row_of(opening_id)
        q = Query.of(youth, ix)
        day = self._today(today)
        codes = constraints.blocking(q, ix, row, day)
        values, neutral = components.compute(q, ix, np.array([row]))
        w = self._vector(weights)
        score = float(weighted_sum(w, values)[0])
        rank = None
        if not codes:
            s = self.score(youth, today=day, weights=weights)
            rank = int(np.sum(s.scores > score) + np.sum((s.scores == score) & (s.rows < row))) + 1
        blocks: tuple[Block, ...] = tuple(block(c, q, ix.opening(row), lang) for c in codes)
        return Explanation(opening_id, not codes, score, rank, blocks,
                           reasons(q, ix, row, values[:, 0], w, neutral, lang))

    def hidden(self, youth: Youth, *, today: dt.date | None = None) -> Hidden:
        """How many openings the youth is offered, and which ones each single rule alone hides:
        what one changed answer in the profile would bring back."""
        ix = self.index
        eligible_rows, only = constraints.hidden_only_by(Query.of(youth, ix), ix, self._today(today))
        return Hidden(len(eligible_rows), {code: tuple(ix.opening(int(r)).id for r in rows)
                                           for code, rows in only.items()})

    def _vector(self, weights: Weights | None) -> np.ndarray:
        """The normalised weights a call scores with: its own, or this matcher's."""
        return (self.weights if weights is None else weights).vector()

    # ------------------------------------------------------------ ranking
    def _select(self, s: Scored, k: int) -> list[int]:
        """Positions in `s` of the top k, near-duplicates moved down.

        Only a near-duplicate (the same association and text cosine at least NEAR_DUPLICATE)
        of COPIES openings already chosen is demoted: its score counts times (1 - diversity),
        so it yields to openings that score almost as well, never to unrelated ones. Merely
        similar openings of other associations keep their places: they are what was asked for."""
        return self._select_pool(s, k)[0]

    def _select_pool(self, s: Scored, k: int) -> tuple[list[int], np.ndarray]:
        """`_select`, and the positions of the pool it chose from."""
        n = len(s.rows)
        pool = min(n, max(5 * k, 50) if self.diversity > 0 else k)
        if pool == 0:
            return [], np.zeros(0, dtype=np.int64)
        top = _top(s.scores, pool) if pool < n else np.arange(n)
        top = top[np.lexsort((s.rows[top], -s.scores[top]))]
        if self.diversity <= 0 or len(top) <= 1:
            return top[:k].tolist(), top
        ix = self.index
        owners = [ix.opening(int(r)).association.strip().casefold() for r in s.rows[top]]
        same = np.array([[bool(a) and a == b for b in owners] for a in owners])
        duplicate = same & (ix.text.similarity(s.rows[top]) >= NEAR_DUPLICATE)
        scores = s.scores[top].astype(np.float64)
        taken = np.zeros(len(top), dtype=bool)
        copies = np.zeros(len(top), dtype=np.int64)  # near-duplicates of each already chosen
        chosen: list[int] = []
        while len(chosen) < min(k, len(top)):
            gain = np.where(copies >= COPIES, scores * (1.0 - self.diversity), scores)
            gain[taken] = -np.inf
            best = int(np.argmax(gain))  # first of equals: the score order's tie-break
            chosen.append(best)
            taken[best] = True
            copies += duplicate[best]
        return top[chosen].tolist(), top

    def _today(self, today: dt.date | None) -> dt.date:
        return today or self.today or dt.date.today()
