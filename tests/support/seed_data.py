"""Checks of the seed records in fixtures/ (hand-written, generated and regional): their fields and
vocabularies, the engine's hard rules, and the judgements (qrels)."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

from fixtures import parts, tocsv
from matching.model import Benefit, Kind, Requirement, Support

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures"
TODAY = dt.date(2026, 11, 23)  # the demo's "today"
THEMES = frozenset(
    "sport ice_hockey football floorball skiing children youth_work elderly disability animals environment "
    "outdoors media photography video social_media it gaming events customer_service kitchen retail office "
    "culture music arts crafts theatre newcomers peer_support maintenance".split())
REGION = frozenset({"Kemi", "Tornio", "Oulu", "Rovaniemi", "Keminmaa", "Kempele", "Ii", "Ylitornio"})
FINLAND = frozenset(m[0] for m in parts.MUNICIPALITIES)
VOCAB = {"requirements": Requirement, "qualifications": Requirement, "support": Support, "needs": Support,
         "benefits": Benefit, "goals": Benefit, "kinds": Kind}


def _date(value, errors, key):
    if not (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        errors.append(f"{key} {value!r} is not an ISO date")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors.append(f"{key} {value!r} is not a valid date")
        return None


def _common(rec: dict, fields, places, errors: list[str]) -> None:
    unknown = set(rec) - set(fields)
    if unknown:
        errors.append(f"unknown fields {sorted(unknown)}")
    for key in ("themes", "languages", *VOCAB):
        if key not in rec:
            continue
        value = rec[key]
        if not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            errors.append(f"{key} must be a non-empty list of strings")
            continue
        if len(set(value)) != len(value):
            errors.append(f"{key} has duplicates")
        if key == "themes" and not set(value) <= THEMES:
            errors.append(f"unknown themes {sorted(set(value) - THEMES)}")
        if key == "languages" and not all(re.fullmatch(r"[a-z]{2}", v) for v in value):
            errors.append(f"languages {value} are not ISO 639-1 codes")
        if key in VOCAB:
            valid = {m.value for m in VOCAB[key]}
            if not set(value) <= valid:
                errors.append(f"{key}: unknown codes {sorted(set(value) - valid)}")
    if "municipality" in rec and rec["municipality"] not in places:
        errors.append(f"municipality {rec['municipality']!r} not expected")
    if ("lat" in rec) != ("lon" in rec):
        errors.append("lat and lon come together")
    if "lat" in rec and not (59.5 <= rec["lat"] <= 70.2 and 19.0 <= rec["lon"] <= 31.6):
        errors.append(f"({rec['lat']}, {rec['lon']}) is not in Finland")
    for key in ("remote", "remote_ok"):
        if key in rec and not isinstance(rec[key], bool):
            errors.append(f"{key} must be a boolean")


def slots(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value) if isinstance(value, list) else [None]


def opening_problems(rec: dict, places=REGION) -> list[str]:
    errors: list[str] = []
    for key in ("id", "title", "description", "association", "kind"):
        if not (isinstance(rec.get(key), str) and rec[key].strip()):
            errors.append(f"{key} missing or empty")
    _common(rec, tocsv.OPENING_FIELDS, places, errors)
    if "kind" in rec and rec["kind"] not in {k.value for k in Kind}:
        errors.append(f"unknown kind {rec['kind']!r}")
    if "schedule" in rec and not all(isinstance(s, str) and s.strip() for s in slots(rec["schedule"])):
        errors.append("schedule must be a string or a list of strings")
    if isinstance(rec.get("schedule"), list) and any(";" in s for s in rec["schedule"]):
        errors.append("list items of a schedule must not contain ';' (it separates CSV list items)")
    start = _date(rec["start_date"], errors, "start_date") if "start_date" in rec else None
    end = _date(rec["end_date"], errors, "end_date") if "end_date" in rec else None
    if start and end and end < start:
        errors.append("end_date before start_date")
    cap = rec.get("capacity", 1)
    if type(cap) is not int or not 1 <= cap <= 10:
        errors.append(f"capacity {cap!r} not in 1..10")
    lo, hi = rec.get("min_age", 16), rec.get("max_age", 29)
    if type(lo) is not int or type(hi) is not int or not (13 <= lo <= hi <= 35 and lo <= 29 and hi >= 16):
        errors.append(f"age range {lo!r}..{hi!r} is not sensible for 16-29-year-olds")
    return errors


def youth_problems(rec: dict, places=REGION) -> list[str]:
    errors: list[str] = []
    for key in ("id", "interests"):
        if not (isinstance(rec.get(key), str) and rec[key].strip()):
            errors.append(f"{key} missing or empty")
    _common(rec, tocsv.YOUTH_FIELDS, places, errors)
    if "age" in rec and (type(rec["age"]) is not int or not 16 <= rec["age"] <= 29):
        errors.append(f"age {rec['age']!r} not in 16..29")
    km = rec.get("max_travel_km", 1)
    if isinstance(km, bool) or not isinstance(km, (int, float)) or km <= 0:
        errors.append(f"max_travel_km {km!r} must be a positive number")
    if "availability" in rec and not all(isinstance(s, str) and s.strip() for s in slots(rec["availability"])):
        errors.append("availability must be a string or a list of strings")
    return errors


def assert_valid(records, check, **kw):
    bad = {r.get("id"): p for r in records if (p := check(r, **kw))}
    assert not bad, f"{len(bad)} bad records, e.g. {dict(list(bad.items())[:5])}"


def hard_violations(y: dict, o: dict) -> list[str]:
    """The hard rules that need neither geography nor schedule parsing."""
    out = []
    age = y.get("age")
    if age is not None and not o.get("min_age", 0) <= age <= o.get("max_age", 99):
        out.append("age")
    if "languages" in y and not set(o.get("languages", ())) <= set(y["languages"]):
        out.append("language")
    if not set(o.get("requirements", ())) <= set(y.get("qualifications", ())):
        out.append("requirements")
    if "end_date" in o and dt.date.fromisoformat(o["end_date"]) < TODAY:
        out.append("ended")
    if o.get("remote") and y.get("remote_ok") is False:
        out.append("remote")
    needs, support = set(y.get("needs", ())), set(o.get("support", ()))
    for need in ("at_home", "wheelchair_accessible"):
        if need in needs and not (o.get("remote") or need in support):
            out.append(need)
    return out


def check_qrels(qrels: list[list[str]], youth_records: list[dict], opening_records: list[dict],
                 min_judged: int, min_best: int) -> None:
    header, *rows = qrels
    assert header == ["youth_id", "opening_id", "relevance"]
    youths, openings = {y["id"] for y in youth_records}, {o["id"] for o in opening_records}
    pairs = [(y, o) for y, o, _ in rows]
    assert len(pairs) == len(set(pairs)), "duplicate judgements"
    for y, o, rel in rows:
        assert y in youths and o in openings, (y, o)
        assert rel in {"0", "1", "2", "3"}, (y, o, rel)
    per_youth = Counter(y for y, _, _ in rows)
    assert set(per_youth) == youths and min(per_youth.values()) >= min_judged
    for y in youths:
        rels = {int(r) for yy, _, r in rows if yy == y}
        assert max(rels) >= min_best and 0 in rels, y
