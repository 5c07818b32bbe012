"""A youth's own data: download all of it as JSON, or delete the account.

Deleting closes everything the youth had open, in the same transaction: interest not yet
decided is withdrawn, an accepted activity still running is dropped (its place freed, as
an association's drop would), waiting and active referrals end, cohort proposals not yet
sent are removed, and every session of the account ends. So no association is left with
a nameless applicant to accept, and no place stays taken by nobody.

Deleting anonymises rather than erases the rows that carry an association's or a
region's statistics (interest records and their states, outcomes, next steps,
cohort proposals): they stay, tied to an emptied profile that no longer says who it
was. Everything that says who the youth is or what they wrote goes in the same
transaction: the e-mail address, name and password, every profile field, the notes
and references on interest records, referral notes, self-assessments, the messages of
the youth's conversations (both sides') with their reports and blocks, and the youth's
notifications and e-mail choice. So an
association's count of completed activities, and a region's count of moves onward,
stay right after a youth leaves.
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlmodel import Session, SQLModel, col, delete, select

from .. import clock
from ..models import (Association, Block, Interest, Message, MessageReport, NextStep, Notice, NoticeSetting, Opening,
                      Outcome, OutboxMail, Proposal, Referral, SelfAssessment, User, YouthProfile)
from ..engine.versions import bump_catalogue
from ..states import InterestState, OutcomeKind, ProposalState, ReferralState

DELETED_DOMAIN = "deleted.invalid"  # RFC 2606: can never be a real address
_PROFILE_KEEP = {"id", "user_id", "ref"}




def _plain(row: SQLModel, *, leave_out: frozenset[str] | set[str] = frozenset()) -> dict[str, Any]:
    """A row's columns as JSON-able values (dates as ISO strings, enums as their values)."""
    out: dict[str, Any] = {}
    for name in row.__table__.columns.keys():  # type: ignore[attr-defined]  # a table row has one; SQLModel declares none
        if name in leave_out:
            continue
        value = getattr(row, name)
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif hasattr(value, "value"):
            value = value.value
        out[name] = value
    return out


def export(session: Session, user: User) -> dict[str, Any]:
    """Everything Polku holds about this youth, as one JSON-able document."""
    profile = session.exec(select(YouthProfile).where(YouthProfile.user_id == user.id)).first()
    document: dict[str, Any] = {
        "exported_at": clock.now().isoformat(),
        "account": _plain(user, leave_out={"password_hash", "association_id", "region"}),
        "profile": None, "activities": [], "outcomes": [], "referrals": [], "next_steps": [],
        "self_assessments": [], "proposals": [], "messages": [], "blocked": [],
        "notifications": [_plain(n, leave_out={"user_id"}) for n in
                          session.exec(select(Notice).where(Notice.user_id == user.id).order_by(col(Notice.id)))],
        "notification_setting": None,
    }
    setting = session.get(NoticeSetting, user.id)
    if setting is not None:
        document["notification_setting"] = _plain(setting, leave_out={"user_id"})
    if profile is None:
        return document
    document["profile"] = _plain(profile, leave_out={"user_id"})
    rows = session.exec(select(Interest, Opening, Association).join(Opening, col(Interest.opening_id) == Opening.id)
                        .join(Association).where(Interest.youth_id == profile.id).order_by(col(Interest.id)))
    document["activities"] = [
        {**_plain(interest, leave_out={"youth_id", "opening_id"}), "opening": opening.ref,
         "opening_title": opening.title, "association": association.name}
        for interest, opening, association in rows]
    refs = {id_: ref for id_, ref in session.exec(select(Opening.id, Opening.ref))}
    document["outcomes"] = [{**_plain(o, leave_out={"youth_id", "opening_id"}), "opening": refs.get(o.opening_id)}
                            for o in session.exec(select(Outcome).where(Outcome.youth_id == profile.id))]
    for referral, coordinator in session.exec(select(Referral, User).join(User, col(Referral.coordinator_id) == User.id)
                                              .where(Referral.youth_id == profile.id)):
        document["referrals"].append({**_plain(referral, leave_out={"youth_id", "coordinator_id"}),
                                      "coordinator": coordinator.name})
    document["next_steps"] = [_plain(s, leave_out={"youth_id", "recorded_by"})
                              for s in session.exec(select(NextStep).where(NextStep.youth_id == profile.id))]
    document["self_assessments"] = [_plain(a, leave_out={"youth_id"}) for a in
                                    session.exec(select(SelfAssessment).where(SelfAssessment.youth_id == profile.id))]
    document["proposals"] = [{**_plain(p, leave_out={"youth_id", "opening_id", "cohort_id", "interest_id"}),
                              "opening": refs.get(p.opening_id)}
                             for p in session.exec(select(Proposal).where(Proposal.youth_id == profile.id))]
    document["messages"] = [
        {**_plain(m, leave_out={"sender_id", "interest_id", "from_youth"}), "opening": opening.ref,
         "from": "you" if m.from_youth else association.name}
        for m, opening, association in session.exec(
            select(Message, Opening, Association).join(Interest, col(Message.interest_id) == Interest.id)
            .join(Opening, col(Interest.opening_id) == Opening.id).join(Association)
            .where(Interest.youth_id == profile.id).order_by(col(Message.created_at), col(Message.id)))]
    document["blocked"] = [{"association": name, "created_at": at.isoformat()} for name, at in session.exec(
        select(Association.name, Block.created_at).join(Block, col(Block.association_id) == Association.id)
        .where(Block.youth_id == profile.id))]
    return document


