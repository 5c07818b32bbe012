"""The directory's search and the API's `q` read words as the matching engine does: base forms,
compound parts, close spellings, theme names and synonyms; best match first; filters unchanged."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

OPENINGS = Path(__file__).resolve().parents[2] / "fixtures" / "openings.jsonl"


def _themed(theme: str) -> set[str]:
    records = [json.loads(line) for line in OPENINGS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["id"] for r in records if theme in r.get("themes", [])}


@pytest.fixture
def client(app, runner):
    assert runner.invoke(args=["seed"]).exit_code == 0
    return app.test_client()


def listed(response) -> list[str]:
    return list(dict.fromkeys(re.findall(r'href="/openings/(o-\d+)"', response.get_data(as_text=True))))


def test_jaakiekko_finds_every_opening_about_ice_hockey(client):
    hockey = _themed("ice_hockey")
    assert len(hockey) == 5
    assert set(listed(client.get("/openings?q=jääkiekko"))) >= hockey


@pytest.mark.parametrize("q, theme", [("koirien", "animals"), ("eläimet", "animals"), ("pelaaminen", "gaming"),
                                      ("hundar", "animals"), ("jääkiekko", "ice_hockey")])
def test_inflected_words_and_theme_names_find_openings(client, q, theme):
    found = listed(client.get(f"/openings?q={q}"))
    assert found and set(found) & _themed(theme), found


def test_the_api_q_reads_words_the_same_way(client):
    body = client.get("/api/v1/openings?q=eläimet&per_page=50").get_json()
    assert body["total"] >= 1 and body["total"] == len(body["items"])
    page = listed(client.get("/openings?q=eläimet"))
    assert [item["ref"] if "ref" in item else item["id"] for item in body["items"]] == page


def test_search_keeps_the_other_filters(client):
    everywhere = set(listed(client.get("/openings?q=jääkiekko")))
    in_kemi = set(listed(client.get("/openings?q=jääkiekko&municipality=Kemi")))
    assert in_kemi < everywhere
    assert in_kemi == everywhere & set(listed(client.get("/openings?municipality=Kemi&page=1")) +
                                       listed(client.get("/openings?municipality=Kemi&page=2")))


def test_a_word_nobody_uses_finds_nothing_and_every_word_must_be_met(client):
    assert listed(client.get("/openings?q=xyzzyq")) == []
    assert listed(client.get("/openings?q=jääkiekko+xyzzyq")) == []
