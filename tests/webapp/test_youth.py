from __future__ import annotations

import re

import pytest
from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.clients import english, field_errors, token
from tests.support.signin import PASSWORD
from tests.support.youths import GOOD, act, interests_of, profile_of, save_profile, youth_client
from webapp import db
from webapp.engine.convert import youth_from_row
from webapp.engine.matcher import get_matcher
from webapp.models import Association, Interest, Outcome, User
from webapp.states import InterestState, OpeningStatus, Role

OPEN, CLOSED = OpeningStatus.OPEN, OpeningStatus.CLOSED


# ---------------------------------------------------------------- who may see the pages

PAGES = ["/youth/profile", "/youth/matches", "/youth/activities"]


@pytest.mark.parametrize("url", PAGES)
def test_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.location.startswith("/auth/signin")


@pytest.mark.parametrize("url", ["/youth/openings/o-dog/interest", "/youth/openings/o-dog/withdraw"])
def test_visitors_cannot_post(client, url):
    assert client.post(url).status_code in (302, 400)  # no session: sign in (or the CSRF check) first


def test_other_roles_are_forbidden(app, client):
    with app.app_context():
        session = db.get_session()
        session.add(User(email="ry@example.fi", role=Role.ASSOCIATION, association=Association(name="Testi ry"),
                         password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")))
        session.commit()
    client.post("/auth/signin", data={"email": "ry@example.fi", "password": PASSWORD, "csrf_token": token(client)})
    for url in PAGES:
        assert client.get(url).status_code == 403
    assert client.post("/youth/openings/o-dog/interest",
                       data={"csrf_token": token(client, "/")}).status_code == 403


def test_the_nav_shows_the_youth_links_and_a_sign_out_form(app, client, catalogue):
    html = english(client).get("/").text
    assert 'href="/auth/signin"' in html and 'href="/auth/signup"' in html and "/youth/matches" not in html
    html = youth_client(app).get("/openings").text
    for url in PAGES:
        assert f'href="{url}"' in html
    assert re.search(r'<form method="post" action="/auth/signout"[^>]*><input type="hidden" name="csrf_token"', html)


# ---------------------------------------------------------------- profile

def test_saving_the_profile(app, anna):
    response = save_profile(anna)
    assert response.status_code == 303 and response.location == "/youth/profile"
    p = profile_of(app)
    assert (p.interests, p.themes, p.municipality, p.max_travel_km, p.remote_ok) == \
        ("Koirat ja ulkoilu", ["animals"], "Oulu", 20, False)
    assert (p.availability, p.languages, p.kinds, p.needs, p.goals, p.age) == \
        (["ke 16-20", "weekends"], ["fi", "en"], ["volunteer"], ["peer_buddy"], ["reference"], 17)
    html = anna.get("/youth/profile").text
    assert "Your profile is saved." in html
    assert 'value="Oulu"' in html
    assert re.search(r'<input checked id="themes-\d+" name="themes" type="checkbox" value="animals">', html)


@pytest.mark.parametrize("changes, field, message", [
    ({"municipality": "Oulo"}, "municipality", "is not a Finnish municipality. Did you mean Oulu?"),
    ({"municipality": "Atlantis"}, "municipality", "“Atlantis” is not a Finnish municipality."),
    ({"age": "seventeen"}, "age", "Write your age as a whole number, for example 17."),
    ({"age": "7"}, "age", "Polku is for young people aged 15 to 29."),
    ({"max_travel_km": "-3"}, "max_travel_km", "Write a whole number from 0 to 1000."),
    ({"themes": ["animals", "dragons"]}, "themes", "Choose only from the options shown."),
    ({"kinds": ["party"]}, "kinds", "Choose only from the options shown."),
    ({"interests": "x" * 2001}, "interests", "Write at most 2000 characters."),
])
def test_bad_profile_input_saves_nothing(app, anna, changes, field, message):
    before = profile_of(app)
    response = save_profile(anna, **changes)
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert 'aria-invalid="true"' in response.text
    after = profile_of(app)
    assert after.model_dump() == before.model_dump()


def test_messages_are_in_the_readers_language(app, anna):
    anna.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fi"
    response = save_profile(anna, age="x")
    assert response.status_code == 400
    assert "Kirjoita ikäsi kokonaislukuna, esimerkiksi 17." in field_errors(response, "age")


def test_themes_are_suggested_from_the_interests_until_the_youth_chooses(app, anna):
    save_profile(anna, interests="Haluan ulkoiluttaa koiria ja valokuvata", themes=None)
    assert profile_of(app).themes == []  # nothing is chosen for the youth
    html = anna.get("/youth/profile").text
    assert 'id="suggested-themes"' in html
    ticked = set(re.findall(r'<input checked id="themes-\d+" name="themes" type="checkbox" value="(\w+)">', html))
    with app.app_context():
        assert ticked == set(get_matcher().index.theme_finder.suggest("Haluan ulkoiluttaa koiria ja valokuvata"))
    assert "animals" in ticked
    save_profile(anna, interests="Haluan ulkoiluttaa koiria ja valokuvata", themes=sorted(ticked))  # confirmed
    assert sorted(profile_of(app).themes) == sorted(ticked)
    assert 'id="suggested-themes"' not in anna.get("/youth/profile").text


# ---------------------------------------------------------------- matches

def test_matches_are_the_engines(app, anna):
    save_profile(anna, age="17", remote_ok="", municipality="Oulu", max_travel_km="", availability="")
    html = anna.get("/youth/matches").text
    with app.test_request_context(headers={"Accept-Language": "en"}):
        expected = get_matcher().match(youth_from_row(profile_of(app)), k=10, lang="en")
    shown = re.findall(r'<h2><a href="/openings/([^"]+)">', html)
    assert shown == [m.opening_id for m in expected] and shown
    assert "o-closed" not in shown
    for m in expected:
        for reason in m.reasons:
            if not reason.neutral:
                assert reason.text.replace("'", "&#39;").replace('"', "&#34;") in html
    assert "Oulun Eläinystävät ry" in html


# ---------------------------------------------------------------- interest and withdrawal

def test_interest_then_withdraw_then_interest_again(app, anna):
    save_profile(anna)
    response = act(anna, "o-dog")
    assert response.status_code == 303 and response.location == "/youth/matches"
    assert interests_of(app) == {"o-dog": InterestState.INTERESTED}
    assert act(anna, "o-dog").status_code == 303  # again: still one record
    assert act(anna, "o-dog", "withdraw", next="/youth/activities").location == "/youth/activities"
    assert interests_of(app) == {"o-dog": InterestState.WITHDRAWN}
    assert act(anna, "o-dog").status_code == 303
    assert interests_of(app) == {"o-dog": InterestState.INTERESTED}
    with app.app_context():
        assert len(db.get_session().exec(select(Interest)).all()) == 1
        assert len(db.get_session().exec(select(Outcome)).all()) == 2  # each time the youth became interested


def test_next_must_stay_on_the_site(app, anna):
    save_profile(anna)
    assert act(anna, "o-dog", next="https://evil.example/").location == "/youth/activities"


def test_an_ineligible_or_closed_opening_is_refused(app, anna):
    save_profile(anna, age="15")  # o-dog is for 16 and up
    response = act(anna, "o-dog")
    assert response.status_code == 400
    assert "This opening does not suit you: You need to be at least 16." in response.text
    response = act(anna, "o-remote")  # remote, and she wants none
    assert response.status_code == 400 and "remote work" in response.text
    response = act(anna, "o-closed")
    assert response.status_code == 400 and "This opening is not open" in response.text
    assert act(anna, "o-nothing").status_code == 404
    assert interests_of(app) == {}


def test_only_interested_can_be_withdrawn(app, anna):
    save_profile(anna)
    assert act(anna, "o-dog", "withdraw").status_code == 400  # nothing to withdraw
    act(anna, "o-dog")
    with app.app_context():
        session = db.get_session()
        record = session.exec(select(Interest)).one()
        record.state = InterestState.ACCEPTED
        session.commit()
    response = act(anna, "o-dog", "withdraw")
    assert response.status_code == 400 and "already accepted" in response.text
    response = act(anna, "o-dog")
    assert response.status_code == 400 and "already accepted" in response.text
    assert interests_of(app) == {"o-dog": InterestState.ACCEPTED}


@pytest.mark.parametrize("action", ["interest", "withdraw"])
def test_posts_need_the_csrf_token(app, anna, action):
    save_profile(anna)
    assert anna.post(f"/youth/openings/o-dog/{action}", data={"next": "/youth/matches"}).status_code == 400
    assert anna.post("/youth/profile", data={**GOOD, "interests": "Musiikki"}).status_code == 400
    assert interests_of(app) == {}
    assert profile_of(app).interests == GOOD["interests"]


# ---------------------------------------------------------------- activities

def test_activities_newest_first_with_states(app, anna):
    save_profile(anna, max_travel_km="")  # Tornio is far from Oulu
    act(anna, "o-dog")
    act(anna, "o-photo")
    act(anna, "o-dog", "withdraw")
    html = anna.get("/youth/activities").text
    titles = re.findall(r'<h2><a href="/openings/([^"]+)">', html)
    assert titles == ["o-photo", "o-dog"]
    assert "State: interested" in html and "State: withdrawn" in html


def test_a_youth_sees_only_their_own_activities(app, anna):
    save_profile(anna)
    act(anna, "o-dog")
    bob = youth_client(app, "bob@example.fi")
    save_profile(bob, max_travel_km="")
    act(bob, "o-photo")
    assert re.findall(r'<h2><a href="/openings/([^"]+)">', anna.get("/youth/activities").text) == ["o-dog"]
    assert re.findall(r'<h2><a href="/openings/([^"]+)">', bob.get("/youth/activities").text) == ["o-photo"]
    assert act(bob, "o-dog", "withdraw").status_code == 400  # Anna's interest is not Bob's to withdraw
    assert interests_of(app) == {"o-dog": InterestState.INTERESTED}
    assert interests_of(app, "bob@example.fi") == {"o-photo": InterestState.INTERESTED}
