"""Outcomes: youths' next steps and self-assessments, recorded by the youth or their coordinator.

Recording (each function commits its change, or raises `OutcomeRefused` naming the field
with nothing saved):
- a next step is one of `NextStepKind`, optionally tied to one of the youth's own
  activities that an association accepted (`Interest.accepted_at` set);
- a self-assessment answers one or more of the five `DOMAINS`, each 1..5; unanswered
  domains are left out of `SelfAssessment.scores`.
Who may record for whom is the pages' business: a youth for themself, a coordinator for a
youth in scope (`services.scope`); a coordinator's recording is audited.

The self-assessment's domains (the one place they are defined), each on a scale of 1..5
whose ends are labelled: daily routine, getting along with others, health and coping,
skills for work, confidence about the future. See `DOMAINS`.

The dashboard's figures of these outcomes live in `services.dashboard`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from . import audit
from ..models import Interest, NextStep, Opening, SelfAssessment, User, YouthProfile
from ..states import NextStepKind, Role
from .. import clock
from .rules import Refused

SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Domain:
    """One question of the self-assessment; `low` and `high` label the ends of the 1..5 scale."""

    key: str
    label: Any  # lazy strings, translated when shown
    question: Any
    low: Any
    high: Any


DOMAINS = (
    Domain("daily_routine", _l("Daily routine"), _l("How well does your daily routine work: sleep, getting up, "
                                                   "keeping to agreed times?"),
           _l("Not well at all"), _l("Very well")),
    Domain("getting_along", _l("Getting along with others"), _l("How easy is it for you to be and work with other "
                                                               "people?"),
           _l("Very hard"), _l("Very easy")),
    Domain("health_coping", _l("Health and coping"), _l("How are you coping, and how is your health?"),
           _l("I am not coping"), _l("I am coping well")),
    Domain("work_skills", _l("Skills for work"), _l("How well do your skills fit the work or studies you would like?"),
           _l("Not at all"), _l("Very well")),
    Domain("future_confidence", _l("Confidence about the future"), _l("How confident are you about your future?"),
           _l("Not confident"), _l("Very confident")),
)
DOMAIN_KEYS = tuple(d.key for d in DOMAINS)


def step_labels() -> dict[str, Any]:
    """Each next step's label, in the reader's language (lazy)."""
    return {
        NextStepKind.EDUCATION.value: _l("Education or training"),
        NextStepKind.WORK.value: _l("Work"),
        NextStepKind.WORK_TRIAL.value: _l("Work trial"),
        NextStepKind.REHABILITATIVE.value: _l("Rehabilitative work activity (kuntouttava työtoiminta) or another "
                                              "rehabilitative service"),
        NextStepKind.NONE_YET.value: _l("No next step yet"),
    }


class OutcomeRefused(Refused):
    """A next step or self-assessment breaks a rule; `field` names the input at fault."""


def local_today(zone: str) -> dt.date:
    return clock.now().astimezone(ZoneInfo(zone)).date()


# ---------------------------------------------------------------- recording

def placed_activities(session: Session, youth_id: int) -> list[tuple[Interest, Opening]]:
    """The youth's activities an association accepted (a next step may be tied to one), newest first."""
    return list(session.exec(
        select(Interest, Opening).join(Opening, col(Interest.opening_id) == Opening.id)
        .where(Interest.youth_id == youth_id, col(Interest.accepted_at).is_not(None))
        .order_by(col(Interest.accepted_at).desc(), col(Interest.id).desc())).all())


def record_next_step(session: Session, youth: YouthProfile, step: str | None, by: User,
                     interest_id: int | None = None, now: dt.datetime | None = None) -> NextStep:
    """Saves the youth's next step; raises `OutcomeRefused` (field "step" or "activity") first if it is wrong."""
    try:
        kind = NextStepKind(step)
    except ValueError:
        raise OutcomeRefused(_("Choose one of the next steps shown."), "step") from None
    if interest_id is not None and interest_id not in {i.id for i, _o in placed_activities(session, youth.id)}:  # type: ignore[arg-type]  # a stored row's id is set
        raise OutcomeRefused(_("Choose one of the activities shown, or none."), "activity")
    row = NextStep(youth_id=youth.id, interest_id=interest_id, step=kind, recorded_by=by.id,  # type: ignore[arg-type]  # a stored row's id is set
                   recorded_at=now or clock.now())
    session.add(row)
    if by.role == Role.COORDINATOR:
        session.flush()
        audit.record(session, by, "nextstep.record", f"youthprofile:{youth.id}", step=kind.value,
                     interest_id=interest_id, nextstep_id=row.id)
    session.commit()
    return row


def record_self_assessment(session: Session, youth: YouthProfile, answers: Mapping[str, Any],
                           now: dt.datetime | None = None) -> SelfAssessment:
    """Saves the answered domains (1..5); refuses an unknown domain, a value off the scale or no answer at all."""
    scores: dict[str, int] = {}
    for key, value in answers.items():
        if key not in DOMAIN_KEYS:
            raise OutcomeRefused(_("There is no such question."), key)
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number not in SCALE:
            raise OutcomeRefused(_("Choose a number from 1 to 5."), key)
        scores[key] = number
    if not scores:
        raise OutcomeRefused(_("Answer at least one question."), DOMAIN_KEYS[0])
    row = SelfAssessment(youth_id=youth.id, scores={k: scores[k] for k in DOMAIN_KEYS if k in scores},  # type: ignore[arg-type]  # a stored row's id is set
                         taken_at=now or clock.now())
    session.add(row)
    session.commit()
    return row


def next_steps(session: Session, youth_id: int) -> list[tuple[NextStep, Opening | None, User | None]]:
    """The youth's next steps, newest first, with the activity each is tied to and who recorded it."""
    return list(session.exec(
        select(NextStep, Opening, User)
        .join(Interest, col(NextStep.interest_id) == Interest.id, isouter=True)
        .join(Opening, col(Interest.opening_id) == Opening.id, isouter=True)
        .join(User, col(NextStep.recorded_by) == User.id, isouter=True)
        .where(NextStep.youth_id == youth_id)
        .order_by(col(NextStep.recorded_at).desc(), col(NextStep.id).desc())).all())


def latest_steps(session: Session, youth_ids: list[int]) -> dict[int, NextStep]:
    """Each youth's latest next step (youths without one are left out), in one query."""
    latest: dict[int, NextStep] = {}
    for row in session.exec(select(NextStep).where(col(NextStep.youth_id).in_(youth_ids))
                            .order_by(col(NextStep.recorded_at), col(NextStep.id))):
        latest[row.youth_id] = row
    return latest


def assessments(session: Session, youth_id: int) -> list[SelfAssessment]:
    """The youth's self-assessments, oldest first (the order of a change over time)."""
    return list(session.exec(select(SelfAssessment).where(SelfAssessment.youth_id == youth_id)
                             .order_by(col(SelfAssessment.taken_at), col(SelfAssessment.id))))
