"""Helpers for the notifications and messages tests: a youth interested in o-dog and a member of its association."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import col, select

from tests.support.applicants import add_user, page_token
from tests.support.catalogue import add_youth_catalogue
from tests.support.clients import english, token
from tests.support.signin import sign_in_as
from tests.support.youths import profile_of, youth_client
from webapp import db
from webapp.models import Association, Interest, Notice, Opening
from webapp.states import Role


@dataclass
class Talk:
    """Anna (a youth, signed up), interested in o-dog of the animals association; its member Jussi; a member
    of the other association; Anna's browser and the member's."""

    app: Flask
    anna: FlaskClient
    anna_user_id: int
    interest_id: int
    association_id: int
    member_id: int
    other_member_id: int

    def member(self, who: str = "member") -> FlaskClient:
        return sign_in_as(english(self.app.test_client()), self.member_id if who == "member" else self.other_member_id)


def talk_world(app: Flask) -> Talk:
    ids = add_youth_catalogue(app)
    anna = youth_client(app)
    member_id = add_user(app, "jussi@elaimet.example", Role.ASSOCIATION, association_id=ids["animals"], name="Jussi")
    other = add_user(app, "jasen@kulttuuri.example", Role.ASSOCIATION, association_id=ids["culture"])
    response = anna.post("/youth/openings/o-dog/interest", data={"csrf_token": token(anna, "/"),
                                                                 "message": "Pidän koirista"})
    assert response.status_code == 303, response.text
    profile = profile_of(app)
    with app.app_context():
        interest = db.get_session().exec(select(Interest).where(Interest.youth_id == profile.id)).one()
    return Talk(app, anna, profile.user_id, interest.id, ids["animals"], member_id, other)  # type: ignore[arg-type]


def notices_of(app: Flask, user_id: int) -> list[Notice]:
    """The user's notices, oldest first."""
    with app.app_context():
        return list(db.get_session().exec(select(Notice).where(Notice.user_id == user_id).order_by(col(Notice.id))))


def decide(client: Any, interest_id: int, action: str, ref: str = "o-dog") -> Any:
    prefix = f"a{interest_id}-" if action == "complete" else ""
    return client.post(f"/association/openings/{ref}/applicants/{interest_id}/{action}",
                       data={f"{prefix}csrf_token": page_token(client, ref)})


def opening_id(app: Flask, ref: str) -> int:
    with app.app_context():
        return db.get_session().exec(select(Opening.id).where(Opening.ref == ref)).one()


def association_name(app: Flask, association_id: int) -> str:
    with app.app_context():
        return db.get_session().get(Association, association_id).name
