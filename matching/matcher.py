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


@dataclass(frozen=True)
class Scored:
    """Every eligible opening of one youth: rows, component values and scores."""

    query: Query
    rows: np.ndarray
    values: np.ndarray  # (n_components, len(rows))
    scores: np.ndarray
    neutral: frozenset[str]


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
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k!r}")
        lang = texts.check_lang(lang or self.lang)
        s = self.score(youth, today=today, weights=weights)
        chosen = self._select(s, k)
        w = self._vector(weights)
        return [
            Match(self.index.opening(int(s.rows[i])).id, float(s.scores[i]),
                  reasons(s.query, self.index, int(s.rows[i]), s.values[:, i], w, s.neutral, lang))
            for i in chosen
        ]

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
        """Positions in `s` of the top k, with a maximal-marginal-relevance pass."""
        n = len(s.rows)
        pool = min(n, max(5 * k, 50) if self.diversity > 0 else k)
        if pool == 0:
            return []
        top = np.argpartition(-s.scores, pool - 1)[:pool] if pool < n else np.arange(n)
        top = top[np.lexsort((s.rows[top], -s.scores[top]))]
        if self.diversity <= 0 or len(top) <= 1:
            return top[:k].tolist()
        sim = self.index.text.similarity(s.rows[top])
        lam = 1.0 - self.diversity
        relevance = lam * s.scores[top]
        relevance[0] = -np.inf  # chosen: -inf gain from now on
        chosen = [0]
        max_sim = sim[0].copy()
        while len(chosen) < min(k, len(top)):
            gain = relevance - (1 - lam) * max_sim
            best = int(np.argmax(gain))
            chosen.append(best)
            relevance[best] = -np.inf
            max_sim = np.maximum(max_sim, sim[best])
        return top[chosen].tolist()

    def _today(self, today: dt.date | None) -> dt.date:
        return today or self.today or dt.date.today()
