"""The coordinators' tests: users with a region, and youths referred into it."""
from __future__ import annotations

from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.signin import PASSWORD
from webapp import db
from webapp.models import Association, Referral, User, YouthProfile
from webapp.states import ReferralState, Role

NORTH = "Pohjois-Pohjanmaa"  # Oulu's region
LAPLAND = "Lappi"  # Tornio's region


def add_user(app, email: str, role: Role = Role.COORDINATOR, region: str | None = None) -> int:
    with app.app_context():
        session = db.get_session()
        user = User(email=email, role=role, region=region, name=email.split("@")[0].capitalize(),
                    password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000"))
        if role == Role.ASSOCIATION:
            user.association = Association(verified=True, name=f"{email} ry")
        session.add(user)
        session.commit()
        return user.id


PHOTO_FAN = dict(age=20, interests="valokuvaus ja konsertit", themes=["photography"], municipality="Oulu",
                 remote_ok=True, languages=["fi", "sv", "en"])


def add_youths(app, coordinator_id: int | None, region: str, count: int, prefix: str = "y",
               state: ReferralState = ReferralState.ACTIVE, **profile: object) -> list[str]:
    """`count` youths (refs prefix-0, prefix-1, ...), each with a referral in `region` by the coordinator."""
    refs = []
    with app.app_context():
        session = db.get_session()
        for i in range(count):
            user = User(email=f"{prefix}{i}@example.fi", role=Role.YOUTH, password_hash="x")
            youth = YouthProfile(user=user, ref=f"{prefix}-{i}", **{**PHOTO_FAN, **profile})
            session.add(youth)
            session.flush()
            if coordinator_id is not None:
                session.add(Referral(youth_id=youth.id, coordinator_id=coordinator_id, region=region, state=state))
            refs.append(youth.ref)
        session.commit()
    return refs


def youth_id(app, ref: str) -> int:
    with app.app_context():
        return db.get_session().exec(select(YouthProfile.id).where(YouthProfile.ref == ref)).one()
