"""What an administrator does with accounts and associations, and what a coordinator may do with the
associations of their region.

The rules, kept here and nowhere else, each change committed with its audit entry:
- a coordinator account is invited, never made with a password someone else knows: the
  account is made without any password that works, and a one-time link (valid `INVITATION_DAYS`)
  lets the invited person choose their own (`accept_invitation`); only a hash of the link's
  token is stored, and a new invitation replaces the old one;
- an administrator is invited the same way, from the command line by whoever runs the server
  (`invite_admin`, `flask --app webapp invite-admin`): that is how an install gets its first
  administrator without demo accounts; its audit entry names no acting user;
- an administrator sets a coordinator's region, deactivates and reactivates any account but
  their own; deactivating ends every session of the account at once;
- an association is verified (its Y-tunnus checked by a person) by an administrator, or by a
  coordinator of the region its municipality is in; until then it publishes no opening for
  under-18s and sees none of its applicants' shared details.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask_babel import gettext as _
from sqlmodel import Session, col, select

from matching import geo

from .. import clock
from ..engine.matches import region_of
from ..models import Association, Invitation, User, looks_like_email, normalise_email
from ..states import Role
from . import audit
from .rules import Refused

INVITATION_DAYS = 7
INVITE = "invite"  # Invitation.purpose of an invitation's link (a password reset's: `password_reset.RESET`)
NAME_MAX_LENGTH = 200  # User.name
UNUSABLE_PASSWORD = "!"  # werkzeug never makes a hash without a method prefix: matches no password


class AccountRefused(Refused):
    """An account change breaks a rule; nothing was saved."""


def regions() -> list[str]:
    """Finland's regions (maakunnat), as `matching.geo` names them."""
    return sorted({m.region for m in geo.municipalities()})


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_admin(user: User) -> None:
    if user.role != Role.ADMIN:
        raise AccountRefused(_("Only an administrator may do this."))


# ---------------------------------------------------------------- coordinators

def invite_coordinator(session: Session, admin: User, email: str, name: str, region: str) -> tuple[User, str]:
    """A coordinator account of `region` and the token of its one-time link; committed."""
    _check_admin(admin)
    email = normalise_email(email)
    if region not in regions():
        raise AccountRefused(_("Choose a region from the list."), "region")
    if session.exec(select(User.id).where(User.email == email)).first() is not None:
        raise AccountRefused(_("An account with this e-mail address exists already."), "email")
    user = User(email=email, name=name.strip(), role=Role.COORDINATOR, region=region,
                password_hash=UNUSABLE_PASSWORD)
    session.add(user)
    session.flush()
    token = _new_invitation(session, user)
    audit.record(session, admin, "account.invite", f"user:{user.id}", region=region, role=Role.COORDINATOR.value)
    session.commit()
    return user, token


def invite_admin(session: Session, email: str, name: str = "") -> tuple[User, str]:
    """An administrator account and the token of its one-time link, for the person who runs the server (the
    command line: no signed-in user, so the audit entry names none); committed. For an administrator invited before
    who never chose a password (the link expired, or was lost), a new link, and the old one stops working. Refused
    for any other address that has an account: nobody's account is turned into an administrator's."""
    email = normalise_email(email)
    name = name.strip()
    if not looks_like_email(email):
        raise AccountRefused(_("Enter an e-mail address like name@example.fi."), "email")
    if len(name) > NAME_MAX_LENGTH:
        raise AccountRefused(_("Write at most %(max)d characters.", max=NAME_MAX_LENGTH), "name")
    found = session.exec(select(User).where(User.email == email)).first()
    if found is not None and found.role == Role.ADMIN and found.password_hash == UNUSABLE_PASSWORD and found.active:
        token = _new_invitation(session, found)  # invited before, never came: a new link (the old one stops working)
        audit.record(session, None, "account.reinvite", f"user:{found.id}", role=Role.ADMIN.value)
        session.commit()
        return found, token
    if found is not None:
        raise AccountRefused(_("An account with this e-mail address exists already."), "email")
    user = User(email=email, name=name, role=Role.ADMIN, password_hash=UNUSABLE_PASSWORD)
    session.add(user)
    session.flush()
    token = _new_invitation(session, user)
    audit.record(session, None, "account.invite_admin", f"user:{user.id}", role=Role.ADMIN.value)
    session.commit()
    return user, token


def reinvite(session: Session, admin: User, user: User) -> str:
    """A new one-time link for an invited person who has not chosen a password yet; the old one stops working."""
    _check_admin(admin)
    if user.password_hash != UNUSABLE_PASSWORD:
        raise AccountRefused(_("This person has chosen a password already."))
    token = _new_invitation(session, user)
    audit.record(session, admin, "account.reinvite", f"user:{user.id}")
    session.commit()
    return token


