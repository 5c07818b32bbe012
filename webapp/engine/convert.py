"""Rows to `matching` objects: the one place the web app does this.

Each row becomes a dict in the engine's record format, read by the engine's own
`opening_from_record` / `youth_from_record`, so the database and the files obey the
same rules and give equal objects.
"""
from __future__ import annotations

from typing import Any

from matching.io import opening_from_record, youth_from_record
from matching.model import Opening as EngineOpening
from matching.model import Youth as EngineYouth

from ..models import Opening, YouthProfile


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def opening_record(row: Opening, association_name: str | None = None) -> dict[str, Any]:
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


def opening_from_row(row: Opening, association_name: str | None = None) -> EngineOpening:
    """A `matching.Opening`; raises `matching.io.FieldError` if the row breaks the record rules."""
    return opening_from_record(opening_record(row, association_name))


def youth_from_row(row: YouthProfile) -> EngineYouth:
    """A `matching.Youth`; raises `matching.io.FieldError` if the row breaks the record rules."""
    return youth_from_record(youth_record(row))
