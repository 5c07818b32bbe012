"""Passwords: the easy ones are refused everywhere a password is chosen; a signed-in user changes theirs with
the current one, and every other session of the account ends."""
from __future__ import annotations

import pytest

from tests.support.clients import english, field_errors, token
from tests.support.apps import with_whoami
from tests.support.signin import PASSWORD, add_account
from webapp.auth.passwords import too_easy

NEW = "kettu juoksee sumussa"


@pytest.fixture
def app(app):
    return with_whoami(app)


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890", "salasana123", "qwertyuiop", "password12",
                                      "anna.virtanen"])
def test_easy_passwords_are_too_easy(password):
    assert too_easy(password, ["anna.virtanen@example.fi", "Anna Virtanen"])


@pytest.mark.parametrize("password", [NEW, "Mustikka-Metsä-Kuu-77", "kissa-koira-42"])
def test_phrases_are_not(password):
    assert not too_easy(password, ["anna.virtanen@example.fi"])


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "1234567890"])
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
    easy = _change(client, PASSWORD, "1234567890")
    assert easy.status_code == 400 and "too easy to guess" in field_errors(easy, "password")
    assert _change(client, PASSWORD, NEW, confirm=NEW + "x").status_code == 400
    assert client.get("/whoami").text == "anna@example.fi"  # nothing changed, still signed in


def test_a_visitor_is_sent_to_sign_in(app):
    response = english(app.test_client()).get("/auth/password")
    assert response.status_code == 302 and "/auth/signin" in response.location
