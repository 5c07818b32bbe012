"""Passwords: the easy ones are refused everywhere a password is chosen; a signed-in user changes theirs with
the current one, and every other session of the account ends."""
from __future__ import annotations

import pytest
from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.apps import with_whoami
from tests.support.clients import english, field_errors, token
from tests.support.signin import PASSWORD, add_account
from webapp import db
from webapp.auth.passwords import too_easy
from webapp.models import User
from webapp.services import accounts
from webapp.states import Role

NEW = "kettu juoksee sumussa"
LONGEST = ("kettu juoksee sumussa " * 6)[:128]
# A password of each length: the shortest and longest allowed (ASVS 2.1.1: at least 12; 2.1.2: at most 128) and
# one character past each end; each would pass the guessability check.
OF_LENGTH = {11: "kettu-sumu7", 12: "kettu-sumu-7", 128: LONGEST, 129: LONGEST + "x"}


@pytest.fixture
def app(app):
    return with_whoami(app)


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "123456789012", "salasana1234", "qwertyuiop12", "password1234",
                                      "anna.virtanen"])
def test_easy_passwords_are_too_easy(password):
    assert too_easy(password, ["anna.virtanen@example.fi", "Anna Virtanen"])


@pytest.mark.parametrize("password", [NEW, "Mustikka-Metsä-Kuu-77", "kissa-koira-42"])
def test_phrases_are_not(password):
    assert not too_easy(password, ["anna.virtanen@example.fi"])


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "123456789012"])  # long enough, easy to guess
def test_sign_up_refuses_an_easy_password(app, password):
    client = english(app.test_client())
    response = client.post("/auth/signup", data={"email": "a@example.fi", "age": "17", "password": password,
                                                  "confirm": password, "consent": "y",
                                                  "csrf_token": token(client, "/auth/signup")})
    assert response.status_code == 400
    assert "too easy to guess" in field_errors(response, "password")


def _signed_in(app):
    client = english(app.test_client())
    response = client.post("/auth/signin", data={"email": "anna@example.fi", "password": PASSWORD,
                                                  "csrf_token": token(client)})
    assert response.status_code == 302
    return client


def _change(client, current, new, confirm=None):
    return client.post("/auth/password", data={"current": current, "password": new, "confirm": confirm or new,
                                               "csrf_token": token(client, "/auth/password")})


def test_a_password_change_ends_every_other_session(app):
    add_account(app)
    here, elsewhere = _signed_in(app), _signed_in(app)
    assert _change(here, PASSWORD, NEW).status_code == 302
    assert here.get("/whoami").text == "anna@example.fi"  # this browser goes on
    assert elsewhere.get("/whoami").text == "anonymous"  # the others, and any stolen copy, are out
    fresh = english(app.test_client())
    assert fresh.post("/auth/signin", data={"email": "anna@example.fi", "password": PASSWORD,
                                            "csrf_token": token(fresh)}).status_code == 400
    assert fresh.post("/auth/signin", data={"email": "anna@example.fi", "password": NEW,
                                            "csrf_token": token(fresh)}).status_code == 302


def test_the_change_needs_the_current_password_and_a_good_new_one(app):
    add_account(app)
    client = _signed_in(app)
    wrong = _change(client, "väärä salasana", NEW)
    assert wrong.status_code == 400 and "The current password is wrong." in field_errors(wrong, "current")
    easy = _change(client, PASSWORD, "123456789012")
    assert easy.status_code == 400 and "too easy to guess" in field_errors(easy, "password")
    assert _change(client, PASSWORD, NEW, confirm=NEW + "x").status_code == 400
    assert client.get("/whoami").text == "anna@example.fi"  # nothing changed, still signed in


def test_a_visitor_is_sent_to_sign_in(app):
    response = english(app.test_client()).get("/auth/password")
    assert response.status_code == 302 and "/auth/signin" in response.location


