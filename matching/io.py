"""Reading and writing Youth and Opening records as JSON Lines and CSV.

Every problem names the file, the line and the field, so whoever exported the file
can fix it; a missing optional field means "unknown / no constraint".
"""
from __future__ import annotations

import codecs
import csv
import io as _io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

from . import geo
from .fields import (FieldError, Reader, as_bool, as_date, as_float, as_int, as_text, codes, languages, missing,
                     theme_ids, weekly)
from .model import Benefit, Kind, Opening, Place, Requirement, Support, Vocabulary, Youth


class _Record(Protocol):
    """What loading reads of every record: its id, unique within a file."""

    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=_Record)  # a Youth or an Opening


OPENING_FIELDS = (
    "id", "title", "description", "association", "kind", "themes", "municipality", "lat",
    "lon", "remote", "schedule", "start_date", "end_date", "capacity", "filled", "min_age",
    "max_age", "languages", "requirements", "support", "benefits",
)
YOUTH_FIELDS = (
    "id", "age", "interests", "themes", "municipality", "lat", "lon", "max_travel_km",
    "remote_ok", "availability", "languages", "kinds", "qualifications", "needs", "goals",
)
LIST_FIELDS = frozenset(
    {"themes", "languages", "requirements", "support", "benefits", "kinds", "qualifications",
     "needs", "goals"}
)


class RecordError(ValueError):
    """A bad record, located: file, line and field."""

    def __init__(self, source: str, line: int, field: str | None, message: str) -> None:
        where = f"{source}, line {line}" + (f", field '{field}'" if field else "")
        super().__init__(f"{where}: {message}")
        self.source, self.line, self.field, self.message = source, line, field, message

# ---------------------------------------------------------------- records

def opening_from_record(record: Mapping[str, Any]) -> Opening:
    """An Opening from a dict of the record format; raises FieldError."""
    r = Reader(record, OPENING_FIELDS)
    start, end = r.get("start_date", as_date, None), r.get("end_date", as_date, None)
    if start and end and end < start:
        raise FieldError("end_date", f"ends ({end}) before it starts ({start})")
    min_age = r.get("min_age", lambda v: as_int(v, 0, 120), None)
    max_age = r.get("max_age", lambda v: as_int(v, 0, 120), None)
    if min_age is not None and max_age is not None and max_age < min_age:
        raise FieldError("max_age", f"max_age {max_age} is below min_age {min_age}")
    return Opening(
        id=r.required("id"),
        title=r.required("title"),
        description=r.get("description", as_text, ""),
        association=r.get("association", as_text, ""),
        kind=r.get("kind", Kind.parse, None),
        themes=r.get("themes", theme_ids, ()),
        place=r.place(),
        remote=r.get("remote", as_bool, False),
        schedule=r.get("schedule", weekly, None),
        start_date=start,
        end_date=end,
        capacity=r.get("capacity", lambda v: as_int(v, 1, 1_000_000), None),
        filled=r.get("filled", lambda v: as_int(v, 0, 1_000_000), 0),
        min_age=min_age,
        max_age=max_age,
        languages=r.get("languages", languages, frozenset()),
        requirements=r.get("requirements", codes(Requirement), frozenset()),
        support=r.get("support", codes(Support), frozenset()),
        benefits=r.get("benefits", codes(Benefit), frozenset()),
    )


def youth_from_record(record: Mapping[str, Any]) -> Youth:
    """A Youth from a dict of the record format; raises FieldError."""
    r = Reader(record, YOUTH_FIELDS)
    return Youth(
        id=r.required("id"),
        interests=r.get("interests", as_text, ""),
        age=r.get("age", lambda v: as_int(v, 0, 120), None),
        themes=r.get("themes", theme_ids, ()),
        place=r.place(),
        max_travel_km=r.get("max_travel_km", lambda v: as_float(v, 0, 5000), None),
        remote_ok=r.get("remote_ok", as_bool, None),
        availability=r.get("availability", weekly, None),
        languages=r.get("languages", languages, frozenset()),
        kinds=r.get("kinds", codes(Kind), frozenset()),
        qualifications=r.get("qualifications", codes(Requirement), frozenset()),
        needs=r.get("needs", codes(Support), frozenset()),
        goals=r.get("goals", codes(Benefit), frozenset()),
    )


