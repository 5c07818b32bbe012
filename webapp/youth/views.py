"""The youth's own pages: the step-by-step profile and "Edit profile", "My matches", interest
(with a note) and withdrawal, "My activities" and a printable work certificate for each
completed one.

Every page is for signed-in youths only (`role_required("youth")`), and each shows
or changes only the signed-in youth's own profile and records. The rules of interest
live in `webapp.services.interest`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlmodel import col, select
from werkzeug.wrappers import Response

from matching import themes
from matching.io import FieldError

from .. import clock, db
from ..engine import fragments
from ..auth.access import role_required
from ..auth.sessions import own_profile
from ..security import safe_next
from ..engine.convert import youth_from_row
from ..engine import matches as engine_matches
from ..i18n import lang
from ..models import Association, Interest, Opening, YouthProfile
from ..states import InterestState, OpeningStatus, Role
from ..services import messages
from ..services.answers import hiding_answers
from ..services.certificate import completed_activity, period_text, statement
from ..services.interest import NOTE_MAX_LENGTH, InterestRefused, express_interest, state_label, withdraw
from ..forms import ActionForm
from .forms import STEPS, InterestForm, ProfileFields, ProfileForm
from . import bp

MATCHES = 10


def current_profile() -> YouthProfile:
    """The signed-in youth's profile (`auth.own_profile`, read with the user); 404 for an account without one."""
    profile = own_profile()
    if profile is None:
        abort(404)
    return profile


def _suggested_themes(profile: YouthProfile) -> list[str]:
    if profile.themes or not profile.interests.strip():
        return []
    return engine_matches.suggest_themes(profile.interests)


def _save_profile(form: ProfileFields, profile: YouthProfile) -> None:
    form.save(profile)
    profile.updated_at = clock.now()
    session = db.get_session()
    session.add(profile)
    session.add(profile.user)  # the name lives on the account
    session.commit()


def _local_next(default: str) -> str:
    return safe_next(request.form.get("next")) or safe_next(request.args.get("next")) or default


@bp.app_template_global()
def note_max_length() -> int:
    return NOTE_MAX_LENGTH


# ---------------------------------------------------------------- views: the profile

@bp.route("/youth/profile", methods=["GET", "POST"])
@role_required(Role.YOUTH)
def profile() -> Response | tuple[str, int]:
    found = current_profile()
    form = ProfileForm()
    form.label_choices(lang())
    suggested: list[str] = []
    if request.method == "GET":
        form.fill(found)
        suggested = _suggested_themes(found)
        if suggested:
            form.themes.data = suggested
        return render_template("youth/profile.html", form=form, suggested=suggested), 200
    if not form.validate():
        return render_template("youth/profile.html", form=form, suggested=suggested), 400
    _save_profile(form, found)
    if form.notes():  # saved, but some times could not be read: say which, beside the field
        return render_template("youth/profile.html", form=form, suggested=suggested, partly=True), 200
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("youth.profile"), code=303)


def _step_page(number: int, form: ProfileFields, status: int = 200,
               suggested: list[str] | None = None, partly: bool = False) -> tuple[str, int]:
    after = url_for("youth.step", number=number + 1) if number < len(STEPS) else url_for("youth.matches")
    return render_template("youth/step.html", steps=STEPS, number=number, step=STEPS[number - 1], form=form,
                           suggested=suggested or [], skip=after, partly=partly), status


@bp.route("/youth/start/<int:number>", methods=["GET", "POST"])
@role_required(Role.YOUTH)
def step(number: int) -> Response | tuple[str, int]:
    """One step of the step-by-step profile; each valid step is saved at once, so none is lost."""
    if not 1 <= number <= len(STEPS):
        abort(404)
    found = current_profile()
    form = STEPS[number - 1].form()
    form.label_choices(lang())
    if request.method == "GET":
        form.fill(found)
        suggested = _suggested_themes(found) if "themes" in form else []
        if suggested:
            form.themes.data = suggested
        return _step_page(number, form, suggested=suggested)
    if not form.validate():
        shown = [t for t in request.form.getlist("suggested") if t in themes.THEMES]  # as the page had them
        return _step_page(number, form, 400, suggested=shown)
    _save_profile(form, found)
    if form.notes():  # saved, but some times could not be read: say which, beside the field
        return _step_page(number, form, partly=True)
    if "themes" in form and not request.form.get("suggested") and _suggested_themes(found):
        return redirect(url_for("youth.step", number=number), code=303)  # show the themes that fit first
    if number < len(STEPS):
        return redirect(url_for("youth.step", number=number + 1), code=303)
    flash(_("Your profile is saved. Here are activities that could suit you."), "success")
    return redirect(url_for("youth.matches"), code=303)


# ---------------------------------------------------------------- views: matches, interest, activities

# The youth's interest in each opening, by ref: built once, as the page is the youth's most visited.
_STATES = select(Opening.ref, col(Interest.state)).join(Opening).where(Interest.youth_id == sa.bindparam("youth_id"))


