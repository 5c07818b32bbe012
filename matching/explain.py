"""Matches and their reasons: plain-language texts computed from the same numbers as
the score, so an explanation can never disagree with the ranking."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import lru_cache

import numpy as np

from . import geo, texts, themes
from .components import COMPONENTS
from .index import OpeningIndex
from .model import Opening, Place
from .query import HARD_NEEDS, Query


@dataclass(frozen=True)
class Reason:
    """One component's part of a score: its value, its exact contribution, and why."""

    component: str
    contribution: float
    value: float
    text: str
    neutral: bool = False

    def to_dict(self) -> dict[str, object]:
        return {"component": self.component, "contribution": round(self.contribution, 6), "text": self.text}


@dataclass(frozen=True)
class Match:
    opening_id: str
    score: float
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, object]:
        return {"opening_id": self.opening_id, "score": round(self.score, 6),
                "reasons": [r.to_dict() for r in self.reasons]}


@dataclass(frozen=True)
class Block:
    """A hard rule an opening breaks for this youth."""

    code: str
    text: str


@dataclass(frozen=True)
class Explanation:
    """Why an opening is or is not among a youth's matches."""

    opening_id: str
    eligible: bool
    score: float
    rank: int | None
    blocks: tuple[Block, ...]
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["score"] = round(self.score, 6)
        out["reasons"] = [r.to_dict() for r in self.reasons]
        return out


def reasons(q: Query, ix: OpeningIndex, row: int, values: np.ndarray, weights: np.ndarray,
            neutral: frozenset[str], lang: str) -> tuple[Reason, ...]:
    """All components' reasons for one row, strongest contribution first."""
    o = ix.opening(row)
    out = []
    # Python floats multiply exactly like numpy float64 scalars, at a fraction of the cost
    for name, value, weight in zip(COMPONENTS, values.tolist(), weights.tolist()):
        if weight == 0:
            continue  # a component weighed zero takes no part in the score
        if name in neutral:
            text = _neutral_text(name, lang)
        else:
            text = _TEXTS[name](q, ix, row, o, value, lang)
        out.append(Reason(name, weight * value, value, text, name in neutral))
    return tuple(sorted(out, key=lambda r: (r.neutral, -r.contribution)))


@lru_cache(maxsize=len(COMPONENTS) * len(texts.LANGS))
def _neutral_text(name: str, lang: str) -> str:
    """The same sentence for every opening: formatted once per component and language."""
    if name == "exposure":
        return texts.say("exposure.unknown", lang)
    return texts.say("neutral", lang, what=texts.what(name, lang))


