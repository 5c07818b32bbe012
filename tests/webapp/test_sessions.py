"""Sessions end on the server: a copied cookie dies with sign-out, deletion and deactivation."""
from __future__ import annotations


import pytest
from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.clients import english, token
from tests.support.apps import with_whoami
from tests.support.signin import PASSWORD, session_id, sign_in_as, signed_in
from webapp import db
from webapp.models import User, YouthProfile
from webapp.states import Role


@pytest.fixture
def app(app):
    return with_whoami(app)


@pytest.fixture
def youth(app):
    with app.app_context():
        session = db.get_session()
        user = User(email="anna@example.fi", role=Role.YOUTH,
                    password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        session.add(YouthProfile(user=user, interests="koirat", municipality="Oulu", age=17))
        session.commit()
        return user.id


def signed_in_by_form(app):
    return signed_in(app, "anna@example.fi")


def stolen(app, client):
    """Another browser holding a copy of `client`'s session cookie."""
    thief = english(app.test_client())
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def whoami(client):
    return client.get("/whoami").get_data(as_text=True)


def test_a_copied_cookie_works_until_sign_out_and_never_after(app, youth):
    owner = signed_in_by_form(app)
    thief = stolen(app, owner)
    assert whoami(thief) == "anna@example.fi"
    assert owner.post("/auth/signout", data={"csrf_token": token(owner, "/auth/signout")}).status_code == 302
    assert whoami(owner) == "anonymous"
    assert whoami(thief) == "anonymous"
    assert thief.get("/youth/profile").status_code == 302  # to sign-in
    assert thief.get("/api/v1/matches").status_code == 401


def test_sign_out_ends_the_other_devices_too_and_a_new_sign_in_works(app, youth):
    phone, laptop = signed_in_by_form(app), signed_in_by_form(app)
    phone.post("/auth/signout", data={"csrf_token": token(phone, "/auth/signout")})
    assert whoami(laptop) == "anonymous"
    again = signed_in_by_form(app)
    assert whoami(again) == "anna@example.fi"


def test_after_deletion_the_old_cookie_reads_and_writes_nothing(app, youth):
    owner = signed_in_by_form(app)
    thief = stolen(app, owner)
    response = owner.post("/account/delete", data={"password": PASSWORD, "understood": "y",
                                                   "csrf_token": token(owner, "/account/data")})
    assert response.status_code == 303, response.text
    assert whoami(thief) == "anonymous"
    assert thief.get("/youth/profile").status_code == 302
    assert thief.get("/api/v1/matches").status_code == 401
    assert thief.get("/account/data.json").status_code in (302, 401)
    response = thief.post("/youth/profile", data={"interests": "uusi henkilötieto", "csrf_token": token(thief)})
    assert response.status_code in (302, 400, 401)
    with app.app_context():
        profile = db.get_session().exec(select(YouthProfile)).one()
        assert profile.interests == ""  # emptied by the deletion, nothing written after it


def test_a_deactivated_user_is_signed_out_at_the_next_request(app, youth):
    client = signed_in_by_form(app)
    with app.app_context():
        session = db.get_session()
        user = session.get(User, youth)
        user.active = False
        session.commit()
    assert whoami(client) == "anonymous"


def test_ending_sessions_from_the_server_refuses_every_cookie(app, youth):
    client = sign_in_as(english(app.test_client()), youth)
    assert whoami(client) == "anna@example.fi"
    with app.app_context():
        session = db.get_session()
        user = session.get(User, youth)
        user.end_sessions()
        session.commit()
    assert whoami(client) == "anonymous"


@pytest.mark.parametrize("forged", ["{id}", "{id}:", "{id}:0", "{id}:{token}x", " {id}:{token}",
                                    "{id}:{token}:{token}"])
def test_a_cookie_without_the_current_token_signs_in_nobody(app, youth, forged):
    real = session_id(app, youth)
    user_id, _, session_token = real.partition(":")
    client = english(app.test_client())
    with client.session_transaction() as session:
        session["_user_id"] = forged.format(id=user_id, token=session_token)
        session["_fresh"] = True
    assert whoami(client) == "anonymous"
