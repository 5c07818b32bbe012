"""A cohort's proposals after allocation: the coordinator reviews, adjusts, sends and tracks them.

The steps after `cohorts.start_allocation`, each checked here and nowhere else, each
committed with its audit entry:
- `review` shows who goes where, who is left and why, the fill per association;
- `move` / `remove` adjust a proposal by hand: only to one of the cohort's openings that the
  engine finds the youth eligible for and that has a free place left;
- `send` sends each proposal to its youth as a suggestion from their coordinator: nothing
  reaches an association until the youth says yes (`services.suggestions`), and then it is
  the youth's own interest, which says nothing of the coordinator or the cohort. A youth
  interested in the opening already is linked, never asked twice; sending again changes
  nothing already sent;
- `track` lets each sent proposal follow its interest record (accepted / declined).
Youths whose referral has ended since they were chosen drop out of every step.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from matching.allocate import ALL_FULL, NO_ELIGIBLE
from matching.io import FieldError

from .. import clock
from ..engine import matches
from ..i18n import lang
from ..models import Association, Cohort, Interest, Opening, Proposal, User, YouthProfile
from ..states import CohortState, OpeningStatus, ProposalState
from . import audit, notices, scope
from .cohorts import (CLOSED_INTERESTS, FOLLOWS, NOT_RUN, REMOVED_BY_HAND, UNREADABLE, CohortRefused,
                      check_changeable, proposals_of, running, subject)


# ---------------------------------------------------------------- reviewing and adjusting

@dataclass
class Placed:
    proposal: Proposal
    profile: YouthProfile
    account: User
    opening: Opening
    association: str


@dataclass
class Review:
    """What the page shows: who goes where, who is left and why, fill per association, the run's summary."""

    placed: list[Placed] = field(default_factory=list)
    left: list[tuple[YouthProfile, User, str]] = field(default_factory=list)  # (profile, account, reason code)
    fill: list[tuple[str, int, int]] = field(default_factory=list)  # (association, offered, filled)
    openings: list[tuple[Opening, str]] = field(default_factory=list)  # the cohort's openings
    hidden: int = 0  # chosen youths no longer in scope: counted, never shown
    summary: dict[str, Any] = field(default_factory=dict)


def review(session: Session, user: User, cohort: Cohort) -> Review:
    allowed = set(session.exec(scope.youth_ids(user)).all())
    people = {p.id: (p, u) for p, u in session.exec(
        select(YouthProfile, User).join(User, col(YouthProfile.user_id) == User.id)
        .where(col(YouthProfile.id).in_(cohort.youth_ids)))}
    openings = {o.id: (o, name) for o, name in session.exec(
        select(Opening, Association.name).join(Association).where(col(Opening.id).in_(cohort.opening_ids)))}
    result = Review(openings=sorted(openings.values(), key=lambda row: (row[0].title, row[0].id)),
                    summary=cohort.summary)
    proposals = {p.youth_id: p for p in proposals_of(session, cohort)}
    unplaced = cohort.summary.get("unplaced", {})
    for youth_id in cohort.youth_ids:
        if youth_id not in allowed or youth_id not in people:
            result.hidden += 1
            continue
        profile, account = people[youth_id]
        proposal = proposals.get(youth_id)
        if proposal is not None and proposal.state != ProposalState.REMOVED and proposal.opening_id in openings:
            opening, name = openings[proposal.opening_id]
            result.placed.append(Placed(proposal, profile, account, opening, name))
        elif proposal is not None and proposal.state == ProposalState.REMOVED:
            result.left.append((profile, account, REMOVED_BY_HAND))
        else:
            result.left.append((profile, account, unplaced.get(str(youth_id), NOT_RUN)))
    filled = Counter(p.association for p in result.placed)
    offered = {name: numbers["offered"] for name, numbers in cohort.summary.get("fill", {}).items()}
    result.fill = [(name, offered.get(name, 0), filled.get(name, 0)) for name in sorted(set(offered) | set(filled))]
    return result


def reason_text(code: str) -> str:
    """Why a youth is left out, in words of the current language."""
    texts = {
        NO_ELIGIBLE: _("No chosen opening with a free place suits the youth (age, language, distance, times or "
                       "other rules)."),
        ALL_FULL: _("Suitable openings were full: others took the places."),
        UNREADABLE: _("The youth's profile has a value we cannot read."),
        REMOVED_BY_HAND: _("Removed by hand."),
        NOT_RUN: _("Not placed."),
    }
    return texts.get(code, texts[NOT_RUN])


