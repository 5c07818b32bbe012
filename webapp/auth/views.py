"""Sign up (youths), sign in, sign out, change the password.

Passwords are hashed with werkzeug (`PASSWORD_HASH_METHOD`) and new ones must be hard to
guess (`passwords`); Flask-Login keeps the user's id and session token in the signed
session cookie (`sessions`). `next` is followed only to a path on this site.

Every sign-in, sign-up and registration is counted before the password is hashed
(`attempts`): per client address, per account for browsers that never signed in to it,
and per account and browser for those that did (a device cookie), so a stranger's
guesses never lock the owner out of their own browser. The answer to a wrong password is
the same, in words and in time, whether the address has an account or not.
"""
from __future__ import annotations

import datetime as dt
import functools
import secrets
from typing import Any

from flask import Flask, current_app, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from werkzeug.security import generate_password_hash
from werkzeug.wrappers import Response

from .. import db
from ..extensions import login_manager
from ..models import TrustedDevice, User, YouthProfile, normalise_email
from ..security import safe_next
from ..services import accounts
from ..states import Role
from . import attempts, bp, passwords, sessions
from .access import home, workspace
from .forms import PASSWORD_MIN_LENGTH, InvitationForm, PasswordForm, SignInForm, SignOutForm, SignUpForm
from .sessions import end_sessions, load_user

_ATTEMPTS = "polku.attempts"
DEVICE_COOKIE = "polku_device"
DEVICE_COOKIE_DAYS = 400  # browsers keep a cookie at most about this long


def _attempts() -> attempts.Attempts:
    found: attempts.Attempts = current_app.extensions[_ATTEMPTS]
    return found


def _client() -> str:
    """The client's address: the connection's, or behind `POLKU_PROXIES` reverse proxies the one they forwarded
    (`webapp/proxies.py`; SECURITY.md, "Running Polku safely")."""
    return request.remote_addr or "?"


