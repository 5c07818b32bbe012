"""A youth's kept list of matches survives changes that cannot alter it, and only those (webapp.engine.kept):
a place taken in an opening outside the list, an edit far from the youth's interests. A change that
could enter the list, or touches an opening in it, makes it again, and what is served always equals a
fresh match."""
from __future__ import annotations

import random

import pytest
from sqlmodel import select

from matching import Matcher, Youth, geo
from tests.support.apps import make_app
from webapp import db
from webapp.engine import matcher as engine
from webapp.engine import matches
from webapp.engine.matcher import get_matcher
from webapp.models import Association, Opening
from webapp.states import OpeningStatus

DOGS = Youth("y-dogs", interests="koirat", place=geo.locate("Oulu"))
TITLES = ["Koiran ulkoiluttaja", "Koirien hoitaja", "Bändin roudari", "Kioskimyyjä", "Musiikkileirin ohjaaja",
          "Talkoot rannalla", "Kirjaston lukukaveri", "Kesäleirin apuohjaaja", "Kissojen ruokkija"]
PLACES = ["Oulu", "Tampere", "Helsinki", "Inari", "Turku"]
YOUTHS = [DOGS, Youth("y-music", interests="musiikki bändi", age=19), Youth("y-any"),
          Youth("y-near", interests="kioski", place=geo.locate("Tampere"), max_travel_km=40)]


@pytest.fixture
def plain(app):
    """An app on the same database whose matcher has no diversity pass: a list is its top k."""
    other = make_app(app.config["DATABASE_URL"], MATCHER_OPTIONS={"diversity": 0.0})
    yield other
    db.dispose(other)


def _add(app, ref: str, title: str, municipality: str = "Oulu", **fields) -> None:
    with app.app_context():
        session = db.get_session()
        association = session.exec(select(Association)).first() or Association(name="Lista ry")
        session.add(Opening(ref=ref, status=OpeningStatus.OPEN, association=association, title=title,
                            municipality=municipality, **fields))
        session.commit()


def _set(app, ref: str, **values) -> None:
    with app.app_context():
        session = db.get_session()
        opening = session.exec(select(Opening).where(Opening.ref == ref)).one()
        for name, value in values.items():
            setattr(opening, name, value)
        session.commit()


def _kept(app, youth: Youth, k: int = 3) -> list:
    with app.test_request_context():
        return matches.match(get_matcher(), youth, k, "fi")


def _fresh(app, youth: Youth, k: int = 3) -> list:
    with app.test_request_context():
        return get_matcher().match(youth, k, lang="fi")


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The ids of the youths whose lists were made (not served from the cache)."""
    calls: list[str] = []
    original = Matcher.ranked

    def ranked(self, youth, *args, **kwargs):
        calls.append(youth.id)
        return original(self, youth, *args, **kwargs)

    monkeypatch.setattr(Matcher, "ranked", ranked)
    return calls


def _catalogue(app) -> None:
    _add(app, "o-dogs", "Koiran ulkoiluttaja")
    _add(app, "o-dogs-2", "Koirien hoitaja")
    _add(app, "o-cats", "Kissojen ruokkija")
    _add(app, "o-band", "Bändin roudari", "Helsinki", capacity=5)
    _add(app, "o-kiosk", "Kioskimyyjä", "Inari", capacity=5)


def test_a_place_taken_outside_the_list_keeps_it(plain, made):
    _catalogue(plain)
    first = _kept(plain, DOGS, k=2)
    assert [m.opening_id for m in first] == ["o-dogs", "o-dogs-2"]
    _set(plain, "o-kiosk", filled=1)  # a place taken far away, in an opening scoring below the list
    _set(plain, "o-band", capacity=7)  # an edit of another one (not of its text: BM25 reads every text's length)
    again = _kept(plain, DOGS, k=2)
    assert made == ["y-dogs"] and engine.state(plain).matches.kept == 1
    assert again == first == _fresh(plain, DOGS, k=2)


def test_a_change_to_an_opening_in_the_list_makes_it_again(plain, made):
    _catalogue(plain)
    assert [m.opening_id for m in _kept(plain, DOGS, k=2)] == ["o-dogs", "o-dogs-2"]
    _set(plain, "o-dogs", capacity=1, filled=1)  # full now
    assert [m.opening_id for m in _kept(plain, DOGS, k=2)] == ["o-dogs-2", "o-cats"]
    assert made == ["y-dogs", "y-dogs"]


def test_an_opening_that_scores_into_the_list_makes_it_again(plain, made):
    _catalogue(plain)
    assert [m.opening_id for m in _kept(plain, DOGS, k=2)] == ["o-dogs", "o-dogs-2"]
    _set(plain, "o-kiosk", title="Koiran ulkoiluttaja", description="koirat", municipality="Oulu")
    assert "o-kiosk" in [m.opening_id for m in _kept(plain, DOGS, k=2)]
    assert made == ["y-dogs", "y-dogs"]


def test_publishing_keeps_lists_whose_query_it_cannot_move(plain, made):
    _catalogue(plain)
    nothing = Youth("y-any", place=geo.locate("Oulu"), max_travel_km=10)  # no text: no document frequencies
    first = _kept(plain, nothing, k=2)
    _add(plain, "o-far", "Talkoot rannalla", "Inari")  # out of the youth's reach
    again = _kept(plain, nothing, k=2)
    assert made == ["y-any"]
    assert again == first == _fresh(plain, nothing, k=2)


@pytest.mark.parametrize("options", [{"diversity": 0.0}, {}])
def test_what_is_served_equals_a_fresh_match_after_every_change(app, options):
    other = make_app(app.config["DATABASE_URL"], MATCHER_OPTIONS=options)
    try:
        rng = random.Random(7)
        refs: list[str] = []
        for n in range(12):
            refs.append(f"o-{n}")
            _add(other, refs[-1], rng.choice(TITLES), rng.choice(PLACES), capacity=rng.choice([None, 4]))
        for step in range(40):
            action = rng.choice(["add", "edit", "fill", "fill", "close", "open"])
            ref = rng.choice(refs)
            if action == "add":
                refs.append(f"o-new-{step}")
                _add(other, refs[-1], rng.choice(TITLES), rng.choice(PLACES))
            elif action == "edit":
                _set(other, ref, title=rng.choice(TITLES), municipality=rng.choice(PLACES))
            elif action == "fill":
                _set(other, ref, capacity=4, filled=rng.randint(0, 4))
            else:
                _set(other, ref, status=OpeningStatus.CLOSED if action == "close" else OpeningStatus.OPEN)
            for youth in YOUTHS:
                assert _kept(other, youth) == _fresh(other, youth), (step, action, ref, youth.id)
        state = engine.state(other).matches
        assert state.kept > 0  # some lists did survive a change
    finally:
        db.dispose(other)
