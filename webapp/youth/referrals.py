"""The youth's referral requests: agree, refuse or end; and the count in the navigation.

A coordinator asks to follow a youth (`coordinator.referrals`); nothing is visible to the
coordinator until the youth agrees here. /me/referrals shows only the youth's own referrals;
the rules live in `webapp.services.referrals`.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import db
from ..auth.access import role_required
from ..auth.sessions import own_profile, waiting_referrals
from ..forms import ActionForm
from ..states import ReferralState, Role
from ..services import referrals as referral_service
from ..services.referrals import ReferralRefused
from . import bp
from .views import current_profile


@bp.app_template_global()
def pending_referrals() -> int:
    """Requests waiting for the signed-in youth's answer, for the link in the navigation (0 for others)."""
    profile = own_profile()
    if profile is None:
        return 0
    waiting = waiting_referrals()  # read with the user (auth.load_user): no second query
    if waiting is not None:
        return waiting
    return referral_service.pending_count(db.get_session(), profile) if profile is not None else 0



@bp.get("/me/referrals")
@role_required(Role.YOUTH)
def referrals() -> str:
    rows = referral_service.for_youth(db.get_session(), current_profile())
    return render_template("youth/referrals.html", rows=rows,
                           state_label=referral_service.state_label, PENDING=ReferralState.PENDING,
                           ACTIVE=ReferralState.ACTIVE)


def _youth_act(referral_id: int, change: str) -> Response:
    if not ActionForm().validate():
        abort(400)
    session = db.get_session()
    profile = current_profile()
    try:
        if change == "end":
            referral_service.end_by_youth(session, profile, referral_id)
        else:
            referral_service.answer(session, profile, referral_id, agree=change == "agree")
    except LookupError:
        abort(404)
    except ReferralRefused as e:
        flash(e.message, "error")
        return redirect(url_for("youth.referrals"), code=303)
    flash({"agree": _("You agreed. The coordinator can now follow your matches and activities."),
           "refuse": _("You said no. The coordinator does not see your data."),
           "end": _("The referral has ended. The coordinator no longer sees your data.")}[change], "success")
    return redirect(url_for("youth.referrals"), code=303)


@bp.post("/me/referrals/<int:referral_id>/agree")
@role_required(Role.YOUTH)
def agree_to_referral(referral_id: int) -> Response:
    return _youth_act(referral_id, "agree")


@bp.post("/me/referrals/<int:referral_id>/refuse")
@role_required(Role.YOUTH)
def refuse_referral(referral_id: int) -> Response:
    return _youth_act(referral_id, "refuse")


@bp.post("/me/referrals/<int:referral_id>/end")
@role_required(Role.YOUTH)
def end_referral(referral_id: int) -> Response:
    return _youth_act(referral_id, "end")
