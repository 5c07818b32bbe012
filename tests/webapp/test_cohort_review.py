"""A cohort's review at any size: a page of youths at a time, and one youth's page offering only the
openings of the cohort the youth is eligible for and that have a free place."""
from __future__ import annotations

import re

from tests.support.cohort_case import act, allocated
from webapp.services import cohort_review


def choices(client, cohort_id, youth_id) -> list[str]:
    """The titles offered on a youth's page, in their order."""
    page = client.get(f"/coordinator/cohorts/{cohort_id}/youths/{youth_id}")
    assert page.status_code == 200
    return re.findall(r'<label for="opening-\d+">([^<–]*?) –', page.text)


def test_a_youth_is_offered_only_eligible_openings_with_a_free_place(app, case, kaisa):
    cohort_id = allocated(kaisa, case)  # Ville -> art, Aino -> cat, Sami -> dog; Liisa, Eero left out
    # Ville speaks Swedish: art is his (his own place counts as free); the dog walks are Sami's
    assert choices(kaisa, cohort_id, case["ville"]) == ["Konstverkstad"]
    assert 'checked required' in kaisa.get(f"/coordinator/cohorts/{cohort_id}/youths/{case['ville']}").text
    # Liisa (17, Finnish only): cat needs 18, art Swedish, "full" and the dog walks have no free place
    page = kaisa.get(f"/coordinator/cohorts/{cohort_id}/youths/{case['liisa']}").text
    assert choices(kaisa, cohort_id, case["liisa"]) == []
    assert "No opening of the cohort suits the youth and has a free place." in page
    act(kaisa, cohort_id, f"youths/{case['sami']}/remove")
    assert choices(kaisa, cohort_id, case["liisa"]) == ["Koiranulkoiluttaja"]  # Sami's removal freed the place
    assert "1 free place" in kaisa.get(f"/coordinator/cohorts/{cohort_id}/youths/{case['liisa']}").text


def test_the_youth_page_of_a_youth_outside_the_cohort_is_not_found(app, case, kaisa):
    cohort_id = allocated(kaisa, case)
    assert kaisa.get(f"/coordinator/cohorts/{cohort_id}/youths/{case['pending']}").status_code == 404  # not chosen
    assert kaisa.get(f"/coordinator/cohorts/{cohort_id}/youths/999999").status_code == 404


def test_the_review_is_paged_and_holds_no_list_of_every_opening(app, case, kaisa, monkeypatch):
    monkeypatch.setattr(cohort_review, "PAGE_SIZE", 2)
    cohort_id = allocated(kaisa, case)
    url = f"/coordinator/cohorts/{cohort_id}"
    first, second = kaisa.get(url).text, kaisa.get(f"{url}?page=2").text
    assert "Who goes where (3)" in first and "Left out (2)" in first
    placed = [re.findall(r"(Ville|Aino|Sami)</a></td>", page) for page in (first, second)]
    assert [len(names) for names in placed] == [2, 1]
    assert sorted(placed[0] + placed[1]) == ["Aino", "Sami", "Ville"]
    assert 'rel="next"' in first and "Page 1 of 2" in first and 'rel="next"' not in second
    assert "<option" not in first + second  # no list of the cohort's openings for each youth
    left = kaisa.get(f"{url}?show=left").text
    assert re.findall(r"(Liisa|Eero)</a>:", left) == ["Liisa", "Eero"] and "Page 1 of" not in left
    assert kaisa.get(f"{url}?page=3").status_code == 404
    assert kaisa.get(f"{url}?show=left&page=2").status_code == 404
    bad = kaisa.get(f"{url}?show=everyone")
    assert bad.status_code == 400 and "everyone" in bad.text
    assert kaisa.get(f"{url}?page=0").status_code == 400


def test_moving_from_the_youth_page_places_the_youth(app, case, kaisa):
    cohort_id = allocated(kaisa, case)
    act(kaisa, cohort_id, f"youths/{case['sami']}/remove")
    response = act(kaisa, cohort_id, f"youths/{case['liisa']}/move", opening=case["o_dog"])
    assert response.status_code == 303
    page = kaisa.get(f"/coordinator/cohorts/{cohort_id}").text
    assert re.search(r"Liisa</a></td>\s*<td[^>]*>Koiranulkoiluttaja", page)
