"""Outcomes: youths' next steps and self-assessments, and the figures of a coordinator's dashboard.

Recording (each function commits its change, or raises `OutcomeRefused` naming the field
with nothing saved):
- a next step is one of `NextStepKind`, optionally tied to one of the youth's own
  activities that an association accepted (`Interest.accepted_at` set);
- a self-assessment answers one or more of the five `DOMAINS`, each 1..5; unanswered
  domains are left out of `SelfAssessment.scores`.
Who may record for whom is the pages' business: a youth for themself, a coordinator for a
youth in scope (`webapp.scope`); a coordinator's recording is audited.

The self-assessment's domains (the one place they are defined), each on a scale of 1..5
whose ends are labelled: daily routine, getting along with others, health and coping,
skills for work, confidence about the future. See `DOMAINS`.

The dashboard's figures count only youths in the coordinator's scope (an active referral
in the coordinator's region), so another region's coordinator counts none of them. Periods
are calendar months or quarters in the app's time zone (`BABEL_DEFAULT_TIMEZONE`).
- placement: an activity an association accepted, in the period of `accepted_at`;
- completion: an activity in state completed, in the period of `finished_at`;
- participant: a youth who took part in an activity during the period: a placement
  accepted before the period's end and not finished before its start; counted once per
  group and period however many activities;
- move onward: a youth whose latest next step recorded in the period is education, work,
  a work trial or rehabilitative work activity, and who had been placed in an activity
  by then (a next step without any activity in Polku is not the programme's outcome);
  counted once per group and period.
Groups: a municipality is the youth's home municipality (from the profile, now); a kind is
the activity's kind (`Opening.kind`); a next step tied to no activity counts under no kind
(`None`), as does an opening without one. The funder's summary ("Of N young people who took
part, A moved on to education, ...") counts, among the participants of the whole range, the
youths whose latest next step in the range is onward.

Small counts: every count from 1 to 4 is shown as "<5" (`shown`), in the pages, the charts
and the CSV export, so no small group of identifiable youths shows in a report that may be
passed on. This is primary suppression only; a total and its parts can still reveal a
suppressed cell by subtraction, so reports for wide publication need more care.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from . import audit, scope
from ..models import Interest, NextStep, Opening, SelfAssessment, User, YouthProfile
from ..states import InterestState, NextStepKind, Role
from .. import clock
from .rules import Refused

SCALE = (1, 2, 3, 4, 5)
SMALL = 5  # counts from 1 to SMALL - 1 are shown as "<5"
ONWARD = (NextStepKind.EDUCATION, NextStepKind.WORK, NextStepKind.WORK_TRIAL, NextStepKind.REHABILITATIVE)
DIMENSIONS = ("all", "municipality", "kind")
PERIOD_KINDS = ("month", "quarter")


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
    if interest_id is not None and interest_id not in {i.id for i, _o in placed_activities(session, youth.id)}:
        raise OutcomeRefused(_("Choose one of the activities shown, or none."), "activity")
    row = NextStep(youth_id=youth.id, interest_id=interest_id, step=kind, recorded_by=by.id,
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
    row = SelfAssessment(youth_id=youth.id, scores={k: scores[k] for k in DOMAIN_KEYS if k in scores},
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


# ---------------------------------------------------------------- periods

@dataclass(frozen=True)
class Period:
    """A calendar month ("2026-03") or quarter ("2026-Q1"), or a span of them; `end` is exclusive."""

    key: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def _month_after(day: dt.date, months: int = 1) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def periods(first: dt.date, last: dt.date, by: str) -> list[Period]:
    """The months or quarters from the one holding `first` to the one holding `last`."""
    if by not in PERIOD_KINDS:
        raise ValueError(f"expected a period kind in {PERIOD_KINDS}, got {by!r}")
    step = 1 if by == "month" else 3
    start = dt.date(first.year, first.month if by == "month" else (first.month - 1) // 3 * 3 + 1, 1)
    found = []
    while start <= last:
        end = _month_after(start, step)
        key = f"{start:%Y-%m}" if by == "month" else f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        found.append(Period(key, start, end))
        start = end
    return found


def span(parts: list[Period]) -> Period:
    """One period from the first of `parts` to the end of the last."""
    key = parts[0].key if len(parts) == 1 else f"{parts[0].key}/{parts[-1].key}"
    return Period(key, parts[0].start, parts[-1].end)


# ---------------------------------------------------------------- the facts behind the figures

@dataclass(frozen=True)
class Placement:
    youth_id: int
    municipality: str | None
    kind: str | None
    accepted_at: dt.datetime
    accepted: dt.date  # local dates
    finished: dt.date | None
    completed: bool


@dataclass(frozen=True)
class Step:
    youth_id: int
    municipality: str | None
    kind: str | None
    step: NextStepKind
    at: dt.datetime
    day: dt.date
    order: int  # the row id: ties on `at` go to the later row


@dataclass(frozen=True)
class Facts:
    """The placements and next steps of the youths in one coordinator's scope."""

    placements: tuple[Placement, ...]
    steps: tuple[Step, ...]


