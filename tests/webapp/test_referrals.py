"""Referrals: the coordinator asks, the youth agrees (or not), and only then does the coordinator see anything."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.support.catalogue import add_youth_catalogue
from tests.support.clients import token
from tests.support.referrals import REGION, add_user
from tests.support.signin import signed_in
from webapp import db
from webapp.services import referrals as referral_service
from webapp.models import AuditEntry, Interest, Opening, Referral, YouthProfile
from webapp.states import InterestState, ReferralState, Role

NO_ACCOUNT = "There is no youth account with this address."


def refer(client, email, note="Etsitään yhdessä harrastus."):
    return client.post("/coordinator/referrals/", data={"email": email, "note": note,
                                                         "csrf_token": token(client, "/coordinator/referrals/")})


def post(client, url, page="/"):
    return client.post(url, data={"csrf_token": token(client, page)})


def referral_of(app, youth_id) -> Referral:
    with app.app_context():
        return db.get_session().exec(select(Referral).where(Referral.youth_id == youth_id)).one()


def audit_actions(app) -> list[str]:
    with app.app_context():
        return [e.action for e in db.get_session().exec(select(AuditEntry).order_by(AuditEntry.id))]


@pytest.fixture
def people(app):
    """A coordinator of Pohjois-Pohjanmaa, a youth (Anna) with a profile that matches the dog walks, and others."""
    add_youth_catalogue(app)
    return {
        "coordinator": add_user(app, "koordinaattori@example.fi", Role.COORDINATOR, region=REGION, name="Kaisa Koordi"),
        "anna": add_user(app, "anna@example.fi", Role.YOUTH, name="Anna", age=17, municipality="Oulu",
                         interests="koirat ja ulkoilu", themes=["animals"], languages=["fi"], max_travel_km=30),
        "other": add_user(app, "otso@example.fi", Role.YOUTH, name="Otso", age=18, municipality="Oulu"),
        "association": add_user(app, "ry@example.fi", Role.ASSOCIATION, association="Oulun Eläinystävät ry"),
    }


@pytest.fixture
def kaisa(app, people):
    return signed_in(app, "koordinaattori@example.fi")


@pytest.fixture
def anna(app, people):
    return signed_in(app, "anna@example.fi")


# ---------------------------------------------------------------- the consent flow

def test_a_referral_waits_for_the_youth_and_then_the_coordinator_follows(app, people, kaisa, anna):
    follow = f"/coordinator/referrals/youths/{people['anna']}"
    response = refer(kaisa, "  Anna@Example.fi ")
    assert response.status_code == 303
    pending = referral_of(app, people["anna"])
    assert (pending.state, pending.region) == (ReferralState.PENDING, REGION)
    assert pending.note == "Etsitään yhdessä harrastus."
    assert kaisa.get(follow).status_code == 404  # nothing before the youth agrees
    assert "anna@example.fi" in kaisa.get("/coordinator/referrals/").text

    with app.app_context():
        session = db.get_session()
        assert referral_service.pending_count(session, session.get(YouthProfile, people["anna"])) == 1
    page = anna.get("/me/referrals").text
    assert "Kaisa Koordi, Pohjois-Pohjanmaa" in page and "Etsitään yhdessä harrastus." in page
    assert post(anna, f"/me/referrals/{pending.id}/agree", "/me/referrals").status_code == 303
    active = referral_of(app, people["anna"])
    assert active.state == ReferralState.ACTIVE and active.consented_at is not None

    with app.app_context():
        session = db.get_session()
        dog = session.exec(select(Opening).where(Opening.ref == "o-dog")).one()
        session.add(Interest(youth_id=people["anna"], opening_id=dog.id, state=InterestState.ACCEPTED))
        session.commit()
    page = kaisa.get(follow)
    assert page.status_code == 200
    text = page.text
    assert "<h1>Anna</h1>" in text and "koirat ja ulkoilu" in text
    matches = text.split("<h2>Matches</h2>")[1].split("<h2>Activities</h2>")[0]
    assert "Koiranulkoiluttaja" in matches and 'class="reasons"' in matches  # the top matches, with reasons
    activities = text.split("<h2>Activities</h2>")[1]
    assert "Koiranulkoiluttaja" in activities and "accepted" in activities
    assert audit_actions(app) == ["referral.create", "referral.agree"]


@pytest.mark.parametrize("email", ["nobody@example.fi", "ry@example.fi", "koordinaattori@example.fi"])
def test_an_address_without_a_youth_account_gets_one_answer(app, people, kaisa, email):
    response = refer(kaisa, email)
    assert response.status_code == 400
    assert re.search(r'<ul class="errors" id="email-error">\s*<li>' + re.escape(NO_ACCOUNT), response.text)
    with app.app_context():
        assert db.get_session().exec(select(Referral)).all() == []
    assert audit_actions(app) == []


@pytest.mark.parametrize("email, note, field", [
    ("", "", "email"),
    ("not-an-address", "", "email"),
    ("anna@example.fi", "x" * 1001, "note"),
])
def test_bad_input_is_refused_next_to_the_field(app, people, kaisa, email, note, field):
    response = refer(kaisa, email, note)
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.text and f'aria-describedby="{field}-error"' in response.text
    with app.app_context():
        assert db.get_session().exec(select(Referral)).all() == []


def test_a_second_referral_of_the_same_youth_is_refused(app, people, kaisa):
    assert refer(kaisa, "anna@example.fi").status_code == 303
    response = refer(kaisa, "anna@example.fi")
    assert response.status_code == 400 and "You have already referred this youth." in response.text


def test_a_coordinator_without_a_region_cannot_refer(app, people):
    add_user(app, "uusi@example.fi", Role.COORDINATOR)
    client = signed_in(app, "uusi@example.fi")
    assert "has no region yet" in client.get("/coordinator/referrals/").text
    response = refer(client, "anna@example.fi")
    assert response.status_code == 400 and "has no region yet" in response.text
    with app.app_context():
        assert db.get_session().exec(select(Referral)).all() == []


def test_the_youth_may_refuse(app, people, kaisa, anna):
    refer(kaisa, "anna@example.fi")
    referral = referral_of(app, people["anna"])
    post(anna, f"/me/referrals/{referral.id}/refuse", "/me/referrals")
    assert referral_of(app, people["anna"]).state == ReferralState.ENDED
    assert kaisa.get(f"/coordinator/referrals/youths/{people['anna']}").status_code == 404
    # answered already: a second answer changes nothing
    response = post(anna, f"/me/referrals/{referral.id}/agree", "/me/referrals")
    assert response.status_code == 303 and referral_of(app, people["anna"]).state == ReferralState.ENDED
    assert "This request has already been answered." in anna.get("/me/referrals").text
    assert audit_actions(app) == ["referral.create", "referral.refuse"]


def test_an_ended_referral_may_be_asked_for_again(app, people, kaisa, anna):
    refer(kaisa, "anna@example.fi")
    referral = referral_of(app, people["anna"])
    post(anna, f"/me/referrals/{referral.id}/refuse", "/me/referrals")
    assert refer(kaisa, "anna@example.fi", "Uusi yritys").status_code == 303
    again = referral_of(app, people["anna"])
    assert (again.id, again.state, again.note, again.ended_at) == (referral.id, ReferralState.PENDING, "Uusi yritys",
                                                                   None)


@pytest.mark.parametrize("who", ["youth", "coordinator"])
def test_either_side_may_end_an_active_referral(app, people, kaisa, anna, who):
    refer(kaisa, "anna@example.fi")
    referral = referral_of(app, people["anna"])
    post(anna, f"/me/referrals/{referral.id}/agree", "/me/referrals")
    follow = f"/coordinator/referrals/youths/{people['anna']}"
    assert kaisa.get(follow).status_code == 200
    if who == "youth":
        assert post(anna, f"/me/referrals/{referral.id}/end", "/me/referrals").status_code == 303
    else:
        assert post(kaisa, f"/coordinator/referrals/{referral.id}/end", "/coordinator/referrals/").status_code == 303
    ended = referral_of(app, people["anna"])
    assert ended.state == ReferralState.ENDED and ended.ended_at is not None
    assert kaisa.get(follow).status_code == 404
    with app.app_context():
        entry = db.get_session().exec(select(AuditEntry).where(AuditEntry.action == "referral.end")).one()
        assert entry.details == {"by": who} and entry.subject == f"referral:{referral.id}"


def test_no_one_else_may_answer_or_end_a_referral(app, people, kaisa):
    refer(kaisa, "anna@example.fi")
    referral = referral_of(app, people["anna"])
    otso = signed_in(app, "otso@example.fi")
    for change in ("agree", "refuse", "end"):
        assert post(otso, f"/me/referrals/{referral.id}/{change}", "/me/referrals").status_code == 404
    assert "Kaisa" not in otso.get("/me/referrals").text
    add_user(app, "toinen@example.fi", Role.COORDINATOR, region=REGION)
    other = signed_in(app, "toinen@example.fi")
    assert post(other, f"/coordinator/referrals/{referral.id}/end", "/coordinator/referrals/").status_code == 404
    assert "anna@example.fi" not in other.get("/coordinator/referrals/").text
    assert referral_of(app, people["anna"]).state == ReferralState.PENDING


def test_guessing_ids_shows_no_youth(app, people, kaisa, anna):
    refer(kaisa, "anna@example.fi")
    post(anna, f"/me/referrals/{referral_of(app, people['anna']).id}/agree", "/me/referrals")
    assert kaisa.get(f"/coordinator/referrals/youths/{people['anna']}").status_code == 200
    for youth_id in (people["other"], people["anna"] + 100, 0):
        assert kaisa.get(f"/coordinator/referrals/youths/{youth_id}").status_code == 404


def test_the_pages_are_for_their_roles(app, people, client, kaisa, anna):
    for url in ("/coordinator/referrals/", f"/coordinator/referrals/youths/{people['anna']}"):
        assert anna.get(url).status_code == 403
        assert client.get(url).status_code == 302 and client.get(url).location.startswith("/auth/signin")
    assert kaisa.get("/me/referrals").status_code == 403
    assert client.get("/me/referrals").location.startswith("/auth/signin")
    association = signed_in(app, "ry@example.fi")
    assert association.get("/coordinator/referrals/").status_code == 403
    assert association.get("/me/referrals").status_code == 403


def test_the_youths_navigation_counts_the_referrals_waiting_for_an_answer(app, people, kaisa, anna):
    # The count comes with the signed-in user (one query, auth.load_user) on every youth page.
    assert "waiting)" not in anna.get("/youth/matches").text
    refer(kaisa, "anna@example.fi")
    for page in ("/youth/matches", "/youth/profile", "/youth/activities"):
        assert "Referrals (1 waiting)" in anna.get(page).text
    referral = referral_of(app, people["anna"])
    post(anna, f"/me/referrals/{referral.id}/agree", "/me/referrals")
    assert "waiting)" not in anna.get("/youth/matches").text


def test_a_referral_tells_the_youth_and_the_answer_tells_the_coordinator(app, people, kaisa, anna):
    from tests.support.talk import notices_of

    with app.app_context():
        session = db.get_session()
        anna_user = session.get(YouthProfile, people["anna"]).user_id
    assert refer(kaisa, "anna@example.fi").status_code == 303
    pending = referral_of(app, people["anna"])
    [told] = notices_of(app, anna_user)
    assert (told.kind, told.params, told.link) == ("referral", {"referral_id": pending.id}, "/me/referrals")
    assert "Notifications (1 unread)" in anna.get("/me/referrals").text
    assert "A coordinator asks to follow your path in Polku." in anna.get("/notifications").text
    assert post(anna, f"/me/referrals/{pending.id}/agree", "/me/referrals").status_code == 303
    [agreed] = notices_of(app, people["coordinator"])
    assert agreed.kind == "referral_agreed" and agreed.link == f"/coordinator/referrals/youths/{people['anna']}"
    assert "A youth agreed to your referral." in kaisa.get("/notifications").text
    assert "Notifications (1 unread)" in kaisa.get("/coordinator/referrals/").text
    assert post(anna, f"/me/referrals/{pending.id}/end", "/me/referrals").status_code == 303
    assert refer(kaisa, "anna@example.fi").status_code == 303  # asked again, and refused this time
    assert post(anna, f"/me/referrals/{pending.id}/refuse", "/me/referrals").status_code == 303
    assert [n.kind for n in notices_of(app, people["coordinator"])] == ["referral_agreed", "referral_refused"]
    assert [n.kind for n in notices_of(app, anna_user)] == ["referral", "referral"]