def _interest(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> str:
    ids, doc = ix.text.row(row)
    qw = q.term_weights()
    ids_list = ids.tolist()
    shared = sorted(qw.keys() & ids_list)  # ascending term ids, as np.intersect1d gives them
    if not shared:
        return texts.say("interest.none", lang)
    dw = dict(zip(ids_list, doc.tolist()))
    best = sorted(shared, key=lambda t: -qw[t] * dw[t])[:3]
    written = q.written(ix)
    words = dict.fromkeys(written.get(term, term) for term in (q.text.fuzzy.get(t, ix.text.terms[t]) for t in best))
    typos = q.typos()  # a misspelt word is quoted as written
    quoted = dict.fromkeys(w if w in typos else ix.analyzer.quote(w) for w in words)
    return texts.say("interest", lang, words=texts.join(list(quoted), lang))


def _themes(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> str:
    opening_themes = ix.themes_of(row)
    if not opening_themes:
        return texts.say("themes.unknown", lang)
    shared = [t for t in opening_themes if t in q.themes]
    if shared:
        code = "themes.suggested" if q.themes_suggested else "themes"
        return texts.say(code, lang, themes=texts.join([themes.get(t).label(lang) for t in shared], lang))
    own, related = themes.masks(tuple(opening_themes))
    y_own, y_related = themes.masks(q.themes)
    near = themes.ids_of((own & y_related) | (related & y_own))
    if near:
        return texts.say("themes.near", lang, themes=texts.join([themes.get(t).label(lang) for t in near], lang))
    return texts.say("themes.none", lang)


def _schedule(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> str:
    if o.schedule is None:
        return texts.say("schedule.unknown", lang)
    if o.schedule.flexible:
        return texts.say("schedule.flexible", lang)
    avail = q.youth.availability
    shared = o.schedule if avail is None or avail.flexible else o.schedule & avail
    return texts.say("schedule.fit", lang, times=_capitalise(shared.describe(lang)))


def _distance(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> str:
    if o.remote:
        return texts.say("distance.remote", lang)
    if o.place is None or q.youth.place is None:
        return texts.say("distance.unknown", lang)
    return distance_text(_km(q.youth.place.lat, q.youth.place.lon, o.place.lat, o.place.lon), q.youth.place, lang)


@lru_cache(maxsize=4096)
def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """geo.distance_km between two points, once per pair: openings share a few hundred places."""
    return float(geo.distance_km(lat1, lon1, lat2, lon2))


def distance_text(km: float, home: Place, lang: str) -> str:
    """'12 km Torniosta' / '12 km från Torneå' / '12 km from Tornio'."""
    shown = texts.say("under_one", lang) if km < 1 else f"{km:.0f}"
    if home.name is None:
        return texts.say("distance.km_bare", lang, km=shown)
    from_fi, name_sv, name_en = _home_names(home.name)
    return texts.say("distance.km", lang, km=shown, from_fi=from_fi, name_sv=name_sv, name_en=name_en)


@lru_cache(maxsize=1024)
def _home_names(name: str) -> tuple[str, str, str]:
    """A home's elative and Swedish and English names: one table look-up per place, not per reason."""
    return geo.elative(name), geo.name_in("sv", name), geo.name_in("en", name)


def _kind(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> str:
    if o.kind is None:
        return texts.say("kind.unknown", lang)
    code = "kind" if o.kind in q.youth.kinds else "kind.other"
    return texts.say(code, lang, kind=texts.label(o.kind.value, lang))


def _support(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> str:
    offered = sorted(c.value for c in (q.youth.needs - HARD_NEEDS) & o.support)
    if not offered:
        return texts.say("support.none", lang)
    return texts.say("support", lang, items=texts.join([texts.label(c, lang) for c in offered], lang))


def _goals(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> str:
    offered = sorted(c.value for c in q.youth.goals & o.benefits)
    if not offered:
        return texts.say("goals.none", lang)
    return texts.say("goals", lang, items=texts.join([texts.label(c, lang) for c in offered], lang))


def _exposure(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> str:
    return texts.say("exposure" if value >= 0.5 else "exposure.high", lang)


_TEXTS = {"exposure": _exposure, "interest": _interest, "themes": _themes, "schedule": _schedule, "distance": _distance,
          "kind": _kind, "support": _support, "goals": _goals}


def _capitalise(s: str) -> str:
    return s[:1].upper() + s[1:]


def block(code: str, q: Query, o: Opening, lang: str) -> Block:
    """The plain-language text of one broken rule, with its particulars."""
    y = q.youth
    params: dict[str, object] = {}
    if code == "too_young":
        params["min_age"] = o.min_age
    elif code == "too_old":
        params["max_age"] = o.max_age
    elif code == "language":
        missing = sorted(o.languages - y.languages)
        params["languages"] = texts.join([texts.language_name(c, lang) for c in missing], lang)
    elif code == "requirement":
        missing = sorted(c.value for c in o.requirements - y.qualifications)
        params["requirements"] = texts.join([texts.label(c, lang) for c in missing], lang)
    elif code == "too_far" and y.place and o.place:
        params["km"] = f"{geo.distance_km(y.place.lat, y.place.lon, o.place.lat, o.place.lon):.0f}"
        params["max_km"] = f"{y.max_travel_km:g}"
    elif code == "schedule":
        params["times"] = o.schedule.describe(lang) if o.schedule else ""
    elif code == "ended":
        params["end_date"] = _date(o.end_date, lang)
    return Block(code, texts.say(code, lang, **params))


def _date(d: dt.date | None, lang: str) -> str:
    if d is None:
        return ""
    return f"{d.day}.{d.month}.{d.year}" if lang in ("fi", "sv") else d.isoformat()

