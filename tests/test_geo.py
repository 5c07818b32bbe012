"""The municipality table, name lookup and the distance helpers in matching.geo."""
from __future__ import annotations

import numpy as np
import pytest

from matching import geo
from matching.geo import (
    EARTH_RADIUS_KM,
    Municipality,
    UnknownPlace,
    distance_km,
    dot_to_km,
    elative,
    km_to_cos,
    locate,
    municipalities,
    municipality,
    name_in,
    unit_vectors,
)
from matching.model import Place

KNOWN = {  # rounded public coordinates of the town centres
    "Helsinki": (60.17, 24.94),
    "Tornio": (65.85, 24.15),
    "Kemi": (65.74, 24.56),
    "Oulu": (65.01, 25.47),
    "Rovaniemi": (66.50, 25.73),
    "Vaasa": (63.10, 21.62),
    "Kotka": (60.47, 26.95),
    "Lappeenranta": (61.06, 28.19),
    "Utsjoki": (69.91, 27.03),
    "Maarianhamina": (60.10, 19.94),
    "Tampere": (61.50, 23.76),
    "Turku": (60.45, 22.27),
    "Joensuu": (62.60, 29.76),
    "Inari": (68.91, 27.03),
}


def test_there_are_308_municipalities_16_of_them_on_aland() -> None:
    rows = municipalities()
    assert len(rows) == 308
    assert sum(m.region == "Ahvenanmaa" for m in rows) == 16
    assert len({m.region for m in rows}) == 19


def test_sorted_by_finnish_name_and_no_duplicate_names() -> None:
    rows = municipalities()
    assert [m.name_fi for m in rows] == sorted(m.name_fi for m in rows)
    assert len({m.name_fi for m in rows}) == 308
    assert len({m.name_sv for m in rows}) == 308


def test_every_point_is_inside_finland() -> None:
    for m in municipalities():
        assert 59.7 <= m.lat <= 70.1 and 19.4 <= m.lon <= 31.6, m


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_known_coordinates_within_5_km(name: str) -> None:
    lat, lon = KNOWN[name]
    m = municipality(name)
    assert distance_km(m.lat, m.lon, lat, lon) < 5.0


def test_place_carries_the_finnish_name() -> None:
    assert locate("Torneå") == Place(municipality("Tornio").lat, municipality("Tornio").lon, "Tornio")
    assert isinstance(municipality("Kemi"), Municipality)
    assert municipality("Kemi").place.name == "Kemi"


@pytest.mark.parametrize(
    ("query", "name_fi"),
    [
        ("Tornio", "Tornio"),
        ("TORNIO", "Tornio"),
        ("  tornio ", "Tornio"),
        ("Torneå", "Tornio"),
        ("tornea", "Tornio"),
        ("jyvaskyla", "Jyväskylä"),
        ("Helsingfors", "Helsinki"),
        ("Uleåborg", "Oulu"),
        ("Mariehamn", "Maarianhamina"),
        ("Maarianhamina", "Maarianhamina"),
        ("Raseborg", "Raasepori"),
        ("Karleby", "Kokkola"),
        ("Pedersören kunta", "Pedersören kunta"),
        ("Pedersöre", "Pedersören kunta"),
        ("pedersore kommun", "Pedersören kunta"),
        ("Vasa stad", "Vaasa"),
        ("Tornio kaupunki", "Tornio"),
        ("Ii kunta", "Ii"),
        ("mantta vilppula", "Mänttä-Vilppula"),
        ("Koski Tl", "Koski Tl"),
        ("voyri", "Vöyri"),
        ("Vörå", "Vöyri"),
    ],
)
def test_lookup_by_finnish_or_swedish_name(query: str, name_fi: str) -> None:
    assert municipality(query).name_fi == name_fi


@pytest.mark.parametrize(("query", "suggestion"), [("Tornoi", "Tornio"), ("Helsinky", "Helsinki"),
                                                   ("Rovanimi", "Rovaniemi"), ("Jyvaskila", "Jyväskylä")])
def test_unknown_name_suggests_a_close_match(query: str, suggestion: str) -> None:
    with pytest.raises(UnknownPlace, match=f"unknown municipality '{query}'; did you mean .*{suggestion}"):
        municipality(query)
    with pytest.raises(ValueError):  # UnknownPlace is a ValueError for callers that only know that
        locate(query)


def test_unknown_name_without_anything_close() -> None:
    with pytest.raises(UnknownPlace) as info:
        municipality("Qwxz")
    assert str(info.value) == "unknown municipality 'Qwxz'"
    assert info.value.suggestions == ()


