"""Youths of a region with their activities and next steps, made straight in the database, and the SVG charts
the outcome and dashboard pages draw."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.signin import PASSWORD
from webapp import db
from webapp.models import Association, Interest, NextStep, Opening, Referral, User, YouthProfile
from webapp.states import InterestState, OpeningStatus, ReferralState, Role

SVG = "{http://www.w3.org/2000/svg}"


def add_user(app, email, role, region=None, name="", municipality=None) -> int:
    """A user (with a profile for a youth); the profile's id for a youth, else the user's id."""
    with app.app_context():
        session = db.get_session()
        user = User(email=email, role=role, region=region, name=name,
                    password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        if role == Role.ASSOCIATION:
            user.association = Association(verified=True, name=f"{email} ry")
        session.add(user)
        profile = YouthProfile(user=user, municipality=municipality) if role == Role.YOUTH else None
        if profile is not None:
            session.add(profile)
        session.commit()
        return profile.id if profile is not None else user.id


def refer(app, youth_id, coordinator_id, region, state=ReferralState.ACTIVE) -> None:
    with app.app_context():
        session = db.get_session()
        session.add(Referral(youth_id=youth_id, coordinator_id=coordinator_id, region=region, state=state))
        session.commit()


def add_opening(app, title, kind, municipality="Oulu") -> int:
    with app.app_context():
        session = db.get_session()
        association = session.exec(select(Association).where(Association.name == "Oulun Nuoret ry")).first()
        association = association or Association(verified=True, name="Oulun Nuoret ry", municipality="Oulu")
        opening = Opening(association=association, status=OpeningStatus.OPEN, title=title, kind=kind,
                          municipality=municipality)
        session.add(opening)
        session.commit()
        return opening.id


def add_interest(app, youth_id, opening_id, state=InterestState.ACCEPTED, accepted=None, finished=None) -> int:
    with app.app_context():
        session = db.get_session()
        interest = Interest(youth_id=youth_id, opening_id=opening_id, state=state, accepted_at=accepted,
                            finished_at=finished)
        session.add(interest)
        session.commit()
        return interest.id


def add_step(app, youth_id, step, at, interest_id=None, by=None) -> None:
    with app.app_context():
        session = db.get_session()
        session.add(NextStep(youth_id=youth_id, step=step, recorded_at=at, interest_id=interest_id, recorded_by=by))
        session.commit()


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.timezone.utc)


def parse_svg(response):
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("aria-labelledby") == "chart-title"
    title = root.find(f"{SVG}title")
    assert title is not None and title.get("id") == "chart-title"
    return root


def svg_texts(root) -> list[str]:
    return ["".join(t.itertext()).strip() for t in root.iter(f"{SVG}text")]
