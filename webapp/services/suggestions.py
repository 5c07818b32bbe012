"""A coordinator's cohort suggestions, as the youth sees and answers them.

A sent cohort proposal is a suggestion to the youth (`cohort_review.send`), never an interest
made in their name. The youth says yes, and their interest goes to the association exactly as
if they had found the opening themselves (no note, no word of the coordinator or the cohort:
an association never learns that a youth is a client of youth services); or no, and nothing
reaches anyone but the coordinator, who sees "the youth said no".
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from .. import clock
from ..models import Association, Cohort, Opening, Proposal, YouthProfile
from ..states import OpeningStatus, ProposalState
from . import interest as interest_service
from . import notices
from .cohorts import FOLLOWS
from .rules import Refused

WAITING = ProposalState.SUGGESTED


class SuggestionRefused(Refused):
    """The answer cannot be taken (the opening closed, or it no longer suits the youth)."""


@dataclass(frozen=True)
class Suggestion:
    proposal: Proposal
    opening: Opening
    association: Association

    @property
    def open(self) -> bool:
        return self.opening.status == OpeningStatus.OPEN


def for_youth(session: Session, profile: YouthProfile) -> list[Suggestion]:
    """The suggestions waiting for `profile`'s answer, newest first."""
    rows = session.exec(select(Proposal, Opening, Association)
                        .join(Opening, col(Proposal.opening_id) == Opening.id)
                        .join(Association, col(Opening.association_id) == Association.id)
                        .where(Proposal.youth_id == profile.id, Proposal.state == WAITING)
                        .order_by(col(Proposal.updated_at).desc(), col(Proposal.id).desc())).all()
    return [Suggestion(p, o, a) for p, o, a in rows]


def answer(session: Session, profile: YouthProfile, proposal_id: int, yes: bool) -> Proposal:
    """The youth's answer to one of their suggestions; committed. LookupError: not theirs, or not waiting."""
    proposal = session.exec(select(Proposal).where(Proposal.id == proposal_id, Proposal.youth_id == profile.id,
                                                   Proposal.state == WAITING)).first()
    if proposal is None:
        raise LookupError(proposal_id)
    if not yes:
        proposal.state, proposal.updated_at = ProposalState.REFUSED, clock.now()
        session.add(proposal)
        _tell_coordinator(session, proposal, "suggestion_no")
        session.commit()
        return proposal
    opening = session.get(Opening, proposal.opening_id)
    if opening is None:
        raise LookupError(proposal_id)
    try:
        interest = interest_service.express_interest(session, profile, opening)  # commits
    except interest_service.InterestRefused as e:
        raise SuggestionRefused(e.message) from None
    proposal = session.get(Proposal, proposal_id) or proposal
    proposal.interest_id, proposal.state, proposal.updated_at = interest.id, FOLLOWS[interest.state], clock.now()
    session.add(proposal)
    _tell_coordinator(session, proposal, "suggestion_yes")
    session.commit()
    return proposal


def _tell_coordinator(session: Session, proposal: Proposal, kind: str) -> None:
    """The notice of the youth's answer to the coordinator who made the cohort (none if nobody did)."""
    cohort = session.get(Cohort, proposal.cohort_id)
    if cohort is not None and cohort.created_by is not None:
        notices.notify(session, cohort.created_by, kind, cohort=cohort.name, cohort_id=cohort.id)
