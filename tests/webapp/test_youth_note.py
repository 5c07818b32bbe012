"""The youth's optional note to the association, written with the interest."""
from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.support.clients import token
from tests.support.youths import act, interests_of, profile_of, save_profile, youth_client
from webapp import db
from webapp.models import Interest, Opening
from webapp.states import InterestState
from webapp.services.interest import NOTE_MAX_LENGTH, InterestRefused, express_interest, withdraw


@pytest.fixture
def anna(app, catalogue):
    client = youth_client(app)
    save_profile(client)
    return client


def interest_with_note(client, ref, message):
    return client.post(f"/youth/openings/{ref}/interest", data={
        "csrf_token": token(client, "/youth/activities"), "next": f"/openings/{ref}", "message": message})


def notes(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.get_session().exec(select(Opening.ref, Interest.message).join(Opening)).all())


def test_the_opening_page_offers_a_note_with_the_interest(app, anna):
    html = anna.get("/openings/o-dog").text
    form = re.search(r'<form method="post" action="/youth/openings/o-dog/interest">(.*?)</form>', html, re.S).group(1)
    assert '<label for="note-o-dog">A note to the association (optional)</label>' in form
    assert re.search(rf'<textarea id="note-o-dog" name="message" rows="3" maxlength="{NOTE_MAX_LENGTH}" '
                     r'aria-describedby="note-o-dog-hint">', form)
    assert 'id="note-o-dog-hint"' in form
    assert 'name="message"' not in anna.get("/youth/matches").text  # the short lists keep a plain button


def test_the_note_is_saved_trimmed(app, anna):
    response = interest_with_note(anna, "o-dog", "  Hei! Minulla on oma koira.\n ")
    assert response.status_code == 303 and response.location == "/openings/o-dog"
    assert notes(app) == {"o-dog": "Hei! Minulla on oma koira."}
    assert interests_of(app) == {"o-dog": InterestState.INTERESTED}


def test_no_note_is_fine(app, anna):
    assert act(anna, "o-dog").status_code == 303  # the plain button: no message field at all
    assert notes(app) == {"o-dog": ""}


def test_a_note_of_the_longest_length_is_kept_and_a_longer_one_refused(app, anna):
    response = interest_with_note(anna, "o-dog", "x" * (NOTE_MAX_LENGTH + 1))
    assert response.status_code == 400
    assert f"Your note is too long: write at most {NOTE_MAX_LENGTH} characters." in response.text
    assert interests_of(app) == {}
    assert interest_with_note(anna, "o-dog", " " + "y" * NOTE_MAX_LENGTH + " ").status_code == 303
    assert notes(app) == {"o-dog": "y" * NOTE_MAX_LENGTH}


def test_interest_again_after_withdrawing_takes_the_new_note(app, anna):
    interest_with_note(anna, "o-dog", "Ensimmäinen")
    interest_with_note(anna, "o-dog", "Toinen klikkaus")  # already interested: nothing changes
    assert notes(app) == {"o-dog": "Ensimmäinen"}
    act(anna, "o-dog", "withdraw")
    interest_with_note(anna, "o-dog", "Uusi viesti")
    assert notes(app) == {"o-dog": "Uusi viesti"}


def test_the_service_takes_a_note_and_names_the_field_when_refusing(app, anna):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        session = db.get_session()
        profile = session.get(type(profile_of(app)), profile_of(app).id)
        dog = session.exec(select(Opening).where(Opening.ref == "o-dog")).one()
        photo = session.exec(select(Opening).where(Opening.ref == "o-photo")).one()
        profile.max_travel_km = None  # Tornio is far from Oulu
        with pytest.raises(InterestRefused) as refused:
            express_interest(session, profile, dog, message="z" * (NOTE_MAX_LENGTH + 1))
        assert refused.value.field == "message" and "at most 1000 characters" in refused.value.message
        assert express_interest(session, profile, dog, message="\tKiitos!  ").message == "Kiitos!"
        assert express_interest(session, profile, photo).message == ""  # the older callers: no note
        withdraw(session, profile, photo)
        assert express_interest(session, profile, photo, message=None).message == ""
        closed = session.exec(select(Opening).where(Opening.ref == "o-closed")).one()
        with pytest.raises(InterestRefused) as refused:
            express_interest(session, profile, closed, message="hei")
        assert refused.value.field is None  # a rule about the opening, not about the note
    assert notes(app) == {"o-dog": "Kiitos!", "o-photo": ""}