def facts(session: Session, user: User, zone: str = "Europe/Helsinki") -> Facts:
    """Everything the figures count, for the youths in `user`'s scope only."""
    tz = ZoneInfo(zone)
    in_scope = col(YouthProfile.id).in_(scope.youth_ids(user))

    def day(moment: dt.datetime) -> dt.date:
        return clock.aware(moment).astimezone(tz).date()

    placements = tuple(
        Placement(youth_id, municipality, kind, clock.aware(accepted), day(accepted),
                  day(finished) if finished is not None else None, state == InterestState.COMPLETED)
        for youth_id, municipality, kind, accepted, finished, state in session.exec(
            select(Interest.youth_id, YouthProfile.municipality, Opening.kind, Interest.accepted_at,
                   Interest.finished_at, Interest.state)
            .join(YouthProfile, col(Interest.youth_id) == YouthProfile.id)
            .join(Opening, col(Interest.opening_id) == Opening.id)
            .where(in_scope, col(Interest.accepted_at).is_not(None))))
    steps = tuple(
        Step(youth_id, municipality, kind, NextStepKind(step), clock.aware(at), day(at), row_id)
        for row_id, youth_id, municipality, kind, step, at in session.exec(
            select(NextStep.id, NextStep.youth_id, YouthProfile.municipality, Opening.kind, NextStep.step,
                   NextStep.recorded_at)
            .join(YouthProfile, col(NextStep.youth_id) == YouthProfile.id)
            .join(Interest, col(NextStep.interest_id) == Interest.id, isouter=True)
            .join(Opening, col(Interest.opening_id) == Opening.id, isouter=True)
            .where(in_scope)))
    return Facts(placements, steps)


# ---------------------------------------------------------------- the figures

@dataclass
class Row:
    """The figures of one group (None: the whole region, or no municipality/kind given) in one period."""

    group: str | None
    period: Period
    participants: int = 0
    placements: int = 0
    completions: int = 0
    onward: dict[str, int] = field(default_factory=lambda: {k.value: 0 for k in ONWARD})

    @property
    def moved_on(self) -> int:
        return sum(self.onward.values())

    def counts(self) -> dict[str, int]:
        """Every count by name, in the order of the tables and the CSV export."""
        return {"participants": self.participants, "placements": self.placements, "completions": self.completions,
                **{f"moved_on_{k}": v for k, v in self.onward.items()}, "moved_on": self.moved_on}

    def empty(self) -> bool:
        return not any(self.counts().values())


COUNT_NAMES = ("participants", "placements", "completions", *(f"moved_on_{k.value}" for k in ONWARD), "moved_on")


