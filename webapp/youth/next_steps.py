"""The youth's own next step and self-assessment (/me/...): only their own, never anyone else's."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from .. import db
from ..auth.access import role_required
from ..forms import ActionForm
from ..states import Role
from ..outcome_pages import assessment_chart, assessment_table, next_step_page, record_next_step
from ..services import outcomes
from . import bp
from .views import current_profile


@bp.route("/me/next-step", methods=["GET", "POST"])
@role_required(Role.YOUTH)
def next_step() -> Response | tuple[str, int]:
    youth = current_profile()
    if request.method == "GET":
        return next_step_page("youth/next_step.html", youth)
    errors = record_next_step(youth)
    if errors:
        return next_step_page("youth/next_step.html", youth, 400, errors)
    flash(_("Your next step is saved."), "success")
    return redirect(url_for("youth.next_step"), code=303)


@bp.route("/me/self-assessment", methods=["GET", "POST"])
@role_required(Role.YOUTH)
def self_assessment() -> Response | tuple[str, int]:
    youth = current_profile()
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not ActionForm().validate():
            errors = {outcomes.DOMAIN_KEYS[0]: _("The form had expired. Please try again.")}
        else:
            try:
                outcomes.record_self_assessment(db.get_session(), youth, {
                    key: request.form.get(key) for key in outcomes.DOMAIN_KEYS})
            except outcomes.OutcomeRefused as e:
                db.get_session().rollback()
                errors = {e.field: e.message}  # type: ignore[dict-item]  # an OutcomeRefused always names its field
        if not errors:
            flash(_("Your answers are saved. Thank you!"), "success")
            return redirect(url_for("youth.self_assessment"), code=303)
    return render_template("youth/self_assessment.html", form=ActionForm(), errors=errors,
                           chosen=request.form, chart_url=url_for("youth.self_assessment_chart"),
                           **assessment_table(youth)), 400 if errors else 200


@bp.get("/me/self-assessment/chart.svg")
@role_required(Role.YOUTH)
def self_assessment_chart() -> Response:
    return assessment_chart(current_profile())


