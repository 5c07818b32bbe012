"""A youth's profile packed once into the shapes the index columns compare against."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import geo, themes
from .index import BENEFITS, REQUIREMENTS, SUPPORT, OpeningIndex, code_mask
from .model import Kind, Support, Youth
from .postings import TextQuery

# Needs that are hard rules, not preferences: they exclude, so they do not also score.
HARD_NEEDS = frozenset({Support.AT_HOME, Support.WHEELCHAIR_ACCESSIBLE})


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

    @classmethod
    def of(cls, youth: Youth, index: OpeningIndex) -> "Query":
        effective = youth.themes
        if not effective and youth.interests:
            effective = index.effective_themes((), index.analyzer.terms(youth.interests))
        own, related = themes.masks(effective)
        return cls(
            youth=youth,
            text=index.text.query(youth.interests),
            xyz=geo.unit_vectors(youth.place.lat, youth.place.lon) if youth.place else None,
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
        )
