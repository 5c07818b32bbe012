"""Outcome pages: next steps and self-assessments (the youth's own, and a coordinator's for youths in
scope), and the coordinator's dashboard with its charts and CSV export.

A youth sees and records only their own (`/me/...`). A coordinator sees only youths in scope
(`webapp.scope`): any other youth is a 404, so a page never tells whether a youth exists.
The rules of recording and the definitions of the figures live in `webapp.outcome_service`.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any
from urllib.parse import quote

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import col, select
from werkzeug.wrappers import Response

from matching import texts

from .. import charts, db
from ..services import scope
from ..services import outcomes
from ..auth.views import role_required
from ..i18n import lang
from ..models import Role, User, YouthProfile
from .forms import ActionForm, PeriodForm
from ..youth.views import current_profile

bp = Blueprint("outcomes", __name__)


def _kind_label(kind: str) -> str:
    return texts.label(kind, lang())


def _zone() -> str:
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Helsinki")


def _today() -> dt.date:
    return outcomes.local_today(_zone())


def _activity_id(text: str | None) -> int | None:
    """The chosen activity's id; "" is none; anything else not a number is refused by the service."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() else -1


def _svg(text: str) -> Response:
    return Response(text, mimetype="image/svg+xml", headers={"Cache-Control": "private, no-store"})


# ---------------------------------------------------------------- shared by the youth's and the coordinator's pages

def _next_step_page(template: str, youth: YouthProfile, status: int = 200, errors: dict[str, str] | None = None,
                    **context: Any) -> tuple[str, int]:
    session = db.get_session()
    return render_template(template, youth=youth, form=ActionForm(), errors=errors or {},
                           steps=outcomes.next_steps(session, youth.id),
                           activities=outcomes.placed_activities(session, youth.id),
                           step_labels=outcomes.step_labels(), chosen=request.form, **context), status


def _record_next_step(youth: YouthProfile) -> dict[str, str]:
    """Records the posted next step for `youth`; the errors by field (empty when saved)."""
    if not ActionForm().validate():
        return {"step": _("The form had expired. Please try again.")}
    try:
        outcomes.record_next_step(db.get_session(), youth, request.form.get("step"), current_user,
                                  interest_id=_activity_id(request.form.get("activity")))
    except outcomes.OutcomeRefused as e:
        db.get_session().rollback()
        return {e.field: e.message}
    return {}


def _assessment_table(youth: YouthProfile) -> dict[str, Any]:
    rows = outcomes.assessments(db.get_session(), youth.id)
    return {"assessments": rows, "domains": outcomes.DOMAINS}


def _assessment_chart(youth: YouthProfile) -> Response:
    rows = outcomes.assessments(db.get_session(), youth.id)
    x_labels = [format_date(r.taken_at, "short") for r in rows]
    series = [(str(d.label), [r.scores.get(d.key) for r in rows]) for d in outcomes.DOMAINS]
    return _svg(charts.line_chart(_("Self-assessment over time"), x_labels, series, low=1, high=5,
                                  end_labels={1: _("(low)"), 5: _("(high)")},
                                  empty_message=_("No self-assessments yet.")))


# ---------------------------------------------------------------- the youth's own pages

@bp.route("/me/next-step", methods=["GET", "POST"])
@role_required(Role.YOUTH)
def my_next_step() -> Response | tuple[str, int]:
    youth = current_profile()
    if request.method == "GET":
        return _next_step_page("outcomes/my_next_step.html", youth)
    errors = _record_next_step(youth)
    if errors:
        return _next_step_page("outcomes/my_next_step.html", youth, 400, errors)
    flash(_("Your next step is saved."), "success")
    return redirect(url_for("outcomes.my_next_step"), code=303)


@bp.route("/me/self-assessment", methods=["GET", "POST"])
@role_required(Role.YOUTH)
def my_self_assessment() -> Response | tuple[str, int]:
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
                errors = {e.field: e.message}
        if not errors:
            flash(_("Your answers are saved. Thank you!"), "success")
            return redirect(url_for("outcomes.my_self_assessment"), code=303)
    return render_template("outcomes/my_self_assessment.html", form=ActionForm(), errors=errors,
                           chosen=request.form, chart_url=url_for("outcomes.my_self_assessment_chart"),
                           **_assessment_table(youth)), 400 if errors else 200


