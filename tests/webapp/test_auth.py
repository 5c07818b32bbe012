from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from flask import Blueprint
from sqlmodel import select
from werkzeug.security import check_password_hash

from tests.support.apps import make_app
from tests.support.clients import field_errors, token
from tests.support.apps import with_whoami
from tests.support.signin import PASSWORD, add_account, sign_in
from webapp.auth import attempts
from webapp import db
from webapp.auth.access import role_required
from webapp.security import safe_next
from webapp.models import Attempt, User, YouthProfile
from webapp.states import Role


@pytest.fixture
def app(app):
    """The app with two pages behind `role_required`, added before any request."""
    pages = Blueprint("pages", __name__)

    @pages.get("/for-associations")
    @role_required(Role.ASSOCIATION, Role.COORDINATOR)
    def for_associations():
        return "association page"

    app.register_blueprint(pages)
    return with_whoami(app)


@pytest.fixture
def client(app):
    """A browser that asks for English, so the messages below are the source strings."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def sign_up(client, **fields):
    data = {"email": "anna@example.fi", "age": "17", "password": PASSWORD, "confirm": PASSWORD, "consent": "y",
            "csrf_token": token(client, "/auth/signup"), **fields}
    return client.post("/auth/signup", data={k: v for k, v in data.items() if v is not None})


def users(app):
    with app.app_context():
        return db.get_session().exec(select(User)).all()


# ---------------------------------------------------------------- sign up

def test_sign_up_makes_a_youth_with_an_empty_profile_and_signs_in(app, client):
    response = sign_up(client, email="  Anna@Example.FI ")
    assert response.status_code == 302 and response.location == "/youth/start/1"  # on to the profile steps
    [user] = users(app)
    assert user.email == "anna@example.fi" and user.role is Role.YOUTH
    with app.app_context():
        profile = db.get_session().exec(select(YouthProfile).where(YouthProfile.user_id == user.id)).one()
    assert profile.interests == "" and profile.themes == []
    assert client.get("/whoami").get_data(as_text=True) == "anna@example.fi"


def test_passwords_are_stored_hashed(app, client):
    sign_up(client)
    [user] = users(app)
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("pbkdf2:sha256:1000$")  # the configured method
    assert check_password_hash(user.password_hash, PASSWORD)


def test_sign_up_follows_a_local_next(client):
    data = {"email": "b@example.fi", "age": "22", "password": PASSWORD, "confirm": PASSWORD, "consent": "y",
            "csrf_token": token(client, "/auth/signup")}
    response = client.post("/auth/signup?next=/openings", data=data)
    assert response.status_code == 302 and response.location == "/openings"


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"email": "anna.example.fi"}, "email", "Enter an e-mail address like name@example.fi."),
    ({"email": "anna@example"}, "email", "Enter an e-mail address like name@example.fi."),
    ({"email": "  "}, "email", "Enter your e-mail address."),
    ({"password": "lyhyt", "confirm": "lyhyt"}, "password", "Choose a password of 12 to 128 characters."),
    ({"confirm": PASSWORD + "x"}, "confirm", "The passwords differ; type the same password twice."),
    ({"consent": None}, "consent", "You can sign up only if you agree to this."),
    ({"age": None}, "age", "Tell us your age."),
    ({"age": "14"}, "age", "Polku is for young people aged 15 to 29. Your school's student counsellor"),
    ({"age": "31"}, "age", "Polku is for young people aged 15 to 29. For work trials and volunteering"),
    ({"age": "seitsemäntoista"}, "age", "Write your age as a whole number, for example 17."),
])
def test_bad_sign_up_is_refused_with_the_message_by_the_field(app, client, fields, field, message):
    response = sign_up(client, **fields)
    assert response.status_code == 400
    assert message in field_errors(response, field)
    assert re.search(rf'aria-describedby="[^"]*{field}-error" aria-invalid="true"', response.get_data(as_text=True))
    assert users(app) == []  # nothing saved, not even half


def test_the_same_address_signs_up_once(app, client):
    add_account(app)
    response = sign_up(client, email="ANNA@example.fi")
    assert response.status_code == 400
    assert "An account with this e-mail address exists already" in field_errors(response, "email")
    assert len(users(app)) == 1
    with app.app_context():
        assert db.get_session().exec(select(YouthProfile)).all() == []


# ---------------------------------------------------------------- sign in and out

@pytest.mark.parametrize("role, workspace", [(Role.YOUTH, "/youth/matches"),
                                             (Role.ASSOCIATION, "/association/openings"),
                                             (Role.COORDINATOR, "/coordinator/"), (Role.ADMIN, "/admin/")])
def test_each_role_starts_in_its_own_workspace(app, client, role, workspace):
    add_account(app, role=role)
    response = sign_in(client)
    assert response.status_code == 302 and response.location == workspace


def test_sign_in_and_out(app, client):
    add_account(app)
    response = sign_in(client, email=" Anna@Example.fi")
    assert response.status_code == 302 and response.location == "/youth/matches"  # a youth's workspace
    assert client.get("/whoami").get_data(as_text=True) == "anna@example.fi"

    assert client.get("/auth/signout").status_code == 200  # a page with a button; GET changes nothing
    assert client.get("/whoami").get_data(as_text=True) == "anna@example.fi"
    response = client.post("/auth/signout", data={"csrf_token": token(client, "/auth/signout")})
    assert response.status_code == 302
    assert client.get("/whoami").get_data(as_text=True) == "anonymous"


@pytest.mark.parametrize("email", ["anna@example.fi", "nobody@example.fi"])
def test_wrong_password_or_unknown_address_get_the_same_answer(app, client, email):
    add_account(app)
    response = sign_in(client, email=email, password="väärä salasana")
    assert response.status_code == 400
    assert "The e-mail address or the password is wrong." in field_errors(response, "password")
    assert client.get("/whoami").get_data(as_text=True) == "anonymous"


def test_a_closed_account_cannot_sign_in(app, client):
    add_account(app, active=False)
    response = sign_in(client)
    assert response.status_code == 403
    assert "This account is closed" in response.get_data(as_text=True)
    assert client.get("/whoami").get_data(as_text=True) == "anonymous"


# ---------------------------------------------------------------- CSRF

def test_csrf_is_on_in_the_tests_too(app):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True


@pytest.mark.parametrize("url", ["/auth/signup", "/auth/signin", "/auth/signout"])
@pytest.mark.parametrize("csrf_token", [None, "forged"])
def test_a_post_without_a_valid_csrf_token_is_refused(app, client, url, csrf_token):
    add_account(app)
    sign_in(client, email="anna@example.fi")
    data = {"email": "b@example.fi", "age": "19", "password": PASSWORD, "confirm": PASSWORD, "consent": "y"}
    if csrf_token:
        data["csrf_token"] = csrf_token
    assert client.post(url, data=data).status_code == 400
    assert [u.email for u in users(app)] == ["anna@example.fi"]
    assert client.get("/whoami").get_data(as_text=True) == "anna@example.fi"  # still signed in


# ---------------------------------------------------------------- next

@pytest.mark.parametrize(("target", "expected"), [
    ("/youth/matches?k=5", "/youth/matches?k=5"),
    ("/", "/"),
    ("", None),
    (None, None),
    ("//evil.example/", None),
    ("https://evil.example/", None),
    ("javascript:alert(1)", None),
    ("/\\evil.example", None),
    ("\\\\evil.example", None),
    ("/\t/evil.example", None),
    ("/\n/evil.example", None),
    ("evil.example", None),
])
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_sign_in_follows_a_local_next(app, client):
    add_account(app, role=Role.ASSOCIATION)
    response = client.get("/for-associations")
    assert response.status_code == 302
    login_page = response.location
    assert login_page.startswith("/auth/signin?next=")
    assert 'name="next" type="hidden" value="/for-associations"' in client.get(login_page).get_data(as_text=True)
    response = sign_in(client, url=login_page, next="/for-associations")
    assert response.status_code == 302 and response.location == "/for-associations"
    assert client.get("/for-associations").get_data(as_text=True) == "association page"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_sign_in_refuses_an_open_redirect(app, client, target):
    add_account(app)
    assert f'value="{target}"' not in client.get("/auth/signin", query_string={"next": target}).get_data(as_text=True)
    response = sign_in(client, next=target)
    assert response.status_code == 302 and response.location == "/youth/matches"
    client.post("/auth/signout", data={"csrf_token": token(client, "/auth/signout")})
    response = client.post("/auth/signin", query_string={"next": target},
                           data={"email": "anna@example.fi", "password": PASSWORD, "csrf_token": token(client)})
    assert response.status_code == 302 and response.location == "/youth/matches"


# ---------------------------------------------------------------- rate limiting

T0 = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.timezone.utc)


def test_five_failures_in_fifteen_minutes_lock_the_address(app, client, monkeypatch):
    add_account(app)
    add_account(app, email="other@example.fi")
    now = [T0]
    monkeypatch.setattr(app.extensions["polku.attempts"], "now", lambda: now[0])
    for _ in range(5):
        assert sign_in(client, password="väärä salasana").status_code == 400
        now[0] += dt.timedelta(seconds=60)
    response = sign_in(client)  # even the right password
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) == 15 * 60 - 5 * 60
    assert "Too many attempts" in response.get_data(as_text=True)
    assert client.get("/whoami").get_data(as_text=True) == "anonymous"
    assert sign_in(client, email="OTHER@example.fi").status_code == 302  # other addresses are not locked

    now[0] = T0 + dt.timedelta(minutes=15)  # the first failure has left the window
    assert sign_in(client).status_code == 302


def test_a_success_clears_the_failures(app, client):
    add_account(app)
    for _ in range(4):
        sign_in(client, password="väärä salasana")
    assert sign_in(client).status_code == 302
    # the account's failures are gone; the client address keeps its own (a success of one account
    # must not let the same address guess at others afresh)
    assert attempts.key("account", "anna@example.fi") not in {f.key for f in failures(app)}
    client.post("/auth/signout", data={"csrf_token": token(client, "/auth/signout")})
    for _ in range(4):
        assert sign_in(client, password="väärä salasana").status_code == 400
    assert sign_in(client).status_code == 302


def failures(app):
    with app.app_context():
        return db.get_session().exec(select(Attempt)).all()


def test_the_limiter_forgets_old_attempts(app):
    now = [T0]
    limiter = attempts.Attempts({"k": attempts.Limit(2, dt.timedelta(seconds=10))}, now=lambda: now[0])
    a, b, c = (attempts.key("account", email) for email in ("a@example.fi", "b@example.fi", "c@example.fi"))
    with app.app_context():
        session = db.get_session()
        assert limiter.take(session, [("k", a)]).wait == 0
        assert limiter.take(session, [("k", a)]).wait == 0
        assert limiter.take(session, [("k", b)]).wait == 0
        assert limiter.take(session, [("k", a)]).wait == 10  # refused: taken back, so it does not count
        now[0] = T0 + dt.timedelta(seconds=4.5)
        assert limiter.take(session, [("k", a)]).wait == 6
        now[0] = T0 + dt.timedelta(seconds=10)
        assert limiter.take(session, [("k", c)]).wait == 0  # a new attempt sweeps out those past the window
        assert [row.key for row in session.exec(select(Attempt))] == [c]


def test_every_app_on_one_database_shares_the_count(app, database_url):
    """Two processes (two apps with engines of their own) on one database: 3 + 2 failures lock the address."""
    add_account(app)
    other = make_app(database_url)
    try:
        clients = []
        for each in (app, other):
            c = each.test_client()
            c.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
            clients.append(c)
        for _ in range(3):
            assert sign_in(clients[0], password="väärä salasana").status_code == 400
        for _ in range(2):
            assert sign_in(clients[1], password="väärä salasana").status_code == 400
        assert sign_in(clients[0]).status_code == 429
        assert sign_in(clients[1]).status_code == 429
    finally:
        db.dispose(other)


def test_no_address_is_stored_for_a_failure(app, client):
    sign_in(client, email="Salainen.Osoite@Example.fi", password="väärä salasana")
    sign_in(client, email="nobody@example.fi", password="väärä salasana")
    rows = failures(app)
    assert {attempts.key("account", "salainen.osoite@example.fi"), attempts.key("account", "nobody@example.fi")} \
        <= {f.key for f in rows}
    with app.app_context():
        dump = db.get_session().connection().execute(sa.text("SELECT * FROM attempt")).all()
    assert len(dump) == 4  # each failure under its account and under the client's address
    assert not any("@" in str(value) or "salainen" in str(value).lower() for row in dump for value in row)


# ---------------------------------------------------------------- roles

def test_role_required_sends_visitors_to_sign_in(client):
    response = client.get("/for-associations")
    assert response.status_code == 302
    assert response.location == "/auth/signin?next=%2Ffor-associations"


def test_role_required_refuses_other_roles(app, client):
    add_account(app)
    sign_in(client)
    assert client.get("/for-associations").status_code == 403


@pytest.mark.parametrize("role", [Role.ASSOCIATION, Role.COORDINATOR])
def test_role_required_lets_the_roles_in(app, client, role):
    add_account(app, role=role)
    sign_in(client)
    response = client.get("/for-associations")
    assert response.status_code == 200 and response.get_data(as_text=True) == "association page"


def test_role_required_needs_a_known_role():
    with pytest.raises(ValueError):
        role_required()
    with pytest.raises(ValueError):
        role_required("superuser")
