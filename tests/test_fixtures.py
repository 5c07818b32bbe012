"""The seed data in fixtures/: hand-written records, qrels, their CSV copies and the generator.

"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from fixtures import generate, parts, templates, tocsv
from matching.model import Benefit, Kind, Requirement, Support

ROOT = Path(__file__).resolve().parent.parent
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


def load(name: str) -> list[dict]:
    return tocsv.read_jsonl(FIX / f"{name}.jsonl")


OPENINGS = load("openings")
YOUTHS = load("youths")
with open(FIX / "qrels.csv", encoding="utf-8", newline="") as _f:
    QRELS = list(csv.reader(_f))


# --- record checks, shared by the hand-written files and the generator --------------------------

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


def _slots(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value) if isinstance(value, list) else [None]


def opening_problems(rec: dict, places=REGION) -> list[str]:
    errors: list[str] = []
    for key in ("id", "title", "description", "association", "kind"):
        if not (isinstance(rec.get(key), str) and rec[key].strip()):
            errors.append(f"{key} missing or empty")
    _common(rec, tocsv.OPENING_FIELDS, places, errors)
    if "kind" in rec and rec["kind"] not in {k.value for k in Kind}:
        errors.append(f"unknown kind {rec['kind']!r}")
    if "schedule" in rec and not all(isinstance(s, str) and s.strip() for s in _slots(rec["schedule"])):
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
    if "availability" in rec and not all(isinstance(s, str) and s.strip() for s in _slots(rec["availability"])):
        errors.append("availability must be a string or a list of strings")
    return errors


def assert_valid(records, check, **kw):
    bad = {r.get("id"): p for r in records if (p := check(r, **kw))}
    assert not bad, f"{len(bad)} bad records, e.g. {dict(list(bad.items())[:5])}"


# --- hand-written fixtures -----------------------------------------------------------------------

@pytest.mark.parametrize("records,prefix", [(OPENINGS, "o"), (YOUTHS, "y")])
def test_ids_unique_and_numbered(records, prefix):
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    assert ids == [f"{prefix}-{i}" for i in range(1, len(ids) + 1)]


def test_openings_valid():
    assert 35 <= len(OPENINGS) <= 55
    assert_valid(OPENINGS, opening_problems)


def test_youths_valid():
    assert 12 <= len(YOUTHS) <= 20
    assert_valid(YOUTHS, youth_problems)


def test_openings_cover_the_cases():
    assert {o["kind"] for o in OPENINGS} == {k.value for k in Kind}
    langs = Counter(lang for o in OPENINGS for lang in o.get("languages", []))
    assert langs["sv"] >= 3 and langs["en"] >= 3
    assert any("languages" not in o for o in OPENINGS)
    assert any(o.get("remote") for o in OPENINGS)
    assert any(dt.date.fromisoformat(o["end_date"]) < TODAY for o in OPENINGS if "end_date" in o), "an ended one"
    assert sum(dt.date.fromisoformat(o.get("end_date", "2099-01-01")) >= TODAY for o in OPENINGS) > len(OPENINGS) * .8
    assert any(o.get("min_age", 0) >= 18 for o in OPENINGS)
    assert any(isinstance(o.get("schedule"), list) for o in OPENINGS)


def test_youths_cover_the_cases():
    needs = Counter(n for y in YOUTHS for n in y.get("needs", []))
    assert needs["at_home"] and needs["wheelchair_accessible"]
    assert any("lat" in y for y in YOUTHS)
    assert any(set(y) == {"id", "interests"} for y in YOUTHS), "one youth with only interests"
    assert {"fi", "sv", "en"} <= {lang for y in YOUTHS for lang in y.get("languages", [])}


# --- qrels ------------------------------------------------------------------------------------------

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


def _check_qrels(qrels: list[list[str]], youth_records: list[dict], opening_records: list[dict],
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


def test_qrels_refer_to_existing_records():
    _check_qrels(QRELS, YOUTHS, OPENINGS, min_judged=5, min_best=2)


def test_qrels_respect_hard_constraints():
    ys, os_ = {y["id"]: y for y in YOUTHS}, {o["id"]: o for o in OPENINGS}
    judged = [(y, o, hard_violations(ys[y], os_[o])) for y, o, r in QRELS[1:] if r != "0"]
    bad = [row for row in judged if row[2]]
    assert not bad


# --- CSV copies -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,fields", tocsv.FILES)
def test_csv_is_in_sync_with_jsonl(name, fields):
    expected = tocsv.to_csv(load(name), fields)
    actual = (FIX / f"{name}.csv").read_text(encoding="utf-8")
    assert actual == expected, f"fixtures/{name}.csv is stale: run python3 -m fixtures.tocsv"


@pytest.mark.parametrize("name,fields", tocsv.FILES)
def test_csv_reads_back_to_the_same_records(name, fields):
    def norm(rec):
        return {k: [s.strip() for s in ";".join(_slots(v)).split(";")] if k in ("schedule", "availability") else v
                for k, v in rec.items()}
    rows = csv.DictReader(io.StringIO((FIX / f"{name}.csv").read_text(encoding="utf-8")))
    assert tuple(rows.fieldnames) == fields
    assert [norm(tocsv.from_row(r)) for r in rows] == [norm(r) for r in load(name)]


# --- generator --------------------------------------------------------------------------------------

N = 2000


@pytest.fixture(scope="module")
def gen_openings():
    return list(generate.generate_openings(N, seed=11))


@pytest.fixture(scope="module")
def gen_youths():
    return list(generate.generate_youths(N, seed=11))


def test_parts_are_consistent():
    assert set(parts.THEMES) == THEMES
    for table in (parts.THEME_FI, parts.THEME_SV, parts.THEME_EN, parts.THEME_TALK):
        assert set(table) == THEMES
    assert len(FINLAND) == len(parts.MUNICIPALITIES) >= 60
    assert REGION <= FINLAND and set(parts.SWEDISH_WEIGHTS) <= FINLAND
    assert all(set(v) <= THEMES for v in list(parts.KIND_THEMES.values()) + list(parts.RELATED.values()))


@pytest.mark.parametrize("role,forms", [
    ("koiranulkoiluttaja", ("koiranulkoiluttajaksi", "koiranulkoiluttajana", "koiranulkoiluttajia")),
    ("kioskimyyjä", ("kioskimyyjäksi", "kioskimyyjänä", "kioskimyyjiä")),
    ("nuorisotalon vapaaehtoinen",
     ("nuorisotalon vapaaehtoiseksi", "nuorisotalon vapaaehtoisena", "nuorisotalon vapaaehtoisia")),
    ("digitukija", ("digitukijaksi", "digitukijana", "digitukijoita")),
    ("lumitöiden tekijä", ("lumitöiden tekijäksi", "lumitöiden tekijänä", "lumitöiden tekijöitä")),
    ("IT-tukihenkilö", ("IT-tukihenkilöksi", "IT-tukihenkilönä", "IT-tukihenkilöitä")),
    ("roudari", ("roudariksi", "roudarina", "roudareita")),
    ("ulkoiluystävä", ("ulkoiluystäväksi", "ulkoiluystävänä", "ulkoiluystäviä")),
])
def test_inflection(role, forms):
    assert generate.inflect(role) == (role, *forms)


def test_generator_is_deterministic_per_seed():
    assert list(generate.generate_openings(300, seed=5)) == list(generate.generate_openings(300, seed=5))
    assert list(generate.generate_youths(300, seed=5)) == list(generate.generate_youths(300, seed=5))


def test_generator_differs_across_seeds():
    assert list(generate.generate_openings(50, seed=1)) != list(generate.generate_openings(50, seed=2))
    assert list(generate.generate_youths(50, seed=1)) != list(generate.generate_youths(50, seed=2))


def test_generated_openings_valid(gen_openings):
    assert [o["id"] for o in gen_openings] == [f"g-o-{i}" for i in range(1, N + 1)]
    assert_valid(gen_openings, opening_problems, places=FINLAND)
    assert {o["kind"] for o in gen_openings} == {k.value for k in Kind}
    assert len({o["municipality"] for o in gen_openings if "municipality" in o}) >= 50


def test_generated_youths_valid(gen_youths):
    assert [y["id"] for y in gen_youths] == [f"g-y-{i}" for i in range(1, N + 1)]
    assert_valid(gen_youths, youth_problems, places=FINLAND)


def test_generated_mix_and_correlations(gen_openings):
    swedish = sum(o["association"].endswith(" rf") for o in gen_openings) / N
    assert .05 < swedish < .11
    def share(theme, code):
        rows = [o for o in gen_openings if o["themes"][0] == theme and o["kind"] not in ("course", "coaching")]
        return sum(code in o.get("requirements", ()) for o in rows) / max(len(rows), 1)
    assert share("kitchen", "hygiene_passport") > .6
    assert share("children", "criminal_record_check") > .5
    assert all(o.get("min_age", 0) >= 18 for o in gen_openings if "alcohol_passport" in o.get("requirements", ()))
    assert sum(o.get("remote", False) for o in gen_openings) > 0
    jobs = [o for o in gen_openings if o["kind"] == "job"]
    assert sum("pay" in o.get("benefits", ()) for o in jobs) > .9 * len(jobs)


def test_cli_writes_json_lines(capsys):
    assert generate.main(["openings", "-n", "40", "--seed", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line) for line in lines] == list(generate.generate_openings(40, seed=3))
    assert generate.main(["youths", "-n", "5"]) == 0
    assert [json.loads(line) for line in capsys.readouterr().out.splitlines()] == list(generate.generate_youths(5))


# --- schedules (needs matching.schedule, being written alongside) -----------------------------------

def _schedule_strings(gen_openings, gen_youths) -> list[str]:
    out = []
    for rec in OPENINGS + gen_openings:
        out += _slots(rec["schedule"]) if "schedule" in rec else []
    for rec in YOUTHS + gen_youths:
        out += _slots(rec["availability"]) if "availability" in rec else []
    out += [s for pools in templates.SCHED.values() for pool in pools.values() for s in pool]
    out += [s for pool in templates.Y_SCHED.values() for s in pool]
    return list(dict.fromkeys(out))


def test_every_schedule_parses(gen_openings, gen_youths):
    from matching.schedule import Weekly as weekly

    bad = []
    for text in _schedule_strings(gen_openings, gen_youths):
        try:
            weekly.parse(text)
        except Exception as exc:  # noqa: BLE001 - report every failure, whatever its type
            bad.append(f"{text!r}: {exc}")
    assert not bad, f"{len(bad)} schedule strings do not parse: {bad[:10]}"
