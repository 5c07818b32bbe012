"""Matches and their reasons: plain-language texts computed from the same numbers as
the score, so an explanation can never disagree with the ranking."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
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
    sign: int = 0  # +1 speaks for the opening, -1 against it, 0 only informs (a page shows it, never colour alone)

    def to_dict(self) -> dict[str, object]:
        return {"component": self.component, "contribution": round(self.contribution, 6), "text": self.text}


@dataclass(frozen=True)
class Said:
    """A reason's text before it is worded: its code in `texts` and the particulars."""

    code: str
    params: dict[str, object] = field(default_factory=dict)

    def say(self, lang: str) -> str:
        return texts.say(self.code, lang, **self.params)


# Reasons that speak against an opening, and those that speak for it; the rest only inform.
AGAINST = frozenset({"interest.none", "themes.none", "kind.other", "support.none", "goals.none", "exposure.high"})
FOR = frozenset({"interest", "themes", "themes.suggested", "themes.near", "schedule.fit", "schedule.flexible",
                 "distance.remote", "kind", "support", "goals", "exposure"})
NEAR_VALUE = 0.5  # a distance worth at least this much speaks for an opening


def _sign(said: Said, value: float) -> int:
    if said.code in AGAINST:
        return -1
    if said.code in FOR or (said.code.startswith("distance.km") and value >= NEAR_VALUE):
        return 1
    return 0


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
            out.append(Reason(name, weight * value, value, _neutral_text(name, lang), True))
            continue
        said = _TEXTS[name](q, ix, row, o, value, lang)
        out.append(Reason(name, weight * value, value, said.say(lang), False, _sign(said, value)))
    return tuple(sorted(out, key=lambda r: (r.neutral, -r.contribution)))


@lru_cache(maxsize=len(COMPONENTS) * len(texts.LANGS))
def _neutral_text(name: str, lang: str) -> str:
    """The same sentence for every opening: formatted once per component and language."""
    if name == "exposure":
        return texts.say("exposure.unknown", lang)
    return texts.say("neutral", lang, what=texts.what(name, lang))


def _interest(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> Said:
    ids, doc = ix.text.row(row)
    qw = q.term_weights()
    ids_list = ids.tolist()
    shared = sorted(qw.keys() & ids_list)  # ascending term ids, as np.intersect1d gives them
    if not shared:
        return Said("interest.none")
    dw = dict(zip(ids_list, doc.tolist()))
    best = sorted(shared, key=lambda t: -qw[t] * dw[t])[:3]
    written = q.written(ix)
    words = dict.fromkeys(written.get(term, term) for term in (q.text.fuzzy.get(t, ix.text.terms[t]) for t in best))
    typos = q.typos()  # a misspelt word is quoted as written
    quoted = dict.fromkeys(w if w in typos else ix.analyzer.quote(w) for w in words)
    return Said("interest", dict(words=texts.join(list(quoted), lang)))


def _themes(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> Said:
    opening_themes = ix.themes_of(row)
    if not opening_themes:
        return Said("themes.unknown")
    shared = [t for t in opening_themes if t in q.themes]
    if shared:
        code = "themes.suggested" if q.themes_suggested else "themes"
        return Said(code, dict(themes=texts.join([themes.get(t).label(lang) for t in shared], lang)))
    own, related = themes.masks(tuple(opening_themes))
    y_own, y_related = themes.masks(q.themes)
    near = themes.ids_of((own & y_related) | (related & y_own))
    if near:
        return Said("themes.near", dict(themes=texts.join([themes.get(t).label(lang) for t in near], lang)))
    return Said("themes.none")


def _schedule(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> Said:
    if o.schedule is None:
        return Said("schedule.unknown")
    if o.schedule.flexible:
        return Said("schedule.flexible")
    avail = q.youth.availability
    shared = o.schedule if avail is None or avail.flexible else o.schedule & avail
    return Said("schedule.fit", dict(times=_capitalise(shared.describe(lang))))


def _distance(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> Said:
    if o.remote:
        return Said("distance.remote")
    if o.place is None or q.youth.place is None:
        return Said("distance.unknown")
    return _distance_said(_km(q.youth.place.lat, q.youth.place.lon, o.place.lat, o.place.lon), q.youth.place, lang)


@lru_cache(maxsize=4096)
def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """geo.distance_km between two points, once per pair: openings share a few hundred places."""
    return float(geo.distance_km(lat1, lon1, lat2, lon2))


def distance_text(km: float, home: Place, lang: str) -> str:
    """'12 km Torniosta' / '12 km från Torneå' / '12 km from Tornio'."""
    return _distance_said(km, home, lang).say(lang)


def _distance_said(km: float, home: Place, lang: str) -> Said:
    shown = texts.say("under_one", lang) if km < 1 else f"{km:.0f}"
    if home.name is None:
        return Said("distance.km_bare", dict(km=shown))
    from_fi, name_sv, name_en = _home_names(home.name)
    return Said("distance.km", dict(km=shown, from_fi=from_fi, name_sv=name_sv, name_en=name_en))


@lru_cache(maxsize=1024)
def _home_names(name: str) -> tuple[str, str, str]:
    """A home's elative and Swedish and English names: one table look-up per place, not per reason."""
    return geo.elative(name), geo.name_in("sv", name), geo.name_in("en", name)


def _kind(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> Said:
    if o.kind is None:
        return Said("kind.unknown")
    code = "kind" if o.kind in q.youth.kinds else "kind.other"
    return Said(code, dict(kind=texts.label(o.kind.value, lang)))


def _support(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> Said:
    offered = sorted(c.value for c in (q.youth.needs - HARD_NEEDS) & o.support)
    if not offered:
        return Said("support.none")
    return Said("support", dict(items=texts.join([texts.label(c, lang) for c in offered], lang)))


def _goals(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> Said:
    offered = sorted(c.value for c in q.youth.goals & o.benefits)
    if not offered:
        return Said("goals.none")
    return Said("goals", dict(items=texts.join([texts.label(c, lang) for c in offered], lang)))


def _exposure(q: Query, ix: OpeningIndex, row: int, o: Opening, value: float, lang: str) -> Said:
    return Said("exposure" if value >= 0.5 else "exposure.high")


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

