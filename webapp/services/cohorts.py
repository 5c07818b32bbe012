"""Cohort placement: a coordinator places a group of referred youths on chosen openings at once.

The steps, each checked here and nowhere else, each committed with its audit entry:
1. `create` a cohort in the coordinator's region; only coordinators of that region see it (`get`).
2. `choose` youths (only from the coordinator's scope, `webapp.services.scope`) and open openings.
3. `start_allocation` runs `matching.allocate` as a background job (`webapp.services.jobs`): free places
   are capacity - filled (`webapp.engine.convert` carries both); the job replaces the cohort's
   proposals and keeps the run's summary (left-out reasons, fill, gain over greedy).
4. Review, adjust by hand, send and track: `cohort_review`.
Youths whose referral has ended since they were chosen drop out of every step.
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from matching import geo
from matching.allocate import allocate

from . import audit, jobs, scope
from .. import db
from ..engine.convert import opening_from_row, youths_from_rows
from ..models import Association, Cohort, Job, Opening, Proposal, User, YouthProfile
from ..states import CohortState, InterestState, JobState, OpeningStatus, ProposalState, Role
from .rules import Refused
from ..engine import matches

NAME_MAX_LENGTH = 200
NEAR_KM = 40.0  # "near the region": an opening this close to one of the region's municipalities
WHERE = ("region", "near", "all")
UNREADABLE, REMOVED_BY_HAND, NOT_RUN = "profile_unreadable", "removed_by_hand", "not_in_run"
# An interest the youth or the association has already closed is never reopened by a cohort.
CLOSED_INTERESTS = (InterestState.WITHDRAWN, InterestState.DECLINED, InterestState.DROPPED)
FOLLOWS = {  # proposal state that follows its interest record's state
    InterestState.INTERESTED: ProposalState.SENT,
    InterestState.ACCEPTED: ProposalState.ACCEPTED, InterestState.COMPLETED: ProposalState.ACCEPTED,
    InterestState.DROPPED: ProposalState.ACCEPTED,
    InterestState.DECLINED: ProposalState.DECLINED, InterestState.WITHDRAWN: ProposalState.DECLINED,
}


class CohortRefused(Refused):
    """A cohort change breaks a rule."""


def subject(cohort: Cohort) -> str:
    return f"cohort:{cohort.id}"


def _is_coordinator(user: User) -> bool:
    return user.role == Role.COORDINATOR and bool(user.region)


# ---------------------------------------------------------------- cohorts of a region

def for_region(session: Session, user: User) -> list[Cohort]:
    """The cohorts of `user`'s region, newest first (none unless a coordinator with a region)."""
    if not _is_coordinator(user):
        return []
    return list(session.exec(select(Cohort).where(Cohort.region == user.region)
                             .order_by(col(Cohort.created_at).desc(), col(Cohort.id).desc())))


def get(session: Session, user: User, cohort_id: int) -> Cohort | None:
    """The cohort if `user` is a coordinator of its region, else None (the page answers 404)."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or not _is_coordinator(user) or cohort.region != user.region:
        return None
    return cohort


def create(session: Session, user: User, name: str | None) -> Cohort:
    if not _is_coordinator(user):
        raise CohortRefused(_("Your account has no region yet, so you cannot make cohorts. Ask the administrator "
                              "to set your region."))
    text = " ".join((name or "").split())
    if not text:
        raise CohortRefused(_("Give the cohort a name."), field="name")
    if len(text) > NAME_MAX_LENGTH:
        raise CohortRefused(_("Write at most %(max)d characters.", max=NAME_MAX_LENGTH), field="name")
    cohort = Cohort(name=text, region=user.region, created_by=user.id)  # type: ignore[arg-type]  # a coordinator (checked above) has a region
    session.add(cohort)
    session.flush()
    audit.record(session, user, "cohort.create", subject(cohort), name=text)
    session.commit()
    return cohort


# ---------------------------------------------------------------- choosing youths and openings

def candidate_youths(session: Session, user: User) -> list[tuple[YouthProfile, User]]:
    """The youths in `user`'s scope with their accounts, by name or address."""
    rows = session.exec(select(YouthProfile, User).join(User, col(YouthProfile.user_id) == User.id)
                        .where(col(YouthProfile.id).in_(scope.youth_ids(user)))).all()
    return sorted(rows, key=lambda row: ((row[1].name or row[1].email).lower(), row[0].id))


