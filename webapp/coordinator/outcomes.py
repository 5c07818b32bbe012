"""The outcomes of the youths a coordinator follows: their next steps and self-assessments.

A coordinator sees only youths in scope (`webapp.services.scope`): any other youth is a 404,
so a page never tells whether a youth exists. The rules of recording live in
`webapp.services.outcomes`.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select
from werkzeug.wrappers import Response

from .. import db
from ..auth.access import role_required
from ..models import User, YouthProfile
from ..states import Role
from ..outcome_pages import assessment_chart, assessment_table, next_step_page, record_next_step
from ..services import outcomes as service
from ..services import scope
from . import bp


def _youth_in_scope(ref: str) -> YouthProfile:
    session = db.get_session()
    youth = session.exec(select(YouthProfile).where(YouthProfile.ref == ref)).first()
    if youth is None or not scope.may_see(session, current_user, youth.id):  # type: ignore[arg-type]  # a stored row's id is set
        abort(404, description=_("There is no young person in your region with this address."))
    return youth


@bp.get("/coordinator/outcomes")
@role_required(Role.COORDINATOR)
def outcomes() -> str:
    session = db.get_session()
    found = scope.profiles(session, current_user)
    names = dict(session.exec(select(User.id, User.name).where(col(User.id).in_([p.user_id for p in found]))).all())
    latest = service.latest_steps(session, [p.id for p in found])  # type: ignore[misc]  # stored rows' ids are set
    return render_template("coordinator/outcomes.html", youths=found, names=names, latest=latest,
                           step_labels=service.step_labels(), region=current_user.region)


def _coordinator_youth_page(youth: YouthProfile, status: int = 200,
                            errors: dict[str, str] | None = None) -> tuple[str, int]:
    name = db.get_session().get(User, youth.user_id).name  # type: ignore[union-attr]  # the profile's user exists (foreign key)
    return next_step_page("coordinator/youth_outcomes.html", youth, status, errors, name=name or youth.ref,
                           chart_url=url_for("coordinator.youth_self_assessment_chart", ref=youth.ref),
                           **assessment_table(youth))


@bp.get("/coordinator/outcomes/<ref>")
@role_required(Role.COORDINATOR)
def youth_outcomes(ref: str) -> tuple[str, int]:
    return _coordinator_youth_page(_youth_in_scope(ref))


@bp.post("/coordinator/outcomes/<ref>/next-step")
@role_required(Role.COORDINATOR)
def youth_next_step(ref: str) -> Response | tuple[str, int]:
    youth = _youth_in_scope(ref)
    errors = record_next_step(youth)
    if errors:
        return _coordinator_youth_page(youth, 400, errors)
    flash(_("The next step is saved."), "success")
    return redirect(url_for("coordinator.youth_outcomes", ref=ref), code=303)


@bp.get("/coordinator/outcomes/<ref>/self-assessment.svg")
@role_required(Role.COORDINATOR)
def youth_self_assessment_chart(ref: str) -> Response:
    return assessment_chart(_youth_in_scope(ref))