def _youth_in_cohort(session: Session, user: User, cohort: Cohort, youth_id: int) -> YouthProfile:
    if youth_id not in cohort.youth_ids or not scope.may_see(session, user, youth_id):
        raise LookupError(youth_id)  # the page answers 404
    profile = session.get(YouthProfile, youth_id)
    assert profile is not None
    return profile


def _check_adjustable(session: Session, cohort: Cohort) -> None:
    check_changeable(session, cohort)
    if cohort.state != CohortState.PROPOSED:
        raise CohortRefused(_("Run the allocation first."))


def move(session: Session, user: User, cohort: Cohort, youth_id: int, opening_id: int | None) -> Proposal:
    """Proposes the youth for another of the cohort's openings, by hand (or places a left-out youth).

    Raises LookupError when the youth is not in the cohort or not in scope, `CohortRefused`
    when the opening is not the cohort's, not open, does not suit the youth or has no free place.
    """
    _check_adjustable(session, cohort)
    profile = _youth_in_cohort(session, user, cohort, youth_id)
    opening = session.get(Opening, opening_id) if opening_id in cohort.opening_ids else None
    if opening is None:
        raise CohortRefused(_("Choose one of the cohort's openings."), field="opening")
    proposal = session.exec(select(Proposal).where(Proposal.cohort_id == cohort.id,
                                                   Proposal.youth_id == youth_id)).first()
    if proposal is not None and proposal.state == ProposalState.PROPOSED and proposal.opening_id == opening.id:
        raise CohortRefused(_("The youth is already proposed for this opening."), field="opening")
    fit = _check_fits(profile, opening)
    _check_free(session, cohort, opening, youth_id)
    before = proposal.opening_id if proposal is not None and proposal.state == ProposalState.PROPOSED else None
    if proposal is None:
        proposal = Proposal(cohort_id=cohort.id, youth_id=youth_id, opening_id=opening.id)  # type: ignore[arg-type]  # a stored row's id is set
    proposal.opening_id, proposal.fit, proposal.by_hand = opening.id, fit, True  # type: ignore[assignment]  # a stored row's id is set
    proposal.state, proposal.updated_at = ProposalState.PROPOSED, clock.now()
    session.add(proposal)
    audit.record(session, user, "cohort.move", subject(cohort), youth_id=youth_id, before=before, after=opening.id)
    session.commit()
    return proposal


def _check_fits(profile: YouthProfile, opening: Opening) -> float:
    """The youth's fit for the opening; `CohortRefused` unless it is open and the engine finds the youth eligible."""
    if opening.status != OpeningStatus.OPEN:
        raise CohortRefused(_("This opening is not open any more."), field="opening")
    try:
        explanation = matches.why(profile, opening.ref, lang())
    except FieldError:
        raise CohortRefused(_("The youth's profile has a value we cannot read.")) from None
    except KeyError:  # open in the database, not (yet) in the engine
        raise CohortRefused(_("This opening is not open any more."), field="opening") from None
    if not explanation.eligible:
        raise CohortRefused(_("This opening does not suit the youth: %(reasons)s",
                              reasons=" ".join(block.text for block in explanation.blocks)), field="opening")
    return explanation.score


def _check_free(session: Session, cohort: Cohort, opening: Opening, youth_id: int) -> None:
    if opening.capacity is None:
        return
    taken = len(session.exec(select(Proposal.id).where(
        Proposal.cohort_id == cohort.id, Proposal.opening_id == opening.id, Proposal.youth_id != youth_id,
        Proposal.state == ProposalState.PROPOSED)).all())
    if opening.capacity - opening.filled - taken <= 0:
        raise CohortRefused(_("“%(title)s” has no free place left.", title=opening.title), field="opening")


