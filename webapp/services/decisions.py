"""What an association does with the youths' interest: accept, decline, complete, drop.

The rules, checked here and nowhere else (the applicants pages and the JSON API call these):
- accept or decline only an interested youth; complete or drop only an accepted one;
- complete only once the activity has begun: not before the opening's start date (a
  Finnish calendar day), since the work certificate states the days the youth took part;
  an opening without a start date can be completed any time;
- accept only while the opening has a free place: never beyond its capacity, however
  many members press "Accept" at the same moment;
- a drop frees the youth's place (`filled - 1`, never below 0), so the association can
  take someone else; a completed activity keeps its place: the capacity counts the
  youths the opening takes on over its run, and a youth who finished used one;
- every decision records an `Outcome` (what `matching.learn` reads) in the same
  transaction; a decision that changes `filled` bumps the catalogue version there too,
  since the engine's `full` rule reads `filled`.
A member sees and decides only the applicants of their own association's openings; a
youth who withdrew is not listed. Each applicant shows only the display name, the note,
the dates and state, and the profile fields the youth chose to share.

Contention. Each decision is one short transaction of conditional UPDATEs whose WHERE
clause *is* the rule, so the database, not a read-then-write in Python, picks the winner:

1. `bump_catalogue` first (accept and drop), so every transaction that changes openings
   takes the catalogue row's lock before the opening's, as a flush of an edited Opening
   does (`models._versions_changed`): no two of them can deadlock;
2. `UPDATE interest SET state = new WHERE id = :id AND state = :expected`: no row means
   another member decided first or the youth withdrew meanwhile;
3. accept: `UPDATE opening SET filled = filled + 1 WHERE id = :id AND (capacity IS NULL
   OR filled < capacity)`: no row means full. Drop: `filled - 1 WHERE filled > 0`.
If a condition fails, the whole transaction rolls back and `DecisionRefused` says why.

On PostgreSQL (READ COMMITTED) a second UPDATE of a row waits for the first writer's row
lock, then re-evaluates its WHERE on the committed row: of 100 accepts for 5 places
exactly 5 find `filled < capacity`. SQLite has one writer at a time; the transaction
starts with BEGIN IMMEDIATE, taking the write lock before it reads anything, so the others
queue on the busy timeout (`webapp.db`) and each sees the previous one's commit. The
CHECK constraint `filled <= capacity` stands behind both.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from ..models import SHAREABLE_FIELDS, Association, Interest, Opening, Outcome, User, YouthProfile
from ..states import InterestState, OutcomeKind
from ..engine.versions import bump_catalogue
from .. import clock
from .rules import Refused
from . import notices
from .interest import state_label
from .certificate import local_day

ADULT = 18
REFERENCE_MAX_LENGTH = 2000  # the association's words on a completed activity
MAX_ID = 2**31 - 1  # ids are INTEGER: a larger one names nothing (and would overflow the driver)

# The states an association sees, in the order of the page; withdrawn interest is the youth's to take back.
LISTED_STATES = (InterestState.INTERESTED, InterestState.ACCEPTED, InterestState.COMPLETED,
                 InterestState.DROPPED, InterestState.DECLINED)


class DecisionRefused(Refused):
    """A decision breaks a rule. `code` for machines (full, already_decided, withdrawn, not_accepted,
    not_interested, not_started, bad_reference)."""

    code: str  # always given

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message, field, code)


# ---------------------------------------------------------------- finding what a member may see

def own_opening(session: Session, ref: str, association_id: int | None) -> Opening | None:
    """The opening `ref` if it belongs to the association `association_id`; None otherwise (or no association)."""
    if association_id is None:
        return None
    return session.exec(select(Opening).where(Opening.ref == ref, Opening.association_id == association_id)).first()


def own_interest(session: Session, interest_id: int, association_id: int | None) -> Interest | None:
    """Interest `interest_id` if it is in one of the association's openings and not withdrawn; None otherwise."""
    if association_id is None or not 0 < interest_id <= MAX_ID:
        return None
    return session.exec(
        select(Interest).join(Opening, col(Interest.opening_id) == Opening.id)
        .where(Interest.id == interest_id, Opening.association_id == association_id,
               Interest.state != InterestState.WITHDRAWN)).first()


