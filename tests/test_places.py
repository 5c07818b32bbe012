"""Places as people write them: municipalities merged away and common districts read as today's
municipality (matching/data/places.csv), said by `geo.resolve`; a region's name is no place."""
from __future__ import annotations

import csv
from importlib import resources

import pytest

from matching import geo


def _rows() -> list[dict[str, str]]:
    with resources.files("matching").joinpath("data", "places.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize(("written", "today", "year"), [
    ("Honkajoki", "Kankaanpää", 2021), ("Nastola", "Lahti", 2016), ("Jalasjärvi", "Kurikka", 2016),
    ("Pertunmaa", "Mäntyharju", 2025), ("pernå", "Loviisa", 2010), ("Ekenäs", "Raasepori", 2009),
    ("HAUKIPUDAS", "Oulu", 2013), ("Rovaniemen mlk", "Rovaniemi", 2006), ("Jamsankoski", "Jämsä", 2009),
])
def test_a_former_municipality_is_read_as_todays_and_says_so(written: str, today: str, year: int) -> None:
    found = geo.resolve(written)
    assert found.municipality.name_fi == today
    assert found.former is not None and (found.former.kind, found.former.year, found.former.today) == \
        ("merged", year, today)
    assert geo.locate(written) == geo.locate(today)  # the same point: distances as from today's municipality


@pytest.mark.parametrize(("written", "today"), [("Tikkurila", "Vantaa"), ("Dickursby", "Vantaa"),
                                                ("Klaukkala", "Nurmijärvi"), ("Hervanta", "Tampere"),
                                                ("Nordsjö", "Helsinki")])
def test_a_district_or_village_is_read_as_its_municipality(written: str, today: str) -> None:
    found = geo.resolve(written)
    assert found.municipality.name_fi == today and found.former is not None and found.former.kind == "locality"


def test_todays_names_resolve_to_themselves_with_nothing_to_say() -> None:
    assert geo.resolve("Kankaanpää").former is None
    assert geo.resolve("Vörå").municipality.name_fi == "Vöyri"


def test_a_regions_name_is_no_place() -> None:
    """'Lappi' was also a municipality (joined Rauma in 2009): read as a place it would send a youth
    of Lapland to Rauma, so it is left out."""
    with pytest.raises(geo.UnknownPlace):
        geo.resolve("Lappi")


def test_a_misspelt_former_name_is_suggested() -> None:
    with pytest.raises(geo.UnknownPlace) as info:
        geo.resolve("Honkajoen")
    assert "Honkajoki" in info.value.suggestions


def test_every_row_leads_to_a_municipality_of_today_and_no_name_is_taken_twice() -> None:
    rows = _rows()
    today = {m.name_fi for m in geo.municipalities()}
    taken = {n.casefold() for m in geo.municipalities() for n in (m.name_fi, m.name_sv, m.region)}
    seen: set[str] = set()
    for row in rows:
        assert row["today"] in today, row
        assert row["kind"] in ("merged", "locality"), row
        assert (row["kind"] == "merged") == bool(row["year"]), row
        for name in {row["name_fi"], row["name_sv"]}:
            assert name.casefold() not in taken, row  # a former name never hides a name of today
            assert name.casefold() not in seen, row
            seen.add(name.casefold())
