"""Referrals: a coordinator asks to follow a youth, and sees nothing until the youth agrees.

The rules, checked here and nowhere else:
- a coordinator with a region refers a youth by the youth's account e-mail; an address
  without a youth account gets one answer ("no youth account with this address"),
  whatever else the address may belong to;
- a referral starts PENDING; only the youth turns it ACTIVE (agree) or ENDED (refuse);
- the youth may end a pending or active referral at any time; the coordinator who made
  it may end it too; an ended referral may be asked for again (it is PENDING again);
- only ACTIVE referrals put the youth in the coordinator's scope (`webapp.services.scope`).
Each function commits its change together with its audit entry, or raises
`ReferralRefused` with nothing changed.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from matching.io import FieldError

from . import audit, notices, scope
from ..engine.convert import youth_from_row
from ..i18n import lang
from ..models import Association, Interest, Opening, Referral, User, YouthProfile
from ..states import ReferralState, Role
from .. import clock
from .rules import Refused
from ..engine import matches

NOTE_MAX_LENGTH = 1000
MATCHES = 10


class ReferralRefused(Refused):
    """A referral change breaks a rule."""


def _subject(referral: Referral) -> str:
    return f"referral:{referral.id}"


def _youth_profile(session: Session, email: str) -> YouthProfile | None:
    """The profile of the youth account with `email`, made empty if the account has none yet."""
    user = session.exec(select(User).where(User.email == email, User.role == Role.YOUTH)).first()
    if user is None:
        return None
    profile = session.exec(select(YouthProfile).where(YouthProfile.user_id == user.id)).first()
    if profile is None:
        profile = YouthProfile(user_id=user.id)  # type: ignore[arg-type]  # a stored row's id is set
        session.add(profile)
        session.flush()
    return profile


def clean_note(note: str | None) -> str:
    text = (note or "").strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise ReferralRefused(_("Write at most %(max)d characters.", max=NOTE_MAX_LENGTH), field="note")
    return text


def refer(session: Session, coordinator: User, email: str, note: str | None) -> Referral:
    """A PENDING referral of the youth with account `email` by `coordinator`; committed."""
    if coordinator.role != Role.COORDINATOR or not coordinator.region:
        raise ReferralRefused(_("Your account has no region yet, so you cannot refer youths. Ask the administrator "
                                "to set your region."))
    text = clean_note(note)
    profile = _youth_profile(session, email)
    if profile is None:
        raise ReferralRefused(_("There is no youth account with this address."), field="email")
    referral = session.exec(select(Referral).where(Referral.youth_id == profile.id,
                                                   Referral.coordinator_id == coordinator.id)).first()
    if referral is not None and referral.state != ReferralState.ENDED:
        raise ReferralRefused(_("You have already referred this youth."), field="email")
    if referral is None:
        referral = Referral(youth_id=profile.id, coordinator_id=coordinator.id,  # type: ignore[arg-type]  # a stored row's id is set
                            region=coordinator.region, note=text)
    else:  # asked again after it ended: a new request the youth answers again
        referral.state, referral.region, referral.note = ReferralState.PENDING, coordinator.region, text
        referral.created_at, referral.consented_at, referral.ended_at = clock.now(), None, None
    session.add(referral)
    session.flush()
    audit.record(session, coordinator, "referral.create", _subject(referral), youth_id=profile.id,
                 region=coordinator.region)
    notices.notify(session, profile.user_id, "referral", referral_id=referral.id)
    try:
        session.commit()
    except IntegrityError:  # the same referral from another tab, just now
        session.rollback()
        raise ReferralRefused(_("You have already referred this youth."), field="email") from None
    return referral


def for_youth(session: Session, profile: YouthProfile) -> list[tuple[Referral, User]]:
    """The youth's referrals with their coordinators: pending first, then active, then ended; newest first."""
    rows = session.exec(select(Referral, User).join(User, col(Referral.coordinator_id) == User.id)
                        .where(Referral.youth_id == profile.id)
                        .order_by(col(Referral.created_at).desc(), col(Referral.id).desc())).all()
    order = {ReferralState.PENDING: 0, ReferralState.ACTIVE: 1, ReferralState.ENDED: 2}
    return sorted(rows, key=lambda row: order[row[0].state])


def pending_count(session: Session, profile: YouthProfile) -> int:
    """How many requests wait for the youth's answer (for a link or badge on the youth's pages)."""
    return len(session.exec(select(Referral.id).where(Referral.youth_id == profile.id,
                                                      Referral.state == ReferralState.PENDING)).all())