@functools.cache
def _region_points(region: str) -> tuple[np.ndarray, np.ndarray]:
    places = [m for m in geo.municipalities() if m.region == region]
    return np.array([m.lat for m in places]), np.array([m.lon for m in places])


def where_is(opening: Opening, region: str) -> str | None:
    """"region" if the opening is in `region`, "near" if within NEAR_KM of it (or remote), else None."""
    point = None
    if opening.municipality:
        try:
            found = geo.municipality(opening.municipality)
        except geo.UnknownPlace:
            found = None
        if found is not None:
            if found.region == region:
                return "region"
            point = (found.lat, found.lon)
    if point is None and opening.lat is not None and opening.lon is not None:
        point = (opening.lat, opening.lon)
    lats, lons = _region_points(region)
    if point is not None and len(lats) and float(np.min(geo.distance_km(point[0], point[1], lats, lons))) <= NEAR_KM:
        return "near"
    return "near" if opening.remote else None


def candidate_openings(session: Session, region: str, where: str = "region", municipality: str = "",
                       keep: frozenset[int] = frozenset()) -> list[tuple[Opening, str]]:
    """Open openings with their associations' names: in the region, in or near it, or all;
    optionally in one municipality. Openings with ids in `keep` (the chosen ones) are always listed."""
    rows = session.exec(select(Opening, Association.name).join(Association)
                        .where(Opening.status == OpeningStatus.OPEN).order_by(col(Opening.title), col(Opening.id)))
    found = []
    for opening, name in rows:
        place = where_is(opening, region)
        wanted = (where == "all" or (where == "near" and place is not None) or place == "region")
        if municipality and opening.municipality != municipality:
            wanted = False
        if wanted or opening.id in keep:
            found.append((opening, name))
    return found


def choose(session: Session, user: User, cohort: Cohort, youth_ids: list[int], opening_ids: list[int]) -> Cohort:
    """Sets the cohort's youths (from scope) and openings (open ones); earlier proposals are dropped."""
    check_changeable(session, cohort)
    youths = sorted(set(youth_ids))
    openings = sorted(set(opening_ids))
    allowed = set(session.exec(scope.youth_ids(user)).all())
    if any(y not in allowed for y in youths):
        raise CohortRefused(_("Choose only youths who have agreed to your referral."), field="youths")
    open_ids = set(session.exec(select(Opening.id).where(col(Opening.id).in_(openings),
                                                         Opening.status == OpeningStatus.OPEN)).all())
    if len(open_ids) != len(openings):
        raise CohortRefused(_("Choose only open openings."), field="openings")
    for proposal in proposals_of(session, cohort):
        session.delete(proposal)
    cohort.youth_ids, cohort.opening_ids = youths, openings
    cohort.state, cohort.summary = CohortState.DRAFT, {}
    session.add(cohort)
    audit.record(session, user, "cohort.choose", subject(cohort), youths=youths, openings=openings)
    session.commit()
    return cohort


def proposals_of(session: Session, cohort: Cohort) -> list[Proposal]:
    return list(session.exec(select(Proposal).where(Proposal.cohort_id == cohort.id).order_by(col(Proposal.id))))


# ---------------------------------------------------------------- the allocation job

def job_of(session: Session, cohort: Cohort) -> Job | None:
    """The cohort's latest allocation job, failed if its process died."""
    if cohort.job_id is None:
        return None
    job = session.get(Job, cohort.job_id)
    return jobs.mark_stale(session, job) if job is not None else None


def running(session: Session, cohort: Cohort) -> bool:
    job = job_of(session, cohort)
    return job is not None and job.state in (JobState.QUEUED, JobState.RUNNING)


def check_changeable(session: Session, cohort: Cohort) -> None:
    if cohort.state == CohortState.SENT:
        raise CohortRefused(_("This cohort has been sent already, so it cannot be changed."))
    if running(session, cohort):
        raise CohortRefused(_("The allocation is still running. Wait until it is done."))


