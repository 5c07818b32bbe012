"""Sign up (youths), sign in, sign out, and `role_required` for the other blueprints.

Passwords are hashed with werkzeug (`PASSWORD_HASH_METHOD`); Flask-Login keeps the
user id in the signed session cookie. `next` is followed only to a path on this site.

Sign-in attempts are limited per e-mail address: after `SIGNIN_MAX_FAILURES` (5)
failures within `SIGNIN_WINDOW_SECONDS` (15 min) the address is refused with 429
until the oldest of those failures is older than the window. The failures live in the
database (`SignInFailure`, keyed by a hash of the address), so every worker process
shares one count and a restart forgets nothing.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response

from .. import clock, db
from ..security import safe_next
from ..extensions import login_manager
from .forms import PASSWORD_MIN_LENGTH, SignInForm, SignOutForm, SignUpForm
from ..models import Referral, SignInFailure, User, YouthProfile, normalise_email
from ..states import ReferralState, Role
from . import bp


F = TypeVar("F", bound=Callable[..., Any])
_LIMITER_KEY = "polku.signin_limiter"


# ---------------------------------------------------------------- helpers

def _home() -> str:
    return request.script_root + "/"


# Where each role starts after signing in (when no page asked for the sign-in).
WORKSPACES = {Role.YOUTH: "youth.matches", Role.ASSOCIATION: "association.openings",
              Role.COORDINATOR: "coordinator.home"}


def _workspace(user: User) -> str:
    endpoint = WORKSPACES.get(user.role)
    return current_app.url_for(endpoint) if endpoint else _home()


def role_required(*roles: Role | str) -> Callable[[F], F]:
    """Only users with one of `roles` may call the view: 403 for others, sign-in for visitors."""
    allowed = {Role(r) for r in roles}
    if not allowed:
        raise ValueError("role_required needs at least one role")

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)
        return cast(F, wrapped)  # functools.wraps keeps the view's signature
    return decorate


class SignInLimiter:
    """Failed sign-ins per e-mail address in a sliding window, kept in the database.

    One row of `SignInFailure` per failure, keyed by `failure_key` (a hash, never the
    address), so every worker process on the database shares the count. Old rows are
    deleted as new failures arrive; a successful sign-in deletes the address's rows.
    """

    def __init__(self, max_failures: int, window: float,
                 clock: Callable[[], dt.datetime] = clock.now) -> None:
        self.max_failures = max_failures
        self.window = dt.timedelta(seconds=window)
        self.clock = clock

    def retry_after(self, session: Session, email: str) -> int:
        """Seconds until `email` may try again; 0 if it may now."""
        now = self.clock()
        recent = session.exec(
            select(SignInFailure.at)
            .where(SignInFailure.key == failure_key(email), SignInFailure.at > now - self.window)
            .order_by(col(SignInFailure.at).desc()).limit(self.max_failures)
        ).all()
        if len(recent) < self.max_failures:
            return 0
        oldest = clock.aware(recent[-1])  # the max_failures-th newest: when it leaves the window, one try frees up
        return max(1, math.ceil((oldest + self.window - now).total_seconds()))

    def failed(self, session: Session, email: str) -> None:
        """Record a failure (committed at once) and drop every failure older than the window."""
        now = self.clock()
        table = SignInFailure.__table__
        session.connection().execute(sa.delete(table).where(table.c.at <= now - self.window))
        session.add(SignInFailure(key=failure_key(email), at=now))
        session.commit()

    def succeeded(self, session: Session, email: str) -> None:
        table = SignInFailure.__table__
        session.connection().execute(sa.delete(table).where(table.c.key == failure_key(email)))
        session.commit()


def failure_key(email: str) -> str:
    """The key of an address's failures: sha256 hex of the normalised address, so no address is stored."""
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()



# The signed-in user, a youth's profile and how many referrals wait for the youth's answer (the
# navigation of every youth page shows it): one statement, built once, so a signed-in request
# costs one query for all three.
_WAITING = (select(sa.func.count(col(Referral.id)))
            .where(Referral.youth_id == YouthProfile.id, Referral.state == ReferralState.PENDING)
            .correlate(YouthProfile).scalar_subquery())
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
    """The signed-in youth's referrals waiting for an answer, as read with the user (None: not read)."""
    return g.get("polku_waiting_referrals")


def limiter() -> SignInLimiter:
    return current_app.extensions[_LIMITER_KEY]


def _form_page(template: str, form: Any, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, form=form, **context), status