def by_coordinator(session: Session, coordinator: User) -> list[tuple[Referral, YouthProfile, User]]:
    """The referrals `coordinator` made, with each youth's profile and account; newest first."""
    return list(session.exec(
        select(Referral, YouthProfile, User).join(YouthProfile, col(Referral.youth_id) == YouthProfile.id)
        .join(User, col(YouthProfile.user_id) == User.id)
        .where(Referral.coordinator_id == coordinator.id)
        .order_by(col(Referral.created_at).desc(), col(Referral.id).desc())).all())


def _youths_referral(session: Session, profile: YouthProfile, referral_id: int) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None or referral.youth_id != profile.id:
        raise LookupError(referral_id)  # the caller answers 404: not the youth's to see
    return referral


def answer(session: Session, profile: YouthProfile, referral_id: int, agree: bool) -> Referral:
    """The youth agrees to (ACTIVE) or refuses (ENDED) a pending referral; committed.

    Raises LookupError when the referral is not the youth's, `ReferralRefused` when it is not pending.
    """
    referral = _youths_referral(session, profile, referral_id)
    if referral.state != ReferralState.PENDING:
        raise ReferralRefused(_("This request has already been answered."))
    if agree:
        referral.state, referral.consented_at = ReferralState.ACTIVE, clock.now()
    else:
        referral.state, referral.ended_at = ReferralState.ENDED, clock.now()
    session.add(referral)
    audit.record(session, profile.user, "referral.agree" if agree else "referral.refuse", _subject(referral))
    if agree:
        notices.notify(session, referral.coordinator_id, "referral_agreed", referral_id=referral.id,
                       youth_id=profile.id)
    else:
        notices.notify(session, referral.coordinator_id, "referral_refused", referral_id=referral.id)
    session.commit()
    return referral


def end_by_youth(session: Session, profile: YouthProfile, referral_id: int) -> Referral:
    """The youth ends a pending or active referral; committed. LookupError when it is not theirs."""
    referral = _youths_referral(session, profile, referral_id)
    return _end(session, referral, profile.user, "youth")


def end_by_coordinator(session: Session, coordinator: User, referral_id: int) -> Referral:
    """The coordinator who made a referral ends it; committed. LookupError when it is not theirs."""
    referral = session.get(Referral, referral_id)
    if referral is None or referral.coordinator_id != coordinator.id:
        raise LookupError(referral_id)
    return _end(session, referral, coordinator, "coordinator")


def _end(session: Session, referral: Referral, user: User, by: str) -> Referral:
    if referral.state == ReferralState.ENDED:
        raise ReferralRefused(_("This referral has already ended."))
    referral.state, referral.ended_at = ReferralState.ENDED, clock.now()
    session.add(referral)
    audit.record(session, user, "referral.end", _subject(referral), by=by)
    session.commit()
    return referral


def state_label_for_youth(state: ReferralState | str) -> str:
    """A referral state as the youth reads it, about themselves."""
    if ReferralState(state) == ReferralState.PENDING:
        return _("waiting for your answer")
    return state_label(state)


def state_label(state: ReferralState | str) -> str:
    """A referral state in words of the current language."""
    labels = {
        ReferralState.PENDING: _("waiting for the youth's answer"),
        ReferralState.ACTIVE: _("active"),
        ReferralState.ENDED: _("ended"),
    }
    return labels[ReferralState(state)]


# ---------------------------------------------------------------- following a referred youth

def followed(session: Session, coordinator: User, youth_id: int) -> tuple[YouthProfile, User] | None:
    """The youth's profile and account if the youth is in `coordinator`'s scope, else None."""
    if not scope.may_see(session, coordinator, youth_id):
        return None
    profile = session.get(YouthProfile, youth_id)
    assert profile is not None  # may_see found it
    return profile, profile.user


def matches_of(session: Session, profile: YouthProfile, k: int = MATCHES) -> list[dict[str, Any]] | None:
    """The youth's top `k` matches with their openings and reasons; None if the profile cannot be read."""
    try:
        youth = youth_from_row(profile)
    except FieldError:
        return None
    ranked = matches.matches(profile, k, lang(), youth)  # what the youth sees
    refs = [m.opening_id for m in ranked]
    rows = {o.ref: (o, name) for o, name in session.exec(
        select(Opening, Association.name).join(Association).where(col(Opening.ref).in_(refs)))}
    return [{"match": m, "opening": rows[m.opening_id][0], "association": rows[m.opening_id][1],
             "reasons": [r.text for r in m.reasons if not r.neutral]}
            for m in ranked if m.opening_id in rows]


def activities_of(session: Session, profile: YouthProfile) -> list[tuple[Interest, Opening, str]]:
    """The youth's interest records with their openings and associations' names, newest first."""
    return list(session.exec(
        select(Interest, Opening, Association.name).join(Opening, col(Interest.opening_id) == Opening.id)
        .join(Association, col(Opening.association_id) == Association.id)
        .where(Interest.youth_id == profile.id)
        .order_by(col(Interest.updated_at).desc(), col(Interest.id).desc())).all())