def remove(session: Session, user: User, cohort: Cohort, youth_id: int) -> Proposal:
    """Takes the youth's proposal out by hand; LookupError when the youth has none in this cohort."""
    _check_adjustable(session, cohort)
    _youth_in_cohort(session, user, cohort, youth_id)
    proposal = session.exec(select(Proposal).where(Proposal.cohort_id == cohort.id,
                                                   Proposal.youth_id == youth_id)).first()
    if proposal is None or proposal.state != ProposalState.PROPOSED:
        raise CohortRefused(_("The youth has no proposal to remove."))
    proposal.state, proposal.by_hand, proposal.updated_at = ProposalState.REMOVED, True, clock.now()
    session.add(proposal)
    audit.record(session, user, "cohort.remove", subject(cohort), youth_id=youth_id, opening_id=proposal.opening_id)
    session.commit()
    return proposal


# ---------------------------------------------------------------- sending and tracking

@dataclass(frozen=True)
class Sent:
    suggested: int  # sent to the youth, who answers yes or no
    reused: int  # the youth had an open interest in the opening already: linked, not asked again
    skipped: int  # not sent: the interest was closed, the opening closed or the referral ended


def _tell_youth(session: Session, proposal: Proposal, opening: Opening) -> None:
    """The youth's notice of a suggestion waiting for their answer, sent with the cohort."""
    user_id = session.exec(select(YouthProfile.user_id).where(YouthProfile.id == proposal.youth_id)).one()
    notices.notify(session, user_id, "suggestion", opening=opening.title, proposal_id=proposal.id)


def send(session: Session, user: User, cohort: Cohort) -> Sent:
    """Sends every proposal not sent yet to its youth as a suggestion; committed. Sending again adds nothing."""
    if running(session, cohort):
        raise CohortRefused(_("The allocation is still running. Wait until it is done."))
    if cohort.state == CohortState.DRAFT:
        raise CohortRefused(_("Run the allocation first."))
    allowed = set(session.exec(scope.youth_ids(user)).all())
    suggested = reused = skipped = 0
    for proposal in proposals_of(session, cohort):
        if proposal.state != ProposalState.PROPOSED:
            continue  # removed by hand, or sent already
        opening = session.get(Opening, proposal.opening_id)
        if proposal.youth_id not in allowed or opening is None or opening.status != OpeningStatus.OPEN:
            skipped += 1
            continue
        interest = session.exec(select(Interest).where(Interest.youth_id == proposal.youth_id,
                                                       Interest.opening_id == proposal.opening_id)).first()
        if interest is not None and interest.state in CLOSED_INTERESTS:
            skipped += 1
            continue
        if interest is None:
            proposal.state = ProposalState.SUGGESTED
            suggested += 1
            _tell_youth(session, proposal, opening)
        else:
            proposal.interest_id, proposal.state = interest.id, FOLLOWS[interest.state]
            reused += 1
        proposal.updated_at = clock.now()
        session.add(proposal)
    cohort.state = CohortState.SENT
    session.add(cohort)
    audit.record(session, user, "cohort.send", subject(cohort), suggested=suggested, reused=reused, skipped=skipped)
    session.commit()
    return Sent(suggested, reused, skipped)


def track(session: Session, cohort: Cohort) -> dict[int, Interest]:
    """Each sent proposal takes its state from its interest record (committed if any changed).

    Returns the interest records by proposal id, for the page.
    """
    pairs = session.exec(select(Proposal, Interest).join(Interest, col(Proposal.interest_id) == Interest.id)
                         .where(Proposal.cohort_id == cohort.id)).all()
    changed = False
    for proposal, interest in pairs:
        state = FOLLOWS[interest.state]
        if proposal.state != state:
            proposal.state, proposal.updated_at = state, clock.now()
            session.add(proposal)
            changed = True
    if changed:
        session.commit()
    return {proposal.id: interest for proposal, interest in pairs}  # type: ignore[misc]  # a stored row's id is set


def state_label(state: ProposalState | CohortState) -> str:
    """A proposal's or cohort's state in words of the current language."""
    if isinstance(state, CohortState):
        return {CohortState.DRAFT: _("choosing youths and openings"), CohortState.PROPOSED: _("proposed"),
                CohortState.SENT: _("sent to the youths")}[state]
    return {
        ProposalState.PROPOSED: _("proposed"), ProposalState.REMOVED: _("removed by hand"),
        ProposalState.SUGGESTED: _("waiting for the youth's answer"), ProposalState.REFUSED: _("the youth said no"),
        ProposalState.SENT: _("the youth is interested"), ProposalState.ACCEPTED: _("accepted by the association"),
        ProposalState.DECLINED: _("declined"),
    }[state]