def _new_invitation(session: Session, user: User) -> str:
    return new_link(session, user, INVITE, dt.timedelta(days=INVITATION_DAYS))


def new_link(session: Session, user: User, purpose: str, lifetime: dt.timedelta) -> str:
    """A new one-time link's token for `user` (an invitation, or a password reset: `purpose`), valid for
    `lifetime`; an older open link of the same purpose stops working. Only the token's hash is stored."""
    assert user.id is not None  # flushed by the caller
    for old in session.exec(select(Invitation).where(Invitation.user_id == user.id, Invitation.purpose == purpose,
                                                     col(Invitation.used_at).is_(None))):
        old.used_at = clock.now()  # replaced: no longer usable
        session.add(old)
    token = secrets.token_urlsafe(32)
    session.add(Invitation(user_id=user.id, purpose=purpose, token_hash=_token_hash(token),
                           expires_at=clock.now() + lifetime))
    return token


def invitation(session: Session, token: str, purpose: str = "invite") -> tuple[Invitation, User] | None:
    """The open one-time link of `token` for `purpose` and its account, or None (unknown, another purpose's,
    used, expired or closed)."""
    if not 20 <= len(token) <= 100:
        return None
    found = session.exec(select(Invitation, User).join(User, col(Invitation.user_id) == User.id)
                         .where(Invitation.token_hash == _token_hash(token))).first()
    if found is None:
        return None
    invite, user = found
    if (invite.purpose != purpose or invite.used_at is not None or clock.aware(invite.expires_at) <= clock.now()
            or not user.active):
        return None
    return invite, user


def use_link(session: Session, token: str, purpose: str, password_hash: str, action: str) -> User | None:
    """The account of the open link `token` (of `purpose`) with its new password: the link is used up, every
    session of the account ends, and `action` is in the audit; committed. None if the link does not work."""
    found = invitation(session, token, purpose)
    if found is None:
        return None
    invite, user = found
    invite.used_at = clock.now()
    user.password_hash = password_hash
    user.end_sessions()
    session.add_all([invite, user])
    audit.record(session, user, action, f"user:{user.id}")
    session.commit()
    return user


def accept_invitation(session: Session, token: str, password_hash: str) -> User:
    """The invited account with the password chosen; the link is used up. Committed."""
    user = use_link(session, token, INVITE, password_hash, "account.accept_invitation")
    if user is None:
        raise AccountRefused(_("This link does not work any more. Ask the administrator for a new one."))
    return user


def set_region(session: Session, admin: User, user: User, region: str) -> None:
    _check_admin(admin)
    if user.role != Role.COORDINATOR:
        raise AccountRefused(_("Only a coordinator has a region."))
    if region not in regions():
        raise AccountRefused(_("Choose a region from the list."), "region")
    before, user.region = user.region, region
    session.add(user)
    audit.record(session, admin, "account.region", f"user:{user.id}", before=before, after=region)
    session.commit()


# ---------------------------------------------------------------- any account

def set_active(session: Session, admin: User, user: User, active: bool) -> None:
    """Deactivates (every session ends at once) or reactivates an account; never the administrator's own."""
    _check_admin(admin)
    if user.id == admin.id:
        raise AccountRefused(_("You cannot close your own account here."))
    if user.active == active:
        return
    user.active = active
    if not active:
        user.end_sessions()
    session.add(user)
    audit.record(session, admin, "account.reactivate" if active else "account.deactivate", f"user:{user.id}",
                 role=user.role.value)
    session.commit()


def find_account(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


# ---------------------------------------------------------------- associations

def may_verify(user: User, association: Association) -> bool:
    """An administrator verifies any association; a coordinator those in their region."""
    if user.role == Role.ADMIN:
        return True
    return (user.role == Role.COORDINATOR and bool(user.region)
            and region_of(association.municipality) == user.region)


def set_verified(session: Session, user: User, association: Association, verified: bool) -> None:
    if not may_verify(user, association):
        raise AccountRefused(_("Only an administrator or a coordinator of the association's region may do this."))
    if association.verified == verified:
        return
    association.verified = verified
    association.verified_at = clock.now() if verified else None
    session.add(association)
    audit.record(session, user, "association.verify" if verified else "association.unverify",
                 f"association:{association.id}", business_id=association.business_id,
                 region=region_of(association.municipality))
    session.commit()


def associations_for(session: Session, user: User) -> list[Association]:
    """The associations `user` may verify, unverified first, then by name."""
    found = session.exec(select(Association).order_by(col(Association.verified), col(Association.name))).all()
    return [a for a in found if may_verify(user, a)]
