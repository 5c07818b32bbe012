"""The coordinator's cohort placement pages: create, choose, allocate (in the background), adjust, send, track.

Every page is for coordinators (`role_required("coordinator")`) and shows a cohort only
to coordinators of its region: any other id answers 404. The page of a cohort whose
allocation is running reloads itself (an HTTP `Refresh` header: no script needed). The
rules live in `webapp.services.cohorts` and `webapp.services.cohort_review`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import Session
from werkzeug.wrappers import Response
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..services import cohort_review as review
from ..services import cohorts as service
from .. import db
from ..auth.access import role_required
from ..services.cohorts import NAME_MAX_LENGTH, NEAR_KM, WHERE, CohortRefused
from ..models import Cohort
from ..states import CohortState, JobState, ProposalState, Role
from ..services.interest import state_label as interest_state_label
from ..forms import ActionForm, CheckboxesField
from ..paging import page_number
from . import bp

RELOAD_SECONDS = 2


class CohortForm(FlaskForm):
    name = StringField(_l("Name of the cohort"), validators=[
        DataRequired(_l("Give the cohort a name.")),
        Length(max=NAME_MAX_LENGTH, message=_l("Write at most %(max)d characters.")),
    ])


def _row_id(value: Any) -> int:
    """A row id; anything else becomes -1, which no choice has, so the field says "choose only from the options"."""
    return value if isinstance(value, int) else int(value) if str(value).isdigit() else -1


class ChooseForm(FlaskForm):
    youths = CheckboxesField(_l("Youths"), coerce=_row_id, choices=[])
    openings = CheckboxesField(_l("Openings"), coerce=_row_id, choices=[])


def _cohort_or_404(cohort_id: int) -> Cohort:
    cohort = service.get(db.get_session(), current_user, cohort_id)
    if cohort is None:
        abort(404)
    return cohort


def _back(cohort: Cohort) -> Response:
    return redirect(url_for("coordinator.cohort", cohort_id=cohort.id), code=303)


# ---------------------------------------------------------------- the list and a new cohort

def _index_page(form: CohortForm, status: int = 200) -> tuple[str, int]:
    cohorts = service.for_region(db.get_session(), current_user)
    return render_template("coordinator/cohorts.html", form=form, cohorts=cohorts,
                           state_label=review.state_label), status


@bp.route("/coordinator/cohorts/", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def cohorts() -> Response | tuple[str, int]:
    form = CohortForm()
    if not form.is_submitted():
        return _index_page(form)
    if not form.validate():
        return _index_page(form, 400)
    try:
        cohort = service.create(db.get_session(), current_user, form.name.data)
    except CohortRefused as e:
        (form[e.field].errors if e.field else form.form_errors).append(e.message)
        return _index_page(form, 400)
    flash(_("The cohort was created. Now choose its youths and openings."), "success")
    return redirect(url_for("coordinator.choose_for_cohort", cohort_id=cohort.id), code=303)


# ---------------------------------------------------------------- choosing

def _filters() -> tuple[str, str]:
    where = request.args.get("where", "region")
    return (where if where in WHERE else "region"), request.args.get("municipality", "").strip()


@bp.route("/coordinator/cohorts/<int:cohort_id>/choose", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def choose_for_cohort(cohort_id: int) -> Response | tuple[str, int]:
    cohort = _cohort_or_404(cohort_id)
    session = db.get_session()
    where, municipality = _filters()
    form = ChooseForm()
    youths = service.candidate_youths(session, current_user)
    posted = form.is_submitted()
    openings = service.candidate_openings(session, cohort.region, "all" if posted else where,
                                          "" if posted else municipality, keep=frozenset(cohort.opening_ids))
    form.youths.choices = [(profile.id, account.name or account.email) for profile, account in youths]
    form.openings.choices = [(opening.id, opening.title) for opening, _name in openings]
    status = 200
    if not posted:
        form.youths.data, form.openings.data = list(cohort.youth_ids), list(cohort.opening_ids)
    elif form.validate():
        try:
            service.choose(session, current_user, cohort, form.youths.data or [], form.openings.data or [])
        except CohortRefused as e:
            (form[e.field].errors if e.field else form.form_errors).append(e.message)
            status = 400
        else:
            flash(_("The choice is saved. Run the allocation when you are ready."), "success")
            return _back(cohort)
    else:
        status = 400
    all_municipalities = sorted({o.municipality for o, _name in service.candidate_openings(
        session, cohort.region, where) if o.municipality})
    return render_template("coordinator/choose_for_cohort.html", cohort=cohort, form=form, youths=youths,
                           openings=openings,
                           where=where, municipality=municipality, municipalities=all_municipalities,
                           chosen_youths=set(form.youths.data or []), chosen_openings=set(form.openings.data or []),
                           sent=cohort.state == CohortState.SENT, near_km=NEAR_KM), status


# ---------------------------------------------------------------- the cohort: run, review, adjust, send, track

@bp.get("/coordinator/cohorts/<int:cohort_id>")
@role_required(Role.COORDINATOR)
def cohort(cohort_id: int) -> Response:
    found = _cohort_or_404(cohort_id)
    session = db.get_session()
    show = request.args.get("show", review.PLACED)
    if show not in (review.PLACED, review.LEFT):
        abort(400, description=_("Show either “placed” or “left”; got “%(value)s”.", value=show))
    number = page_number(request.args)
    job = service.job_of(session, found)
    is_running = job is not None and job.state in (JobState.QUEUED, JobState.RUNNING)
    interests = review.track(session, found) if found.state == CohortState.SENT else {}
    try:
        shown = review.review(session, current_user, found, show, number)
    except LookupError:
        abort(404, description=_("There is no page %(page)d of this list.", page=number))
    page = render_template("coordinator/cohort.html", cohort=found, job=job, running=is_running,
                           review=shown, interests=interests, PLACED=review.PLACED, LEFT=review.LEFT,
                           reason_text=review.reason_text, state_label=review.state_label,
                           interest_state_label=interest_state_label, JobState=JobState, CohortState=CohortState,
                           reload_seconds=RELOAD_SECONDS)
    response = make_response(page)
    if is_running:
        response.headers["Refresh"] = str(RELOAD_SECONDS)
    return response


@bp.get("/coordinator/cohorts/<int:cohort_id>/youths/<int:youth_id>")
@role_required(Role.COORDINATOR)
def cohort_youth(cohort_id: int, youth_id: int) -> str:
    """One youth of the cohort: the proposal, and the openings the youth could be moved to."""
    found = _cohort_or_404(cohort_id)
    try:
        youth = review.one_youth(db.get_session(), current_user, found, youth_id)
    except LookupError:
        abort(404)
    return render_template("coordinator/cohort_youth.html", cohort=found, youth=youth, CohortState=CohortState,
                           PROPOSED=ProposalState.PROPOSED, REMOVED=ProposalState.REMOVED,
                           state_label=review.state_label, CHOICES=review.CHOICES)


Action = Callable[[Session, Cohort], "str | None"]  # a message to flash, or None for the default


def _act(cohort_id: int, action: Action, done: str) -> Response:
    """Runs `action` on the coordinator's cohort; flashes its message (or `done`) or its refusal; back to the cohort."""
    found = _cohort_or_404(cohort_id)
    if not ActionForm().validate():
        abort(400)
    try:
        message = action(db.get_session(), found)
    except LookupError:
        abort(404)
    except CohortRefused as e:
        flash(e.message, "error")
        return _back(found)
    flash(message or done, "success")
    return _back(found)