def _close_activities(session: Session, profile: YouthProfile) -> None:
    """Withdraws undecided interest and drops running activities (freeing their places), with the
    outcomes an association's drop records; conditional updates, as `services.decisions` makes them."""
    interest, opening = Interest.__table__, Opening.__table__
    youth_id = profile.id
    assert youth_id is not None  # a stored profile
    running = session.exec(select(Interest.id, Interest.opening_id).where(
        Interest.youth_id == profile.id, Interest.state == InterestState.ACCEPTED)).all()
    connection = session.connection()
    # the version row's lock before any opening's, as every writer of openings
    version = bump_catalogue(session) if running else 0
    now = clock.now()
    connection.execute(interest.update().where(interest.c.youth_id == profile.id,
                                               interest.c.state == InterestState.INTERESTED.value)
                       .values(state=InterestState.WITHDRAWN.value, updated_at=now))
    for interest_id, opening_id in running:
        dropped = connection.execute(interest.update().where(interest.c.id == interest_id,
                                                             interest.c.state == InterestState.ACCEPTED.value)
                                     .values(state=InterestState.DROPPED.value, finished_at=now, updated_at=now))
        if dropped.rowcount:
            connection.execute(opening.update().where(opening.c.id == opening_id, opening.c.filled > 0)
                               .values(filled=opening.c.filled - 1, updated_at=now, changed_in=version))
            session.add(Outcome(youth_id=youth_id, opening_id=opening_id, outcome=OutcomeKind.DROPPED))


def delete_account(session: Session, user: User) -> None:
    """Anonymises the youth's account and profile and removes what they wrote; commits."""
    profile = session.exec(select(YouthProfile).where(YouthProfile.user_id == user.id)).first()
    # the mails to the address go too, sent or not: the outbox is no archive of a deleted youth's life
    session.exec(delete(OutboxMail).where(col(OutboxMail.to) == user.email))
    user.email = f"deleted-{user.id}-{secrets.token_hex(4)}@{DELETED_DOMAIN}"
    user.name, user.active = "", False
    user.password_hash = "!"  # matches no password: werkzeug never produces a hash without a method prefix
    user.end_sessions()  # every cookie of the account is refused from now on, on every device
    session.add(user)
    if profile is not None:
        blank = YouthProfile(user_id=user.id)  # type: ignore[arg-type]  # a stored row's id is set
        for name in profile.__table__.columns.keys():
            if name not in _PROFILE_KEEP:
                setattr(profile, name, getattr(blank, name))
        profile.ref = f"y-deleted-{secrets.token_hex(5)}"
        session.add(profile)
        _close_activities(session, profile)
        for interest in session.exec(select(Interest).where(Interest.youth_id == profile.id)):
            interest.message, interest.reference = "", ""
            session.add(interest)
        for proposal in session.exec(select(Proposal).where(Proposal.youth_id == profile.id, col(Proposal.state).in_(
                (ProposalState.PROPOSED, ProposalState.SUGGESTED)))):
            proposal.state, proposal.updated_at = ProposalState.REMOVED, clock.now()
            session.add(proposal)
        for referral in session.exec(select(Referral).where(Referral.youth_id == profile.id)):
            referral.note = ""
            if referral.state != ReferralState.ENDED:
                referral.state, referral.ended_at = ReferralState.ENDED, clock.now()
            session.add(referral)
        session.exec(delete(SelfAssessment).where(col(SelfAssessment.youth_id) == profile.id))
        _delete_conversations(session, profile)
    session.exec(delete(Notice).where(col(Notice.user_id) == user.id))
    session.exec(delete(NoticeSetting).where(col(NoticeSetting.user_id) == user.id))
    session.commit()


def _delete_conversations(session: Session, profile: YouthProfile) -> None:
    """Every message of the youth's conversations goes, both sides' (what the association wrote was written to
    this youth), with the youth's reports of them and blocks."""
    mine = select(Message.id).join(Interest, col(Message.interest_id) == Interest.id) \
        .where(Interest.youth_id == profile.id)
    session.exec(delete(MessageReport).where(col(MessageReport.message_id).in_(mine)))
    session.exec(delete(Message).where(col(Message.id).in_(mine)))
    session.exec(delete(Block).where(col(Block.youth_id) == profile.id))
