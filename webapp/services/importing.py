"""Openings from a file into the database: the engine's reading of each record, all or nothing.

`import_openings` upserts by ref (the record's id) into the session; the caller commits,
so `flask --app webapp import-openings` (webapp.cli) and the benchmarks share one path.
Every record is read by `matching.io` (the same validation as the engine, errors naming
file, line and field) and checked against what the table would refuse.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from sqlmodel import Session, col, select

from matching.io import FieldError, RecordError, iter_records, opening_from_record, opening_to_record
from matching.model import Opening as EngineOpening

from .. import ytunnus
from ..models import Association, Opening
from ..states import OpeningStatus


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def find_association(session: Session, name_or_business_id: str) -> Association | None:
    """The association with this Y-tunnus (if it is one) or else this exact name."""
    text = name_or_business_id.strip()
    if ytunnus.is_valid(text):
        found = session.exec(select(Association).where(Association.business_id == text)).first()
        if found is not None:
            return found
    return session.exec(select(Association).where(Association.name == text)).first()


def _row_fields(opening: EngineOpening) -> dict[str, Any]:
    """The Opening row's fields from the engine's reading of a record (lists normalised, CSV or JSON alike)."""
    record = opening_to_record(opening)
    return {
        "title": opening.title, "description": opening.description,
        "kind": opening.kind.value if opening.kind else None, "themes": list(opening.themes),
        "municipality": record.get("municipality"), "lat": record.get("lat"), "lon": record.get("lon"),
        "remote": opening.remote, "schedule": _slots(opening.schedule.text) if opening.schedule else [],
        "start_date": opening.start_date, "end_date": opening.end_date,
        "capacity": opening.capacity, "filled": opening.filled, "min_age": opening.min_age,
        "max_age": opening.max_age, "languages": record.get("languages", []),
        "requirements": record.get("requirements", []), "support": record.get("support", []),
        "benefits": record.get("benefits", []),
    }


def _slots(schedule: str) -> list[str]:
    """'ti 17-22;pe 17-22' (CSV) and 'ti 17-22; pe 17-22' (JSON) alike as ['ti 17-22', 'pe 17-22']."""
    return [part.strip() for part in schedule.split(";") if part.strip()]


def _check_row_limits(fields: dict[str, Any], ref: str) -> tuple[str, str] | None:
    """(field, message) for what the table would refuse though the engine accepts it."""
    columns = Opening.__table__.c
    for name, value in [("id", ref), *fields.items()]:
        length = getattr(columns["ref" if name == "id" else name].type, "length", None)
        if isinstance(value, str) and length is not None and len(value) > length:
            return name, f"at most {length} characters, got {len(value)}"
    if fields["capacity"] is not None and fields["filled"] > fields["capacity"]:
        return "filled", f"filled {fields['filled']} is more than the capacity {fields['capacity']}"
    return None


class ImportRecord(NamedTuple):
    line: int
    ref: str
    association: Association
    fields: dict[str, Any]


def read_openings(path: Path, session: Session, association: Association | None) -> list[ImportRecord]:
    """Every record of the file, checked as the engine and the table would; RecordError at the first bad one."""
    source = str(path)
    associations = {a.name: a for a in session.exec(select(Association))}
    seen: dict[str, int] = {}
    out = []
    for line, record in iter_records(path):
        try:
            opening = opening_from_record(record)
        except FieldError as e:
            raise RecordError(source, line, e.field, e.message) from None
        if opening.id in seen:
            raise RecordError(source, line, "id", f"duplicate id {opening.id!r} (first on line {seen[opening.id]})")
        seen[opening.id] = line
        named = opening.association.strip()
        if association is not None:
            if named and named != association.name:
                raise RecordError(source, line, "association",
                                  f"names {named!r}, but the import is into {association.name!r}")
            owner = association
        elif not named:
            raise RecordError(source, line, "association", "missing; name one or give --association")
        elif named not in associations:
            raise RecordError(source, line, "association", f"no association named {named!r} in the database")
        else:
            owner = associations[named]
        fields = _row_fields(opening)
        problem = _check_row_limits(fields, opening.id)
        if problem is not None:
            raise RecordError(source, line, *problem)
        out.append(ImportRecord(line, opening.id, owner, fields))
    return out


def import_openings(session: Session, path: Path, association: Association | None,
                    status: OpeningStatus | None) -> ImportCounts:
    """Upsert the file's openings by ref in the session (the caller commits); RecordError if any is bad.

    New openings get `status` (default open); existing ones keep theirs unless `status` is given.
    An existing ref of another association is refused: an import never moves an opening.
    """
    records = read_openings(path, session, association)
    existing: dict[str, Opening] = {}
    refs = [r.ref for r in records]
    for start in range(0, len(refs), 500):
        chunk = refs[start:start + 500]
        existing.update((o.ref, o) for o in session.exec(select(Opening).where(col(Opening.ref).in_(chunk))))
    counts = ImportCounts()
    for line, ref, owner, fields in records:
        row = existing.get(ref)
        if row is None:
            session.add(Opening(ref=ref, association_id=owner.id, status=status or OpeningStatus.OPEN, **fields))  # type: ignore[arg-type]  # a stored row's id is set
            counts.created += 1
            continue
        if row.association_id != owner.id:
            raise RecordError(str(path), line, "id", f"opening {ref!r} belongs to another association")
        if status is not None:
            fields = {**fields, "status": status}
        changed = {k: v for k, v in fields.items() if getattr(row, k) != v}
        for name, value in changed.items():
            setattr(row, name, value)
        if changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
    session.flush()
    return counts
