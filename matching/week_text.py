"""Weekly availability as short text for reasons, in Finnish, Swedish and English:
"ti ja to klo 17–20", "tis och tor kl. 17–20", "Tue and Thu 17:00–20:00". Every text
parses back to the same mask with `Weekly.parse`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .slots import DAYS, SLOTS_PER_DAY, bits

_LANGS = {  # day names, every day, "and", clock prefix, flexible, nothing in common
    "fi": ("ma ti ke to pe la su".split(), "joka päivä", " ja ", "klo ", "joustavasti",
           "ei yhteisiä aikoja"),
    "sv": ("mån tis ons tor fre lör sön".split(), "varje dag", " och ", "kl. ", "flexibelt",
           "inga gemensamma tider"),
    "en": ("Mon Tue Wed Thu Fri Sat Sun".split(), "every day", " and ", "", "any time",
           "no common times"),
}


def _clock(slot: int, lang: str) -> str:
    hour, minute = divmod(slot * 30, 60)
    if lang == "en":
        return f"{hour}:{minute:02d}"
    return f"{hour}.{minute:02d}" if minute else str(hour)


def _runs(bits: int, width: int) -> list[tuple[int, int]]:
    """[(start, stop)] of consecutive set bits, lowest first."""
    return [m.span() for m in re.finditer("1+", format(bits, f"0{width}b")[::-1])]


def _listing(items: list[str], joiner: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + joiner + items[-1]


@lru_cache(maxsize=8192)
def describe(mask: int, flexible: bool, lang: str) -> str:
    """The text of a week mask, cached: the same few weeks are described over and over."""
    if lang not in _LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of: {', '.join(_LANGS)}")
    names, every_day, joiner, clock, flexible_text, nothing = _LANGS[lang]
    if flexible:
        return flexible_text
    patterns: dict[tuple[tuple[int, int], ...], list[int]] = {}  # days with identical hours
    for day in range(DAYS):
        spans = _runs(mask >> day * SLOTS_PER_DAY & bits(0, SLOTS_PER_DAY), SLOTS_PER_DAY)
        if spans:
            patterns.setdefault(tuple(spans), []).append(day)
    parts = []
    for runs, days in patterns.items():
        day_names = [every_day] if len(days) == DAYS else []
        for a, b in [] if day_names else _runs(sum(1 << d for d in days), DAYS):
            # three or more days in a row as a range (ma–pe), otherwise listed (la ja su)
            day_names += [f"{names[a]}–{names[b - 1]}"] if b - a >= 3 else names[a:b]
        times = [f"{_clock(a, lang)}–{_clock(b, lang)}" for a, b in runs]
        parts.append(f"{_listing(day_names, joiner)} {clock}{_listing(times, joiner)}")
    return ", ".join(parts) or nothing
