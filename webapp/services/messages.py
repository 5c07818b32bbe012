"""Messages: one conversation per interest, between the youth and the members of the opening's association.

Nobody shares an e-mail address or a phone number: both sides write in Polku. The rules,
checked here and nowhere else (the pages and the JSON API call these):
- the youth reads and writes the conversations of their own interest records; a member, those of
  their own association's openings (a withdrawn interest is gone for the association, as on the
  applicants page, and its conversation is closed for the youth too);
- a message is trimmed, not empty, at most `MAX_LENGTH` characters; plain text, shown escaped;
- at most `PER_MINUTE` messages a minute from one sender, counted in the database (so in
  every worker process);
- a youth may report a message of the association (an administrator sees the report) and block
  the association: it can send the youth nothing more, and the youth's conversations with it close;
- each message notifies the other side (`services.notices`) in the same transaction.
Each change commits, or raises `MessageRefused` (with `code`) with nothing saved.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from .. import clock
from ..models import Association, Block, Interest, Message, MessageReport, Opening, User, YouthProfile
from ..states import InterestState, Role
from . import notices
from .decisions import MAX_ID, own_interest
from .rules import Refused

MAX_LENGTH = 2000
PER_MINUTE = 5


class MessageRefused(Refused):
    """A message breaks a rule. `code`: empty, too_long, too_many, closed, blocked."""

    code: str  # always given

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message, field, code)


@dataclass(frozen=True)
class Conversation:
    """One interest's conversation as either side sees it."""

    interest: Interest
    opening: Opening
    association: Association
    messages: list[Message]
    blocked: bool  # the youth blocked the association

    @property
    def closed(self) -> bool:
        return self.blocked or self.interest.state == InterestState.WITHDRAWN

    @property
    def subject(self) -> str:
        return subject(self.interest)


def subject(interest: Interest) -> str:
    """The notices of a conversation share this subject, so reading it marks them read."""
    return f"interest:{interest.id}"


# ---------------------------------------------------------------- finding what a user may read

def youths_interest(session: Session, profile: YouthProfile, interest_id: int) -> Interest | None:
    """Interest `interest_id` if it is the youth's own; None otherwise (the caller answers 404)."""
    if not 0 < interest_id <= MAX_ID:
        return None
    return session.exec(select(Interest).where(Interest.id == interest_id, Interest.youth_id == profile.id)).first()


def members_interest(session: Session, user: User, interest_id: int) -> Interest | None:
    """Interest `interest_id` if it is in the member's association's openings and not withdrawn; None otherwise."""
    if user.role != Role.ASSOCIATION:
        return None
    return own_interest(session, interest_id, user.association_id)


def conversation(session: Session, interest: Interest) -> Conversation:
    """The interest's conversation, oldest message first."""
    opening, association = session.exec(select(Opening, Association).join(Association)
                                        .where(Opening.id == interest.opening_id)).one()
    found = session.exec(select(Message).where(Message.interest_id == interest.id)
                         .order_by(col(Message.created_at), col(Message.id))).all()
    return Conversation(interest, opening, association, list(found),
                        is_blocked(session, interest.youth_id, association.id))  # type: ignore[arg-type]  # a stored row's id is set


def is_blocked(session: Session, youth_id: int, association_id: int) -> bool:
    return session.exec(select(Block.id).where(Block.youth_id == youth_id,
                                               Block.association_id == association_id)).first() is not None


def counts(session: Session, interest_ids: list[int]) -> dict[int, int]:
    """How many messages each interest's conversation holds (those without any left out)."""
    if not interest_ids:
        return {}
    rows = session.exec(select(Message.interest_id, sa.func.count(col(Message.id)))
                        .where(col(Message.interest_id).in_(interest_ids)).group_by(col(Message.interest_id))).all()
    return {interest_id: count for interest_id, count in rows}


# ---------------------------------------------------------------- writing

def clean(body: str | None) -> str:
    """The message trimmed; `MessageRefused` (field "body") if it is empty or too long."""
    text = (body or "").replace("\r\n", "\n").strip()
    if not text:
        raise MessageRefused("empty", _("Write a message first."), "body")
    if len(text) > MAX_LENGTH:
        raise MessageRefused("too_long", _("Your message is too long: write at most %(max)d characters.",
                                           max=MAX_LENGTH), "body")
    return text


