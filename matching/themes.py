"""The theme taxonomy: what an opening is about, in words a youth recognises.

Themes form a shallow tree ("ice_hockey" is a kind of "sport") so that a youth who
likes sport is near an ice-hockey gig, and one who likes ice hockey is nearer still.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np


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


def ids_of(mask: int) -> list[str]:
    return [t.id for i, t in enumerate(_THEMES) if mask >> i & 1]
