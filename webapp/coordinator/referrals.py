"""Referrals, from both sides: the coordinator refers and follows; the youth agrees, refuses or ends.

Coordinator pages live under /coordinator/referrals (`role_required("coordinator")`); a
referred youth's page answers 404 unless the youth is in the coordinator's scope
(`webapp.scope`), so guessing ids shows nothing. The youth's page of requests lives under
/me/referrals (`role_required("youth")`) and shows only the youth's own referrals. The
rules live in `webapp.referral_service`.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import select
from werkzeug.wrappers import Response
from wtforms import EmailField, TextAreaField
from wtforms.validators import DataRequired, Length

from .. import db
from ..services import referrals as referral_service
from ..auth.views import role_required, waiting_referrals
from ..auth.forms import EMAIL_MAX_LENGTH, email_address
from ..models import ReferralState, Role, YouthProfile, normalise_email
from ..services.referrals import NOTE_MAX_LENGTH, ReferralRefused
from ..services.interest import state_label as interest_state_label

bp = Blueprint("referrals", __name__)


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


class ActionForm(FlaskForm):
    """Only the CSRF token: agree, refuse, end."""


@bp.app_template_global()
def pending_referrals() -> int:
    """Requests waiting for the signed-in youth's answer, for the link in the navigation (0 for others)."""
    if not current_user.is_authenticated or current_user.role != Role.YOUTH:
        return 0
    waiting = waiting_referrals()  # read with the user (auth.load_user): no second query
    if waiting is not None:
        return waiting
    profile = current_user.profile  # a youth who signed in during this very request
    return referral_service.pending_count(db.get_session(), profile) if profile is not None else 0


# ---------------------------------------------------------------- the coordinator's side

def _coordinator_page(form: ReferForm, status: int = 200) -> tuple[str, int]:
    rows = referral_service.by_coordinator(db.get_session(), current_user)
    return render_template("referrals/coordinator.html", form=form, rows=rows,
                           state_label=referral_service.state_label, ACTIVE=ReferralState.ACTIVE,
                           ENDED=ReferralState.ENDED), status


@bp.route("/coordinator/referrals/", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def coordinator() -> Response | tuple[str, int]:
    form = ReferForm()
    if not form.is_submitted():
        return _coordinator_page(form)
    if not form.validate():
        return _coordinator_page(form, 400)
    try:
        referral_service.refer(db.get_session(), current_user, form.email.data, form.note.data)
    except ReferralRefused as e:
        (form[e.field].errors if e.field else form.form_errors).append(e.message)
        return _coordinator_page(form, 400)
    flash(_("The youth was asked. You see their data once they agree."), "success")
    return redirect(url_for("referrals.coordinator"), code=303)


@bp.post("/coordinator/referrals/<int:referral_id>/end")
@role_required(Role.COORDINATOR)
def coordinator_end(referral_id: int) -> Response | tuple[str, int]:
    if not ActionForm().validate():
        abort(400)
    try:
        referral_service.end_by_coordinator(db.get_session(), current_user, referral_id)
    except LookupError:
        abort(404)
    except ReferralRefused as e:
        flash(e.message, "error")
        return redirect(url_for("referrals.coordinator"), code=303)
    flash(_("The referral has ended."), "success")
    return redirect(url_for("referrals.coordinator"), code=303)


@bp.get("/coordinator/referrals/youths/<int:youth_id>")
@role_required(Role.COORDINATOR)
def youth(youth_id: int) -> str:
    """A referred youth's profile, matches and activities; 404 unless the youth is in scope."""
    session = db.get_session()
    found = referral_service.followed(session, current_user, youth_id)
    if found is None:
        abort(404)
    profile, account = found
    return render_template("referrals/youth.html", profile=profile, account=account,
                           matches=referral_service.matches_of(session, profile),
                           activities=referral_service.activities_of(session, profile),
                           state_label=interest_state_label)


# ---------------------------------------------------------------- the youth's side

def _own_profile() -> YouthProfile:
    profile = db.get_session().exec(select(YouthProfile).where(YouthProfile.user_id == current_user.id)).first()
    if profile is None:  # a youth account without a profile has no referrals either
        abort(404)
    return profile


@bp.get("/me/referrals")
@role_required(Role.YOUTH)
def mine() -> str:
    session = db.get_session()
    profile = session.exec(select(YouthProfile).where(YouthProfile.user_id == current_user.id)).first()
    rows = referral_service.for_youth(session, profile) if profile is not None else []
    return render_template("referrals/mine.html", rows=rows,
                           state_label=referral_service.state_label, PENDING=ReferralState.PENDING,
                           ACTIVE=ReferralState.ACTIVE)


def _youth_act(referral_id: int, change: str) -> Response:
    if not ActionForm().validate():
        abort(400)
    session = db.get_session()
    profile = _own_profile()
    try:
        if change == "end":
            referral_service.end_by_youth(session, profile, referral_id)
        else:
            referral_service.answer(session, profile, referral_id, agree=change == "agree")
    except LookupError:
        abort(404)
    except ReferralRefused as e:
        flash(e.message, "error")
        return redirect(url_for("referrals.mine"), code=303)
    flash({"agree": _("You agreed. The coordinator can now follow your matches and activities."),
           "refuse": _("You said no. The coordinator does not see your data."),
           "end": _("The referral has ended. The coordinator no longer sees your data.")}[change], "success")
    return redirect(url_for("referrals.mine"), code=303)


@bp.post("/me/referrals/<int:referral_id>/agree")
@role_required(Role.YOUTH)
def agree(referral_id: int) -> Response:
    return _youth_act(referral_id, "agree")


@bp.post("/me/referrals/<int:referral_id>/refuse")
@role_required(Role.YOUTH)
def refuse(referral_id: int) -> Response:
    return _youth_act(referral_id, "refuse")


@bp.post("/me/referrals/<int:referral_id>/end")
@role_required(Role.YOUTH)
def end(referral_id: int) -> Response:
    return _youth_act(referral_id, "end")
