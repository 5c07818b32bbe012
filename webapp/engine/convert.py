"""Rows to `matching` objects: the one place the web app does this.

Each row becomes a dict in the engine's record format, read by the engine's own
`opening_from_record` / `youth_from_record`, so the database and the files obey the
same rules and give equal objects. The tables refuse what the engine would refuse
(`models`), so a row the engine cannot read is one stored before they did, or written
past them: one of a batch is left out and named (`openings_from_rows`, `youths_from_rows`),
a single one raises `matching.io.FieldError` for its caller to answer.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from matching.io import FieldError, opening_from_record, youth_from_record
from matching.model import Opening as EngineOpening
from matching.model import Youth as EngineYouth

from ..models import Opening, YouthProfile

T = TypeVar("T")
R = TypeVar("R")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def opening_record(row: Opening | sa.Row[Any], association_name: str | None = None) -> dict[str, Any]:
    """The record of an opening row (an `Opening`, or a plain row of its table's columns); pass
    `association_name` to avoid loading the association."""
    return {
        "id": row.ref, "title": row.title, "description": row.description,
        "association": association_name if association_name is not None else row.association.name,
        "kind": row.kind, "themes": row.themes, "municipality": row.municipality, "lat": row.lat, "lon": row.lon,
        "remote": row.remote, "schedule": row.schedule or None, "start_date": _iso(row.start_date),
        "end_date": _iso(row.end_date), "capacity": row.capacity, "filled": row.filled, "min_age": row.min_age,
        "max_age": row.max_age, "languages": row.languages, "requirements": row.requirements,
        "support": row.support, "benefits": row.benefits,
    }


def youth_record(row: YouthProfile) -> dict[str, Any]:
    return {
        "id": row.ref, "age": row.age, "interests": row.interests, "themes": row.themes,
        "municipality": row.municipality, "lat": row.lat, "lon": row.lon, "max_travel_km": row.max_travel_km,
        "remote_ok": row.remote_ok, "availability": row.availability or None, "languages": row.languages,
        "kinds": row.kinds, "qualifications": row.qualifications, "needs": row.needs, "goals": row.goals,
    }


def opening_from_row(row: Opening | sa.Row[Any], association_name: str | None = None) -> EngineOpening:
    """A `matching.Opening`; raises `matching.io.FieldError` if the row breaks the record rules."""
    return opening_from_record(opening_record(row, association_name))


def youth_from_row(row: YouthProfile) -> EngineYouth:
    """A `matching.Youth`; raises `matching.io.FieldError` if the row breaks the record rules."""
    return youth_from_record(youth_record(row))


@dataclass(frozen=True)
class Skipped:
    """A row the engine could not read, and why: left out of a batch, never a crash."""

    ref: str
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.ref}: field '{self.field}': {self.message}"


@dataclass(frozen=True)
class Converted(Generic[T]):
    """The engine's objects of the rows it could read, and the rows it could not."""

    items: list[T]
    skipped: list[Skipped]


def openings_from_rows(rows: Iterable[tuple[Opening | sa.Row[Any], str]]) -> Converted[EngineOpening]:
    """The engine's openings of (row, association name) pairs, the unreadable ones skipped."""
    return _convert(rows, lambda pair: opening_from_row(pair[0], pair[1]), lambda pair: pair[0].ref)


def youths_from_rows(rows: Iterable[YouthProfile]) -> Converted[EngineYouth]:
    """The engine's youths of profile rows, the unreadable ones skipped."""
    return _convert(rows, youth_from_row, lambda row: row.ref)


def _convert(rows: Iterable[R], read: Callable[[R], T], ref: Callable[[R], str]) -> Converted[T]:
    items: list[T] = []
    skipped: list[Skipped] = []
    for row in rows:
        try:
            items.append(read(row))
        except FieldError as e:  # stored before the tables refused such values, or written past them
            skipped.append(Skipped(ref(row), e.field, e.message))
    return Converted(items, skipped)
