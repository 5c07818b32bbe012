"""The work certificate of a completed activity: what it says, gathered from the rows.

A certificate exists only for the youth's own interest record in state completed; for
anything else (someone else's record, not finished, unknown id) there is none, so the
page answers 404 and does not tell whether the record exists. The period runs from
the association's acceptance to the end; records made before those dates were kept
fall back to when the interest was made and last changed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from ..models import Association, Interest, Opening, User, YouthProfile
from ..states import InterestState


@dataclass(frozen=True)
class Certificate:
    youth_name: str  # the account's name; empty if the youth has not given one
    youth_email: str
    association: Association
    opening: Opening
    started: dt.datetime
    finished: dt.datetime
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
    return Certificate(
        youth_name=user.name.strip(), youth_email=user.email,
        association=association, opening=opening,
        started=interest.accepted_at or interest.created_at,
        finished=interest.finished_at or interest.updated_at,
        reference=interest.reference.strip(),
        issued=issued,
        interest_id=interest.id,  # type: ignore[arg-type]  # a stored row's id is set
    )
