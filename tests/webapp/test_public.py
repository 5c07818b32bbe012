from __future__ import annotations

import re

import pytest


from tests.support.catalogue import add_catalogue
from webapp.states import OpeningStatus

OPEN, DRAFT, CLOSED = OpeningStatus.OPEN, OpeningStatus.DRAFT, OpeningStatus.CLOSED
ALL_OPEN = {"o-dog", "o-photo", "o-remote"}


@pytest.fixture
def catalogue(app):
    """The shared catalogue (see tests.support.catalogue.add_catalogue): the ids of its associations."""
    return add_catalogue(app)


def listed(response) -> set[str]:
    return set(re.findall(r'href="/openings/([^"?]+)"', response.get_data(as_text=True)))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
@pytest.mark.parametrize("url", ["/", "/openings", "/openings/o-dog", "/associations", "/associations/{animals}"])
def test_pages_render_in_each_language(client, catalogue, url, lang):
    response = client.get(url.format(**catalogue), headers={"Accept-Language": lang})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert '<main id="main"' in html and 'href="#main"' in html


def test_the_directory_lists_only_open_openings(client, catalogue):
    assert listed(client.get("/openings")) == ALL_OPEN
    assert listed(client.get(f"/associations/{catalogue['animals']}")) == {"o-dog", "o-remote"}
    assert "o-draft" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("ref", ["o-draft", "o-closed", "o-nothing"])
def test_drafts_closed_and_unknown_openings_are_not_found(client, catalogue, ref):
    response = client.get(f"/openings/{ref}")
    assert response.status_code == 404
    assert "There is no open opening" in client.get(f"/openings/{ref}", headers={"Accept-Language": "en"}).text


def test_an_unknown_association_is_not_found(client, catalogue):
    assert client.get("/associations/999").status_code == 404


@pytest.mark.parametrize("query, expected", [
    ("q=koira", {"o-dog"}),  # the draft and the closed one mention dogs too
    ("q=KOIRA", {"o-dog"}),
    ("q=konsertteja", {"o-photo"}),  # description
    ("q=koira+metsässä", {"o-dog"}),  # every word must match
    ("q=koira+konsertteja", set()),
    ("municipality=Tornio", {"o-photo"}),
    ("municipality=Uleåborg", {"o-dog", "o-remote"}),  # the Swedish name
    ("municipality=Helsinki", set()),
    ("theme=animals", {"o-dog"}),
    ("theme=photography", {"o-photo"}),
    ("kind=volunteer", {"o-dog", "o-remote"}),
    ("kind=event", {"o-photo"}),
    ("remote=yes", {"o-remote"}),
    ("remote=no", {"o-dog", "o-photo"}),
    ("language=sv", {"o-photo"}),
    ("language=fi", {"o-dog", "o-photo"}),
    ("kind=volunteer&remote=no&municipality=Oulu", {"o-dog"}),
    ("q=&municipality=&theme=&kind=&remote=&language=", ALL_OPEN),  # the empty form
])
def test_search_and_filters_narrow_the_list(client, catalogue, query, expected):
    response = client.get(f"/openings?{query}")
    assert response.status_code == 200
    assert listed(response) == expected


def test_the_form_keeps_the_chosen_filters(client, catalogue):
    html = client.get("/openings?q=koira&kind=event&remote=no", headers={"Accept-Language": "en"}).text
    assert 'value="koira"' in html
    assert '<option value="event" selected>' in html and '<option value="no" selected>' in html
    assert '<label for="kind">' in html and '<label for="q">' in html


