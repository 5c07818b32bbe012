"""Who is signed in: the session cookie carries the user's id and session token, checked on every
request; ending a user's sessions changes the token, so every copy of the old cookie signs in
nobody (sign-out, password change, deactivation, deletion, an administrator's action).

A sign-in also lasts at most `SESSION_MAX_AGE_HOURS` (ASVS 3.3.2): every sign-in (the sign-in
form, sign-up, registration, an invitation, a password change) writes its time into the signed
cookie (`SIGNED_IN_AT`, from Flask-Login's `user_logged_in` signal), and before every request
a session older than that, or one without the time (a cookie from before this rule), is
signed out, so the next page that needs a user sends the browser to sign in. Using the session
does not extend it: the time is that of the sign-in, however often the cookie is rewritten.
"""
from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g
from flask import session as browser_session  # the signed cookie's contents
from flask_login import current_user, logout_user, user_logged_in, user_logged_out
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select

from .. import clock, db
from ..models import Notice, Proposal, Referral, User, YouthProfile
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
# And every role's count of unread notifications, for the navigation.
_UNREAD = (select(sa.func.count(col(Notice.id))).where(Notice.user_id == User.id, col(Notice.read_at).is_(None))
           .correlate(User).scalar_subquery())
_SIGNED_IN = (select(User, YouthProfile, _WAITING, _UNREAD)
              .outerjoin(YouthProfile, col(YouthProfile.user_id) == User.id)
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
    user, profile, waiting, unread = row
    set_committed_value(user, "profile", profile)  # loaded, not changed: nothing to flush
    g.polku_waiting_referrals = waiting
    g.polku_unread_notices = unread
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


def unread_notices() -> int | None:
    """The signed-in user's unread notifications, as read with the user (None: not read)."""
    return g.get("polku_unread_notices")


def end_sessions(user: User) -> None:
    """Signs `user` out here and everywhere: this cookie is cleared and every other copy refused; commits."""
    session = db.get_session()
    user.end_sessions()
    session.add(user)
    session.commit()
    logout_user()


# ---------------------------------------------------------------- how long a sign-in lasts

SIGNED_IN_AT = "polku_signed_in_at"  # in the session: when this browser signed in (seconds since 1970, UTC)
MAX_AGE_SETTING = "SESSION_MAX_AGE_HOURS"
# A week. Polku's users are young people, mostly on their own phones: asking for the password every
# day would push them to easy passwords or away from the app, while a week bounds how long a
# stolen or forgotten cookie works (well inside ASVS 3.3.2's 30 days at Level 1). Sign-out, a
# password change and an administrator's closing of the account end a session sooner.
DEFAULT_MAX_AGE_HOURS = 7 * 24
LONGEST_MAX_AGE_HOURS = 30 * 24  # ASVS 3.3.2, Level 1: sign in again at least every 30 days


class SessionSettingError(RuntimeError):
    """`SESSION_MAX_AGE_HOURS` is not a whole number of hours from 1 to 720; the app will not start."""


def max_age_hours(value: object) -> int:
    """The hours a sign-in lasts, from the setting's value (an int or its text); `SessionSettingError` if none."""
    hours: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        hours = value
    elif isinstance(value, str) and re.fullmatch(r"\s*[0-9]+\s*", value):
        hours = int(value)
    if hours is None or not 1 <= hours <= LONGEST_MAX_AGE_HOURS:
        raise SessionSettingError(
            f"Polku will not start: {MAX_AGE_SETTING} must be a whole number of hours from 1 to "
            f"{LONGEST_MAX_AGE_HOURS} (30 days, ASVS 3.3.2), not {value!r}.")
    return hours


def _stamp(_app: Flask, **_extra: Any) -> None:
    browser_session[SIGNED_IN_AT] = int(clock.now().timestamp())


def _unstamp(_app: Flask, **_extra: Any) -> None:
    browser_session.pop(SIGNED_IN_AT, None)


def signed_in_too_long() -> bool:
    """Whether this request's session has a user whose sign-in is older than the limit, or of unknown age."""
    if "_user_id" not in browser_session:
        return False
    at = browser_session.get(SIGNED_IN_AT)
    if not isinstance(at, int) or isinstance(at, bool):
        return True
    return clock.now().timestamp() - at >= current_app.config[MAX_AGE_SETTING] * 3600


def _end_old_session() -> None:
    if signed_in_too_long():
        logout_user()  # this browser only: the user's other, younger sessions go on
        browser_session.pop(SIGNED_IN_AT, None)


def init_app(app: Flask) -> None:
    """Every sign-in stamps its time into the session; a session older than `SESSION_MAX_AGE_HOURS` is signed out."""
    app.config[MAX_AGE_SETTING] = max_age_hours(app.config.get(MAX_AGE_SETTING, DEFAULT_MAX_AGE_HOURS))
    user_logged_in.connect(_stamp, sender=app)
    user_logged_out.connect(_unstamp, sender=app)
    app.before_request(_end_old_session)
