"""The audit log: who changed what in the coordinator's workspace, and when.

`record()` adds the entry to the caller's session, so it commits (or rolls back) with
the change it describes: there is never a logged change that did not happen, nor a
change without its entry.
"""
from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from ..models import AuditEntry, User


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