def _group(dimension: str, item: Placement | Step) -> str | None:
    if dimension == "municipality":
        return item.municipality
    if dimension == "kind":
        return item.kind
    if dimension == "all":
        return None
    raise ValueError(f"expected a dimension in {DIMENSIONS}, got {dimension!r}")


def _took_part(placement: Placement, period: Period) -> bool:
    return placement.accepted < period.end and (placement.finished is None or placement.finished >= period.start)


def _latest_steps(found: Facts, period: Period, dimension: str) -> dict[tuple[str | None, int], Step]:
    """Per (group, youth): the latest next step recorded in `period` by a youth placed by then."""
    first_placed: dict[int, dt.datetime] = {}
    for p in found.placements:
        first_placed[p.youth_id] = min(p.accepted_at, first_placed.get(p.youth_id, p.accepted_at))
    latest: dict[tuple[str | None, int], Step] = {}
    for s in found.steps:
        if not period.contains(s.day) or s.youth_id not in first_placed or first_placed[s.youth_id] > s.at:
            continue
        key = (_group(dimension, s), s.youth_id)
        if key not in latest or (s.at, s.order) > (latest[key].at, latest[key].order):
            latest[key] = s
    return latest


def _row(found: Facts, group: str | None, period: Period, dimension: str) -> Row:
    row = Row(group, period)
    mine = [p for p in found.placements if _group(dimension, p) == group]
    row.participants = len({p.youth_id for p in mine if _took_part(p, period)})
    row.placements = sum(1 for p in mine if period.contains(p.accepted))
    row.completions = sum(1 for p in mine if p.completed and p.finished is not None and period.contains(p.finished))
    for (step_group, _youth), s in _latest_steps(found, period, dimension).items():
        if step_group == group and s.step in ONWARD:
            row.onward[s.step.value] += 1
    return row


def figures(found: Facts, parts: list[Period], dimension: str = "all") -> list[Row]:
    """One row per group and period, periods in order; groups by name with None last.

    For "all" every period has its row; for a municipality or a kind, only groups with a
    count in some period of `parts` appear.
    """
    if dimension == "all":
        return [_row(found, None, period, dimension) for period in parts]
    groups = {_group(dimension, item) for item in (*found.placements, *found.steps)}
    rows = []
    for group in sorted(groups, key=lambda g: (g is None, (g or "").lower())):
        mine = [_row(found, group, period, dimension) for period in parts]
        if any(not r.empty() for r in mine):
            rows.extend(mine)
    return rows


def totals(found: Facts, parts: list[Period], dimension: str = "all") -> list[Row]:
    """One row per group over the whole of `parts` (participants counted once however many periods)."""
    return figures(found, [span(parts)], dimension)


@dataclass(frozen=True)
class Summary:
    """For funders: of `participants` young people who took part, how many moved on to where."""

    participants: int
    onward: dict[str, int]


def summary(found: Facts, parts: list[Period]) -> Summary:
    whole = span(parts)
    took_part = {p.youth_id for p in found.placements if _took_part(p, whole)}
    onward = {k.value: 0 for k in ONWARD}
    for (_group_, youth_id), s in _latest_steps(found, whole, "all").items():
        if youth_id in took_part and s.step in ONWARD:
            onward[s.step.value] += 1
    return Summary(len(took_part), onward)


def shown(count: int) -> str:
    """A count as it may be shown: "<5" for 1 to 4 (small cells protect the youths' privacy)."""
    return f"<{SMALL}" if 0 < count < SMALL else str(count)


def chart_value(count: int) -> int | None:
    """A count for a chart: None (drawn as "<5", no bar) when it would be shown as "<5"."""
    return None if 0 < count < SMALL else count


def group_label(dimension: str, group: str | None, kind_label: Any) -> str:
    """A group's name for people: a municipality as stored, a kind in the reader's language."""
    if group is None:
        return {"all": _("The whole region"), "municipality": _("Municipality not given"),
                "kind": _("No kind given")}[dimension]
    return group if dimension == "municipality" else str(kind_label(group))
