"""The seed data in fixtures/: hand-written records, qrels, their CSV copies and the generator.

"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter

import pytest

from fixtures import generate, parts, templates, tocsv
from matching.model import Kind
from tests.support.seed_data import (FINLAND, FIX, REGION, THEMES, TODAY, assert_valid, check_qrels, hard_violations,
                                     opening_problems, slots, youth_problems)


def load(name: str) -> list[dict]:
    return tocsv.read_jsonl(FIX / f"{name}.jsonl")


OPENINGS = load("openings")
YOUTHS = load("youths")
with open(FIX / "qrels.csv", encoding="utf-8", newline="") as _f:
    QRELS = list(csv.reader(_f))


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


def test_qrels_refer_to_existing_records():
    check_qrels(QRELS, YOUTHS, OPENINGS, min_judged=5, min_best=2)


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
        return {k: [s.strip() for s in ";".join(slots(v)).split(";")] if k in ("schedule", "availability") else v
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
        out += slots(rec["schedule"]) if "schedule" in rec else []
    for rec in YOUTHS + gen_youths:
        out += slots(rec["availability"]) if "availability" in rec else []
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
