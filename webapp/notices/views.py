"""The notifications pages, for every role: each user sees and changes only their own notices
(another user's notice answers 404, as if it did not exist). The rules and the wording live
in `webapp.services.notices`."""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import RadioField
from wtforms.validators import InputRequired

from .. import db
from ..association.forms import ChoiceField
from ..auth.access import role_required
from ..auth.sessions import unread_notices
from ..forms import ActionForm
from ..i18n import LANGUAGES, NATIVE_NAMES
from ..models import EmailChoice, Notice
from ..extensions import csrf
from ..services import notice_mail, notices
from ..states import Role
from . import bp

EVERYONE = (Role.YOUTH, Role.ASSOCIATION, Role.COORDINATOR, Role.ADMIN)


@bp.app_template_global()
def unread_count() -> int:
    """The signed-in user's unread notifications, for the navigation (0 for visitors)."""
    if not current_user.is_authenticated:
        return 0
    found = unread_notices()  # read with the user (auth.load_user): no second query
    return found if found is not None else notices.unread_count(db.get_session(), current_user.id)


def _number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 6 else 1


@bp.get("/notifications")
@role_required(*EVERYONE)
def index() -> str:
    found = notices.page(db.get_session(), current_user.id, _number())
    return render_template("notices/list.html", page=found, text=notices.text, form=ActionForm())


@bp.post("/notifications/<int:notice_id>/read")
@role_required(*EVERYONE)
def read(notice_id: int) -> Response:
    """Opening a notice: it is marked read, and the browser goes where it leads (a POST, as GETs change nothing)."""
    if not ActionForm().validate():
        abort(400)
    session = db.get_session()
    found = session.get(Notice, notice_id) if 0 < notice_id < 2**31 else None
    if found is None or found.user_id != current_user.id:
        abort(404)
    link = found.link
    notices.mark_read(session, current_user.id, notice_id=notice_id)
    return redirect(request.script_root + link, code=303)


@bp.post("/notifications/read")
@role_required(*EVERYONE)
def read_all() -> Response:
    if not ActionForm().validate():
        abort(400)
    notices.mark_read(db.get_session(), current_user.id)
    flash(_("All notifications are marked read."), "success")
    return redirect(url_for("notices.index"), code=303)


# ---------------------------------------------------------------- the account area: e-mail choice

class SettingForm(FlaskForm):
    email = RadioField(_l("E-mail me about notifications"), choices=[],
                       validators=[InputRequired(message=_l("Choose one of the options."))])
    language = ChoiceField(_l("Language of the e-mails"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email.choices = [
            (EmailChoice.NOW.value, _l("At once, one e-mail for each")),
            (EmailChoice.DIGEST.value, _l("Once a day, all of the day's notifications in one e-mail")),
            (EmailChoice.NONE.value, _l("Never: I read them in Polku")),
        ]
        self.language.choices = [(code, NATIVE_NAMES[code]) for code in LANGUAGES]


@bp.route("/account/notifications", methods=["GET", "POST"])
@role_required(*EVERYONE)
def settings() -> Response | tuple[str, int]:
    session = db.get_session()
    current = notices.setting(session, current_user)
    form = SettingForm()
    if request.method == "GET":
        form.email.data, form.language.data = current.email.value, current.language
        return render_template("notices/settings.html", form=form, current=current), 200
    if not form.validate():
        return render_template("notices/settings.html", form=form, current=current), 400
    notices.choose(session, current_user, form.email.data or "", form.language.data or "")
    flash(_("Your choice is saved."), "success")
    return redirect(url_for("notices.settings"), code=303)


# ---------------------------------------------------------------- one-click unsubscribe (RFC 8058)

@bp.get("/notifications/unsubscribe/<token>")
def unsubscribe_page(token: str) -> str:
    """The unsubscribe link of a mail, opened in a browser: a button (a GET changes nothing)."""
    if notice_mail.user_of_token(db.get_session(), token) is None:
        abort(404)
    return render_template("notices/unsubscribe.html", token=token, form=ActionForm(), done=False)


@bp.post("/notifications/unsubscribe/<token>")
@csrf.exempt  # a mail program posts "List-Unsubscribe=One-Click" with no page and no cookie: the token is the key
def unsubscribe(token: str) -> str:
    """No more notification mail for the token's user, without signing in."""
    session = db.get_session()
    user = notice_mail.user_of_token(session, token)
    if user is None:
        abort(404)
    notice_mail.unsubscribe(session, user)
    return render_template("notices/unsubscribe.html", token=token, form=ActionForm(), done=True)