# ---------------------------------------------------------------- 12 to 128 characters, wherever one is chosen

def _sign_up(app, password):
    client = english(app.test_client())
    return client.post("/auth/signup", data={"email": "uusi@example.fi", "age": "17", "password": password,
                                             "confirm": password, "consent": "y",
                                             "csrf_token": token(client, "/auth/signup")})


def _register(app, password):
    client = english(app.test_client())
    return client.post("/association/register", data={
        "name": "Pituusseura ry", "business_id": "", "municipality": "Oulu", "contact": "info@seura.example",
        "description": "", "person_name": "Testi Henkilö", "email": "seura@example.fi", "password": password,
        "confirm": password, "csrf_token": token(client, "/association/register")})


def _change_own(app, password):
    add_account(app)
    return _change(_signed_in(app), PASSWORD, password)


def _invited(app, password):
    add_account(app, "admin@example.fi", Role.ADMIN)
    with app.test_request_context():
        session = db.get_session()
        admin = session.exec(select(User).where(User.email == "admin@example.fi")).one()
        _user, link_token = accounts.invite_coordinator(session, admin, "kaisa@kunta.example", "Kaisa K", "Lappi")
    client = english(app.test_client())
    return client.post(f"/auth/invitation/{link_token}", data={"password": password, "confirm": password,
                                                                "csrf_token": token(client)})


@pytest.mark.parametrize("length", sorted(OF_LENGTH))
@pytest.mark.parametrize("choose", [_sign_up, _register, _change_own, _invited])
def test_every_form_that_chooses_a_password_takes_12_to_128_characters(app, choose, length):
    password = OF_LENGTH[length]
    assert len(password) == length and not too_easy(password)
    response = choose(app, password)
    if 12 <= length <= 128:
        assert response.status_code in (302, 303), field_errors(response, "password")
    else:
        assert response.status_code == 400
        assert "Choose a password of 12 to 128 characters." in field_errors(response, "password")


def test_an_older_password_of_up_to_200_characters_still_signs_in(app):
    old = ("kettu juoksee sumussa " * 10)[:150]  # chosen when the maximum was 200
    add_account(app)
    with app.app_context():
        session = db.get_session()
        user = session.exec(select(User).where(User.email == "anna@example.fi")).one()
        user.password_hash = generate_password_hash(old, method="pbkdf2:sha256:1000")
        session.add(user)
        session.commit()
    client = english(app.test_client())
    response = client.post("/auth/signin", data={"email": "anna@example.fi", "password": old,
                                                  "csrf_token": token(client)})
    assert response.status_code == 302
    too_long = client.post("/auth/signin", data={"email": "anna@example.fi", "password": old + "x" * 51,
                                                  "csrf_token": token(client)})
    assert too_long.status_code == 400
    assert "A password has at most 200 characters." in field_errors(too_long, "password")


def test_a_thief_with_a_copy_of_the_session_cannot_stop_the_owner_changing_the_password(app):
    """Only the session cookie was stolen: the thief's wrong guesses spend the account's shared budget, the
    owner's browser (signed in from before) has its own, so the owner can still cut the thief off."""
    add_account(app)
    shared = app.config["SIGNIN_MAX_FAILURES"]
    owner = _signed_in(app)
    name = app.config["SESSION_COOKIE_NAME"]
    thief = english(app.test_client())
    thief.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    thief.set_cookie(name, owner.get_cookie(name).value)
    assert thief.get("/whoami").text == "anna@example.fi"
    answers = [_change(thief, f"arvaus numero {i}", NEW).status_code for i in range(shared + 3)]
    assert answers[:shared] == [400] * shared and set(answers[shared:]) == {429}
    assert _change(thief, PASSWORD, NEW).status_code == 429  # the thief is stopped, even with the right one
    assert _change(owner, PASSWORD, NEW).status_code == 302  # the owner is not
    assert thief.get("/whoami").text == "anonymous"  # and the stolen copy is cut off