@bp.get("/me/self-assessment/chart.svg")
@role_required(Role.YOUTH)
def my_self_assessment_chart() -> Response:
    return _assessment_chart(current_profile())


# ---------------------------------------------------------------- the coordinator's pages about one youth

def _youth_in_scope(ref: str) -> YouthProfile:
    session = db.get_session()
    youth = session.exec(select(YouthProfile).where(YouthProfile.ref == ref)).first()
    if youth is None or not scope.may_see(session, current_user, youth.id):
        abort(404, description=_("There is no young person in your region with this address."))
    return youth


@bp.get("/coordinator/outcomes")
@role_required(Role.COORDINATOR)
def youths() -> str:
    session = db.get_session()
    found = scope.profiles(session, current_user)
    names = dict(session.exec(select(User.id, User.name).where(col(User.id).in_([p.user_id for p in found]))).all())
    latest = outcomes.latest_steps(session, [p.id for p in found])
    return render_template("outcomes/youths.html", youths=found, names=names, latest=latest,
                           step_labels=outcomes.step_labels(), region=current_user.region)


def _coordinator_youth_page(youth: YouthProfile, status: int = 200,
                            errors: dict[str, str] | None = None) -> tuple[str, int]:
    name = db.get_session().get(User, youth.user_id).name
    return _next_step_page("outcomes/youth.html", youth, status, errors, name=name or youth.ref,
                           chart_url=url_for("outcomes.youth_self_assessment_chart", ref=youth.ref),
                           **_assessment_table(youth))


@bp.get("/coordinator/outcomes/<ref>")
@role_required(Role.COORDINATOR)
def youth_outcomes(ref: str) -> tuple[str, int]:
    return _coordinator_youth_page(_youth_in_scope(ref))


@bp.post("/coordinator/outcomes/<ref>/next-step")
@role_required(Role.COORDINATOR)
def youth_next_step(ref: str) -> Response | tuple[str, int]:
    youth = _youth_in_scope(ref)
    errors = _record_next_step(youth)
    if errors:
        return _coordinator_youth_page(youth, 400, errors)
    flash(_("The next step is saved."), "success")
    return redirect(url_for("outcomes.youth_outcomes", ref=ref), code=303)


@bp.get("/coordinator/outcomes/<ref>/self-assessment.svg")
@role_required(Role.COORDINATOR)
def youth_self_assessment_chart(ref: str) -> Response:
    return _assessment_chart(_youth_in_scope(ref))


# ---------------------------------------------------------------- the dashboard

def _period_form() -> PeriodForm:
    today = _today()
    form = PeriodForm(request.args, meta={"csrf": False})
    form.start.data = form.start.data or f"{today.year}-01"
    form.end.data = form.end.data or f"{today:%Y-%m}"
    form.by.data = form.by.data or "quarter"
    return form


def _report(form: PeriodForm) -> dict[str, Any]:
    """Every figure of the dashboard for the signed-in coordinator and the filter's periods."""
    found = outcomes.facts(db.get_session(), current_user, _zone())
    parts = outcomes.periods(form.start.month, form.end.month, form.by.data)
    return {
        "parts": parts,
        "by_period": outcomes.figures(found, parts, "all"),
        "municipality": outcomes.totals(found, parts, "municipality"),
        "kind": outcomes.totals(found, parts, "kind"),
        "summary": outcomes.summary(found, parts),
    }


def _valid_period_form() -> PeriodForm:
    form = _period_form()
    if not form.validate():
        abort(400, description=" ".join(str(e) for errors in form.errors.values() for e in errors))
    return form