def _sign_up_page(form: SignUpForm, status: int = 200) -> tuple[str, int]:
    return _form_page("auth/sign_up.html", form, status, min_password_length=PASSWORD_MIN_LENGTH)


# ---------------------------------------------------------------- views

@bp.route("/signup", methods=["GET", "POST"])
def sign_up() -> Response | tuple[str, int]:
    form = SignUpForm()
    if request.method == "GET":
        return _sign_up_page(form)
    if not form.validate():
        return _sign_up_page(form, 400)
    session = db.get_session()
    if session.exec(select(User.id).where(User.email == form.email.data)).first() is not None:
        form.email.errors.append(_("An account with this e-mail address exists already. Sign in instead."))  # type: ignore[attr-defined]  # validate() has made errors a list
        return _sign_up_page(form, 400)
    user = User(email=form.email.data, role=Role.YOUTH, password_hash=generate_password_hash(  # type: ignore[arg-type]  # validated: the required fields hold text
        form.password.data, method=current_app.config["PASSWORD_HASH_METHOD"]))  # type: ignore[arg-type]  # validated: the required fields hold text
    session.add(user)
    session.add(YouthProfile(user=user, age=form.age.number))  # type: ignore[call-arg]  # user_id comes from the relationship at flush
    try:
        session.commit()  # the user and the profile together, or neither
    except IntegrityError:  # the same address signed up in another request just now
        session.rollback()
        form.email.errors.append(_("An account with this e-mail address exists already. Sign in instead."))  # type: ignore[attr-defined]  # validate() has made errors a list
        return _sign_up_page(form, 400)
    login_user(user)
    return redirect(safe_next(request.args.get("next")) or current_app.url_for("youth.step", number=1))  # profile steps


@bp.route("/signin", methods=["GET", "POST"])
def sign_in() -> Response | tuple[str, int]:
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        return _form_page("auth/sign_in.html", form)
    if not form.validate():
        return _form_page("auth/sign_in.html", form, 400)
    email: str = form.email.data  # type: ignore[assignment]  # validated: the required fields hold text
    session = db.get_session()
    wait = limiter().retry_after(session, email)
    if wait:
        form.form_errors.append(_("Too many failed attempts. Try again in %(minutes)d minutes.",
                                  minutes=(wait + 59) // 60))
        response = make_response(_form_page("auth/sign_in.html", form, 429))
        response.headers["Retry-After"] = str(wait)
        return response
    user = session.exec(select(User).where(User.email == email)).first()
    # Check a hash even for unknown addresses, so the answer's timing does not tell which exist.
    password_hash = user.password_hash if user is not None else _dummy_hash()
    if not check_password_hash(password_hash, form.password.data) or user is None:  # type: ignore[arg-type]  # validated: the required fields hold text
        limiter().failed(session, email)
        form.password.errors.append(_("The e-mail address or the password is wrong."))  # type: ignore[attr-defined]  # validate() has made errors a list
        return _form_page("auth/sign_in.html", form, 400)
    if not login_user(user):
        form.form_errors.append(_("This account is closed. Contact the coordinator."))
        return _form_page("auth/sign_in.html", form, 403)
    limiter().succeeded(session, email)
    return redirect(safe_next(form.next.data) or safe_next(request.args.get("next")) or _workspace(user))


@bp.route("/signout", methods=["GET", "POST"])
@login_required
def sign_out() -> Response | tuple[str, int]:
    form = SignOutForm()
    if request.method == "GET":  # a confirmation page with a button: GET never signs anyone out
        return _form_page("auth/sign_out.html", form)
    if not form.validate():
        return _form_page("auth/sign_out.html", form, 400)
    end_sessions(current_user._get_current_object())
    return redirect(_home())


def end_sessions(user: User) -> None:
    """Signs `user` out here and everywhere: this cookie is cleared and every other copy refused; commits."""
    session = db.get_session()
    user.end_sessions()
    session.add(user)
    session.commit()
    logout_user()


@functools.cache
def _dummy_hash_for(method: str) -> str:
    return generate_password_hash("not a password of anyone", method=method)


def _dummy_hash() -> str:
    return _dummy_hash_for(current_app.config["PASSWORD_HASH_METHOD"])


def init_app(app: Flask) -> None:
    app.config.setdefault("SIGNIN_MAX_FAILURES", 5)
    app.config.setdefault("SIGNIN_WINDOW_SECONDS", 15 * 60)
    app.extensions[_LIMITER_KEY] = SignInLimiter(app.config["SIGNIN_MAX_FAILURES"],
                                                 app.config["SIGNIN_WINDOW_SECONDS"])
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to see this page.")
    app.register_blueprint(bp)
