"""The coordinator's referrals: refer a youth by e-mail, follow those who agreed, end a referral.

A referred youth's page answers 404 unless the youth is in the coordinator's scope
(`webapp.services.scope`), so guessing ids shows nothing. The youth answers on their own
page (`youth.referrals`); the rules live in `webapp.services.referrals`.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, TextAreaField
from wtforms.validators import DataRequired, Length

from .. import db
from ..forms import ActionForm
from ..services import referrals as referral_service
from ..auth.access import role_required
from ..auth.forms import EMAIL_MAX_LENGTH, email_address
from ..models import normalise_email
from ..states import ReferralState, Role
from ..services.referrals import NOTE_MAX_LENGTH, ReferralRefused
from ..services.interest import state_label as interest_state_label
from . import bp



class ReferForm(FlaskForm):
    email = EmailField(_l("The youth's e-mail address"), filters=[
        lambda v: normalise_email(v) if isinstance(v, str) else v], validators=[
        DataRequired(_l("Enter the e-mail address of the youth's account.")),
        Length(max=EMAIL_MAX_LENGTH, message=_l("An e-mail address has at most %(max)d characters.")),
        email_address,
    ])
    note = TextAreaField(_l("Why you refer the youth (the youth sees this)"), validators=[
        Length(max=NOTE_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ], render_kw={"rows": 3, "maxlength": NOTE_MAX_LENGTH})


# ---------------------------------------------------------------- the coordinator's side

def _coordinator_page(form: ReferForm, status: int = 200) -> tuple[str, int]:
    rows = referral_service.by_coordinator(db.get_session(), current_user)
    return render_template("coordinator/referrals.html", form=form, rows=rows,
                           state_label=referral_service.state_label, ACTIVE=ReferralState.ACTIVE,
                           ENDED=ReferralState.ENDED), status


@bp.route("/coordinator/referrals/", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def referrals() -> Response | tuple[str, int]:
    form = ReferForm()
    if not form.is_submitted():
        return _coordinator_page(form)
    if not form.validate():
        return _coordinator_page(form, 400)
    try:
        referral_service.refer(db.get_session(), current_user, form.email.data, form.note.data)  # type: ignore[arg-type]  # validated: the required fields hold text
    except ReferralRefused as e:
        (form[e.field].errors if e.field else form.form_errors).append(e.message)
        return _coordinator_page(form, 400)
    flash(_("The youth was asked. You see their data once they agree."), "success")
    return redirect(url_for("coordinator.referrals"), code=303)


@bp.post("/coordinator/referrals/<int:referral_id>/end")
@role_required(Role.COORDINATOR)
def end_referral(referral_id: int) -> Response | tuple[str, int]:
    if not ActionForm().validate():
        abort(400)
    try:
        referral_service.end_by_coordinator(db.get_session(), current_user, referral_id)
    except LookupError:
        abort(404)
    except ReferralRefused as e:
        flash(e.message, "error")
        return redirect(url_for("coordinator.referrals"), code=303)
    flash(_("The referral has ended."), "success")
    return redirect(url_for("coordinator.referrals"), code=303)


@bp.get("/coordinator/referrals/youths/<int:youth_id>")
@role_required(Role.COORDINATOR)
def referred_youth(youth_id: int) -> str:
    """A referred youth's profile, matches and activities; 404 unless the youth is in scope."""
    session = db.get_session()
    found = referral_service.followed(session, current_user, youth_id)
    if found is None:
        abort(404)
    profile, account = found
    return render_template("coordinator/referred_youth.html", profile=profile, account=account,
                           matches=referral_service.matches_of(session, profile),
                           activities=referral_service.activities_of(session, profile),
                           state_label=interest_state_label)