@dataclass
class Applicant:
    """What the association may see of one youth's interest."""

    interest: Interest
    name: str
    shared: dict[str, Any] = field(default_factory=dict)  # only the fields the youth shares
    minor: bool = False  # under 18: the association must know (minors' work rules), never the exact age unless shared


def shared_fields(profile: YouthProfile, user: User, verified: bool = True) -> dict[str, Any]:
    """The profile fields the youth chose to share, in SHAREABLE_FIELDS' order; nothing else, and nothing at
    all for an association nobody has verified yet (`services.accounts`)."""
    if not verified:
        return {}
    chosen = set(profile.shared_fields or ())
    shared: dict[str, Any] = {}
    for name in SHAREABLE_FIELDS:
        if name not in chosen:
            continue
        value = user.email if name == "email" else getattr(profile, name)
        shared[name] = list(value) if isinstance(value, list) else value
    return shared


def applicants_of(opening_id: int) -> Any:
    """The statement of an opening's applicants, oldest interest first: read in the order of
    `ix_interest_opening_created`, whatever the number of interests."""
    return (select(Interest, YouthProfile, User)
            .join(YouthProfile, col(Interest.youth_id) == YouthProfile.id)
            .join(User, col(YouthProfile.user_id) == User.id)
            .where(Interest.opening_id == opening_id, col(Interest.state).in_(LISTED_STATES))
            .order_by(col(Interest.created_at), col(Interest.id)))


def applicants(session: Session, opening: Opening) -> list[Applicant]:
    """The opening's applicants (withdrawn ones left out), oldest interest first."""
    rows = session.exec(applicants_of(opening.id)).all()  # type: ignore[arg-type]  # a stored row's id is set
    verified = _verified(session, opening.association_id)
    return [_applicant(interest, profile, user, verified) for interest, profile, user in rows]


def applicant(session: Session, interest: Interest) -> Applicant:
    profile, user = session.exec(select(YouthProfile, User).join(User, col(YouthProfile.user_id) == User.id)
                                 .where(YouthProfile.id == interest.youth_id)).one()
    opening = session.get(Opening, interest.opening_id)
    return _applicant(interest, profile, user, opening is not None and _verified(session, opening.association_id))


def _verified(session: Session, association_id: int) -> bool:
    found = session.get(Association, association_id)
    return found is not None and found.verified


def _applicant(interest: Interest, profile: YouthProfile, user: User, verified: bool) -> Applicant:
    return Applicant(interest, user.name, shared_fields(profile, user, verified),
                     minor=profile.age is not None and profile.age < ADULT)


def grouped(found: list[Applicant]) -> list[tuple[InterestState, list[Applicant]]]:
    """`found` by state, in the order of LISTED_STATES; states nobody is in left out."""
    return [(state, members) for state in LISTED_STATES
            if (members := [a for a in found if a.interest.state == state])]


# ---------------------------------------------------------------- the decisions

_INTEREST = Interest.__table__
_OPENING = Opening.__table__


@contextmanager
def _decision(session: Session) -> Iterator[sa.Connection]:
    """One transaction of its own for a decision: committed if the block ends, rolled back if it raises.

    What the request read so far is committed first, so the decision starts afresh; on SQLite
    it starts with BEGIN IMMEDIATE, the database's one write lock (see the module docstring).
    """
    session.commit()
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        session.rollback()
        raise
    session.commit()


def _move(connection: sa.Connection, interest: Interest, expected: InterestState, new: InterestState,
          **values: Any) -> None:
    """Move the interest from `expected` to `new` (setting `values` too), or raise why it is not in `expected`."""
    moved = connection.execute(
        _INTEREST.update().where(_INTEREST.c.id == interest.id, _INTEREST.c.state == expected.value)
        .values(state=new.value, updated_at=clock.now(), **values)).rowcount
    if moved:
        return
    state = connection.execute(sa.select(_INTEREST.c.state).where(_INTEREST.c.id == interest.id)).scalar_one()
    if state == InterestState.WITHDRAWN.value:
        raise DecisionRefused("withdrawn", _("The youth withdrew their interest meanwhile."))
    if expected == InterestState.ACCEPTED and state == InterestState.INTERESTED.value:
        raise DecisionRefused("not_accepted", _("Only an accepted youth's activity can be completed or dropped."))
    if expected == InterestState.INTERESTED and state in (InterestState.ACCEPTED.value,
                                                          InterestState.DECLINED.value):
        raise DecisionRefused("already_decided", _("This application is already %(state)s.",
                                                   state=state_label(state)))
    raise DecisionRefused("already_decided", _("This activity is already %(state)s.", state=state_label(state)))


