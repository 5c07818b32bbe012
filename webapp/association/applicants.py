"""The applicants of an association's own opening, and the member's decisions on them.

For association members only (`role_required("association")`); an opening of another
association, or an applicant of another opening, answers 404 as if it did not exist.
The rules and what a member may see of a youth live in `webapp.services.decisions`.
"""
from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length
from werkzeug.wrappers import Response

from ..services import decisions as applications
from ..services import messages
from ..services.certificate import local_day
from .. import clock
from .. import db
from ..auth.access import role_required
from ..i18n import describe_schedule, label, language_name, place_name, theme_label
from ..models import Opening
from ..states import InterestState, Role
from . import bp



class DecisionForm(FlaskForm):
    """Only the CSRF token: accept, decline and drop take no input."""


class CompleteForm(FlaskForm):
    """Completing takes an optional written reference; prefixed per applicant, so ids stay unique."""

    reference = TextAreaField(_l("Reference for the work certificate (optional)"), validators=[
        Length(max=applications.REFERENCE_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ], render_kw={"rows": 3})


def _complete_form(interest_id: int) -> CompleteForm:
    return CompleteForm(prefix=f"a{interest_id}")


# ---------------------------------------------------------------- shared profile fields in words

def field_labels() -> dict[str, str]:
    return {"age": _("Age"), "interests": _("Interests"), "themes": _("Themes"),
            "municipality": _("Home municipality"), "languages": _("Languages"), "kinds": _("Kinds of activity"),
            "qualifications": _("Qualifications"), "needs": _("Support wanted"), "goals": _("Goals"),
            "availability": _("Free times"), "email": _("E-mail address")}


def shown(shared: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, label, value in words) for each shared field that has a value."""
    words = {"themes": theme_label, "languages": language_name, "kinds": label, "qualifications": label,
             "needs": label, "goals": label}
    labels, rows = field_labels(), []
    for name, value in shared.items():
        if value in (None, "", []):
            continue
        if name == "availability":
            text = describe_schedule(value)
        elif name == "municipality":
            text = place_name(value)
        elif name in words:
            text = ", ".join(words[name](v) for v in value)
        else:
            text = str(value)
        rows.append((name, labels[name], text))
    return rows


def group_headings() -> dict[InterestState, str]:
    return {InterestState.INTERESTED: _("Interested"), InterestState.ACCEPTED: _("Accepted"),
            InterestState.COMPLETED: _("Completed"), InterestState.DROPPED: _("Dropped"),
            InterestState.DECLINED: _("Declined")}


# ---------------------------------------------------------------- views

def _own_opening_or_404(ref: str) -> Opening:
    opening = applications.own_opening(db.get_session(), ref, current_user.association_id)
    if opening is None:
        abort(404)
    return opening


def _page(opening: Opening, status: int = 200, failed: tuple[int, CompleteForm] | None = None) -> tuple[str, int]:
    found = applications.applicants(db.get_session(), opening)
    complete_forms = {a.interest.id: _complete_form(a.interest.id) for a in found  # type: ignore[arg-type]  # a stored row's id is set
                      if a.interest.state == InterestState.ACCEPTED}
    if failed is not None:
        complete_forms[failed[0]] = failed[1]
    talks = messages.counts(db.get_session(), [a.interest.id for a in found])  # type: ignore[misc]  # a stored row's id is set
    return render_template("association/applicants.html", opening=opening, groups=applications.grouped(found),
                           talks=talks,
                           headings=group_headings(), shown=shown, form=DecisionForm(),
                           complete_forms=complete_forms, verified=opening.association.verified,
                           starts_later=opening.start_date is not None and local_day(clock.now()) < opening.start_date,
                           INTERESTED=InterestState.INTERESTED,
                           ACCEPTED=InterestState.ACCEPTED, DECLINED=InterestState.DECLINED), status


@bp.get("/association/openings/<ref>/applicants")
@role_required(Role.ASSOCIATION)
def applicants(ref: str) -> tuple[str, int]:
    return _page(_own_opening_or_404(ref))


@bp.post("/association/openings/<ref>/applicants/<int:interest_id>/<any(accept, decline, complete, drop):action>")
@role_required(Role.ASSOCIATION)
def decide(ref: str, interest_id: int, action: str) -> Response | tuple[str, int]:
    opening = _own_opening_or_404(ref)
    session = db.get_session()
    interest = applications.own_interest(session, interest_id, current_user.association_id)
    if interest is None or interest.opening_id != opening.id:
        abort(404)
    form = _complete_form(interest_id) if action == "complete" else DecisionForm()
    if not form.validate():
        if "csrf_token" in form.errors:
            flash(_("The form had expired. Please try again."), "error")
            return _page(opening, 400)
        return _page(opening, 400, (interest_id, form))
    if action == "decline" and request.form.get("confirm") != "yes":  # a no the youth will see: asked once more
        return render_template("association/confirm_decline.html", opening=opening, interest=interest,
                               form=form), 200
    try:
        if action == "complete":
            applications.complete(session, interest, form.reference.data or "")
        else:
            applications.DECISIONS[action](session, interest)
    except applications.DecisionRefused as e:
        flash(e.message, "error")
        return _page(opening, 409)
    flash({"accept": _("The youth is accepted. Get in touch with them to agree on the start."),
           "decline": _("The youth is declined."),
           "complete": _("The activity is marked completed."),
           "drop": _("The activity is marked dropped, and the place is free again.")}[action], "success")
    return redirect(url_for("association.applicants", ref=ref), code=303)
