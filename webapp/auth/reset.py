"""A forgotten password: "Forgot your password?" on the sign-in page asks for the address and sends a
one-time link by e-mail (`services.password_reset`); the link's page chooses a new password with the
same rules as everywhere (`passwords`), ends every session of the account, and sends the person to
sign in with it.

Asking is counted before any work (`attempts`): per client address and per address asked for, so the
form can neither flood someone's inbox nor be used to test addresses quickly. Its answer, in words,
status and work done in the request, is the same whether or not the address has an account.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import db
from ..i18n import LANGUAGES
from ..services import password_reset
from . import attempts, bp, passwords
from .forms import PASSWORD_MIN_LENGTH, ForgotPasswordForm, ResetPasswordForm
from .views import _attempts, _client, _form_page, _new_password_errors, too_many


def _language() -> str:
    """The request's language, which the mail is written in (an account has no language of its own)."""
    locale = get_locale()
    language = locale.language if locale is not None else LANGUAGES[0]
    return language if language in LANGUAGES else LANGUAGES[0]


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> Response | tuple[str, int]:
    form = ForgotPasswordForm()
    if request.method == "GET":
        return _form_page("auth/forgot_password.html", form)
    if not form.validate():
        return _form_page("auth/forgot_password.html", form, 400)
    email: str = form.email.data  # type: ignore[assignment]  # validated: the required field holds text
    session = db.get_session()
    taken = _attempts().take(session, [("reset_address", attempts.key("reset", _client())),
                                       ("reset_account", attempts.key("reset-account", email))])
    if taken.wait:
        return too_many(form, "auth/forgot_password.html", taken.wait)
    password_reset.request_reset(session, email, _language(),
                                 lambda token: url_for("auth.reset_password", token=token, _external=True))
    return render_template("auth/forgot_password_sent.html", email=email), 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | tuple[str, int]:
    session = db.get_session()
    user = password_reset.account_of(session, token)
    if user is None:
        return render_template("auth/reset_password.html", form=None), 404
    form = ResetPasswordForm()
    page: dict[str, Any] = {"min_password_length": PASSWORD_MIN_LENGTH, "email": user.email}
    if request.method == "GET":
        return _form_page("auth/reset_password.html", form, **page)
    if not form.validate() or _new_password_errors(form, user.email, user.name):
        return _form_page("auth/reset_password.html", form, 400, **page)
    if password_reset.reset(session, token, passwords.hashed(form.password.data or "")) is None:
        return render_template("auth/reset_password.html", form=None), 404  # used meanwhile, in another tab
    flash(_("Your new password is saved, and you were signed out everywhere. Sign in with the new password."),
          "success")
    return redirect(url_for("auth.sign_in"))
