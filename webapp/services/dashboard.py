"""The figures of a coordinator's dashboard, from the outcomes recorded (`services.outcomes`).

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
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from .. import clock
from ..models import Interest, NextStep, Opening, User, YouthProfile
from ..states import InterestState, NextStepKind
from . import scope

SMALL = 5  # counts from 1 to SMALL - 1 are shown as "<5"
ONWARD = (NextStepKind.EDUCATION, NextStepKind.WORK, NextStepKind.WORK_TRIAL, NextStepKind.REHABILITATIVE)
DIMENSIONS = ("all", "municipality", "kind")
PERIOD_KINDS = ("month", "quarter")

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
            select(Interest.youth_id, YouthProfile.municipality, Opening.kind, Interest.accepted_at,  # type: ignore[call-overload]  # sqlmodel types select() for at most four columns
                   Interest.finished_at, Interest.state)
            .join(YouthProfile, col(Interest.youth_id) == YouthProfile.id)
            .join(Opening, col(Interest.opening_id) == Opening.id)
            .where(in_scope, col(Interest.accepted_at).is_not(None))))
    steps = tuple(
        Step(youth_id, municipality, kind, NextStepKind(step), clock.aware(at), day(at), row_id)
        for row_id, youth_id, municipality, kind, step, at in session.exec(
            select(NextStep.id, NextStep.youth_id, YouthProfile.municipality, Opening.kind, NextStep.step,  # type: ignore[call-overload]  # sqlmodel types select() for at most four columns
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
    items: tuple[Placement | Step, ...] = (*found.placements, *found.steps)
    groups = {_group(dimension, item) for item in items}
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
