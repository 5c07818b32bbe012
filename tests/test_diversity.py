"""The diversity pass demotes near-duplicates of one association, never merely similar openings."""
from __future__ import annotations

from matching import Matcher, Opening, Youth
from matching.matcher import COPIES
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


def test_near_duplicates_of_one_association_yield_to_an_almost_as_good_opening_after_a_few():
    same = [Opening(f"dup-{i}", "Koiranulkoiluttaja", DOGS, association="Tassut ry") for i in range(6)]
    close = Opening("close", "Koiranulkoiluttaja", f"{DOGS} Kahvia ja pullaa tarjolla.", association="Hännät ry")
    plain = [m.opening_id for m in Matcher(today=TODAY, diversity=0.0).fit([*same, close]).match(YOUTH, k=7)]
    diverse = [m.opening_id for m in Matcher(today=TODAY).fit([*same, close]).match(YOUTH, k=7)]
    assert plain[-1] == "close"
    assert diverse[:COPIES + 1] == [*(f"dup-{i}" for i in range(COPIES)), "close"]


def test_near_duplicates_still_beat_unrelated_openings():
    same = [Opening(f"dup-{i}", "Koiranulkoiluttaja", DOGS, association="Tassut ry") for i in range(6)]
    others = [Opening(f"o-{i}", "Vapaaehtoinen", t, association=f"Seura {i}") for i, t in enumerate(OTHER)]
    ranked = [m.opening_id for m in Matcher(today=TODAY).fit(same + others).match(YOUTH, k=6)]
    assert ranked == [f"dup-{i}" for i in range(6)]
