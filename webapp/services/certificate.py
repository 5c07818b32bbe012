"""The work certificate of a completed activity: what it says, gathered from the rows.

A certificate exists only for the youth's own interest record in state completed; for
anything else (someone else's record, not finished, unknown id) there is none, so the
page answers 404 and does not tell whether the record exists.

The period is what an employer's certificate states: the days the youth actually took
part. That is the opening's own dates (start_date, end_date), clipped to the youth's
part in them: from the association's acceptance if the youth joined after the start,
to the completion if they finished before the end. Where the opening has no date, the
acceptance and completion stand in; records made before those were kept fall back to
when the interest was made and last changed. Days are Finnish calendar days.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..models import Association, Interest, Opening, User, YouthProfile
from ..states import InterestState

FINLAND = ZoneInfo("Europe/Helsinki")  # the calendar a day of the certificate is read in


def local_day(moment: dt.datetime) -> dt.date:
    """The Finnish calendar day of a stored moment (stored in UTC; SQLite gives it back naive)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.timezone.utc)
    return aware.astimezone(FINLAND).date()


def period(opening: Opening, interest: Interest) -> tuple[dt.date, dt.date]:
    """The first and last day the youth took part (see the module docstring); never ending before it starts."""
    accepted = local_day(interest.accepted_at or interest.created_at)
    finished = local_day(interest.finished_at or interest.updated_at)
    start = max(opening.start_date, accepted) if opening.start_date else accepted
    end = min(opening.end_date, finished) if opening.end_date else finished
    if end < start:  # outside the opening's dates (completing before the start is refused now, older rows
        return min(accepted, finished), finished  # remain): the youth's own dates, as they happened
    return start, end


@dataclass(frozen=True)
class Certificate:
    youth_name: str  # the account's name; empty if the youth has not given one
    youth_email: str
    association: Association
    opening: Opening
    started: dt.date  # the first day the youth took part
    finished: dt.date  # the last
    reference: str  # the association's own words; may be empty
    issued: dt.datetime
    interest_id: int


def completed_activity(session: Session, profile: YouthProfile, interest_id: int,
                       issued: dt.datetime) -> Certificate | None:
    """The certificate of `profile`'s completed activity `interest_id`, issued at `issued`; None if there is none."""
    row = session.exec(
        select(Interest, Opening, Association, User)
        .join(Opening, col(Interest.opening_id) == Opening.id)
        .join(Association, col(Opening.association_id) == Association.id)
        .join(YouthProfile, col(Interest.youth_id) == YouthProfile.id)
        .join(User, col(YouthProfile.user_id) == User.id)
        .where(Interest.id == interest_id, Interest.youth_id == profile.id,
               Interest.state == InterestState.COMPLETED)).first()
    if row is None:
        return None
    interest, opening, association, user = row
    started, finished = period(opening, interest)
    return Certificate(
        youth_name=user.name.strip(), youth_email=user.email,
        association=association, opening=opening,
        started=started, finished=finished,
        reference=interest.reference.strip(),
        issued=issued,
        interest_id=interest.id,  # type: ignore[arg-type]  # a stored row's id is set
    )


def period_text(certificate: Certificate) -> str:
    """The period in words of the current language: one day, or the first and last day."""
    start, end = format_date(certificate.started), format_date(certificate.finished)
    return start if start == end else _("%(start)s to %(end)s", start=start, end=end)


def statement(certificate: Certificate) -> str:
    """The certificate's first sentence in the current language: the association certifies, in the third
    person, what the youth did and when, with the wording of the opening's kind. The association's name
    stays in the nominative, so no language has to inflect a name it cannot know."""
    values = {"association": certificate.association.name, "title": certificate.opening.title,
              "name": certificate.youth_name or certificate.youth_email, "period": period_text(certificate)}
    sentences: dict[str | None, Callable[[], str]] = {
        "volunteer": lambda: _("%(association)s certifies that %(name)s has worked as a volunteer in the role "
                               "“%(title)s” in the period %(period)s.", **values),
        "work_trial": lambda: _("%(association)s certifies that %(name)s has been on a work trial in the role "
                                "“%(title)s” in the period %(period)s.", **values),
        "hobby": lambda: _("%(association)s certifies that %(name)s has taken part in the hobby activity "
                           "“%(title)s” in the period %(period)s.", **values),
        "event": lambda: _("%(association)s certifies that %(name)s has worked at the event “%(title)s” in the "
                           "period %(period)s.", **values),
        "talkoot": lambda: _("%(association)s certifies that %(name)s has taken part in the voluntary work "
                             "“%(title)s” in the period %(period)s.", **values),
        "course": lambda: _("%(association)s certifies that %(name)s has taken part in the course “%(title)s” in "
                            "the period %(period)s.", **values),
        "coaching": lambda: _("%(association)s certifies that %(name)s has taken part in the coaching "
                              "“%(title)s” in the period %(period)s.", **values),
        "job": lambda: _("%(association)s certifies that %(name)s has been employed in the role “%(title)s” in "
                         "the period %(period)s.", **values),
    }
    kind = certificate.opening.kind
    if kind in sentences:
        return sentences[kind]()
    return _("%(association)s certifies that %(name)s has taken part in the activity “%(title)s” in the period "
             "%(period)s.", **values)
