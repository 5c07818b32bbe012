"""Hypothesis strategies for youths and openings, and a plain-Python oracle of the rules."""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from matching import geo
from matching.model import Benefit, Kind, Opening, Requirement, Support, Youth
from matching.schedule import Weekly

TODAY = dt.date(2026, 11, 23)
PLACES = ["Tornio", "Kemi", "Oulu", "Rovaniemi", "Keminmaa", "Helsinki", "Vaasa", "Kotka"]
SCHEDULES = ["ma-pe 12-20", "ti ja to klo 17.30-20", "la 10-14", "weekends", "evenings",
             "joustava", "mån-fre 9-15", "Sat 10:00-14:00", "ke 9-11", "su 12-16"]
WORDS = ["koira", "koiria", "koirien", "ulkoilu", "jääkiekko", "kaukalo", "kioski", "lapset",
         "lasten", "kerho", "vanhukset", "ikäihmisten", "valokuvaus", "kuvaaja", "tapahtuma",
         "talkoot", "djur", "barn", "evenemang", "kids", "photography", "events", "games", "IT",
         "tietokone", "kahvila", "keittiö", "musiikki", "bändi", "metsä", "luonto", "siivous"]
THEMES = ["sport", "ice_hockey", "children", "elderly", "animals", "media", "photography",
          "events", "it", "kitchen", "music", "culture", "outdoors"]
LANGS = ["fi", "sv", "en", "ru"]


def _some(values: list, max_size: int = 3) -> st.SearchStrategy:
    return st.frozensets(st.sampled_from(values), max_size=max_size)


def _maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.none() | strategy


text = st.lists(st.sampled_from(WORDS), min_size=0, max_size=8).map(" ".join)
places = st.sampled_from(PLACES).map(geo.locate)
weeklies = st.lists(st.sampled_from(SCHEDULES), min_size=1, max_size=2).map(Weekly.parse)


@st.composite
def openings(draw: st.DrawFn, oid: str) -> Opening:
    lo = draw(_maybe(st.integers(15, 20)))
    hi = draw(_maybe(st.integers(18, 30)))
    if lo is not None and hi is not None and hi < lo:
        lo, hi = hi, lo
    capacity = draw(_maybe(st.integers(1, 5)))
    return Opening(
        id=oid,
        title=draw(st.sampled_from(WORDS)),
        description=draw(text),
        kind=draw(_maybe(st.sampled_from(list(Kind)))),
        themes=tuple(draw(st.lists(st.sampled_from(THEMES), max_size=3, unique=True))),
        place=draw(_maybe(places)),
        remote=draw(st.booleans()),
        schedule=draw(_maybe(weeklies)),
        end_date=draw(_maybe(st.dates(dt.date(2026, 11, 1), dt.date(2027, 1, 1)))),
        capacity=capacity,
        filled=draw(st.integers(0, capacity)) if capacity else 0,
        min_age=lo,
        max_age=hi,
        languages=draw(_some(LANGS, 2)),
        requirements=draw(_some(list(Requirement), 2)),
        support=draw(_some(list(Support), 4)),
        benefits=draw(_some(list(Benefit), 3)),
    )


@st.composite
def youths(draw: st.DrawFn, yid: str = "y") -> Youth:
    return Youth(
        id=yid,
        interests=draw(text),
        age=draw(_maybe(st.integers(15, 30))),
        themes=tuple(draw(st.lists(st.sampled_from(THEMES), max_size=3, unique=True))),
        place=draw(_maybe(places)),
        max_travel_km=draw(_maybe(st.sampled_from([5.0, 30.0, 100.0, 800.0]))),
        remote_ok=draw(_maybe(st.booleans())),
        availability=draw(_maybe(weeklies)),
        languages=draw(_some(LANGS, 3)),
        kinds=draw(_some(list(Kind), 3)),
        qualifications=draw(_some(list(Requirement), 3)),
        needs=draw(_some(list(Support), 3)),
        goals=draw(_some(list(Benefit), 3)),
    )


def catalogue(n_max: int = 25) -> st.SearchStrategy[list[Opening]]:
    return st.integers(1, n_max).flatmap(lambda n: st.tuples(*[openings(f"o-{i}") for i in range(n)]).map(list))


def broken_rules(y: Youth, o: Opening, today: dt.date = TODAY) -> list[str]:
    """The semantics of DESIGN.md written out one opening at a time: the oracle."""
    out = []
    if y.age is not None and o.min_age is not None and y.age < o.min_age:
        out.append("too_young")
    if y.age is not None and o.max_age is not None and y.age > o.max_age:
        out.append("too_old")
    if y.languages and not o.languages <= y.languages:
        out.append("language")
    if y.qualifications and not o.requirements <= y.qualifications:
        out.append("requirement")
    if o.remote and y.remote_ok is False:
        out.append("remote_not_wanted")
    if (not o.remote and o.place and y.place and y.max_travel_km is not None
            and geo.distance_km(y.place.lat, y.place.lon, o.place.lat, o.place.lon) > y.max_travel_km + 1e-6):
        out.append("too_far")
    if Support.AT_HOME in y.needs and not (o.remote or Support.AT_HOME in o.support):
        out.append("not_at_home")
    if Support.WHEELCHAIR_ACCESSIBLE in y.needs and not (o.remote or Support.WHEELCHAIR_ACCESSIBLE in o.support):
        out.append("not_accessible")
    if y.availability and o.schedule and not y.availability.flexible and not o.schedule.flexible:
        shared = bin(y.availability.mask & o.schedule.mask).count("1")
        if shared < min(2, bin(o.schedule.mask).count("1")):
            out.append("schedule")
    if o.end_date is not None and o.end_date < today:
        out.append("ended")
    if o.capacity is not None and o.filled >= o.capacity:
        out.append("full")
    return out