def _sorted_codes(codes: Iterable[Vocabulary]) -> list[str]:
    return sorted(c.value for c in codes)


def _place_fields(place: Place | None) -> dict[str, Any]:
    if place is None:
        return {}
    if place.name and geo.locate(place.name) == place:
        return {"municipality": place.name}
    return {"municipality": place.name, "lat": place.lat, "lon": place.lon}


def opening_to_record(o: Opening) -> dict[str, Any]:
    """The record format of an Opening, without empty fields."""
    rec: dict[str, Any] = {
        "id": o.id, "title": o.title, "description": o.description, "association": o.association,
        "kind": o.kind.value if o.kind else None, "themes": list(o.themes), **_place_fields(o.place),
        "remote": o.remote or None, "schedule": o.schedule.text if o.schedule else None,
        "start_date": o.start_date.isoformat() if o.start_date else None,
        "end_date": o.end_date.isoformat() if o.end_date else None,
        "capacity": o.capacity, "filled": o.filled or None, "min_age": o.min_age, "max_age": o.max_age,
        "languages": sorted(o.languages), "requirements": _sorted_codes(o.requirements),
        "support": _sorted_codes(o.support), "benefits": _sorted_codes(o.benefits),
    }
    return {k: v for k, v in rec.items() if not missing(v)}


def youth_to_record(y: Youth) -> dict[str, Any]:
    """The record format of a Youth, without empty fields."""
    rec: dict[str, Any] = {
        "id": y.id, "age": y.age, "interests": y.interests, "themes": list(y.themes),
        **_place_fields(y.place), "max_travel_km": y.max_travel_km, "remote_ok": y.remote_ok,
        "availability": y.availability.text if y.availability else None,
        "languages": sorted(y.languages), "kinds": _sorted_codes(y.kinds),
        "qualifications": _sorted_codes(y.qualifications), "needs": _sorted_codes(y.needs),
        "goals": _sorted_codes(y.goals),
    }
    return {k: v for k, v in rec.items() if not missing(v)}


# ---------------------------------------------------------------- files

@contextmanager
def text_lines(path: str | Path) -> Iterator[tuple[Iterator[str], str]]:
    """The file's lines as text, each decoded on its own, so a byte that is not UTF-8 is reported with
    its line (a UTF-8 byte-order mark is skipped; UTF-16 is named as such)."""
    if str(path) == "-":
        yield _decoded(sys.stdin.buffer, "<stdin>"), "<stdin>"
        return
    try:
        raw = open(path, "rb")
    except OSError as e:
        raise RecordError(str(path), 0, None, f"cannot open: {e.strerror}") from None
    with raw:
        yield _decoded(raw, str(path)), str(path)


def _decoded(raw: Iterable[bytes], source: str) -> Iterator[str]:
    for n, line in enumerate(raw, 1):
        if n == 1:
            if line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                raise RecordError(source, 1, None, "the file is UTF-16 text; save it as UTF-8")
            line = line.removeprefix(codecs.BOM_UTF8)
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as e:
            raise RecordError(source, n, None, f"not UTF-8 text (byte 0x{line[e.start]:02x} at column {e.start + 1});"
                                               " save the file as UTF-8") from None


def _check_text(value: Any, source: str, line: int, field: str) -> None:
    """Refuses characters no database or page can hold: NUL, and the halves of a UTF-16 pair alone."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise RecordError(source, line, field, "contains a NUL character")
            if _SURROGATE.search(item):
                raise RecordError(source, line, field, "contains an invalid character (half of a UTF-16 pair)")
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
            stack.extend(item.keys())


_SURROGATE = re.compile("[\ud800-\udfff]")


def _format(path: str | Path) -> str:
    suffix = Path(str(path)).suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json") or str(path) == "-":
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    raise RecordError(str(path), 0, None, "unknown format; use a .jsonl or .csv file")


def iter_records(path: str | Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, raw record) from a JSON Lines or CSV file; `RecordError` with the line on
    anything that cannot be read as the format says."""
    fmt = _format(path)
    with text_lines(path) as (lines, source):
        if fmt == "csv":
            yield from _csv_records(lines, source)
            return
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise RecordError(source, n, None, f"not valid JSON ({e.msg} at column {e.colno})") from None
            except RecursionError:
                raise RecordError(source, n, None, "not a record: nested too deeply") from None
            if not isinstance(record, dict):
                raise RecordError(source, n, None, "expected a JSON object")
            for key, value in record.items():
                _check_text(value, source, n, key)
                _check_text(key, source, n, key)
            yield n, record


