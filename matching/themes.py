"""The theme taxonomy: what an opening is about, in words a youth recognises.

Themes form a shallow tree ("ice_hockey" is a kind of "sport") so that a youth who
likes sport is near an ice-hockey gig, and one who likes ice hockey is nearer still.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from .theme_words import SYNONYMS

if TYPE_CHECKING:
    from .text import Analyzer


@dataclass(frozen=True)
class Theme:
    id: str
    parent: str | None
    fi: str
    sv: str
    en: str

    def label(self, lang: str) -> str:
        return getattr(self, lang if lang in ("fi", "sv", "en") else "en")


_THEMES = (
    Theme("sport", None, "urheilu", "idrott", "sport"),
    Theme("ice_hockey", "sport", "jääkiekko", "ishockey", "ice hockey"),
    Theme("football", "sport", "jalkapallo", "fotboll", "football"),
    Theme("floorball", "sport", "salibandy", "innebandy", "floorball"),
    Theme("skiing", "sport", "hiihto", "skidåkning", "skiing"),
    Theme("children", None, "lapset", "barn", "children"),
    Theme("youth_work", None, "nuorisotyö", "ungdomsarbete", "youth work"),
    Theme("elderly", None, "ikäihmiset", "äldre", "older people"),
    Theme("disability", None, "vammaisuus", "funktionsnedsättning", "disability"),
    Theme("animals", None, "eläimet", "djur", "animals"),
    Theme("environment", None, "ympäristö", "miljö", "environment"),
    Theme("outdoors", None, "ulkoilu", "friluftsliv", "outdoors"),
    Theme("media", None, "media", "media", "media"),
    Theme("photography", "media", "valokuvaus", "fotografering", "photography"),
    Theme("video", "media", "video", "video", "video"),
    Theme("social_media", "media", "some", "sociala medier", "social media"),
    Theme("it", None, "IT ja digi", "IT och digitalt", "IT and digital"),
    Theme("gaming", "it", "pelaaminen", "spel", "gaming"),
    Theme("events", None, "tapahtumat", "evenemang", "events"),
    Theme("customer_service", None, "asiakaspalvelu", "kundservice", "customer service"),
    Theme("kitchen", None, "keittiö", "kök", "kitchen"),
    Theme("retail", None, "kauppa ja myynti", "handel och försäljning", "retail and sales"),
    Theme("office", None, "toimisto", "kontor", "office"),
    Theme("culture", None, "kulttuuri", "kultur", "culture"),
    Theme("music", "culture", "musiikki", "musik", "music"),
    Theme("arts", "culture", "kuvataide", "bildkonst", "arts"),
    Theme("crafts", "culture", "käsityöt", "hantverk", "crafts"),
    Theme("theatre", "culture", "teatteri", "teater", "theatre"),
    Theme("newcomers", None, "maahan muuttaneet", "nyanlända", "newcomers"),
    Theme("peer_support", None, "vertaistuki", "kamratstöd", "peer support"),
    Theme("maintenance", None, "kunnossapito", "underhåll", "maintenance"),
)

THEMES: dict[str, Theme] = {t.id: t for t in _THEMES}
# Weight a theme's parent carries when only the parent is shared.
PARENT_WEIGHT = 0.5


class UnknownTheme(ValueError):
    pass


def get(theme_id: str) -> Theme:
    try:
        return THEMES[theme_id]
    except KeyError:
        raise UnknownTheme(f"unknown theme {theme_id!r}; expected one of: {', '.join(THEMES)}") from None


def parse(value: str) -> str:
    """A theme id from a record, case-insensitive; raises UnknownTheme."""
    return get(value.strip().lower().replace(" ", "_").replace("-", "_")).id


@lru_cache(maxsize=1)
def _bit() -> dict[str, int]:
    return {t.id: i for i, t in enumerate(_THEMES)}


N_WORDS = (len(_THEMES) + 63) // 64


def masks(theme_ids: tuple[str, ...] | list[str]) -> tuple[int, int]:
    """(own, related) bit masks: the themes themselves, and their parents and children.

    Sharing an own theme counts fully; being related through the tree counts
    PARENT_WEIGHT. Masks are ints so the index can pack them into uint64 words.
    """
    return _masks(tuple(theme_ids))


@lru_cache(maxsize=4096)
def _masks(theme_ids: tuple[str, ...]) -> tuple[int, int]:
    """`masks`, computed once per theme list: reasons ask for the same few lists again and again."""
    bit = _bit()
    own = related = 0
    for tid in theme_ids:
        theme = THEMES[tid]
        own |= 1 << bit[tid]
        if theme.parent:
            related |= 1 << bit[theme.parent]
        for child in _children().get(tid, ()):
            related |= 1 << bit[child]
    return own, related & ~own


@lru_cache(maxsize=1)
def _children() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for t in _THEMES:
        if t.parent:
            out.setdefault(t.parent, []).append(t.id)
    return {k: tuple(v) for k, v in out.items()}


def pack(mask: int) -> np.ndarray:
    """An int mask as N_WORDS little-endian uint64 words."""
    return np.array([(mask >> (64 * w)) & 0xFFFFFFFFFFFFFFFF for w in range(N_WORDS)], dtype=np.uint64)


def unpack(words: np.ndarray) -> int:
    """The int mask of N_WORDS uint64 words (inverse of `pack`)."""
    return sum(int(w) << (64 * i) for i, w in enumerate(np.asarray(words).tolist()))


def ids_of(mask: int) -> list[str]:
    return list(_ids_of(mask))


@lru_cache(maxsize=4096)
def _ids_of(mask: int) -> tuple[str, ...]:
    """The theme ids of a mask, once per mask: every reason about themes asks for them."""
    return tuple(t.id for i, t in enumerate(_THEMES) if mask >> i & 1)


class ThemeFinder:
    """Finds themes in analysed text: the labels and synonyms of each theme, analysed by
    the same analyser as the text, so every inflected or compound form counts.

    >>> from matching.text import LanguageAnalyzer
    >>> ThemeFinder(LanguageAnalyzer()).suggest("Koiranulkoiluttajia eläinsuojeluyhdistykseen")
    ['animals']
    """

    def __init__(self, analyzer: "Analyzer") -> None:
        self._keys: dict[frozenset[str], set[str]] = {}
        for theme in _THEMES:
            for lang in ("fi", "sv", "en"):
                phrases = [theme.label(lang), *SYNONYMS.get(theme.id, {}).get(lang, "").split(",")]
                for phrase in phrases:
                    key = self._key(analyzer, phrase.strip(), lang)
                    if key:
                        self._keys.setdefault(key, set()).add(theme.id)
        self._single = {next(iter(k)): ids for k, ids in self._keys.items() if len(k) == 1}
        self._multi = [(k, ids) for k, ids in self._keys.items() if len(k) > 1]
        self.analyzer = analyzer

    @staticmethod
    def _key(analyzer: "Analyzer", phrase: str, lang: str) -> frozenset[str]:
        """The first (whole-word) term of each word of a phrase."""
        key = set()
        for word in phrase.split():
            terms = analyzer.terms(word, lang)
            if terms:
                key.add(terms[0])
        return frozenset(key)

    def counts(self, terms: Iterable[str]) -> Counter[str]:
        """How many of the given index terms point to each theme."""
        terms = list(terms)
        found: Counter[str] = Counter()
        for t in terms:
            for tid in self._single.get(t, ()):
                found[tid] += 1
        if self._multi:
            present = set(terms)
            for key, ids in self._multi:
                if key <= present:
                    found.update(ids)
        return found

    def suggest(self, text: str, top: int = 3) -> list[str]:
        """Theme ids a text is about, most mentioned first (for forms to confirm)."""
        found = self.counts(self.analyzer.terms(text))
        return [tid for tid, _ in sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