@pytest.mark.parametrize("query, message", [
    ("theme=zzz", "“zzz” is not a theme we know"),
    ("kind=party", "“party” is not a kind of activity we know"),
    ("municipality=Oulo", "“Oulo” is not a Finnish municipality. Did you mean Oulu?"),
    ("municipality=Xyzzy", "“Xyzzy” is not a Finnish municipality."),
    ("remote=maybe", "Remote must be “yes”, “no” or empty"),
    ("language=klingon", "“klingon” is not a language code we know"),
    ("page=abc", "The page must be a whole number"),
    ("page=0", "The page must be a whole number"),
    ("q=" + "a" * 201, "The search text is too long"),
])
def test_bad_filters_answer_400_with_a_message(client, catalogue, query, message):
    response = client.get(f"/openings?{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert message in response.text


def test_bad_filter_messages_are_translated(client, catalogue):
    assert "Teemaa ”zzz” ei tunneta" in client.get("/openings?theme=zzz").text
    assert "Temat ”zzz” är okänt" in client.get("/openings?theme=zzz", headers={"Accept-Language": "sv"}).text


def test_pagination(app, catalogue):
    app.config["PUBLIC_PAGE_SIZE"] = 2
    client = app.test_client()
    first = client.get("/openings?kind=volunteer&page=1")
    assert listed(first) == {"o-dog", "o-remote"} and 'rel="next"' not in first.text
    pages = [client.get(f"/openings?page={n}", headers={"Accept-Language": "en"}) for n in (1, 2)]
    assert [len(listed(p)) for p in pages] == [2, 1]
    assert listed(pages[0]) | listed(pages[1]) == ALL_OPEN
    assert "Page 1 of 2" in pages[0].text and 'rel="next" href="/openings?page=2"' in pages[0].text
    assert 'rel="prev" href="/openings?page=1"' in pages[1].text
    filtered = client.get("/openings?remote=no&page=1")
    assert 'href="/openings?page=2' not in filtered.text  # two results: one page
    assert client.get("/openings?page=3").status_code == 404
    with_filter = client.get("/openings?q=a&page=1", headers={"Accept-Language": "en"}).text
    assert re.search(r'rel="next" href="/openings\?page=2&amp;q=a"', with_filter)  # the filters stay


def test_an_opening_page_shows_its_fields_in_the_readers_language(client, catalogue):
    sv = client.get("/openings/o-dog", headers={"Accept-Language": "sv"}).text
    for text in ("Koiranulkoiluttaja", "Oulun Eläinystävät ry", "Volontärarbete", "djur", "friluftsliv",
                 "Uleåborg", "finska", "Minst 16 år", "3 platser, 2 kvar", "ons kl. 16–19"):
        assert text in sv, text
    assert f'href="/associations/{catalogue["animals"]}"' in sv
    fi = client.get("/openings/o-dog").text
    for text in ("Vapaaehtoistyö", "eläimet", "Oulu", "ke klo 16–19", "Vähintään 16 vuotta"):
        assert text in fi, text


def test_associations_list_counts_open_openings(client, catalogue):
    html = client.get("/associations", headers={"Accept-Language": "en"}).text
    assert "Oulun Eläinystävät ry" in html and "2 open openings" in html
    assert "Tornion Kulttuuriseura ry" in html and "1 open opening<" in html


def test_the_seeded_catalogue_is_listed(app, runner):
    assert runner.invoke(args=["seed"]).exit_code == 0
    client = app.test_client()
    assert "47 openings found" in client.get("/openings", headers={"Accept-Language": "en"}).text
    for ref in ("o-1", "o-47"):
        assert client.get(f"/openings/{ref}").status_code == 200


def _choices(client, name: str) -> list[str]:
    """The values of the directory's `name` filter (in English), as the page offers them."""
    html = client.get("/openings", headers={"Accept-Language": "en"}).text
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert select is not None
    return [v for v in re.findall(r'<option value="([^"]*)"', select.group(0)) if v]


def _set_status(app, ref: str, status: OpeningStatus) -> None:
    from sqlmodel import select

    from webapp import db
    from webapp.models import Opening

    with app.app_context():
        session = db.get_session()
        opening = session.exec(select(Opening).where(Opening.ref == ref)).one()
        opening.status = status
        session.commit()


def test_the_kept_list_and_filter_choices_follow_publishing_and_closing(app, client, catalogue):
    # the directory keeps what it derives from all open openings per catalogue version: a change must show at once
    assert _choices(client, "municipality") == ["Oulu", "Tornio"]
    assert _choices(client, "language") == ["en", "fi", "sv"]
    assert listed(client.get("/openings")) == ALL_OPEN

    _set_status(app, "o-photo", CLOSED)  # the only one in Tornio and the only one in Swedish
    assert _choices(client, "municipality") == ["Oulu"]
    assert _choices(client, "language") == ["en", "fi"]
    assert listed(client.get("/openings")) == ALL_OPEN - {"o-photo"}
    assert listed(client.get("/openings?language=sv")) == set()

    _set_status(app, "o-photo", OPEN)
    _set_status(app, "o-draft", OPEN)  # published
    assert _choices(client, "municipality") == ["Oulu", "Tornio"]
    assert _choices(client, "language") == ["en", "fi", "sv"]
    assert listed(client.get("/openings")) == ALL_OPEN | {"o-draft"}
    assert listed(client.get("/openings?language=sv")) == {"o-photo"}


def test_the_filter_choices_are_kept_per_language(client, catalogue):
    assert "Swedish" in client.get("/openings", headers={"Accept-Language": "en"}).text
    assert "ruotsi" in client.get("/openings").text
    assert "Swedish" in client.get("/openings", headers={"Accept-Language": "en"}).text


def test_a_page_of_the_directory_keeps_the_newest_first_order(app, catalogue):
    app.config["PUBLIC_PAGE_SIZE"] = 1
    client = app.test_client()
    pages = [re.findall(r'href="/openings/([^"?]+)"', client.get(f"/openings?page={n}").text) for n in (1, 2, 3)]
    assert pages == [["o-remote"], ["o-photo"], ["o-dog"]]
