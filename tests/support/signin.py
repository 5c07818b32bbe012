"""Signing in: the test users' password, the sign-in form, and the session cookie a real sign-in would set."""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.security import generate_password_hash

from tests.support.clients import english, token
from webapp import clock, db
from webapp.auth.sessions import SIGNED_IN_AT
from webapp.models import Association, User
from webapp.states import Role

PASSWORD = "kissa-koira-42"  # the password of the users the helpers make (the applicants' users have "x" * 12)


def session_id(app: Flask, user_id: int) -> str:
    """What a signed-in session holds for `user_id` (`User.get_id`: the id and its session token)."""
    with Session(db.get_engine(app)) as session:
        user = session.get(User, user_id)
        if user is None:
            raise LookupError(f"no user {user_id}")
        return user.get_id()


def sign_in_as(client: Any, user_id: int, signed_in_at: dt.datetime | None = None) -> Any:
    """`client` signed in as `user_id` (a fresh session, as after the sign-in form: now, or at `signed_in_at`);
    returns it."""
    value = session_id(client.application, user_id)
    with client.session_transaction() as session:
        session["_user_id"] = value
        session["_fresh"] = True
        session[SIGNED_IN_AT] = int((signed_in_at or clock.now()).timestamp())
    return client


def signed_in_as(app: Flask, user_id: int | None) -> FlaskClient:
    """A browser (English) signed in as `user_id` without the form, or anonymous for None."""
    client = english(app.test_client())
    return sign_in_as(client, user_id) if user_id is not None else client


def sign_in(client: Any, email: str = "anna@example.fi", password: str = PASSWORD, url: str = "/auth/signin",
            **fields: str) -> Any:
    """Send the sign-in form (to `url`, with the extra `fields`); the response."""
    return client.post(url, data={"email": email, "password": password, "csrf_token": token(client), **fields})


def signed_in(app: Flask, email: str, lang: str = "en") -> FlaskClient:
    """A browser asking for `lang`, signed in through the sign-in form as `email` (password PASSWORD)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    response = client.post("/auth/signin", data={"email": email, "password": PASSWORD, "csrf_token": token(client)})
    assert response.status_code == 302, response.text
    return client


def add_account(app: Flask, email: str = "anna@example.fi", role: Role = Role.YOUTH, active: bool = True) -> None:
    """An account that signs in with PASSWORD (an association's account with its association "Testi ry")."""
    with app.app_context():
        session = db.get_session()
        association = Association(verified=True, name="Testi ry") if role is Role.ASSOCIATION else None
        session.add(User(email=email, role=role, active=active, association=association,
                         password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")))
        session.commit()
