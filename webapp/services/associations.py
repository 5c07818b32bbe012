"""Associations: registering one with its first member, and editing its public page.

Used by the pages (and any API). Each function commits all of its change or raises
`AssociationRefused` with nothing saved: a new association and its first user are one transaction,
so a taken name, Y-tunnus or e-mail address never leaves half an account behind.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from ..models import Association, Opening, User
from ..states import OpeningStatus, Role
from ..engine.versions import bump_catalogue, mark_changed
from .rules import Refused


class AssociationRefused(Refused):
    """Registering or editing an association breaks a rule; `errors` names each field at fault."""


@dataclass(frozen=True)
class PageFields:
    """What the association's public page shows."""

    name: str
    municipality: str
    contact: str
    description: str


@dataclass(frozen=True)
class FirstMember:
    """The account of the person registering; `password_hash` is hashed by the caller."""

    name: str
    email: str
    password_hash: str


def taken(session: Session, page: PageFields, business_id: str | None, email: str | None,
           association_id: int | None = None) -> dict[str, str]:
    """The unique values already in use by another association or user, as form errors."""
    errors = {}
    others = select(Association.id).where(Association.id != association_id) if association_id else \
        select(Association.id)
    # Names differing only in case would confuse people, so they count as the same name.
    if session.exec(others.where(func.lower(Association.name) == page.name.lower())).first() is not None:
        errors["name"] = _("An association with this name is registered already.")
    if business_id and session.exec(others.where(Association.business_id == business_id)).first() is not None:
        errors["business_id"] = _("An association with this Y-tunnus is registered already.")
    if email and session.exec(select(User.id).where(User.email == email)).first() is not None:
        errors["email"] = _("An account with this e-mail address exists already. Sign in instead.")
    return errors


def register(session: Session, page: PageFields, business_id: str | None, member: FirstMember) -> User:
    """A new association and its first member (role association), committed together."""
    errors = taken(session, page, business_id, member.email)
    if errors:
        raise AssociationRefused.about(errors)
    association = Association(name=page.name, business_id=business_id, municipality=page.municipality,
                              contact=page.contact, description=page.description)
    user = User(email=member.email, password_hash=member.password_hash, role=Role.ASSOCIATION,
                name=member.name, association=association)
    session.add(association)
    session.add(user)
    try:
        session.commit()
    except IntegrityError:  # registered in another request just now
        session.rollback()
        raise AssociationRefused.about(taken(session, page, business_id, member.email) or
                      {"name": _("An association with this name is registered already.")}) from None
    return user


def update_page(session: Session, association: Association, page: PageFields) -> Association:
    """The association with its page changed; committed."""
    errors = taken(session, page, None, None, association.id)
    if errors:
        raise AssociationRefused.about(errors)
    if association.name != page.name:  # the engine's openings carry the association's name
        mark_changed(session, bump_catalogue(session), Opening.__table__.c.association_id == association.id,
                     Opening.__table__.c.status == OpeningStatus.OPEN)
    association.name, association.municipality = page.name, page.municipality
    association.contact, association.description = page.contact, page.description
    session.add(association)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise AssociationRefused.about({"name": _("An association with this name is registered already.")}) from None
    return association
