"""Helpers for the applicants tests: members, youths and their interest, made straight in the database."""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.clients import token
from webapp import db
from webapp.models import Interest, Opening, Outcome, User, YouthProfile
from webapp.states import InterestState, Role

HASH = generate_password_hash("x" * 12, method="pbkdf2:sha256:1000")  # its users sign in with "x" * 12

# A youth whose every field has a value that appears nowhere else in the catalogue, so a
# value found in a page can only have come from the profile.
SECRET_PROFILE: dict[str, Any] = {
    "age": 17, "interests": "Salaisuus-harrastus kirjontaa", "themes": ["animals"], "municipality": "Kuusamo",
    "languages": ["fi", "et"], "kinds": ["work_trial"], "qualifications": ["hygiene_passport"],
    "needs": ["peer_buddy"], "goals": ["work_certificate"], "availability": ["la 10-14"],
}


def add_user(app: Flask, email: str, role: Role, *, association_id: int | None = None, name: str = "",
             profile: dict[str, Any] | None = None) -> int:
    """A user (and, for a youth, a profile); the user's id."""
    with app.app_context():
        session = db.get_session()
        user = User(email=email, role=role, name=name, association_id=association_id, password_hash=HASH)
        session.add(user)
        if role == Role.YOUTH:
            session.add(YouthProfile(user=user, **(profile or {})))
        session.commit()
        return user.id


def add_youths(app: Flask, count: int, ref: str, prefix: str = "youth") -> list[int]:
    """`count` youths interested in the opening `ref`, in one transaction; the interests' ids."""
    with app.app_context():
        session = db.get_session()
        opening = session.exec(select(Opening).where(Opening.ref == ref)).one()
        profiles = []
        for n in range(count):
            user = User(email=f"{prefix}{n}@example.fi", role=Role.YOUTH, name=f"Nuori {n}", password_hash=HASH)
            profile = YouthProfile(user=user)
            session.add_all([user, profile])
            profiles.append(profile)
        session.flush()
        interests = [Interest(youth_id=p.id, opening_id=opening.id) for p in profiles]
        session.add_all(interests)
        session.commit()
        return [i.id for i in interests]


def add_interest(app: Flask, user_id: int, ref: str, state: InterestState = InterestState.INTERESTED,
                 message: str = "") -> int:
    with app.app_context():
        session = db.get_session()
        profile = session.exec(select(YouthProfile).where(YouthProfile.user_id == user_id)).one()
        opening = session.exec(select(Opening).where(Opening.ref == ref)).one()
        interest = Interest(youth_id=profile.id, opening_id=opening.id, state=state, message=message)
        session.add(interest)
        session.commit()
        return interest.id


def page_token(client: Any, ref: str) -> str:
    """The CSRF token of the applicants page of the opening `ref`."""
    return token(client, f"/association/openings/{ref}/applicants")


def interest_row(app: Flask, interest_id: int) -> Interest:
    with app.app_context():
        return db.get_session().get(Interest, interest_id)


def opening_row(app: Flask, ref: str) -> Opening:
    with app.app_context():
        return db.get_session().exec(select(Opening).where(Opening.ref == ref)).one()


def outcomes(app: Flask, kind: str | None = None) -> list[tuple[int, int, str]]:
    with app.app_context():
        rows = db.get_session().exec(select(Outcome.youth_id, Outcome.opening_id, Outcome.outcome)).all()
        return [(y, o, k.value) for y, o, k in rows if kind is None or k.value == kind]
