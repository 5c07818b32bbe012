"""A little history for the demo data, so a coordinator's pages have something to show.

The demo coordinator works in Lapland ("Lappi"). The demo youths who live there (and
those who gave no municipality) have agreed to a referral; each has expressed interest
in their best match, and some of those went further: accepted, completed with a
reference and a next step, or declined. Everything goes through the same rows the app
writes (interest, outcome, filled places), so the dashboard's figures add up.
"""
from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from matching import Matcher, geo

from ..engine.convert import opening_from_row, youth_from_row
from ..models import Association, Interest, NextStep, Opening, Outcome, Referral, User, YouthProfile
from ..states import InterestState, NextStepKind, OpeningStatus, OutcomeKind, ReferralState

REGION = "Lappi"
# What became of each referred youth's interest, in the order of their profile ids.
STORY = [InterestState.COMPLETED, InterestState.ACCEPTED, InterestState.INTERESTED, InterestState.COMPLETED,
         InterestState.DECLINED, InterestState.INTERESTED, InterestState.COMPLETED, InterestState.ACCEPTED]
NEXT = [NextStepKind.EDUCATION, NextStepKind.WORK_TRIAL, NextStepKind.WORK]
FURTHEST = {InterestState.INTERESTED: [OutcomeKind.INTERESTED],
            InterestState.ACCEPTED: [OutcomeKind.INTERESTED, OutcomeKind.ACCEPTED],
            InterestState.COMPLETED: [OutcomeKind.INTERESTED, OutcomeKind.ACCEPTED, OutcomeKind.COMPLETED],
            InterestState.DECLINED: [OutcomeKind.INTERESTED, OutcomeKind.DECLINED]}


def _in_region(profile: YouthProfile) -> bool:
    if not profile.municipality:
        return True
    try:
        return geo.municipality(profile.municipality).region == REGION
    except KeyError:
        return False


def add(session: Session, coordinator: User, today: dt.date) -> int:
    """Referrals and interest history for the region's demo youths; how many referrals were added.

    Does nothing when the coordinator already has referrals (the seed runs again)."""
    if session.exec(select(Referral.id).where(Referral.coordinator_id == coordinator.id)).first() is not None:
        return 0
    coordinator.region = REGION
    session.add(coordinator)
    profiles = [p for p in session.exec(select(YouthProfile).order_by(col(YouthProfile.id))) if _in_region(p)]
    rows = {o.ref: o for o in session.exec(select(Opening).where(Opening.status == OpeningStatus.OPEN))}
    names = dict(session.exec(select(Association.id, Association.name)).all())
    matcher = Matcher().fit(opening_from_row(o, names[o.association_id]) for o in rows.values())
    start = dt.datetime.combine(today, dt.time(10), tzinfo=dt.timezone.utc) - dt.timedelta(days=120)
    completed = 0
    for i, profile in enumerate(profiles):
        session.add(Referral(youth_id=profile.id, coordinator_id=coordinator.id, region=REGION,  # type: ignore[arg-type]  # a stored row's id is set
                             state=ReferralState.ACTIVE, note="Demo: ohjattu Ohjaamosta.",
                             created_at=start, consented_at=start + dt.timedelta(days=1)))
        best = matcher.match(youth_from_row(profile), k=1, today=today)  # seed checked every record
        if not best:
            continue
        opening = rows[best[0].opening_id]
        state = STORY[i % len(STORY)]
        if state in (InterestState.ACCEPTED, InterestState.COMPLETED):
            if opening.capacity is not None and opening.filled >= opening.capacity:
                state = InterestState.INTERESTED
            else:
                opening.filled += 1
                session.add(opening)
        began = start + dt.timedelta(days=7 + 9 * i)
        ended = began + dt.timedelta(days=30) if state == InterestState.COMPLETED else None
        interest = Interest(youth_id=profile.id, opening_id=opening.id, state=state,  # type: ignore[arg-type]  # a stored row's id is set
                            message="Kiinnostaa kovasti!", created_at=began, updated_at=ended or began,
                            accepted_at=began + dt.timedelta(days=2) if state in FURTHEST and
                            OutcomeKind.ACCEPTED in FURTHEST[state] else None,
                            finished_at=ended,
                            reference="Hoiti tehtävänsä huolella ja oli aina ajoissa." if ended else "")
        session.add(interest)
        session.flush()
        for kind in FURTHEST[state]:
            session.add(Outcome(youth_id=profile.id, opening_id=opening.id, outcome=kind,  # type: ignore[arg-type]  # a stored row's id is set
                                recorded_at=began))
        if ended is not None:
            completed += 1
            session.add(NextStep(youth_id=profile.id, interest_id=interest.id, step=NEXT[(completed - 1) % len(NEXT)],  # type: ignore[arg-type]  # a stored row's id is set
                                 recorded_by=coordinator.id, recorded_at=ended + dt.timedelta(days=3)))
    return len(profiles)