def start_allocation(session: Session, user: User, cohort: Cohort) -> Job:
    """Starts the allocation job of the cohort (committed); the page follows its progress."""
    check_changeable(session, cohort)
    if not cohort.youth_ids or not cohort.opening_ids:
        raise CohortRefused(_("Choose at least one youth and one opening first."))
    cohort_id, user_id = cohort.id, user.id
    session.commit()  # nothing of this request may hold a lock while the job writes
    # One allocation of a cohort at a time: a start while one is queued or running gets that one back.
    job = jobs.start("allocate", {"cohort_id": cohort_id}, user_id=user_id, key=f"allocate:cohort:{cohort_id}")
    # The job row exists now: point the cohort at it (an inline job has already finished).
    session.expire_all()
    fresh = session.get(Cohort, cohort_id)
    assert fresh is not None
    fresh.job_id = job.id
    session.add(fresh)
    session.commit()
    return job


def _allocation_work(params: dict[str, Any], user_id: int | None, report: jobs.Report) -> dict[str, Any]:
    """The job (on the worker): runs in its own app context, with the session of that context."""
    cohort_id = int(params["cohort_id"])
    session = db.get_session()
    cohort = session.get(Cohort, cohort_id)
    user = session.get(User, user_id) if user_id is not None else None
    if cohort is None or user is None or cohort.region != user.region:
        raise LookupError(f"cohort {cohort_id} is not in the region of user {user_id}")
    return run_allocation(session, user, cohort, report)


jobs.register("allocate", _allocation_work)


def run_allocation(session: Session, user: User, cohort: Cohort,
                   report: jobs.Report = lambda fraction, message: None) -> dict[str, Any]:
    """Allocates the cohort's youths (still in scope) to its openings (still open); commits the proposals."""
    report(0.0, "loading")
    matcher = matches.region_matcher(cohort.region)  # fit as the region weighs it
    allowed = set(session.exec(scope.youth_ids(user)).all())
    profiles = [p for p in session.exec(select(YouthProfile).where(col(YouthProfile.id).in_(cohort.youth_ids))
                                        .order_by(col(YouthProfile.id))) if p.id in allowed]
    converted = youths_from_rows(profiles)
    youths = converted.items
    ids = {p.ref: p.id for p in profiles}
    by_ref = {y.id: ids[y.id] for y in youths}
    unreadable = [ids[s.ref] for s in converted.skipped]
    rows = session.exec(select(Opening, Association.name).join(Association)
                        .where(col(Opening.id).in_(cohort.opening_ids), Opening.status == OpeningStatus.OPEN)
                        .order_by(col(Opening.id))).all()
    openings, opening_ids = [], {}
    for row, name in rows:
        if row.ref in matcher.index:
            openings.append(opening_from_row(row, name))
            opening_ids[row.ref] = row.id
    total = max(len(youths), 1)
    plan = allocate(youths, openings, matcher,
                    progress=lambda done: report(0.05 + 0.85 * done / total, f"scored {done}/{total} youths"))
    report(0.95, "saving")
    for proposal in proposals_of(session, cohort):
        session.delete(proposal)
    session.flush()
    for youth_ref, opening_ref, score in plan.assignments:
        session.add(Proposal(cohort_id=cohort.id, youth_id=by_ref[youth_ref],  # type: ignore[arg-type]  # a stored row's id is set
                             opening_id=opening_ids[opening_ref], fit=score))  # type: ignore[arg-type]  # a stored row's id is set
    result = plan.to_dict()
    summary = dict(result["summary"])  # type: ignore[call-overload]  # to_dict() types its values as object; the summary is a dict
    summary["unplaced"] = {str(by_ref[y]): reason for y, reason in plan.unplaced}
    summary["unplaced"].update({str(y): UNREADABLE for y in unreadable})
    summary["openings_left_out"] = sorted(set(cohort.opening_ids) - set(opening_ids.values()))
    cohort.summary, cohort.state = summary, CohortState.PROPOSED
    session.add(cohort)
    audit.record(session, user, "cohort.allocate", subject(cohort), placed=plan.placed,
                 unplaced=len(plan.unplaced) + len(unreadable), greedy_placed=plan.greedy_placed)
    session.commit()
    return {"placed": plan.placed, "unplaced": len(plan.unplaced) + len(unreadable)}