def test_exact_accented_spelling_wins_a_collision_after_folding(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real table has no such pair; a synthetic one checks the rule stays in force.
    rows = (Municipality("Vöyri", "Vörå", 63.1, 22.3, "Vöyriltä", "Pohjanmaa"),
            Municipality("Voyri", "Voyri", 64.0, 25.0, "Voyrista", "Lappi"))
    fake = geo._Table(rows, geo._index(rows, geo._exact_key), geo._index(rows, geo._folded_key),
                      {geo._folded_key(m.name_fi): m.name_fi for m in rows}, {}, {})
    monkeypatch.setattr(geo, "_table", lambda: fake)
    assert municipality("VÖYRI").region == "Pohjanmaa"
    assert municipality("voyri").region == "Lappi"
    with pytest.raises(UnknownPlace, match="did you mean"):
        municipality("Vøyri")  # folds onto both, matches neither exactly


def test_no_two_real_municipalities_collide_after_folding() -> None:
    seen: dict[str, str] = {}
    for m in municipalities():
        for n in {m.name_fi, m.name_sv}:
            assert seen.setdefault(geo._folded_key(n), m.name_fi) == m.name_fi, n


@pytest.mark.parametrize(
    ("name", "from_there"),
    [
        ("Tornio", "Torniosta"), ("Kemi", "Kemistä"), ("Oulu", "Oulusta"), ("Rovaniemi", "Rovaniemeltä"),
        ("Lahti", "Lahdesta"), ("Turku", "Turusta"), ("Helsinki", "Helsingistä"), ("Vantaa", "Vantaalta"),
        ("Imatra", "Imatralta"), ("Lappeenranta", "Lappeenrannasta"), ("Seinäjoki", "Seinäjoelta"),
        ("Jyväskylä", "Jyväskylästä"), ("Tampere", "Tampereelta"), ("Ii", "Iistä"), ("Liminka", "Limingasta"),
        ("Ylitornio", "Ylitorniolta"), ("Utsjoki", "Utsjoelta"), ("Enontekiö", "Enontekiöltä"),
        ("Pietarsaari", "Pietarsaaresta"), ("Isokyrö", "Isostakyröstä"), ("Uusikaupunki", "Uudestakaupungista"),
        ("Parainen", "Paraisilta"), ("Huittinen", "Huittisista"), ("Hanko", "Hangosta"), ("Virrat", "Virroilta"),
        ("Torneå", "Torniosta"), ("Mariehamn", "Maarianhaminasta"),
    ],
)
def test_elative(name: str, from_there: str) -> None:
    assert elative(name) == from_there


def test_elative_of_unknown_name_raises() -> None:
    with pytest.raises(UnknownPlace):
        elative("Tornoi")


def test_every_elative_ends_in_a_harmonic_ablative_or_elative_ending() -> None:
    for m in municipalities():
        assert m.elative_fi.endswith(("sta", "stä", "lta", "ltä")), m


def test_name_in_each_language() -> None:
    assert name_in("fi", "Tornio") == "Tornio"
    assert name_in("sv", "Tornio") == "Torneå"
    assert name_in("en", "Tornio") == "Tornio"
    assert name_in("sv", "Kemi") == "Kemi"
    assert name_in("fi", "Maarianhamina") == "Maarianhamina"
    assert name_in("en", "Maarianhamina") == "Mariehamn"
    assert name_in("en", "Jomala") == "Jomala"
    with pytest.raises(ValueError, match="unknown language"):
        name_in("de", "Tornio")


def test_distance_tornio_kemi_and_helsinki_rovaniemi() -> None:
    tornio, kemi = locate("Tornio"), locate("Kemi")
    assert 19 <= distance_km(tornio.lat, tornio.lon, kemi.lat, kemi.lon) <= 29
    hki, rov = locate("Helsinki"), locate("Rovaniemi")
    assert 700 <= distance_km(hki.lat, hki.lon, rov.lat, rov.lon) <= 720


def test_distance_is_a_float_for_floats_and_zero_for_the_same_point() -> None:
    d = distance_km(65.0, 25.0, 65.0, 25.0)
    assert isinstance(d, float) and d == 0.0
    # a quarter of a meridian
    assert distance_km(0.0, 0.0, 90.0, 0.0) == pytest.approx(np.pi / 2 * EARTH_RADIUS_KM)


def test_distance_broadcasts_over_arrays() -> None:
    lats = np.array([60.17, 65.85, 69.91])
    lons = np.array([24.94, 24.15, 27.03])
    to_kemi = distance_km(lats, lons, 65.74, 24.56)
    assert isinstance(to_kemi, np.ndarray) and to_kemi.shape == (3,)
    matrix = distance_km(lats[:, None], lons[:, None], lats[None, :], lons[None, :])
    assert matrix.shape == (3, 3)
    assert np.allclose(np.diag(matrix), 0.0)
    assert np.allclose(matrix, matrix.T)
    for i in range(3):
        assert to_kemi[i] == pytest.approx(distance_km(lats[i], lons[i], 65.74, 24.56))


def test_unit_vectors_shape_and_norm() -> None:
    assert unit_vectors(60.0, 25.0).shape == (3,)
    v = unit_vectors(np.zeros((4, 5)), np.zeros(5))
    assert v.shape == (4, 5, 3)
    assert np.allclose(np.linalg.norm(v, axis=-1), 1.0)


def test_dot_products_agree_with_haversine_on_random_points() -> None:
    rng = np.random.default_rng(20260101)
    n = 400
    lat1, lat2 = rng.uniform(59.7, 70.1, n), rng.uniform(59.7, 70.1, n)
    lon1, lon2 = rng.uniform(19.4, 31.6, n), rng.uniform(19.4, 31.6, n)
    d = distance_km(lat1, lon1, lat2, lon2)
    dots = np.einsum("ij,ij->i", unit_vectors(lat1, lon1), unit_vectors(lat2, lon2))
    assert np.allclose(dot_to_km(dots), d, atol=1e-3)  # arccos loses digits only near 0 km
    for km in (0.5, 10.0, 50.0, 200.0, 1000.0):
        within = dots >= km_to_cos(km)
        clear = np.abs(d - km) > 1e-3  # skip pairs on the boundary itself
        assert np.array_equal(within[clear], (d <= km)[clear])


def test_km_to_cos_edges() -> None:
    assert km_to_cos(0.0) == 1.0
    assert km_to_cos(1e9) == pytest.approx(-1.0)
    with pytest.raises(ValueError):
        km_to_cos(-1.0)
    assert dot_to_km(1.0 + 1e-12) == 0.0
    assert isinstance(dot_to_km(np.array([1.0, 0.0])), np.ndarray)
