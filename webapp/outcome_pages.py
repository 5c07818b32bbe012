"""The parts of the outcome pages that the youth's own pages and the coordinator's share.

A youth records their own next step and self-assessment (`youth.next_steps`); a coordinator
records a next step for a youth in scope (`coordinator.outcomes`). Both show the same
table and chart, and both go through `webapp.services.outcomes`, which holds the rules.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from matching import texts

from . import charts, db
from .forms import ActionForm
from .i18n import lang
from .models import YouthProfile
from .services import outcomes


def kind_label(kind: str) -> str:
    return texts.label(kind, lang())


def zone() -> str:
    return str(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Europe/Helsinki"))


def today() -> dt.date:
    return outcomes.local_today(zone())


def _activity_id(text: str | None) -> int | None:
    """The chosen activity's id; "" is none; anything else not a number is refused by the service."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() else -1


def svg(text: str) -> Response:
    return Response(text, mimetype="image/svg+xml", headers={"Cache-Control": "private, no-store"})


def next_step_page(template: str, youth: YouthProfile, status: int = 200, errors: dict[str, str] | None = None,
                   **context: Any) -> tuple[str, int]:
    session = db.get_session()
    return render_template(template, youth=youth, form=ActionForm(), errors=errors or {},
                           steps=outcomes.next_steps(session, youth.id),  # type: ignore[arg-type]  # a stored row's id is set
                           activities=outcomes.placed_activities(session, youth.id),  # type: ignore[arg-type]  # a stored row's id is set
                           step_labels=outcomes.step_labels(), chosen=request.form, **context), status


def record_next_step(youth: YouthProfile) -> dict[str, str]:
    """Records the posted next step for `youth`; the errors by field (empty when saved)."""
    if not ActionForm().validate():
        return {"step": _("The form had expired. Please try again.")}
    try:
        outcomes.record_next_step(db.get_session(), youth, request.form.get("step"), current_user,
                                  interest_id=_activity_id(request.form.get("activity")))
    except outcomes.OutcomeRefused as e:
        db.get_session().rollback()
        return {e.field: e.message}  # type: ignore[dict-item]  # an OutcomeRefused always names its field
    return {}


def assessment_table(youth: YouthProfile) -> dict[str, Any]:
    rows = outcomes.assessments(db.get_session(), youth.id)  # type: ignore[arg-type]  # a stored row's id is set
    return {"assessments": rows, "domains": outcomes.DOMAINS}


def assessment_chart(youth: YouthProfile) -> Response:
    rows = outcomes.assessments(db.get_session(), youth.id)  # type: ignore[arg-type]  # a stored row's id is set
    x_labels = [format_date(r.taken_at, "short") for r in rows]
    series = [(str(d.label), [r.scores.get(d.key) for r in rows]) for d in outcomes.DOMAINS]
    return svg(charts.line_chart(_("Self-assessment over time"), x_labels, series, low=1, high=5,
                                 end_labels={1: _("(low)"), 5: _("(high)")},
                                 empty_message=_("No self-assessments yet.")))
