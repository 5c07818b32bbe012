"""What a youth does with openings: express interest, withdraw. Used by the pages (and any API).

The rules, checked here and nowhere else:
- interest only in an open opening the engine's rules let the youth take, read against the
  opening's row as committed now, places taken included (`matches.rules_now`); the refusal
  names the broken rules in the reader's language;
- one record per youth and opening (a unique constraint): expressing interest again
  after withdrawing sets the same record back to interested;
- the youth moves a record only from interested to withdrawn; what the association
  decided (accepted, declined) and what happened (completed, dropped) stays;
- the youth's note to the association is trimmed and at most `NOTE_MAX_LENGTH` characters.
Each function commits its change or raises `InterestRefused` with nothing changed.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from matching.io import FieldError

from ..engine import matches
from ..i18n import lang
from ..models import Interest, Opening, Outcome, YouthProfile
from ..states import InterestState, OpeningStatus, OutcomeKind
from .. import clock
from .rules import Refused
from . import notices


NOTE_MAX_LENGTH = 1000


class InterestRefused(Refused):
    """An interest or withdrawal breaks a rule (`field` is "message" for the note)."""


def find_interest(session: Session, profile: YouthProfile, opening: Opening) -> Interest | None:
    return session.exec(select(Interest).where(Interest.youth_id == profile.id,
                                               Interest.opening_id == opening.id)).first()


def check_eligible(profile: YouthProfile, opening: Opening) -> None:
    """Raises `InterestRefused` unless `opening` is open and the engine's rules let `profile` take it, read
    against the opening's row as the database holds it now (`matches.rules_now`): a worker's matcher may
    be a change behind, and a full opening must refuse whatever it says."""
    session = sa.inspect(opening).session
    if session is not None:
        session.refresh(opening)  # its status and places as committed now
    if opening.status != OpeningStatus.OPEN:
        raise InterestRefused(_("This opening is not open, so you cannot express interest in it."))
    try:
        explanation = matches.rules_now(profile, opening, lang())
    except FieldError:
        raise InterestRefused(_("Your profile has a value we cannot read. Check your profile and save it again.")) \
            from None
    if not explanation.eligible:
        raise InterestRefused(_("This opening does not suit you: %(reasons)s",
                                reasons=" ".join(block.text for block in explanation.blocks)))


def clean_note(message: str | None) -> str:
    """The youth's note trimmed; raises `InterestRefused` (field "message") if it is too long."""
    note = (message or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise InterestRefused(_("Your note is too long: write at most %(max)d characters.", max=NOTE_MAX_LENGTH),
                              field="message")
    return note


def express_interest(session: Session, profile: YouthProfile, opening: Opening, *,
                     message: str | None = None) -> Interest:
    """The youth's interest record for `opening`, now interested, with `message` as the note; committed.

    Already interested: the record stays as it is (note included), so a second click changes nothing.
    """
    note = clean_note(message)
    existing = find_interest(session, profile, opening)
    if existing is not None and existing.state == InterestState.INTERESTED:
        return existing  # nothing to do: no duplicate, no second outcome
    if existing is not None and existing.state != InterestState.WITHDRAWN:
        raise InterestRefused(_("You cannot express interest again: this activity is already %(state)s.",
                                state=state_label(existing.state)))
    check_eligible(profile, opening)
    if existing is None:
        interest = Interest(youth_id=profile.id, opening_id=opening.id, message=note)  # type: ignore[arg-type]  # a stored row's id is set
        session.add(interest)
    else:
        interest = existing
        interest.state, interest.message, interest.updated_at = InterestState.INTERESTED, note, clock.now()
    session.add(Outcome(youth_id=profile.id, opening_id=opening.id,  # type: ignore[arg-type]  # a stored row's id is set
                        outcome=OutcomeKind.INTERESTED))
    notices.notify_members(session, opening.association_id, "interest", opening=opening.title, ref=opening.ref)
    try:
        session.commit()
    except IntegrityError:  # the same youth in another tab, just now: theirs stands
        session.rollback()
        found = find_interest(session, profile, opening)
        if found is None:
            raise
        return found
    return interest


def withdraw(session: Session, profile: YouthProfile, opening: Opening) -> Interest:
    """The youth's interest record for `opening`, now withdrawn; committed. Only from interested."""
    interest = find_interest(session, profile, opening)
    if interest is None:
        raise InterestRefused(_("You have not expressed interest in this opening."))
    if interest.state == InterestState.WITHDRAWN:
        return interest
    # A conditional update: if the association accepted meanwhile, nothing changes.
    table = Interest.__table__
    changed = session.connection().execute(
        table.update().where(table.c.id == interest.id, table.c.state == InterestState.INTERESTED)
        .values(state=InterestState.WITHDRAWN, updated_at=clock.now())
    ).rowcount
    if changed:
        notices.notify_members(session, opening.association_id, "withdrew", opening=opening.title, ref=opening.ref)
    session.commit()
    session.refresh(interest)
    if not changed:
        raise InterestRefused(_("You cannot withdraw: this activity is already %(state)s.",
                                state=state_label(interest.state)))
    return interest


def state_label(state: InterestState | str) -> str:
    """An interest state in words of the current language."""
    labels = {
        InterestState.INTERESTED: _("interested"),
        InterestState.ACCEPTED: _("accepted"),
        InterestState.DECLINED: _("declined"),
        InterestState.WITHDRAWN: _("withdrawn"),
        InterestState.COMPLETED: _("completed"),
        InterestState.DROPPED: _("dropped"),
    }
    return labels[InterestState(state)]
