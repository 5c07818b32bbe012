"""Signing a test client in without the sign-in form: the session cookie a real sign-in would set."""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlmodel import Session

from webapp import db
from webapp.models import User


def session_id(app: Flask, user_id: int) -> str:
    """What a signed-in session holds for `user_id` (`User.get_id`: the id and its session token)."""
    with Session(db.get_engine(app)) as session:
        user = session.get(User, user_id)
        if user is None:
            raise LookupError(f"no user {user_id}")
        return user.get_id()


def sign_in_as(client: Any, user_id: int) -> Any:
    """`client` signed in as `user_id` (a fresh session, as after the sign-in form); returns it."""
    value = session_id(client.application, user_id)
    with client.session_transaction() as session:
        session["_user_id"] = value
        session["_fresh"] = True
    return client
