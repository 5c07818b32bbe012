"""Settings: everything a Matcher is built with, in one frozen value.

A matcher's output depends on its fitted index, the call's own arguments (youth, k,
lang, today) and these settings, nothing else. Keeping them together means a derived
matcher (`Matcher.with_weights`) is a `dataclasses.replace` away, and the key callers
cache matches under is read off the fields, so a new setting cannot be left out of it.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field, fields

from . import texts
from .text import Analyzer
from .weights import Weights


@dataclass(frozen=True)
class Settings:
    """A Matcher's settings; validated on creation, so a matcher never holds bad ones."""

    weights: Weights = field(default_factory=Weights.default)
    diversity: float = 0.2  # 0: pure score order; above: near-duplicates (one association, same text) move down
    analyzer: Analyzer | None = None  # None: the index's default LanguageAnalyzer
    lang: str = "en"  # language of reason texts when a call gives none
    today: dt.date | None = None  # None: the calendar's today at each call

    def __post_init__(self) -> None:
        if not isinstance(self.weights, Weights):
            raise TypeError(f"weights must be matching.Weights, got {type(self.weights).__name__}")
        if not 0.0 <= self.diversity < 1.0:
            raise ValueError(f"diversity must be in [0, 1), got {self.diversity!r}")
        texts.check_lang(self.lang)

    def key(self) -> tuple[tuple[str, Hashable], ...]:
        """A hashable value equal for settings that give equal output, field by field."""
        return tuple((f.name, _key_part(f.name, getattr(self, f.name))) for f in fields(self))


def _key_part(name: str, value: object) -> Hashable:
    """Weights by what scores and reasons read (the normalised vector, not the name);
    other values as themselves, or by identity when they cannot be hashed."""
    if isinstance(value, Weights):
        return value.key()
    if isinstance(value, Hashable):
        return value
    return (name, type(value).__qualname__, id(value))
