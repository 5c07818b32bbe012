"""The diversity pass demotes near-duplicates of one association, never merely similar openings."""
from __future__ import annotations

from matching import Matcher, Opening, Youth
from tests.support.strategies import TODAY

DOGS = "Ulkoilutamme löytökoiria ja harjaamme niitä. Koirat odottavat iltaisin lenkkiä."
OTHER = ["Myyt kahvia ja pullaa kioskissa ottelun aikana.", "Lajittelet kirjaston palautuksia hyllyihin.",
         "Siivoat puistoa talkoissa keväällä.", "Autat bingoillassa kahvinkeitossa.",
         "Jaat mainoksia kauppakeskuksessa."]
YOUTH = Youth("y", interests="koirat ja koirien ulkoilutus")


def test_similar_relevant_openings_of_other_associations_keep_their_places():
    dogs = [Opening(f"dog-{i}", "Koiranulkoiluttaja", f"{DOGS} Paikka {i}.", association=f"Eläinsuojeluyhdistys {i}")
            for i in range(5)]
    others = [Opening(f"o-{i}", "Vapaaehtoinen", f"{t} Koirat ovat tervetulleita mukaan.", association=f"Seura {i}")
              for i, t in enumerate(OTHER)]
    ranked = [m.opening_id for m in Matcher(today=TODAY).fit(dogs + others).match(YOUTH, k=5)]
    assert ranked == [f"dog-{i}" for i in range(5)]


def test_a_near_duplicate_of_one_association_yields_to_an_almost_as_good_opening():
    same = [Opening(f"dup-{i}", "Koiranulkoiluttaja", DOGS, association="Tassut ry") for i in range(3)]
    close = Opening("close", "Koiranulkoiluttaja", f"{DOGS} Kahvia ja pullaa tarjolla.", association="Hännät ry")
    plain = [m.opening_id for m in Matcher(today=TODAY, diversity=0.0).fit([*same, close]).match(YOUTH, k=4)]
    diverse = [m.opening_id for m in Matcher(today=TODAY).fit([*same, close]).match(YOUTH, k=4)]
    assert plain.index("close") > 1
    assert diverse[:2] == ["dup-0", "close"]


def test_near_duplicates_still_beat_unrelated_openings():
    same = [Opening(f"dup-{i}", "Koiranulkoiluttaja", DOGS, association="Tassut ry") for i in range(3)]
    others = [Opening(f"o-{i}", "Vapaaehtoinen", t, association=f"Seura {i}") for i, t in enumerate(OTHER)]
    ranked = [m.opening_id for m in Matcher(today=TODAY).fit(same + others).match(YOUTH, k=3)]
    assert ranked == ["dup-0", "dup-1", "dup-2"]