def too_many(form: Any, template: str, wait: int, **context: Any) -> Response:
    """The form page again, 429 with `Retry-After`: too many attempts, try again in so many minutes."""
    form.form_errors.append(_("Too many attempts. Try again in %(minutes)d minutes.", minutes=(wait + 59) // 60))
    response = make_response(_form_page(template, form, 429, **context))
    response.headers["Retry-After"] = str(wait)
    return response


def _form_page(template: str, form: Any, status: int = 200, **context: Any) -> tuple[str, int]:
    return render_template(template, form=form, **context), status


def _sign_up_page(form: SignUpForm, status: int = 200) -> tuple[str, int]:
    return _form_page("auth/sign_up.html", form, status, min_password_length=PASSWORD_MIN_LENGTH)


def _new_password_errors(form: Any, email: str, name: str = "") -> bool:
    """Adds the error of a guessable new password to the form; whether there was one."""
    if passwords.too_easy(form.password.data or "", [email, name]):
        form.password.errors.append(_("This password is too easy to guess. Use a longer phrase of words that "
                                      "do not belong together, and not your name or e-mail address."))
        return True
    return False


# ---------------------------------------------------------------- sign up

@bp.route("/signup", methods=["GET", "POST"])
def sign_up() -> Response | tuple[str, int]:
    form = SignUpForm()
    if request.method == "GET":
        return _sign_up_page(form)
    if not form.validate():
        return _sign_up_page(form, 400)
    session = db.get_session()
    taken = _attempts().take(session, [("signup_address", attempts.key("signup", _client()))])
    if taken.wait:
        return too_many(form, "auth/sign_up.html", taken.wait, min_password_length=PASSWORD_MIN_LENGTH)
    email: str = form.email.data  # type: ignore[assignment]  # validated: the required fields hold text
    if _new_password_errors(form, email):
        return _sign_up_page(form, 400)
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        form.email.errors.append(_("An account with this e-mail address exists already. Sign in instead."))  # type: ignore[attr-defined]  # validate() has made errors a list
        return _sign_up_page(form, 400)
    user = User(email=email, role=Role.YOUTH, password_hash=passwords.hashed(form.password.data))  # type: ignore[arg-type]  # validated: the required fields hold text
    session.add(user)
    session.add(YouthProfile(user=user, age=form.age.number))  # type: ignore[call-arg]  # user_id comes from the relationship at flush
    try:
        session.commit()  # the user and the profile together, or neither
    except IntegrityError:  # the same address signed up in another request just now
        session.rollback()
        form.email.errors.append(_("An account with this e-mail address exists already. Sign in instead."))  # type: ignore[attr-defined]  # validate() has made errors a list
        return _sign_up_page(form, 400)
    login_user(user)
    response = redirect(safe_next(request.args.get("next")) or current_app.url_for("youth.step", number=1))
    _trust_this_browser(session, user, response)
    return response


# ---------------------------------------------------------------- sign in

def _device_key(email: str) -> str | None:
    """This browser's key for the account, if the browser carries a device cookie."""
    token = request.cookies.get(DEVICE_COOKIE, "")
    return attempts.key("device", token, normalise_email(email)) if 16 <= len(token) <= 64 else None


def _trusted(session: Session, device_key: str | None) -> bool:
    return device_key is not None and session.exec(
        select(TrustedDevice.id).where(TrustedDevice.key == device_key)).first() is not None


def _trust_this_browser(session: Session, user: User, response: Response) -> None:
    """From now on this browser has its own sign-in budget for `user` (a device cookie)."""
    token = request.cookies.get(DEVICE_COOKIE, "")
    if not 16 <= len(token) <= 64:
        token = secrets.token_urlsafe(32)
        response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_COOKIE_DAYS * 24 * 3600, httponly=True,
                            samesite="Lax", secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    device_key = attempts.key("device", token, user.email)
    if user.id is not None and not _trusted(session, device_key):
        session.add(TrustedDevice(key=device_key, user_id=user.id))
        try:
            session.commit()
        except IntegrityError:  # the same browser, in another tab, just now
            session.rollback()


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
    device_key = _device_key(email)
    account = (("signin_device", device_key) if device_key is not None and _trusted(session, device_key)
               else ("signin_account", attempts.key("account", email)))
    taken = _attempts().take(session, [("signin_address", attempts.key("address", _client())), account])
    if taken.wait:
        return too_many(form, "auth/sign_in.html", taken.wait)
    user = session.exec(select(User).where(User.email == email)).first()
    # Check a hash even for unknown addresses, so the answer's timing does not tell which exist.
    password_hash = user.password_hash if user is not None else _dummy_hash()
    if not passwords.matches(password_hash, form.password.data) or user is None:  # type: ignore[arg-type]  # validated: the required fields hold text
        form.password.errors.append(_("The e-mail address or the password is wrong."))  # type: ignore[attr-defined]  # validate() has made errors a list
        return _form_page("auth/sign_in.html", form, 400)
    if not login_user(user):
        form.form_errors.append(_("This account is closed. Contact the coordinator."))
        return _form_page("auth/sign_in.html", form, 403)
    _attempts().release(session, taken, clear=[account[1]])
    response = redirect(safe_next(form.next.data) or safe_next(request.args.get("next")) or workspace(user))
    _trust_this_browser(session, user, response)
    return response


@bp.route("/signout", methods=["GET", "POST"])
@login_required
def sign_out() -> Response | tuple[str, int]:
    form = SignOutForm()
    if request.method == "GET":  # a confirmation page with a button: GET never signs anyone out
        return _form_page("auth/sign_out.html", form)
    if not form.validate():
        return _form_page("auth/sign_out.html", form, 400)
    end_sessions(current_user._get_current_object())
    return redirect(home())


# ---------------------------------------------------------------- the password

@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> Response | tuple[str, int]:
    """A new password with the current one; every other session of the account ends, this one goes on."""
    form = PasswordForm()
    if request.method == "GET":
        return _form_page("auth/password.html", form, min_password_length=PASSWORD_MIN_LENGTH)
    if not form.validate():
        return _form_page("auth/password.html", form, 400, min_password_length=PASSWORD_MIN_LENGTH)
    user: User = current_user._get_current_object()
    session = db.get_session()
    taken = take_own_password_check(session, user)
    if taken.wait:
        return too_many(form, "auth/password.html", taken.wait, min_password_length=PASSWORD_MIN_LENGTH)
    if not passwords.matches(user.password_hash, form.current.data or ""):
        form.current.errors.append(_("The current password is wrong."))  # type: ignore[attr-defined]  # validate() has made errors a list
        return _form_page("auth/password.html", form, 400, min_password_length=PASSWORD_MIN_LENGTH)
    if _new_password_errors(form, user.email, user.name):
        return _form_page("auth/password.html", form, 400, min_password_length=PASSWORD_MIN_LENGTH)
    _attempts().release(session, taken)
    user.password_hash = passwords.hashed(form.password.data or "")
    end_sessions(user)  # every copy of the old cookie, here and elsewhere, now signs in nobody ...
    login_user(user)  # ... and this browser carries on with the new session token
    return redirect(workspace(user))


# ---------------------------------------------------------------- an invitation

@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> Response | tuple[str, int]:
    """An invited person (a coordinator) chooses their own password with the one-time link, and is signed in."""
    session = db.get_session()
    found = accounts.invitation(session, token)
    form = InvitationForm()
    if found is None:
        return render_template("auth/invitation.html", form=None), 404
    _invite, user = found
    page: dict[str, Any] = {"min_password_length": PASSWORD_MIN_LENGTH, "email": user.email}
    if request.method == "GET":
        return _form_page("auth/invitation.html", form, **page)
    if not form.validate():
        return _form_page("auth/invitation.html", form, 400, **page)
    if _new_password_errors(form, user.email, user.name):
        return _form_page("auth/invitation.html", form, 400, **page)
    try:
        user = accounts.accept_invitation(session, token, passwords.hashed(form.password.data or ""))
    except accounts.AccountRefused:
        return render_template("auth/invitation.html", form=None), 404
    login_user(user)
    response = redirect(workspace(user))
    _trust_this_browser(session, user, response)
    return response


@functools.cache
def _dummy_hash_for(method: str) -> str:
    return generate_password_hash("not a password of anyone", method=method)


def _dummy_hash() -> str:
    return _dummy_hash_for(current_app.config["PASSWORD_HASH_METHOD"])


def init_app(app: Flask) -> None:
    window = float(app.config.setdefault("SIGNIN_WINDOW_SECONDS", 15 * 60))
    limits = {
        "signin_account": (app.config.setdefault("SIGNIN_MAX_FAILURES", 5), window),
        "signin_device": (app.config.setdefault("SIGNIN_DEVICE_MAX_FAILURES", 10), window),
        "signin_address": (app.config.setdefault("SIGNIN_ADDRESS_MAX_FAILURES", 30), window),
        "signup_address": (app.config.setdefault("SIGNUP_ADDRESS_MAX", 10), 3600.0),
        "register_address": (app.config.setdefault("REGISTER_ADDRESS_MAX", 5), 3600.0),
        # Password-reset mails: a few per address asked for (an inbox is not flooded), more per client.
        "reset_account": (app.config.setdefault("RESET_ACCOUNT_MAX", 3), 3600.0),
        "reset_address": (app.config.setdefault("RESET_ADDRESS_MAX", 10), 3600.0),
    }
    app.extensions[_ATTEMPTS] = attempts.Attempts(
        {kind: attempts.Limit(int(most), dt.timedelta(seconds=seconds)) for kind, (most, seconds)
         in limits.items()})
    sessions.init_app(app)  # a sign-in lasts SESSION_MAX_AGE_HOURS; refuses a bad setting
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to see this page.")
    app.register_blueprint(bp)


def take_own_password_check(session: Session, user: User) -> attempts.Taken:
    """One check of a signed-in user's own password (changing it, deleting the account) counted before the hash,
    all such forms together, so a stolen open session cannot guess the password at will. As at sign-in, a browser
    that has signed in to the account before has a budget of its own (`SIGNIN_DEVICE_MAX_FAILURES`): a thief's
    guesses from elsewhere spend only the shared one (`SIGNIN_MAX_FAILURES`) and cannot stop the owner from
    changing the password. `release` the attempt when the password was right."""
    device_key = _device_key(user.email)
    budget = (("signin_device", attempts.key("password", str(user.id), device_key))
              if device_key is not None and _trusted(session, device_key)
              else ("signin_account", attempts.key("password", str(user.id))))
    return _attempts().take(session, [budget])


def release(session: Session, taken: attempts.Taken) -> None:
    """An attempt counted by `take_own_password_check` ended well: it no longer counts; commits."""
    _attempts().release(session, taken)


def take_registration(session: Session) -> int:
    """One association registration from this client counted (before its password is hashed); seconds to wait."""
    return _attempts().take(session, [("register_address", attempts.key("register", _client()))]).wait