def _csv_records(lines: Iterator[str], source: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(lines, strict=True)  # strict: a quote that does not close a cell is an error
    first = 1
    try:
        reader.fieldnames  # reads the header
        first = reader.line_num + 1
        for row in reader:
            if None in row:
                raise RecordError(source, reader.line_num, None, "more cells than header columns")
            record = {k.strip(): v for k, v in row.items() if k}
            for key, value in record.items():
                _check_text(value, source, first, key)
            yield first, record
            first = reader.line_num + 1
    except csv.Error as e:
        message = str(e)
        if "field larger than field limit" in message:
            message = f"a cell is longer than {csv.field_size_limit():,} characters"
        elif "unexpected end of data" in message or "expected after" in message:
            message = f"not valid CSV ({message}): is a closing quote missing?"
        else:
            message = f"not valid CSV ({message})"
        raise RecordError(source, first, None, message) from None


def _load(path: str | Path, convert: Callable[[Mapping[str, Any]], R]) -> list[R]:
    out: list[R] = []
    seen: dict[str, int] = {}
    source = str(path) if str(path) != "-" else "<stdin>"
    for line, record in iter_records(path):
        try:
            item = convert(record)
        except FieldError as e:
            raise RecordError(source, line, e.field, e.message) from None
        item_id = item.id
        if item_id in seen:
            raise RecordError(source, line, "id", f"duplicate id {item_id!r} (first on line {seen[item_id]})")
        seen[item_id] = line
        out.append(item)
    return out


def load_openings(path: str | Path) -> list[Opening]:
    """All openings of a .jsonl or .csv file; raises RecordError on the first bad one."""
    return _load(path, opening_from_record)


def load_youths(path: str | Path) -> list[Youth]:
    """All youths of a .jsonl or .csv file; raises RecordError on the first bad one."""
    return _load(path, youth_from_record)


def load_qrels(path: str | Path) -> dict[str, dict[str, int]]:
    """Relevance judgements: CSV youth_id,opening_id,relevance (0-3)."""
    qrels: dict[str, dict[str, int]] = {}
    with text_lines(path) as (lines, source):
        reader = csv.DictReader(lines)
        absent = {"youth_id", "opening_id", "relevance"} - set(reader.fieldnames or ())
        if absent:
            raise RecordError(source, 1, None, f"missing columns: {', '.join(sorted(absent))}")
        for row in reader:
            try:
                rel = as_int(row["relevance"], 0, 3)
            except ValueError as e:
                raise RecordError(source, reader.line_num, "relevance", str(e)) from None
            for name in ("youth_id", "opening_id"):
                if missing(row[name]):
                    raise RecordError(source, reader.line_num, name, "is required")
            qrels.setdefault(row["youth_id"].strip(), {})[row["opening_id"].strip()] = rel
    return qrels


def write_jsonl(records: Iterable[Mapping[str, Any]], out: IO[str]) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_csv(records: Iterable[Mapping[str, Any]], fields: tuple[str, ...], out: IO[str]) -> None:
    """CSV with lists joined by ';' and booleans as true/false, as the loaders read them."""
    writer = csv.DictWriter(out, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({
            k: ";".join(map(str, v)) if isinstance(v, list) else str(v).lower() if isinstance(v, bool) else v
            for k, v in record.items()
        })


def dumps_jsonl(records: Iterable[Mapping[str, Any]]) -> str:
    buf = _io.StringIO()
    write_jsonl(records, buf)
    return buf.getvalue()
