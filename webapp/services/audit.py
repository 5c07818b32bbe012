"""The audit log: who changed what in the coordinator's and the administrator's workspaces, and when.

`record()` adds the entry to the caller's session, so it commits (or rolls back) with
the change it describes: there is never a logged change that did not happen, nor a
change without its entry.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, col, select

from ..models import AuditEntry, User


ACTIONS = {
    "weights.create": _l("created weight profile"),
    "weights.save": _l("saved a new version"),
    "weights.activate": _l("activated a version"),
    "weights.restore": _l("restored a version"),
    "weights.adopt": _l("adopted suggested weights"),
    "referral.create": _l("referred a youth"),
    "referral.agree": _l("a youth agreed to a referral"),
    "referral.refuse": _l("a youth refused a referral"),
    "referral.end": _l("ended a referral"),
    "cohort.create": _l("created a cohort"),
    "cohort.choose": _l("chose a cohort's youths and openings"),
    "cohort.allocate": _l("ran a cohort's placement"),
    "cohort.move": _l("moved a youth by hand"),
    "cohort.remove": _l("took a youth out of a proposal"),
    "cohort.send": _l("sent a cohort's proposals"),
    "nextstep.record": _l("recorded a next step"),
    "account.invite": _l("invited a coordinator"),
    "account.invite_admin": _l("invited an administrator from the command line"),
    "account.reinvite": _l("made a new invitation link"),
    "account.accept_invitation": _l("chose a password with an invitation"),
    "account.region": _l("set a coordinator's region"),
    "account.deactivate": _l("closed an account"),
    "account.reactivate": _l("opened an account again"),
    "account.reset_password": _l("chose a new password with a reset link"),
    "association.verify": _l("verified an association"),
    "association.unverify": _l("took an association's verification back"),
}


SUBJECTS = {
    "weightprofile": _l("weight profile %(id)s"),
    "cohort": _l("cohort %(id)s"),
    "user": _l("account %(id)s"),
    "youthprofile": _l("youth profile %(id)s"),
    "association": _l("association %(id)s"),
    "opening": _l("opening %(id)s"),
}


def subject_label(subject: str) -> str:
    """An audit subject in words of the current language ('weight profile 2', never 'weightprofile:2')."""
    kind, _sep, ident = subject.partition(":")
    return str(SUBJECTS[kind]).replace("%(id)s", ident) if kind in SUBJECTS and ident else subject


def action_label(action: str) -> str:
    """An audit action in words of the current language (its code if it is not ours)."""
    return str(ACTIONS[action]) if action in ACTIONS else action


def record(session: Session, user: User | None, action: str, subject: str = "",
           **details: Any) -> AuditEntry:
    """Adds an entry for `action` on `subject` (e.g. "weightprofile:3") with JSON-able details."""
    entry = AuditEntry(user_id=user.id if user is not None else None, action=action, subject=subject,
                       details=details)
    session.add(entry)
    return entry


def entries(session: Session, *, subject_prefix: str = "", limit: int = 100) -> list[AuditEntry]:
    """The newest entries first, optionally only for subjects starting with `subject_prefix`."""
    query = select(AuditEntry).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit)
    if subject_prefix:
        query = query.where(col(AuditEntry.subject).startswith(subject_prefix))
    return list(session.exec(query))
