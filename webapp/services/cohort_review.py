"""A cohort's proposals after allocation: the coordinator reviews, adjusts, sends and tracks them.

The steps after `cohorts.start_allocation`, each checked here and nowhere else, each
committed with its audit entry:
- `review` shows who goes where, who is left and why (a page at a time), the fill per association;
- `one_youth` shows one youth with the cohort's openings they could be moved to;
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
from ..paging import Page
from ..models import Association, Cohort, Interest, Opening, Proposal, User, YouthProfile
from ..states import CohortState, OpeningStatus, ProposalState
from . import audit, notices, scope
from .cohorts import (CLOSED_INTERESTS, FOLLOWS, NOT_RUN, REMOVED_BY_HAND, UNREADABLE, CohortRefused,
                      check_changeable, proposals_of, running, subject)


# ---------------------------------------------------------------- reviewing and adjusting

PAGE_SIZE = 50  # youths per page of a cohort's review: the page stays small at 50,000 youths
CHOICES = 100  # openings offered for moving one youth by hand, best fit first
PLACED, LEFT = "placed", "left"  # the two lists of the review


@dataclass
class Placed:
    proposal: Proposal
    profile: YouthProfile
    account: User
    opening: Opening
    association: str


@dataclass
class Review:
    """What the page shows: one page of who goes where (or of who is left and why), the size of both
    lists, fill per association, the run's summary. Rows are read for the shown page only."""

    show: str
    page: Page  # of Placed (show == PLACED) or of (profile, account, reason code) (show == LEFT)
    placed_total: int
    left_total: int
    fill: list[tuple[str, int, int]] = field(default_factory=list)  # (association, offered, filled)
    hidden: int = 0  # chosen youths no longer in scope: counted, never shown
    summary: dict[str, Any] = field(default_factory=dict)


def review(session: Session, user: User, cohort: Cohort, show: str = PLACED, number: int = 1,
           size: int | None = None) -> Review:
    """Page `number` (of `size`, default `PAGE_SIZE`) of the placed youths (or of the left-out ones);
    `LookupError` past the last page."""
    size = size or PAGE_SIZE
    allowed = set(session.exec(scope.youth_ids(user)).all())
    proposals = {youth_id: (ProposalState(state), opening_id) for youth_id, state, opening_id in session.exec(
        select(Proposal.youth_id, Proposal.state, Proposal.opening_id).where(Proposal.cohort_id == cohort.id))}
    names: dict[int, str] = {i: name for i, name in session.exec(  # type: ignore[misc]  # a stored row's id is set
        select(Opening.id, Association.name).join(Association).where(col(Opening.id).in_(cohort.opening_ids)))}
    unplaced = cohort.summary.get("unplaced", {})
    placed: list[int] = []
    left: list[tuple[int, str]] = []
    hidden = 0
    for youth_id in cohort.youth_ids:
        if youth_id not in allowed:
            hidden += 1
            continue
        state, opening_id = proposals.get(youth_id, (None, None))
        if state is not None and state != ProposalState.REMOVED and opening_id in names:
            placed.append(youth_id)
        else:
            left.append((youth_id, REMOVED_BY_HAND if state == ProposalState.REMOVED
                         else unplaced.get(str(youth_id), NOT_RUN)))
    filled = Counter(names[proposals[y][1]] for y in placed)
    offered = {name: numbers["offered"] for name, numbers in cohort.summary.get("fill", {}).items()}
    fill = [(name, offered.get(name, 0), filled.get(name, 0)) for name in sorted(set(offered) | set(filled))]
    total = len(placed) if show == PLACED else len(left)
    if number > max(1, -(-total // size)):
        raise LookupError(number)
    start = (number - 1) * size
    if show == PLACED:
        items: list[Any] = _placed_rows(session, cohort, placed[start:start + size], names)
    else:
        reasons = dict(left[start:start + size])
        people = _people(session, list(reasons))
        items = [(*people[y], reasons[y]) for y in reasons if y in people]
    return Review(show, Page(items, number, size, total), len(placed), len(left), fill, hidden, cohort.summary)


def _people(session: Session, youth_ids: list[int]) -> dict[int, tuple[YouthProfile, User]]:
    return {p.id: (p, u) for p, u in session.exec(  # type: ignore[misc]  # a stored row's id is set
        select(YouthProfile, User).join(User, col(YouthProfile.user_id) == User.id)
        .where(col(YouthProfile.id).in_(youth_ids)))}


def _placed_rows(session: Session, cohort: Cohort, youth_ids: list[int], names: dict[int, str]) -> list[Placed]:
    people = _people(session, youth_ids)
    proposals = {p.youth_id: p for p in session.exec(select(Proposal).where(
        Proposal.cohort_id == cohort.id, col(Proposal.youth_id).in_(youth_ids)))}
    openings = {o.id: o for o in session.exec(select(Opening).where(
        col(Opening.id).in_({p.opening_id for p in proposals.values()})))}
    return [Placed(proposals[y], *people[y], openings[proposals[y].opening_id], names[proposals[y].opening_id])
            for y in youth_ids if y in people]


@dataclass(frozen=True)
class Choice:
    """An opening of the cohort a youth may be moved to: eligible, with a free place."""

    opening: Opening
    association: str
    fit: float
    free: int | None  # places left after the cohort's other proposals; None: no limit


@dataclass
class OneYouth:
    profile: YouthProfile
    account: User
    proposal: Proposal | None
    choices: list[Choice]  # best fit first, at most CHOICES; empty unless the cohort is proposed
    more: int  # eligible openings with a free place not listed
    unreadable: bool = False


def one_youth(session: Session, user: User, cohort: Cohort, youth_id: int) -> OneYouth:
    """A youth of the cohort with the openings they could be moved to: one scoring of the youth, so
    the page costs the same whatever the cohort's size. `LookupError` when not in the cohort or scope."""
    profile = _youth_in_cohort(session, user, cohort, youth_id)
    account = session.get(User, profile.user_id)
    assert account is not None
    proposal = session.exec(select(Proposal).where(Proposal.cohort_id == cohort.id,
                                                   Proposal.youth_id == youth_id)).first()
    found = OneYouth(profile, account, proposal, [], 0)
    if cohort.state != CohortState.PROPOSED:
        return found
    rows = {o.ref: (o, name) for o, name in session.exec(
        select(Opening, Association.name).join(Association)
        .where(col(Opening.id).in_(cohort.opening_ids), Opening.status == OpeningStatus.OPEN))}
    try:
        fits = matches.scores_among(profile, rows)
    except FieldError:
        found.unreadable = True
        return found
    taken = Counter(session.exec(select(Proposal.opening_id).where(
        Proposal.cohort_id == cohort.id, Proposal.youth_id != youth_id, Proposal.state == ProposalState.PROPOSED)))
    choices = []
    for ref, fit in fits.items():
        opening, name = rows[ref]
        free = None if opening.capacity is None else opening.capacity - opening.filled - taken[opening.id or 0]
        if free is None or free > 0:
            choices.append(Choice(opening, name, fit, free))
    choices.sort(key=lambda c: (-c.fit, c.opening.title, c.opening.id or 0))
    found.choices, found.more = choices[:CHOICES], max(0, len(choices) - CHOICES)
    return found


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