@bp.get("/youth/matches")
@role_required(Role.YOUTH)
def matches() -> str | tuple[str, int]:
    found = current_profile()
    try:
        youth = youth_from_row(found)
    except FieldError:
        flash(_("Your profile has a value we cannot read. Check your profile and save it again."), "error")
        return render_template("youth/matches.html", listing=None), 400
    ranked = engine_matches.matches(found, MATCHES, lang(), youth)
    further = False
    if not ranked and youth.max_travel_km is not None:  # nothing near: the nearest ones, never a dead end
        ranked = engine_matches.match(engine_matches.youth_matcher(found), replace(youth, max_travel_km=None),
                                      MATCHES, lang())
        further = bool(ranked)
    states = dict(db.get_session().exec(_STATES, params={"youth_id": found.id}).all())
    rows = []
    for m in ranked:
        opening = engine_matches.engine_opening(m.opening_id)  # titles as the engine has them: no query
        rows.append(MatchRow(opening.id, opening.title, opening.association, m.score,
                             tuple((r.text, r.sign) for r in m.reasons if not r.neutral), states.get(opening.id)))
    listing = fragments.render("youth/_match_list.html", tuple(rows), rows=rows, state_label=state_label) \
        if rows else None
    hiding = hiding_answers(found, youth)
    titles = {ref: engine_matches.engine_opening(ref).title for answer in hiding for ref in answer.examples}
    return render_template("youth/matches.html", listing=listing, profile_empty=_empty(found), hiding=hiding,
                           titles=titles, further=further, travel_km=youth.max_travel_km)


@dataclass(frozen=True)
class MatchRow:
    """One match as "My matches" shows it: all of it, so the drawn list can be kept by its rows."""

    ref: str
    title: str
    association: str
    score: float
    reasons: tuple[tuple[str, int], ...]  # text, sign (+1 for, -1 against, 0 informs)
    state: InterestState | None


def _empty(profile: YouthProfile) -> bool:
    return not (profile.interests or profile.themes or profile.municipality or profile.kinds)


def _opening_or_404(ref: str) -> Opening:
    opening = db.get_session().exec(select(Opening).where(Opening.ref == ref)).first()
    if opening is None or opening.status == OpeningStatus.DRAFT:
        abort(404, description=_("There is no open opening with this address."))
    return opening


def _act(ref: str, form: ActionForm, action: Any, done: str) -> Response | tuple[str, int]:
    back = _local_next(url_for("youth.activities"))
    if not form.validate():
        flash(_("The form had expired. Please try again."), "error")
        return render_template("youth/refused.html", back=back), 400
    opening = _opening_or_404(ref)
    try:
        action(db.get_session(), current_profile(), opening)
    except InterestRefused as e:
        flash(e.message, "error")
        return render_template("youth/refused.html", back=back), 400
    flash(done, "success")
    return redirect(back, code=303)


@bp.post("/youth/openings/<ref>/interest")
@role_required(Role.YOUTH)
def interest(ref: str) -> Response | tuple[str, int]:
    form = InterestForm()
    return _act(ref, form, lambda session, profile, opening: express_interest(
        session, profile, opening, message=form.message.data), _(
        "You expressed interest. The association will get back to you."))


@bp.post("/youth/openings/<ref>/withdraw")
@role_required(Role.YOUTH)
def withdraw_interest(ref: str) -> Response | tuple[str, int]:
    return _act(ref, ActionForm(), withdraw, _("You withdrew your interest."))


@bp.get("/youth/activities")
@role_required(Role.YOUTH)
def activities() -> str:
    found = current_profile()
    rows = db.get_session().exec(
        select(Interest, Opening, Association.name).join(Opening, col(Interest.opening_id) == Opening.id)
        .join(Association, col(Opening.association_id) == Association.id)
        .where(Interest.youth_id == found.id)
        .order_by(col(Interest.created_at).desc(), col(Interest.id).desc())).all()
    talks = messages.counts(db.get_session(), [interest.id for interest, _o, _a in rows])  # type: ignore[misc]  # a stored row's id is set
    return render_template("youth/activities.html", rows=rows, state_label=state_label, talks=talks,
                           INTERESTED=InterestState.INTERESTED, COMPLETED=InterestState.COMPLETED,
                           OPEN=OpeningStatus.OPEN)


@bp.get("/youth/activities/<int:interest_id>/certificate")
@role_required(Role.YOUTH)
def certificate(interest_id: int) -> str:
    """A printable work certificate for one of the youth's own completed activities; 404 for anything else."""
    found = completed_activity(db.get_session(), current_profile(), interest_id, clock.now())
    if found is None:
        abort(404, description=_("There is no completed activity of yours with this address."))
    return render_template("youth/certificate.html", certificate=found, statement=statement(found),
                           period=period_text(found))
