"""A youth's profile packed once into the shapes the index columns compare against."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import geo, themes
from .index import BENEFITS, REQUIREMENTS, SUPPORT, OpeningIndex, code_mask
from .model import Kind, Support, Youth
from .negation import affirmed
from .postings import TextQuery

# Needs that are hard rules, not preferences: they exclude, so they do not also score.
HARD_NEEDS = frozenset({Support.AT_HOME, Support.WHEELCHAIR_ACCESSIBLE})


@dataclass
class _Cache:
    """Per-query results shared by constraints, components and reasons (one query, one index state)."""

    pairs: list[tuple[str, str]] | None = None  # (word as written, term) of the interests
    overlap: np.ndarray | None = None
    chords: np.ndarray | None = None
    written: dict[str, str] | None = None
    term_weights: dict[int, float] | None = None
    typos: frozenset[str] | None = None


@dataclass(frozen=True)
class Query:
    youth: Youth
    text: TextQuery
    xyz: np.ndarray | None
    langs: int | None  # None: the youth gave no languages, so no language rule
    qualifications: int | None
    needs: int  # soft needs only
    goals: int
    kinds: list[int]
    sched: np.ndarray | None
    themes_own: np.ndarray
    themes_related: np.ndarray
    themes_count: int
    themes: tuple[str, ...]  # the youth's themes, or those found in their interests
    themes_suggested: bool
    cache: _Cache = field(default_factory=_Cache, compare=False, repr=False)

    @classmethod
    def of(cls, youth: Youth, index: OpeningIndex) -> "Query":
        # analysed once, for themes, text and the words quoted in reasons; the terms are what
        # analyzer.terms gives (the Analyzer contract: a pair for each term of the text)
        pairs = index.analyzer.pairs(affirmed(youth.interests))
        terms = [term for _, term in pairs]
        effective = youth.themes
        if not effective and youth.interests:
            effective = index.effective_themes((), terms)
        own, related = themes.masks(effective)
        return cls(
            youth=youth,
            text=index.text.query_terms(terms, parts=part_terms(pairs)),
            xyz=_unit_vector(youth.place.lat, youth.place.lon) if youth.place else None,
            langs=index.language_mask(youth.languages) if youth.languages else None,
            qualifications=code_mask(youth.qualifications, REQUIREMENTS) if youth.qualifications else None,
            needs=code_mask(youth.needs - HARD_NEEDS, SUPPORT),
            goals=code_mask(youth.goals, BENEFITS),
            kinds=[list(Kind).index(k) for k in youth.kinds],
            sched=youth.availability.words() if youth.availability else None,
            themes_own=themes.pack(own),
            themes_related=themes.pack(related),
            themes_count=len(effective),
            themes=effective,
            themes_suggested=not youth.themes,
            cache=_Cache(pairs=pairs),
        )

    def overlap(self, ix: OpeningIndex) -> np.ndarray:
        """Slots of the youth's week each row shares, for every row (computed once)."""
        if self.cache.overlap is None:
            if self.sched is None:
                raise ValueError("the youth gave no availability")
            self.cache.overlap = ix.overlap_slots(self.sched)
        return self.cache.overlap

    def point_chords(self, ix: OpeningIndex) -> np.ndarray:
        """Chord length from the youth to each distinct place of the index, plus +inf
        last so that row point -1 (no place) indexes it."""
        if self.cache.chords is None:
            if self.xyz is None:
                raise ValueError("the youth gave no place")
            self.cache.chords = np.append(geo.chord_lengths(ix.points["xyz"], self.xyz), np.inf)
        return self.cache.chords

    def written(self, ix: OpeningIndex) -> dict[str, str]:
        """Each term of the youth's interests -> the word they wrote it with."""
        if self.cache.written is None:
            pairs = self.cache.pairs
            if pairs is None:
                pairs = ix.analyzer.pairs(affirmed(self.youth.interests))
            self.cache.written = {t: w for w, t in reversed(pairs)}
        return self.cache.written

    def term_weights(self) -> dict[int, float]:
        """Query term id -> its weight, for the reasons of every match (built once)."""
        if self.cache.term_weights is None:
            self.cache.term_weights = dict(zip(self.text.terms.tolist(), self.text.weights.tolist()))
        return self.cache.term_weights

    def typos(self) -> frozenset[str]:
        """The youth's unknown words that fuzzy terms stand for (quoted as written)."""
        if self.cache.typos is None:
            self.cache.typos = frozenset(self.text.fuzzy.values())
        return self.cache.typos


def part_terms(pairs: list[tuple[str, str]]) -> frozenset[str]:
    """Terms that stand in the text only as compound parts, never as a whole word.

    An analyzer gives a word's pairs together, its whole base form first and then its
    parts ("kaasuleikkaaja" -> kaasuleikkaaja, kaasu, leikkaaja, leikata)."""
    whole: set[str] = set()
    parts: set[str] = set()
    word, first = None, None
    for w, term in pairs:
        if w != word or term == first:
            word, first = w, term
            whole.add(term)
        else:
            parts.add(term)
    return frozenset(parts - whole)


@lru_cache(maxsize=1024)
def _unit_vector(lat: float, lon: float) -> np.ndarray:
    """geo.unit_vectors of a home, once per place (youths share a few hundred); read-only as it is shared."""
    xyz = geo.unit_vectors(lat, lon)
    xyz.flags.writeable = False
    return xyz
