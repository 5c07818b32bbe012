"""Who is signed in: the session cookie carries the user's id and session token, checked on every
request; ending a user's sessions changes the token, so every copy of the old cookie signs in
nobody (sign-out, password change, deactivation, deletion, an administrator's action).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import g
from flask_login import current_user, logout_user
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select

from .. import db
from ..models import Proposal, Referral, User, YouthProfile
from ..states import ProposalState, ReferralState, Role


# The signed-in user, a youth's profile and how many coordinators' requests wait for the youth's
# answer (referrals and cohort suggestions: the navigation of every youth page shows it): one
# statement, built once, so a signed-in request costs one query for all three.
_WAITING = ((select(sa.func.count(col(Referral.id)))
             .where(Referral.youth_id == YouthProfile.id, Referral.state == ReferralState.PENDING)
             .correlate(YouthProfile).scalar_subquery())
            + (select(sa.func.count(col(Proposal.id)))
               .where(Proposal.youth_id == YouthProfile.id, Proposal.state == ProposalState.SUGGESTED)
               .correlate(YouthProfile).scalar_subquery()))
_SIGNED_IN = (select(User, YouthProfile, _WAITING).outerjoin(YouthProfile, col(YouthProfile.user_id) == User.id)
              .where(User.id == sa.bindparam("user_id"), User.session_token == sa.bindparam("token"),
                     col(User.active).is_(True)))


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the signed-in user, with a youth's profile joined in the same query.

    `session_id` is what `User.get_id` put in the cookie, "<id>:<session token>": a cookie
    whose token is no longer the user's (after sign-out, deletion, ...) or whose user is
    inactive signs in nobody. The youth's pages read the profile with `own_profile`
    and the count of waiting referrals (`waiting_referrals`).
    """
    user_id, _, token = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) < 19 and token):
        return None
    row = db.get_session().exec(_SIGNED_IN, params={"user_id": int(user_id), "token": token}).first()
    if row is None:
        return None
    user, profile, waiting = row
    set_committed_value(user, "profile", profile)  # loaded, not changed: nothing to flush
    g.polku_waiting_referrals = waiting
    return user


def own_profile() -> YouthProfile | None:
    """The signed-in youth's profile, read with the user (`load_user`): no query. None for a visitor,
    another role, or a youth account without a profile (sign-up makes both in one transaction)."""
    if not current_user.is_authenticated or current_user.role != Role.YOUTH:
        return None
    profile: YouthProfile | None = current_user.profile
    return profile


def waiting_referrals() -> int | None:
    """The signed-in youth's referrals and suggestions waiting for an answer, as read with the user (None: not
    read)."""
    return g.get("polku_waiting_referrals")


def end_sessions(user: User) -> None:
    """Signs `user` out here and everywhere: this cookie is cleared and every other copy refused; commits."""
    session = db.get_session()
    user.end_sessions()
    session.add(user)
    session.commit()
    logout_user()
