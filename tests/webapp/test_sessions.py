"""Sessions end on the server: a copied cookie dies with sign-out, deletion and deactivation; and every sign-in
lasts at most SESSION_MAX_AGE_HOURS, however much it is used."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.apps import make_app, with_whoami
from tests.support.clients import english, token
from tests.support.signin import PASSWORD, add_account, session_id, sign_in_as, signed_in
from webapp import clock, create_app, db, migrate
from webapp.auth.sessions import SIGNED_IN_AT, SessionSettingError
from webapp.models import User, YouthProfile
from webapp.services import accounts
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
        session[SIGNED_IN_AT] = int(clock.now().timestamp())  # signed in just now: only the token is wrong
    assert whoami(client) == "anonymous"


# ---------------------------------------------------------------- how long a sign-in lasts

def _signed_in_at(client):
    with client.session_transaction() as session:
        return session.get(SIGNED_IN_AT)


def _hours_ago(hours):
    return clock.now() - dt.timedelta(hours=hours)


def test_a_session_older_than_the_limit_is_signed_out_and_sent_to_sign_in(app, youth):
    most = app.config["SESSION_MAX_AGE_HOURS"]
    assert most == 7 * 24  # the default: a week
    old = sign_in_as(english(app.test_client()), youth, signed_in_at=_hours_ago(most) - dt.timedelta(minutes=1))
    response = old.get("/youth/profile")
    assert response.status_code == 302 and response.location.startswith("/auth/signin")
    assert whoami(old) == "anonymous"
    assert old.get("/api/v1/matches").status_code == 401
    with old.session_transaction() as session:
        assert "_user_id" not in session and SIGNED_IN_AT not in session  # signed out, not just refused once
    # a sign-in an hour short of the limit still works
    recent = sign_in_as(english(app.test_client()), youth, signed_in_at=_hours_ago(most - 1))
    assert whoami(recent) == "anna@example.fi" and recent.get("/youth/profile").status_code == 200


def test_only_the_old_session_ends(app, youth):
    most = app.config["SESSION_MAX_AGE_HOURS"]
    old_phone = sign_in_as(english(app.test_client()), youth, signed_in_at=_hours_ago(most + 1))
    laptop = signed_in_by_form(app)
    assert whoami(old_phone) == "anonymous"
    assert whoami(laptop) == "anna@example.fi"
    again = signed_in_by_form(app)  # signing in again on the old phone's account works at once
    assert whoami(again) == "anna@example.fi"


def test_a_session_without_a_sign_in_time_is_refused(app, youth):
    client = english(app.test_client())
    with client.session_transaction() as session:  # a cookie from before the rule: the right id and token
        session["_user_id"] = session_id(app, youth)
        session["_fresh"] = True
    assert whoami(client) == "anonymous"
    assert client.get("/youth/profile").status_code == 302
    assert client.get("/api/v1/matches").status_code == 401


@pytest.mark.parametrize("stamp", ["yesterday", 1.5e9, None, True])
def test_a_sign_in_time_that_is_not_a_whole_number_is_refused(app, youth, stamp):
    client = sign_in_as(english(app.test_client()), youth)
    with client.session_transaction() as session:
        session[SIGNED_IN_AT] = stamp
    assert whoami(client) == "anonymous"


def test_using_the_session_does_not_make_it_last_longer(app, youth):
    most = app.config["SESSION_MAX_AGE_HOURS"]
    client = sign_in_as(english(app.test_client()), youth, signed_in_at=_hours_ago(most - 1))
    stamp = _signed_in_at(client)
    client.get("/language?lang=sv&next=/")  # makes the session permanent and rewrites the cookie
    for url in ["/whoami", "/youth/profile", "/api/v1/matches", "/"]:
        client.get(url)
    assert _signed_in_at(client) == stamp
    assert whoami(client) == "anna@example.fi"


def _sign_in_form(app, client):
    add_account(app, "bea@example.fi")
    return client.post("/auth/signin", data={"email": "bea@example.fi", "password": PASSWORD,
                                             "csrf_token": token(client)})


def _sign_up(app, client):
    return client.post("/auth/signup", data={"email": "uusi@example.fi", "age": "17", "password": PASSWORD,
                                             "confirm": PASSWORD, "consent": "y",
                                             "csrf_token": token(client, "/auth/signup")})


def _register(app, client):
    return client.post("/association/register", data={
        "name": "Aikaseura ry", "business_id": "", "municipality": "Oulu", "contact": "info@seura.example",
        "description": "", "person_name": "Testi Henkilö", "email": "seura@example.fi", "password": PASSWORD,
        "confirm": PASSWORD, "csrf_token": token(client, "/association/register")})


def _invitation(app, client):
    add_account(app, "admin@example.fi", Role.ADMIN)
    with app.test_request_context():
        session = db.get_session()
        admin = session.exec(select(User).where(User.email == "admin@example.fi")).one()
        _user, link_token = accounts.invite_coordinator(session, admin, "kaisa@kunta.example", "Kaisa K", "Lappi")
    return client.post(f"/auth/invitation/{link_token}", data={"password": "kettu juoksee sumussa",
                                                                "confirm": "kettu juoksee sumussa",
                                                                "csrf_token": token(client)})


def _password_change(app, client):
    """A password change asks for the current password, so it is a new sign-in: the time starts again."""
    with app.app_context():
        user_id = db.get_session().exec(select(User.id).where(User.email == "anna@example.fi")).one()
    sign_in_as(client, user_id, signed_in_at=_hours_ago(app.config["SESSION_MAX_AGE_HOURS"] - 1))
    return client.post("/auth/password", data={"current": PASSWORD, "password": "kettu juoksee sumussa",
                                               "confirm": "kettu juoksee sumussa",
                                               "csrf_token": token(client, "/auth/password")})


@pytest.mark.parametrize("sign_in", [_sign_in_form, _sign_up, _register, _invitation, _password_change])
def test_every_way_of_signing_in_writes_the_time(app, youth, sign_in):
    client = english(app.test_client())
    before = int(clock.now().timestamp())
    response = sign_in(app, client)
    assert response.status_code in (302, 303), response.text
    assert before <= _signed_in_at(client) <= int(clock.now().timestamp())
    assert whoami(client) != "anonymous"


@pytest.fixture
def short_app(database_url, monkeypatch):
    """An app whose sign-ins last an hour, set in the environment."""
    monkeypatch.setenv("SESSION_MAX_AGE_HOURS", "1")
    app = make_app(database_url)
    migrate.upgrade(app)
    yield app
    db.dispose(app)


def test_the_lifetime_is_a_setting(short_app):
    add_account(short_app)
    with short_app.app_context():
        user_id = db.get_session().exec(select(User.id)).one()
    assert short_app.config["SESSION_MAX_AGE_HOURS"] == 1
    fresh = sign_in_as(english(short_app.test_client()), user_id, signed_in_at=_hours_ago(0.5))
    assert fresh.get("/auth/password").status_code == 200
    stale = sign_in_as(english(short_app.test_client()), user_id, signed_in_at=_hours_ago(1.5))
    assert stale.get("/auth/password").status_code == 302


@pytest.mark.parametrize("value", ["0", "-5", "721", "1.5", "a week", " "])
def test_a_bad_lifetime_refuses_to_start_and_says_why(monkeypatch, value):
    monkeypatch.setenv("SESSION_MAX_AGE_HOURS", value)
    with pytest.raises(SessionSettingError, match=r"SESSION_MAX_AGE_HOURS must be a whole number of hours from 1 "
                                                  r"to 720") as refused:
        create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
    assert repr(value) in str(refused.value)
