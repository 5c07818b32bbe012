"""The coordinator's dashboard: participants, placements, completions and moves onward by period,
municipality and kind, as tables, SVG charts and a CSV export for funders.

Counts of 1 to 4 show as "<5" everywhere (`services.outcomes.shown`); the definitions of
the figures live in `webapp.services.outcomes`.
"""
from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

from flask import abort, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import charts, db
from ..auth.access import role_required
from ..states import Role
from ..outcome_pages import kind_label, svg, today, zone
from ..services import dashboard as service
from . import bp
from .forms import PeriodForm


def _period_form() -> PeriodForm:
    now = today()
    form = PeriodForm(request.args, meta={"csrf": False})
    form.start.data = form.start.data or f"{now.year}-01"
    form.end.data = form.end.data or f"{now:%Y-%m}"
    form.by.data = form.by.data or "quarter"
    return form


def _report(form: PeriodForm) -> dict[str, Any]:
    """Every figure of the dashboard for the signed-in coordinator and the filter's periods."""
    found = service.facts(db.get_session(), current_user, zone())
    parts = service.periods(form.start.month, form.end.month, form.by.data)  # type: ignore[arg-type]  # validated: valid_month read both months
    return {
        "parts": parts,
        "by_period": service.figures(found, parts, "all"),
        "municipality": service.totals(found, parts, "municipality"),
        "kind": service.totals(found, parts, "kind"),
        "summary": service.summary(found, parts),
    }


def _valid_period_form() -> PeriodForm:
    form = _period_form()
    if not form.validate():
        abort(400, description=" ".join(str(e) for errors in form.errors.values() for e in errors))
    return form


def period_label(period: service.Period) -> str:
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
            "municipality": lambda row: service.group_label("municipality", row.group, kind_label),
            "kind": lambda row: service.group_label("kind", row.group, kind_label)}


CHART_MEASURES = ("participants", "placements", "completions", "moved_on")


def _chart(name: str, report: dict[str, Any]) -> str:
    labels = measure_labels()
    if name == "over-time":
        rows, categories = report["by_period"], [period_label(r.period) for r in report["by_period"]]
        title, horizontal = _("Young people and activities by period"), False
    else:
        dimension = {"municipality": "municipality", "kind": "kind"}[name]
        rows = report[dimension]
        categories = [service.group_label(dimension, r.group, kind_label) for r in rows]
        title = _("By municipality") if dimension == "municipality" else _("By kind of activity")
        horizontal = True
    series = [(labels[m], [service.chart_value(r.counts()[m]) for r in rows]) for m in CHART_MEASURES]
    return charts.bar_chart(title, categories, series, axis_label=_("Number"), horizontal=horizontal,
                            empty_message=_("Nothing to show for these months."))


@bp.get("/coordinator/dashboard")
@role_required(Role.COORDINATOR)
def dashboard() -> tuple[str, int]:
    form = _period_form()
    if not form.validate():
        return render_template("coordinator/dashboard.html", form=form, report=None), 400
    report = _report(form)
    return render_template("coordinator/dashboard.html", form=form, report=report, query=form.query(),
                           labels=measure_labels(), shown=service.shown, row_labels=_row_labels(),
                           summary_text=summary_text(report["summary"]), region=current_user.region,
                           count_names=service.COUNT_NAMES), 200


def summary_text(summary: service.Summary) -> str:
    """The funder's summary line, small counts shown as "<5"."""
    shown = {k: service.shown(v) for k, v in summary.onward.items()}
    return _("Of %(total)s young people who took part, %(education)s moved on to education or training, "
             "%(work)s to work, %(work_trial)s to a work trial and %(rehabilitative)s to rehabilitative work "
             "activity or another rehabilitative service.", total=service.shown(summary.participants), **shown)


@bp.get("/coordinator/dashboard/<any('over-time', municipality, kind):name>.svg")
@role_required(Role.COORDINATOR)
def dashboard_chart(name: str) -> Response:
    return svg(_chart(name, _report(_valid_period_form())))


def csv_dimension_labels() -> dict[str, str]:
    """How the CSV names what its rows are grouped by, in the reader's language."""
    return {"all": _("The whole region"), "municipality": _("Municipality"), "kind": _("Kind of activity")}


def _cell(text: str) -> str:
    """A text cell that a spreadsheet will not run as a formula (an opening's kind is typed by people)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/coordinator/dashboard.csv")
@role_required(Role.COORDINATOR)
def dashboard_csv() -> Response:
    """The figures, one row per group and period, for Excel: UTF-8 with a BOM, semicolons, "<5" for small counts."""
    form = _valid_period_form()
    found = service.facts(db.get_session(), current_user, zone())
    parts = service.periods(form.start.month, form.end.month, form.by.data)  # type: ignore[arg-type]  # validated: valid_month read both months
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    labels, dimensions = measure_labels(), csv_dimension_labels()
    writer.writerow([_("Grouped by"), _("Group"), _("Period"), *(labels[name] for name in service.COUNT_NAMES)])
    for dimension in service.DIMENSIONS:
        for row in service.figures(found, parts, dimension):
            group = _cell(service.group_label(dimension, row.group, kind_label))
            writer.writerow([dimensions[dimension], group, row.period.key,
                             *(service.shown(v) for v in row.counts().values())])
    name = f"polku-{current_user.region or 'region'}-{parts[0].key}-{parts[-1].key}.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=\"polku.csv\"; filename*=UTF-8''{quote(name, safe='-._')}",
        "Cache-Control": "private, no-store"})
