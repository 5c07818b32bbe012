"""Weight profiles of the coordinators' regions: versions, activation and their history.

The rules, kept here and nowhere else:
- A profile is every `WeightProfile` row with one name; each row is one version. Saving
  never edits a row: it adds version n+1 (n = the newest version of that name).
- One active version per region (`activate` turns the others off in the same
  transaction). Which version scores a youth is `engine.matches.in_use`'s rule: the
  active version of the youth's region, else the active one without a region, else
  the engine's defaults.
- "Restore this version" re-activates that old version (the history stays as it was;
  to edit from an old version, open it and save, which makes a new version).
- Every save, activation, restore and adoption is logged with `audit.record`, holding
  the state before and after, in the same transaction.

What a coordinator tries before saving (previews, evaluations, learned proposals) lives in
`weights_preview` and `weights_learning`; neither writes anything.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..engine.matches import Setting
from ..models import AuditEntry, User, WeightProfile
from ..engine.versions import bump_weights
from . import audit

MAX_DIVERSITY = 0.9  # the engine needs < 1; above this the list is all variety and no fit
SUBJECT = "weightprofile"


class ProfileConflict(Exception):
    """The change cannot be made as asked (a name in use, a concurrent save); nothing was saved."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _version_facts(profile: WeightProfile | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {"id": profile.id, "name": profile.name, "version": profile.version, **Setting.of(profile).to_dict()}


# ---------------------------------------------------------------- reading profiles

def profiles_of_region(session: Session, region: str) -> list[WeightProfile]:
    """Every version of every profile of `region`, by name then newest version first."""
    return list(session.exec(select(WeightProfile).where(WeightProfile.region == region)
                             .order_by(col(WeightProfile.name), col(WeightProfile.version).desc())))


def versions(session: Session, profile: WeightProfile) -> list[WeightProfile]:
    """Every version of `profile`'s name, newest first."""
    return list(session.exec(select(WeightProfile).where(WeightProfile.name == profile.name)
                             .order_by(col(WeightProfile.version).desc())))


def get_for(session: Session, user: User, profile_id: int) -> WeightProfile | None:
    """The version with this id if it belongs to `user`'s region, else None (the same for absent ones)."""
    profile = session.get(WeightProfile, profile_id)
    if profile is None or not user.region or profile.region != user.region:
        return None
    return profile


def active_profile(session: Session, region: str | None) -> WeightProfile | None:
    """The active version of `region` (None: the one for regions without their own)."""
    where = WeightProfile.region == region if region is not None else col(WeightProfile.region).is_(None)
    return session.exec(select(WeightProfile).where(where, col(WeightProfile.active).is_(True))
                        .order_by(col(WeightProfile.id).desc())).first()


# ---------------------------------------------------------------- changing profiles

def create(session: Session, user: User, name: str) -> WeightProfile:
    """Version 1 of a new profile of `user`'s region, from the engine's defaults; committed."""
    taken = session.exec(select(WeightProfile.id).where(WeightProfile.name == name)).first()
    if taken is not None:
        raise ProfileConflict("name_taken")
    setting = Setting.default()
    profile = WeightProfile(name=name, region=user.region, version=1, weights=setting.weights,
                            diversity=setting.diversity, note="", created_by=user.id)
    session.add(profile)
    session.flush()
    audit.record(session, user, "weights.create", f"{SUBJECT}:{profile.id}", region=user.region,
                 before=None, after=_version_facts(profile))
    _commit(session)
    return profile


def save(session: Session, user: User, base: WeightProfile, setting: Setting, note: str = "",
         *, action: str = "weights.save", **details: Any) -> WeightProfile:
    """A new version n+1 of `base`'s profile holding `setting`; the old versions stay; committed."""
    setting.engine_weights()  # raises ValueError for weights the engine refuses
    newest = session.exec(select(sa.func.max(WeightProfile.version)).where(WeightProfile.name == base.name)).one()
    profile = WeightProfile(name=base.name, region=base.region, version=(newest or 0) + 1,
                            weights=dict(setting.weights), diversity=setting.diversity, note=note.strip(),
                            created_by=user.id)
    session.add(profile)
    session.flush()
    audit.record(session, user, action, f"{SUBJECT}:{profile.id}", region=base.region,
                 before=_version_facts(base), after=_version_facts(profile), **details)
    _commit(session)
    return profile


def activate(session: Session, user: User, profile: WeightProfile, *, action: str = "weights.activate") -> None:
    """Makes `profile` the one active version of its region; committed with its audit entry."""
    # Lock the region's versions first, so two activations at once end with one active.
    session.exec(select(WeightProfile.id).where(WeightProfile.region == profile.region).with_for_update()).all()
    before = _version_facts(active_profile(session, profile.region))
    table = WeightProfile.__table__
    session.connection().execute(sa.update(table).where(table.c.region == profile.region, table.c.active.is_(True))
                                 .values(active=False))
    bump_weights(session)  # the bulk update bypasses the session's own bump (models._versions_changed)
    session.expire_all()
    profile = session.get(WeightProfile, profile.id)  # type: ignore[assignment]  # the row was just read: it exists
    profile.active = True
    session.add(profile)
    audit.record(session, user, action, f"{SUBJECT}:{profile.id}", region=profile.region,
                 before=before, after=_version_facts(profile))
    _commit(session)


def restore(session: Session, user: User, profile: WeightProfile) -> None:
    """Goes back to an old version by re-activating it (logged as a restore)."""
    activate(session, user, profile, action="weights.restore")


def _commit(session: Session) -> None:
    try:
        session.commit()
    except IntegrityError:  # the same name or version saved by someone else just now
        session.rollback()
        raise ProfileConflict("concurrent") from None


def history(session: Session, profiles: Iterable[WeightProfile], limit: int = 50) -> list[tuple[AuditEntry, str]]:
    """Audit entries of these versions, newest first, each with who made it."""
    subjects = [f"{SUBJECT}:{p.id}" for p in profiles]
    rows = session.exec(select(AuditEntry, User.name, User.email)
                        .join(User, col(AuditEntry.user_id) == User.id, isouter=True)
                        .where(col(AuditEntry.subject).in_(subjects))
                        .order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit))
    return [(entry, name or email or "") for entry, name, email in rows]
