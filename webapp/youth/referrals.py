"""What coordinators ask of the youth: referral requests (agree, refuse or end) and cohort
suggestions (yes or no), and their count in the navigation.

A coordinator asks to follow a youth (`coordinator.referrals`); nothing is visible to the
coordinators until the youth agrees here. A cohort's proposal comes as a suggestion; nothing
reaches an association until the youth says yes. /me/referrals shows only the youth's own;
the rules live in `webapp.services.referrals` and `webapp.services.suggestions`.
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
from ..services import suggestions
from ..services.referrals import ReferralRefused
from ..services.suggestions import SuggestionRefused
from . import bp
from .views import current_profile


@bp.app_template_global()
def pending_referrals() -> int:
    """Requests and suggestions waiting for the signed-in youth's answer, for the link in the navigation (0 for
    others)."""
    profile = own_profile()
    if profile is None:
        return 0
    waiting = waiting_referrals()  # read with the user (auth.load_user): no second query
    if waiting is not None:
        return waiting
    session = db.get_session()
    return referral_service.pending_count(session, profile) + len(suggestions.for_youth(session, profile))



@bp.get("/me/referrals")
@role_required(Role.YOUTH)
def referrals() -> str:
    session = db.get_session()
    profile = current_profile()
    rows = referral_service.for_youth(session, profile)
    return render_template("youth/referrals.html", rows=rows, suggested=suggestions.for_youth(session, profile),
                           state_label=referral_service.state_label_for_youth, PENDING=ReferralState.PENDING,
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


@bp.post("/me/suggestions/<int:proposal_id>/<any(yes, no):action>")
@role_required(Role.YOUTH)
def answer_suggestion(proposal_id: int, action: str) -> Response:
    """Yes: the youth's own interest goes to the association (nothing says a coordinator suggested it); no: only
    the coordinator hears."""
    if not ActionForm().validate():
        abort(400)
    try:
        suggestions.answer(db.get_session(), current_profile(), proposal_id, yes=action == "yes")
    except LookupError:
        abort(404)
    except SuggestionRefused as e:
        flash(e.message, "error")
        return redirect(url_for("youth.referrals"), code=303)
    if action == "yes":
        flash(_("Your interest is sent. The association sees it as your own choice."), "success")
        return redirect(url_for("youth.activities"), code=303)
    flash(_("You said no. Only your coordinator sees your answer."), "success")
    return redirect(url_for("youth.referrals"), code=303)