@bp.post("/coordinator/cohorts/<int:cohort_id>/allocate")
@role_required(Role.COORDINATOR)
def allocate_cohort(cohort_id: int) -> Response:
    def starting(session: Session, found: Cohort) -> None:
        service.start_allocation(session, current_user, found)
    return _act(cohort_id, starting, _("The allocation has started."))


def _opening_id() -> int | None:
    value = request.form.get("opening", "")
    return int(value) if value.isdigit() else None


@bp.post("/coordinator/cohorts/<int:cohort_id>/youths/<int:youth_id>/move")
@role_required(Role.COORDINATOR)
def move_in_cohort(cohort_id: int, youth_id: int) -> Response:
    def moving(session: Session, found: Cohort) -> None:
        review.move(session, current_user, found, youth_id, _opening_id())
    return _act(cohort_id, moving, _("The proposal was changed by hand."))


@bp.post("/coordinator/cohorts/<int:cohort_id>/youths/<int:youth_id>/remove")
@role_required(Role.COORDINATOR)
def remove_from_cohort(cohort_id: int, youth_id: int) -> Response:
    def removing(session: Session, found: Cohort) -> None:
        review.remove(session, current_user, found, youth_id)
    return _act(cohort_id, removing, _("The proposal was removed."))


@bp.post("/coordinator/cohorts/<int:cohort_id>/send")
@role_required(Role.COORDINATOR)
def send_cohort(cohort_id: int) -> Response:
    def sending(session: Session, found: Cohort) -> str:
        sent = review.send(session, current_user, found)
        return _("Sent to the youths: %(suggested)d suggestions to answer, %(reused)d interested already, "
                 "%(skipped)d skipped. Nothing reaches an association before the youth says yes.",
                 suggested=sent.suggested, reused=sent.reused, skipped=sent.skipped)
    return _act(cohort_id, sending, "")
