"""What an association does with its openings: post, edit, preview, publish, close, reopen.

Used by the pages (and any API). The rules, checked here and nowhere else:
- an opening is valid when the engine reads it: the row goes through `webapp.engine.convert`
  (as every row does on its way to the engine), so the web and the engine agree;
- the capacity never goes below the places already taken (`Opening.filled`);
- status moves draft -> open (publish), open -> closed (close), closed -> open (reopen);
  only open openings are public and in the engine (the catalogue version goes up on
  every flush of an opening, see `models`);
- a preview builds a row that is never added to the session, so it saves nothing.
Each changing function commits its change or raises `OpeningRefused` with nothing saved.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from matching.io import FieldError
from matching.model import Opening as EngineOpening

from .rules import Refused
from ..engine.convert import opening_from_row
from ..models import Association, Interest, Opening
from ..paging import Page, check_page
from ..states import InterestState, OpeningStatus

OPEN, DRAFT, CLOSED = OpeningStatus.OPEN, OpeningStatus.DRAFT, OpeningStatus.CLOSED
# action -> (the statuses it starts from, the status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[OpeningStatus], OpeningStatus]] = {
    "publish": (frozenset({DRAFT}), OPEN),
    "close": (frozenset({OPEN}), CLOSED),
    "reopen": (frozenset({CLOSED}), OPEN),
}


class OpeningRefused(Refused):
    """Saving an opening or changing its status breaks a rule; `errors` names each field at fault."""


@dataclass(frozen=True)
class OpeningFields:
    """Everything an association writes about an opening: the engine's record without id, association, filled."""

    title: str
    description: str = ""
    kind: str | None = None
    themes: tuple[str, ...] = ()
    municipality: str | None = None
    lat: float | None = None
    lon: float | None = None
    remote: bool = False
    schedule: tuple[str, ...] = ()
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    capacity: int | None = None
    min_age: int | None = None
    max_age: int | None = None
    languages: tuple[str, ...] = ()
    requirements: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()


FIELD_NAMES = tuple(f.name for f in fields(OpeningFields))
_LISTS = {"themes", "schedule", "languages", "requirements", "support", "benefits"}


def fields_of(row: Opening) -> OpeningFields:
    return OpeningFields(**{name: tuple(getattr(row, name)) if name in _LISTS else getattr(row, name)  # type: ignore[arg-type]  # read by name, each value as the row holds it
                            for name in FIELD_NAMES})


def candidate(values: OpeningFields, association: Association, existing: Opening | None = None) -> Opening:
    """A row with `values`, never added to a session: what the opening would be if saved."""
    data = {name: list(value) if name in _LISTS else value for name, value in asdict(values).items()}
    if existing is not None:
        data.update(ref=existing.ref, status=existing.status, filled=existing.filled, created_at=existing.created_at)
    return Opening(association_id=association.id, **data)  # type: ignore[arg-type]  # a stored row's id is set; the fields by name, as OpeningFields holds them


def check(row: Opening, association_name: str) -> EngineOpening:
    """The engine's reading of `row`; raises `Refused` naming the field the engine refuses."""
    errors = {}
    if row.capacity is not None and row.capacity < row.filled:
        errors["capacity"] = ngettext(
            "%(num)d place is taken already, so the opening needs at least %(num)d place.",
            "%(num)d places are taken already, so the opening needs at least %(num)d places.", row.filled)
    try:
        engine_opening = opening_from_row(row, association_name)
    except FieldError as e:
        name = e.field if e.field in FIELD_NAMES else "title"
        errors.setdefault(name, _("The matching engine cannot read this value: %(error)s", error=e.message))
    if errors:
        raise OpeningRefused.about(errors)
    return engine_opening


ADULT = 18


def check_publishable(row: Opening, association: Association) -> None:
    """An association nobody has verified yet publishes openings for adults only (`services.accounts`)."""
    if not association.verified and (row.min_age is None or row.min_age < ADULT):
        raise OpeningRefused.about({"min_age": _(
            "Your association is not verified yet, so it can publish openings only for people aged %(age)d or "
            "over: set the youngest age to %(age)d, or ask the coordinator of your region to verify the "
            "association (they check its Y-tunnus).", age=ADULT)})


def save(session: Session, association: Association, values: OpeningFields, existing: Opening | None = None,
         status: OpeningStatus | None = None) -> Opening:
    """A new opening (a draft unless `status` is given) or `existing` with `values`; committed."""
    row = candidate(values, association, existing)
    check(row, association.name)
    if (status or (existing.status if existing is not None else DRAFT)) == OPEN:
        check_publishable(row, association)
    if existing is None:
        target = row
        target.status = status or DRAFT
    else:
        target = existing
        for name in FIELD_NAMES:
            setattr(target, name, getattr(row, name))
        if status is not None:
            target.status = status
    session.add(target)
    _commit(session, target)
    return target


def change_status(session: Session, opening: Opening, action: str) -> Opening:
    """`opening` moved by `action` (publish, close, reopen); committed."""
    if action not in TRANSITIONS:
        raise OpeningRefused.about({"status": _("Unknown action.")})
    starts, leads_to = TRANSITIONS[action]
    if opening.status not in starts:
        raise OpeningRefused.about({"status": _("This cannot be done to an opening that is %(status)s.",
                                   status=status_label(opening.status))})
    if leads_to == OPEN:
        check(opening, opening.association.name)
        check_publishable(opening, opening.association)
    opening.status = leads_to
    session.add(opening)
    _commit(session, opening)
    return opening


def _commit(session: Session, opening: Opening) -> None:
    try:
        session.commit()
    except IntegrityError:  # a place was taken in another request just now: the filled <= capacity check
        session.rollback()
        raise OpeningRefused.about({"capacity": _("More places were taken meanwhile than this capacity allows. "
                                     "Raise the number of places.")}) from None


def status_label(status: OpeningStatus | str) -> str:
    """An opening's status in words of the current language."""
    labels = {DRAFT: _("draft"), OPEN: _("open"), CLOSED: _("closed")}
    return labels[OpeningStatus(status)]


# ---------------------------------------------------------------- an association's own list

PAGE_SIZE = 20  # an association's openings per page


def of_association(association_id: int) -> Any:
    """The association's openings, newest first: read in the order of `ix_opening_association_created`,
    so a page costs its own rows however many openings the association has."""
    return (select(Opening).where(Opening.association_id == association_id)
            .order_by(col(Opening.created_at).desc(), col(Opening.id).desc()))


def page_of_association(session: Session, association_id: int, number: int
                        ) -> tuple[Page, dict[int, dict[InterestState, int]]]:
    """Page `number` of the association's openings (404 past the end) and, for those openings only,
    how many interests each has in each state."""
    total = session.exec(select(func.count()).select_from(Opening)
                         .where(Opening.association_id == association_id)).one()
    page = Page([], number, PAGE_SIZE, total)
    check_page(page)
    rows = list(session.exec(of_association(association_id).offset(page.start).limit(PAGE_SIZE)))
    counts: dict[int, dict[InterestState, int]] = {}
    for opening_id, state, count in session.exec(
            select(Interest.opening_id, Interest.state, func.count())
            .where(col(Interest.opening_id).in_([o.id for o in rows]))
            .group_by(col(Interest.opening_id), col(Interest.state))):
        counts.setdefault(opening_id, {})[InterestState(state)] = count
    return Page(rows, number, PAGE_SIZE, total), counts
