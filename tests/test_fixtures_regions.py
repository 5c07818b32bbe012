"""The judged regional evaluation set in fixtures/regions/: valid records, honest judgements
that the engine's hard rules agree with, and the language mix the quality benchmark splits by."""
from __future__ import annotations

import csv
import datetime as dt
from collections import Counter

import pytest

from fixtures import tocsv
from matching.model import Kind
from tests.support.seed_data import (FIX, TODAY, assert_valid, check_qrels, hard_violations, opening_problems,
                                     youth_problems)

REG = FIX / "regions"
REG_REGIONS = frozenset({"Lappi", "Pohjois-Pohjanmaa", "Kymenlaakso", "Etelä-Karjala", "Pohjanmaa", "Uusimaa"})


def _reg_places() -> frozenset[str]:
    from matching import geo

    return frozenset(n for m in geo.municipalities() if m.region in REG_REGIONS for n in (m.name_fi, m.name_sv))


R_OPENINGS = tocsv.read_jsonl(REG / "openings.jsonl")
R_YOUTHS = tocsv.read_jsonl(REG / "youths.jsonl")
with open(REG / "qrels.csv", encoding="utf-8", newline="") as _f:
    R_QRELS = list(csv.reader(_f))
with open(REG / "languages.csv", encoding="utf-8", newline="") as _f:
    R_LANGS = list(csv.reader(_f))


@pytest.mark.parametrize("records,prefix", [(R_OPENINGS, "r-o"), (R_YOUTHS, "r-y")])
def test_regions_ids_unique_and_numbered(records, prefix):
    ids = [r["id"] for r in records]
    assert ids == [f"{prefix}-{i}" for i in range(1, len(ids) + 1)]


def test_regions_records_valid():
    assert 140 <= len(R_OPENINGS) <= 165 and 55 <= len(R_YOUTHS) <= 65
    places = _reg_places()
    assert_valid(R_OPENINGS, opening_problems, places=places)
    assert_valid(R_YOUTHS, youth_problems, places=places)


def test_regions_load_and_schedules_parse():
    import matching

    assert len(matching.load_openings(REG / "openings.jsonl")) == len(R_OPENINGS)
    assert len(matching.load_youths(REG / "youths.jsonl")) == len(R_YOUTHS)
    assert matching.load_qrels(REG / "qrels.csv")


def test_regions_cover_the_cases():
    assert {o["kind"] for o in R_OPENINGS} == {k.value for k in Kind}
    assert sum(o.get("remote", False) for o in R_OPENINGS) >= 3
    assert any(dt.date.fromisoformat(o["end_date"]) < TODAY for o in R_OPENINGS if "end_date" in o)
    assert sum("themes" not in y for y in R_YOUTHS) >= len(R_YOUTHS) / 3, "a third give only free text"
    needs = Counter(n for y in R_YOUTHS for n in y.get("needs", []))
    assert needs["at_home"] and needs["wheelchair_accessible"]


def test_regions_languages_csv():
    header, *rows = R_LANGS
    assert header == ["youth_id", "lang"]
    assert [y for y, _ in rows] == [y["id"] for y in R_YOUTHS], "one row per youth, in order"
    share = Counter(lang for _, lang in rows)
    assert set(share) == {"fi", "sv", "en"}
    n = len(rows)
    assert .55 <= share["fi"] / n <= .75 and .12 <= share["sv"] / n <= .28 and .08 <= share["en"] / n <= .22


def test_regions_qrels_refer_to_existing_records():
    check_qrels(R_QRELS, R_YOUTHS, R_OPENINGS, min_judged=10, min_best=1)


def test_regions_relevant_pairs_are_eligible():
    import matching

    def violations(y: dict, o: dict) -> list[str]:
        # DESIGN.md: a missing field is no constraint, so requirements count only once qualifications are listed
        return [v for v in hard_violations(y, o) if v != "requirements" or "qualifications" in y]

    ys, os_ = {y["id"]: y for y in R_YOUTHS}, {o["id"]: o for o in R_OPENINGS}
    relevant = [(y, o) for y, o, r in R_QRELS[1:] if r != "0"]
    assert not [(y, o, violations(ys[y], os_[o])) for y, o in relevant if violations(ys[y], os_[o])]
    matcher = matching.Matcher(today=TODAY).fit(matching.load_openings(REG / "openings.jsonl"))
    youths = {y.id: y for y in matching.load_youths(REG / "youths.jsonl")}
    blocked = {}
    for y, o in relevant:
        why = matcher.explain(youths[y], o)
        if not why.eligible:
            blocked[(y, o)] = [b.code for b in why.blocks]
    assert not blocked, f"judged relevant but excluded by the engine: {blocked}"