def _check_rate(session: Session, sender: User, now: dt.datetime) -> None:
    recent = session.exec(select(sa.func.count(col(Message.id))).where(
        Message.sender_id == sender.id, Message.created_at > now - dt.timedelta(minutes=1))).one()
    if recent >= PER_MINUTE:
        raise MessageRefused("too_many", _("You have sent many messages in a short time. Wait a minute and "
                                           "send again."))


def post(session: Session, conversation: Conversation, sender: User, body: str | None) -> Message:
    """`sender` (the youth, or a member of the association) writes in the conversation; committed.

    The caller has found the conversation through `youths_interest` or `members_interest`.
    """
    text = clean(body)
    from_youth = sender.role == Role.YOUTH
    if conversation.blocked:
        raise MessageRefused("blocked", _("You blocked this association, so the conversation is closed.") if from_youth
                             else _("The youth has closed this conversation. You cannot send more messages."))
    if conversation.interest.state == InterestState.WITHDRAWN:
        raise MessageRefused("closed", _("You withdrew your interest, so the conversation is closed."))
    now = clock.now()
    _check_rate(session, sender, now)
    interest, opening = conversation.interest, conversation.opening
    message = Message(interest_id=interest.id, sender_id=sender.id, from_youth=from_youth, body=text,  # type: ignore[arg-type]  # a stored row's id is set
                      created_at=now)
    session.add(message)
    if from_youth:
        notices.notify_members(session, opening.association_id, "association_message", subject=subject(interest),
                               opening=opening.title, ref=opening.ref, interest_id=interest.id)
    else:
        youth_user = session.exec(select(YouthProfile.user_id).where(YouthProfile.id == interest.youth_id)).one()
        notices.notify(session, youth_user, "youth_message", subject=subject(interest),
                       association=conversation.association.name, opening=opening.title, interest_id=interest.id)
    session.commit()
    return message


def report(session: Session, profile: YouthProfile, message_id: int) -> MessageReport:
    """The youth reports a message the association sent them; committed (reporting again changes nothing).

    LookupError when the message is not one sent to this youth."""
    message = session.exec(select(Message).join(Interest, col(Message.interest_id) == Interest.id)
                           .where(Message.id == message_id, Interest.youth_id == profile.id,
                                  col(Message.from_youth).is_(False))).first() if 0 < message_id <= MAX_ID else None
    if message is None:
        raise LookupError(message_id)
    found = session.exec(select(MessageReport).where(MessageReport.message_id == message.id)).first()
    if found is not None:
        return found
    row = MessageReport(message_id=message.id, reporter_id=profile.user_id)  # type: ignore[arg-type]  # a stored row's id is set
    session.add(row)
    try:
        session.commit()
    except IntegrityError:  # reported from another tab just now
        session.rollback()
        return session.exec(select(MessageReport).where(MessageReport.message_id == message.id)).one()
    return row


def block(session: Session, profile: YouthProfile, association_id: int) -> Block:
    """The youth blocks the association; committed (blocking again changes nothing)."""
    found = session.exec(select(Block).where(Block.youth_id == profile.id,
                                             Block.association_id == association_id)).first()
    if found is not None:
        return found
    row = Block(youth_id=profile.id, association_id=association_id)  # type: ignore[arg-type]  # a stored row's id is set
    session.add(row)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        return session.exec(select(Block).where(Block.youth_id == profile.id,
                                                Block.association_id == association_id)).one()
    return row


# ---------------------------------------------------------------- for the administrator

@dataclass(frozen=True)
class Reported:
    report: MessageReport
    message: Message
    opening: Opening
    association: Association
    sender: User


def reports(session: Session, limit: int = 200) -> list[Reported]:
    """The reported messages, newest report first, with who sent them and where."""
    rows = session.exec(
        select(MessageReport, Message, Opening, Association)
        .join(Message, col(MessageReport.message_id) == Message.id)
        .join(Interest, col(Message.interest_id) == Interest.id)
        .join(Opening, col(Interest.opening_id) == Opening.id)
        .join(Association, col(Opening.association_id) == Association.id)
        .order_by(col(MessageReport.created_at).desc(), col(MessageReport.id).desc()).limit(limit)).all()
    sender_ids = {m.sender_id for _r, m, _o, _a in rows}
    senders = {u.id: u for u in session.exec(select(User).where(col(User.id).in_(sender_ids)))}
    return [Reported(r, m, o, a, senders[m.sender_id]) for r, m, o, a in rows]
