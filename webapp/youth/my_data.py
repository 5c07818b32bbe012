"""The youth's "My data" page: download everything as JSON, or delete the account.

Both need a signed-in youth. Deleting asks for the password again (a stolen open
session alone cannot delete an account) and signs out; see `webapp.services.privacy` for what
is removed and what is kept anonymously for statistics. Each password check is counted before
the hash, in the same budget as the password change (`auth.views.take_own_password_check`), so a
stolen open session cannot guess the password here either: over the limit even the right one
is refused (429) until the window has passed.
"""
from __future__ import annotations

import json

from flask import Response, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse  # what redirect() returns
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length

from .. import db
from ..services import privacy
from ..auth import passwords
from ..auth.access import role_required
from ..auth.forms import PASSWORD_CHECK_MAX_LENGTH
from ..auth.views import release, take_own_password_check, too_many
from ..states import Role
from . import bp


class DeleteForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[
        DataRequired(_l("Enter your password to confirm.")),
        Length(max=PASSWORD_CHECK_MAX_LENGTH, message=_l("A password has at most %(max)d characters.")),
    ], render_kw={"autocomplete": "current-password"})
    understood = BooleanField(_l("I understand that my account and profile are deleted for good."), validators=[
        DataRequired(_l("Tick this box to confirm."))])


@bp.get("/account/data")
@role_required(Role.YOUTH)
def my_data() -> str:
    return render_template("youth/my_data.html", form=DeleteForm())


@bp.get("/account/data.json")
@role_required(Role.YOUTH)
def download_data() -> Response:
    document = privacy.export(db.get_session(), current_user)
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="polku-my-data.json"'})


@bp.post("/account/delete")
@role_required(Role.YOUTH)
def delete_account() -> WerkzeugResponse | tuple[str, int]:
    form = DeleteForm()
    if not form.validate():
        return render_template("youth/my_data.html", form=form), 400
    session = db.get_session()
    taken = take_own_password_check(session, current_user)
    if taken.wait:
        return too_many(form, "youth/my_data.html", taken.wait)
    if not passwords.matches(current_user.password_hash, form.password.data or ""):
        form.password.errors = [*form.password.errors, _("The password is wrong.")]
        return render_template("youth/my_data.html", form=form), 400
    release(session, taken)
    user_id = current_user.id
    privacy.delete_account(session, current_user)
    logout_user()
    current_app.logger.info("account %s deleted at its owner's request", user_id)
    return redirect(url_for("youth.account_deleted"), 303)


@bp.get("/account/deleted")
def account_deleted() -> str:
    return render_template("youth/deleted.html")
