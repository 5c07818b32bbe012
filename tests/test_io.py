"""Loaders: good records load, every kind of bad record is named by file, line and field."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from matching import RecordError, load_openings, load_qrels, load_youths
from matching.io import (OPENING_FIELDS, YOUTH_FIELDS, opening_to_record, write_csv, write_jsonl,
                         youth_to_record)
from matching.model import Kind, Requirement, Support

FIXTURES = Path(__file__).parent.parent / "fixtures"
GOOD_OPENING = {"id": "o-1", "title": "Kioskimyyjä", "description": "Myy kahvia"}


def _write(tmp_path: Path, lines: list[object], name: str = "openings.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines),
                    encoding="utf-8")
    return path


def test_a_full_opening_record_loads_with_every_field(tmp_path):
    record = {
        **GOOD_OPENING, "association": "Kemin Kiekko-Juniorit ry", "kind": "event",
        "themes": ["ice_hockey", "customer_service"], "municipality": "Kemi", "remote": False,
        "schedule": "la-su 10-16", "start_date": "2026-12-01", "end_date": "2027-03-31",
        "capacity": 4, "filled": 1, "min_age": 16, "max_age": 29, "languages": ["fi"],
        "requirements": ["hygiene_passport"], "support": ["supervisor_present", "group"],
        "benefits": ["work_certificate", "meal"],
    }
    (o,) = load_openings(_write(tmp_path, [record]))
    assert o.kind is Kind.EVENT and o.themes == ("ice_hockey", "customer_service")
    assert o.place and o.place.name == "Kemi" and abs(o.place.lat - 65.74) < 0.1
    assert o.schedule and o.schedule.hours == 12.0
    assert o.end_date == dt.date(2027, 3, 31) and o.places_left == 3
    assert o.requirements == {Requirement.HYGIENE_PASSPORT}
    assert Support.SUPERVISOR_PRESENT in o.support


def test_missing_optional_fields_mean_no_constraint(tmp_path):
    (o,) = load_openings(_write(tmp_path, [{"id": 7, "title": "Talkoot"}]))
    assert o.id == "7" and o.kind is None and o.place is None and o.schedule is None
    assert o.capacity is None and not o.languages and not o.requirements
    (y,) = load_youths(_write(tmp_path, [{"id": "y-1", "interests": None, "age": ""}], "y.jsonl"))
    assert y.age is None and y.interests == "" and y.availability is None


def test_lat_lon_may_stand_in_for_a_municipality(tmp_path):
    (y,) = load_youths(_write(tmp_path, [{"id": "y-1", "lat": 65.8, "lon": 24.2}], "y.jsonl"))
    assert y.place and y.place.lat == 65.8 and y.place.name is None


BAD_OPENINGS = [
    ({"title": "x"}, "id", "is required"),
    ({"id": "o-1"}, "title", "is required"),
    ({**GOOD_OPENING, "kind": "party"}, "kind", "unknown kind 'party'"),
    ({**GOOD_OPENING, "themes": ["dogs"]}, "themes", "unknown theme 'dogs'"),
    ({**GOOD_OPENING, "municipality": "Tornoi"}, "municipality", "did you mean Tornio"),
    ({**GOOD_OPENING, "lat": 65.8}, "lon", "lat and lon must be given together"),
    ({**GOOD_OPENING, "lat": "north", "lon": 24}, "lat", "expected a number"),
    ({**GOOD_OPENING, "remote": "maybe"}, "remote", "expected true or false"),
    ({**GOOD_OPENING, "schedule": "tiistaina aamulla kuuteen"}, "schedule", "cannot read"),
    ({**GOOD_OPENING, "start_date": "1.6.2026"}, "start_date", "expected an ISO date"),
    ({**GOOD_OPENING, "start_date": "2026-06-02", "end_date": "2026-06-01"}, "end_date", "before it starts"),
    ({**GOOD_OPENING, "capacity": 0}, "capacity", "from 1 to"),
    ({**GOOD_OPENING, "capacity": "many"}, "capacity", "expected a whole number"),
    ({**GOOD_OPENING, "min_age": 20, "max_age": 18}, "max_age", "below min_age"),
    ({**GOOD_OPENING, "languages": ["finnish"]}, "languages", "ISO 639-1"),
    ({**GOOD_OPENING, "requirements": ["passport"]}, "requirements", "unknown requirement"),
    ({**GOOD_OPENING, "support": ["lots"]}, "support", "unknown support"),
    ({**GOOD_OPENING, "benefits": ["fame"]}, "benefits", "unknown benefit"),
    ({**GOOD_OPENING, "capasity": 3}, "capasity", "did you mean 'capacity'"),
    ({**GOOD_OPENING, "title": {"fi": "x"}}, "title", "expected text"),
]


@pytest.mark.parametrize("record, field, message", BAD_OPENINGS, ids=[f for _, f, _ in BAD_OPENINGS])
def test_bad_opening_records_name_file_line_and_field(tmp_path, record, field, message):
    path = _write(tmp_path, [GOOD_OPENING, {**GOOD_OPENING, "id": "o-2"}, record])
    with pytest.raises(RecordError) as err:
        load_openings(path)
    assert err.value.line == 3 and err.value.field == field
    assert message in str(err.value)
    assert str(err.value).startswith(f"{path}, line 3, field '{field}': ")


BAD_YOUTHS = [
    ({"id": "y-1", "age": "seventeen"}, "age", "expected a whole number"),
    ({"id": "y-1", "max_travel_km": -5}, "max_travel_km", "from 0"),
    ({"id": "y-1", "availability": "sometimes maybe"}, "availability", "cannot read"),
    ({"id": "y-1", "kinds": ["gig"]}, "kinds", "unknown kind"),
    ({"id": "y-1", "needs": ["coffee"]}, "needs", "unknown support"),
    ({"id": "y-1", "goals": "money"}, "goals", "unknown benefit"),
    ({"id": "y-1", "qualifications": ["phd"]}, "qualifications", "unknown requirement"),
    ({"id": "y-1", "remote_ok": "sure"}, "remote_ok", "expected true or false"),
]


@pytest.mark.parametrize("record, field, message", BAD_YOUTHS, ids=[f for _, f, _ in BAD_YOUTHS])
def test_bad_youth_records_name_their_field(tmp_path, record, field, message):
    with pytest.raises(RecordError) as err:
        load_youths(_write(tmp_path, [record], "youths.jsonl"))
    assert (err.value.line, err.value.field) == (1, field) and message in str(err.value)


def test_bad_lines_and_files(tmp_path):
    with pytest.raises(RecordError, match=r"line 2: not valid JSON"):
        load_openings(_write(tmp_path, [GOOD_OPENING, "{oops"]))
    with pytest.raises(RecordError, match=r"line 1: expected a JSON object"):
        load_openings(_write(tmp_path, ["[1, 2]"]))
    with pytest.raises(RecordError, match=r"line 2, field 'id': duplicate id 'o-1' \(first on line 1\)"):
        load_openings(_write(tmp_path, [GOOD_OPENING, GOOD_OPENING]))
    with pytest.raises(RecordError, match="cannot open"):
        load_openings(tmp_path / "missing.jsonl")
    with pytest.raises(RecordError, match="unknown format"):
        load_openings(_write(tmp_path, [GOOD_OPENING], "openings.xml"))
    csv_path = tmp_path / "o.csv"
    csv_path.write_text("id,title\no-1,Kioski,extra\n", encoding="utf-8")
    with pytest.raises(RecordError, match="line 2: more cells than header columns"):
        load_openings(csv_path)


def test_blank_lines_are_skipped_and_line_numbers_stay_true(tmp_path):
    path = tmp_path / "o.jsonl"
    path.write_text(json.dumps(GOOD_OPENING) + "\n\n" + json.dumps({"id": "o-2"}) + "\n", encoding="utf-8")
    with pytest.raises(RecordError) as err:
        load_openings(path)
    assert err.value.line == 3


def test_records_round_trip_through_jsonl_and_csv(tmp_path):
    openings = load_openings(FIXTURES / "openings.jsonl")
    youths = load_youths(FIXTURES / "youths.jsonl")
    for name, items, to_record, fields, load in [
        ("o", openings, opening_to_record, OPENING_FIELDS, load_openings),
        ("y", youths, youth_to_record, YOUTH_FIELDS, load_youths),
    ]:
        with open(tmp_path / f"{name}.jsonl", "w", encoding="utf-8") as f:
            write_jsonl(map(to_record, items), f)
        with open(tmp_path / f"{name}.csv", "w", encoding="utf-8", newline="") as f:
            write_csv(map(to_record, items), fields, f)
        assert load(tmp_path / f"{name}.jsonl") == items
        assert load(tmp_path / f"{name}.csv") == items


def test_fixture_csv_files_load_like_their_jsonl_twins():
    assert load_openings(FIXTURES / "openings.csv") == load_openings(FIXTURES / "openings.jsonl")
    assert load_youths(FIXTURES / "youths.csv") == load_youths(FIXTURES / "youths.jsonl")


def test_qrels_load_and_reject_bad_rows(tmp_path):
    qrels = load_qrels(FIXTURES / "qrels.csv")
    assert qrels and all(0 <= r <= 3 for judged in qrels.values() for r in judged.values())
    bad = tmp_path / "q.csv"
    bad.write_text("youth_id,opening_id,relevance\ny-1,o-1,5\n", encoding="utf-8")
    with pytest.raises(RecordError, match=r"line 2, field 'relevance': expected a number from 0 to 3"):
        load_qrels(bad)
    bad.write_text("youth,opening\n", encoding="utf-8")
    with pytest.raises(RecordError, match="missing columns"):
        load_qrels(bad)