def _outcome(session: Session, interest: Interest, kind: OutcomeKind) -> None:
    session.add(Outcome(youth_id=interest.youth_id, opening_id=interest.opening_id, outcome=kind))
    _tell_youth(session, interest, kind.value)


def _tell_youth(session: Session, interest: Interest, kind: str) -> None:
    """The youth's notice of the decision, in the decision's transaction."""
    user_id = session.exec(select(YouthProfile.user_id).where(YouthProfile.id == interest.youth_id)).one()
    title, name = session.exec(select(Opening.title, Association.name)
                               .join(Association, col(Opening.association_id) == Association.id)
                               .where(Opening.id == interest.opening_id)).one()
    notices.notify(session, user_id, kind, subject=f"interest:{interest.id}", association=name, opening=title,
                   interest_id=interest.id)


def _done(session: Session, interest: Interest) -> Interest:
    session.refresh(interest)
    opening = session.get(Opening, interest.opening_id)
    if opening is not None:
        session.refresh(opening)  # filled changed behind the ORM's back
    return interest


def accept(session: Session, interest: Interest) -> Interest:
    """Accept an interested youth into a free place; committed, or `DecisionRefused` with nothing changed."""
    with _decision(session) as connection:
        version = bump_catalogue(session)
        _move(connection, interest, InterestState.INTERESTED, InterestState.ACCEPTED, accepted_at=clock.now())
        taken = connection.execute(
            _OPENING.update().where(_OPENING.c.id == interest.opening_id,
                                    sa.or_(_OPENING.c.capacity.is_(None), _OPENING.c.filled < _OPENING.c.capacity))
            .values(filled=_OPENING.c.filled + 1, updated_at=clock.now(), changed_in=version)).rowcount
        if not taken:
            raise DecisionRefused("full", _("The opening is full: every place is taken."))
        _outcome(session, interest, OutcomeKind.ACCEPTED)
    return _done(session, interest)


def decline(session: Session, interest: Interest) -> Interest:
    """Decline an interested youth; committed, or `DecisionRefused` with nothing changed."""
    with _decision(session) as connection:
        _move(connection, interest, InterestState.INTERESTED, InterestState.DECLINED)
        _outcome(session, interest, OutcomeKind.DECLINED)
    return _done(session, interest)


def complete(session: Session, interest: Interest, reference: str = "") -> Interest:
    """Mark an accepted youth's activity completed, with the association's optional written reference
    (for the youth's work certificate). The place stays taken."""
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_MAX_LENGTH:
        raise DecisionRefused("bad_reference", _("Write at most %(max)d characters.", max=REFERENCE_MAX_LENGTH),
                              "reference")
    with _decision(session) as connection:
        _move(connection, interest, InterestState.ACCEPTED, InterestState.COMPLETED, finished_at=clock.now(),
              reference=reference)
        _check_started(session, interest)
        _outcome(session, interest, OutcomeKind.COMPLETED)
    return _done(session, interest)


def _check_started(session: Session, interest: Interest) -> None:
    """Refuse to complete an activity whose opening starts after today (Finnish time)."""
    opening = session.get(Opening, interest.opening_id)
    start = opening.start_date if opening is not None else None
    if start is not None and local_day(clock.now()) < start:
        raise DecisionRefused("not_started", _(
            "The activity starts on %(date)s, so it cannot be marked completed yet. Mark it completed after the "
            "youth has taken part; if they stop before it starts, mark it dropped.", date=format_date(start)))


def drop(session: Session, interest: Interest) -> Interest:
    """Mark an accepted youth's activity dropped (ended early); frees the place. Committed or refused."""
    with _decision(session) as connection:
        version = bump_catalogue(session)
        _move(connection, interest, InterestState.ACCEPTED, InterestState.DROPPED, finished_at=clock.now())
        connection.execute(_OPENING.update().where(_OPENING.c.id == interest.opening_id, _OPENING.c.filled > 0)
                           .values(filled=_OPENING.c.filled - 1, updated_at=clock.now(), changed_in=version))
        _outcome(session, interest, OutcomeKind.DROPPED)
    return _done(session, interest)


DECISIONS = {"accept": accept, "decline": decline, "complete": complete, "drop": drop}
