"""A youth's own data: download all of it as JSON, or delete the account.

Deleting anonymises rather than erases the rows that carry an association's or a
region's statistics (interest records and their states, outcomes, next steps,
cohort proposals): they stay, tied to an emptied profile that no longer says who it
was. Everything that says who the youth is or what they wrote goes in the same
transaction: the e-mail address, name and password, every profile field, the notes
and references on interest records, referral notes, self-assessments. So an
association's count of completed activities, and a region's count of moves onward,
stay right after a youth leaves.
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlmodel import Session, SQLModel, col, delete, select

from .. import clock
from ..models import (Association, Interest, NextStep, Opening, Outcome, Proposal, Referral, SelfAssessment, User,
                      YouthProfile)
from ..states import ReferralState

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
        "self_assessments": [], "proposals": [],
    }
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
    return document


def delete_account(session: Session, user: User) -> None:
    """Anonymises the youth's account and profile and removes what they wrote; commits."""
    profile = session.exec(select(YouthProfile).where(YouthProfile.user_id == user.id)).first()
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
        for interest in session.exec(select(Interest).where(Interest.youth_id == profile.id)):
            interest.message, interest.reference = "", ""
            session.add(interest)
        for referral in session.exec(select(Referral).where(Referral.youth_id == profile.id)):
            referral.note = ""
            if referral.state != ReferralState.ENDED:
                referral.state, referral.ended_at = ReferralState.ENDED, clock.now()
            session.add(referral)
        session.exec(delete(SelfAssessment).where(col(SelfAssessment.youth_id) == profile.id))
    session.commit()