def period_label(period: outcomes.Period) -> str:
    if "Q" in period.key:
        return _("Q%(quarter)d %(year)d", quarter=(period.start.month - 1) // 3 + 1, year=period.start.year)
    return format_date(period.start, "LLLL yyyy")


def measure_labels() -> dict[str, str]:
    """The column headings of the dashboard's tables (short: the summary says the rest)."""
    return {"participants": _("Took part"), "placements": _("Placements"), "completions": _("Completed"),
            "moved_on_education": _("To education or training"), "moved_on_work": _("To work"),
            "moved_on_work_trial": _("To a work trial"), "moved_on_rehabilitative": _("To rehabilitative activity"),
            "moved_on": _("Moved on, in all")}


def _row_labels() -> dict[str, Any]:
    """How each dashboard table names its rows: by period, municipality or kind."""
    return {"over-time": lambda row: period_label(row.period),
            "municipality": lambda row: outcomes.group_label("municipality", row.group, _kind_label),
            "kind": lambda row: outcomes.group_label("kind", row.group, _kind_label)}


CHART_MEASURES = ("participants", "placements", "completions", "moved_on")


def _chart(name: str, report: dict[str, Any]) -> str:
    labels = measure_labels()
    if name == "over-time":
        rows, categories = report["by_period"], [period_label(r.period) for r in report["by_period"]]
        title, horizontal = _("Young people and activities by period"), False
    else:
        dimension = {"municipality": "municipality", "kind": "kind"}[name]
        rows = report[dimension]
        categories = [outcomes.group_label(dimension, r.group, _kind_label) for r in rows]
        title = _("By municipality") if dimension == "municipality" else _("By kind of activity")
        horizontal = True
    series = [(labels[m], [outcomes.chart_value(r.counts()[m]) for r in rows]) for m in CHART_MEASURES]
    return charts.bar_chart(title, categories, series, axis_label=_("Number"), horizontal=horizontal,
                            empty_message=_("Nothing to show for these months."))


@bp.get("/coordinator/dashboard")
@role_required(Role.COORDINATOR)
def dashboard() -> tuple[str, int]:
    form = _period_form()
    if not form.validate():
        return render_template("outcomes/dashboard.html", form=form, report=None), 400
    report = _report(form)
    return render_template("outcomes/dashboard.html", form=form, report=report, query=form.query(),
                           labels=measure_labels(), shown=outcomes.shown, row_labels=_row_labels(),
                           summary_text=summary_text(report["summary"]), region=current_user.region,
                           count_names=outcomes.COUNT_NAMES), 200


def summary_text(summary: outcomes.Summary) -> str:
    """The funder's summary line, small counts shown as "<5"."""
    shown = {k: outcomes.shown(v) for k, v in summary.onward.items()}
    return _("Of %(total)s young people who took part, %(education)s moved on to education or training, "
             "%(work)s to work, %(work_trial)s to a work trial and %(rehabilitative)s to rehabilitative work "
             "activity or another rehabilitative service.", total=outcomes.shown(summary.participants), **shown)


@bp.get("/coordinator/dashboard/<any('over-time', municipality, kind):name>.svg")
@role_required(Role.COORDINATOR)
def dashboard_chart(name: str) -> Response:
    return _svg(_chart(name, _report(_valid_period_form())))


def _cell(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula (an opening's kind is typed by people)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/coordinator/dashboard.csv")
@role_required(Role.COORDINATOR)
def dashboard_csv() -> Response:
    """The figures, one row per group and period, for Excel: UTF-8 with a BOM, semicolons, "<5" for small counts."""
    form = _valid_period_form()
    found = outcomes.facts(db.get_session(), current_user, _zone())
    parts = outcomes.periods(form.start.month, form.end.month, form.by.data)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["dimension", "group", "period", *outcomes.COUNT_NAMES])
    for dimension in outcomes.DIMENSIONS:
        for row in outcomes.figures(found, parts, dimension):
            writer.writerow([dimension, _cell(outcomes.group_label(dimension, row.group, _kind_label)), row.period.key,
                             *(outcomes.shown(v) for v in row.counts().values())])
    name = f"polku-{current_user.region or 'region'}-{parts[0].key}-{parts[-1].key}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=\"polku.csv\"; filename*=UTF-8''{quote(name, safe='-._')}",
        "Cache-Control": "private, no-store"})
