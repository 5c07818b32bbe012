"""People for the referral tests: a coordinator's region, and users made straight in the database."""
from __future__ import annotations

from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.coordinators import NORTH
from tests.support.signin import PASSWORD
from webapp import db
from webapp.models import Association, User, YouthProfile
from webapp.states import Role

REGION = NORTH  # the coordinator's region, Oulu's


def add_user(app, email, role, *, region=None, name="", association=None, **profile) -> int:
    """A user (with a profile if a youth); the user's id, or the profile's id for a youth."""
    with app.app_context():
        session = db.get_session()
        user = User(email=email, role=role, region=region, name=name,
                    password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        if association:
            user.association = session.exec(select(Association).where(Association.name == association)).first() \
                or Association(verified=True, name=association)
        session.add(user)
        if role == Role.YOUTH:
            found = YouthProfile(user=user, **profile)
            session.add(found)
        session.commit()
        return found.id if role == Role.YOUTH else user.id
