"""The JSON API under /api/v1: openings, matches, errors, and its OpenAPI document."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlmodel import select
from werkzeug.security import generate_password_hash

from tests.support.api import YOUTH_PROFILE, assert_error, check
from tests.support.catalogue import add_catalogue
from tests.support.signin import sign_in_as
from webapp import db
from webapp.engine.convert import youth_from_row
from webapp.engine.matcher import get_matcher
from webapp.models import User, YouthProfile
from webapp.states import OpeningStatus, Role

OPEN, DRAFT, CLOSED = OpeningStatus.OPEN, OpeningStatus.DRAFT, OpeningStatus.CLOSED
ALL_OPEN = {"o-dog", "o-photo", "o-remote"}
BASE = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@pytest.fixture
def catalogue(app):
    """The shared catalogue (see tests.support.catalogue.add_catalogue): the ids of its associations."""
    return add_catalogue(app)


def add_user(app, email: str, role: Role, profile: dict[str, Any] | None = None) -> int:
    with app.app_context():
        session = db.get_session()
        user = User(email=email, role=role, password_hash=generate_password_hash("x" * 12, method="pbkdf2:sha256:1000"))
        session.add(user)
        if profile is not None:
            session.add(YouthProfile(user=user, **profile))
        session.commit()
        return user.id


@pytest.fixture
def youth(app, catalogue):
    return add_user(app, "anna@example.fi", Role.YOUTH, YOUTH_PROFILE)


def refs(response) -> list[str]:
    return [item["ref"] for item in response.get_json()["items"]]


# ---------------------------------------------------------------- openings

def test_the_openings_are_the_open_ones_newest_first(client, catalogue):
    response = client.get("/api/v1/openings")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert refs(response) == ["o-remote", "o-photo", "o-dog"]
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 20, 3, 1)
    dog = body["items"][2]
    assert dog == {
        "ref": "o-dog", "title": "Koiranulkoiluttaja", "description": "Lenkki koiran kanssa metsässä.",
        "association": {"id": catalogue["animals"], "name": "Oulun Eläinystävät ry"}, "kind": "volunteer",
        "themes": ["animals", "outdoors"], "municipality": "Oulu", "remote": False, "schedule": ["ke 16-19"],
        "start_date": "2026-02-01", "end_date": None, "capacity": 3, "places_left": 2, "min_age": 16,
        "max_age": None, "languages": ["fi"], "requirements": [], "support": ["no_experience_needed"],
        "benefits": ["reference"], "url": "/openings/o-dog",
    }


@pytest.mark.parametrize("query, expected", [
    ("q=koira", {"o-dog"}),  # the draft and the closed one mention dogs too
    ("q=KOIRA+metsässä", {"o-dog"}),
    ("q=koira+konsertteja", set()),
    ("municipality=Tornio", {"o-photo"}),
    ("municipality=torneå", {"o-photo"}),  # Swedish name, any case
    ("theme=animals", {"o-dog"}),
    ("kind=volunteer", {"o-dog", "o-remote"}),
    ("remote=yes", {"o-remote"}),
    ("remote=no", {"o-dog", "o-photo"}),
    ("language=fi", {"o-dog", "o-photo"}),
    ("language=sv&municipality=Tornio&kind=event", {"o-photo"}),
    ("q=&municipality=&theme=&kind=&remote=&language=", ALL_OPEN),
])
def test_the_filters_are_the_directorys(client, catalogue, query, expected):
    response = client.get(f"/api/v1/openings?{query}")
    assert response.status_code == 200
    assert set(refs(response)) == expected
    assert response.get_json()["total"] == len(expected)


def test_the_api_lists_what_the_public_directory_lists(client, catalogue):
    for query in ("", "kind=volunteer", "language=fi", "q=koira"):
        page = client.get(f"/openings?{query}").get_data(as_text=True)
        assert set(re.findall(r'href="/openings/([^"?]+)"', page)) == set(refs(client.get(f"/api/v1/openings?{query}")))


def test_pagination(client, catalogue):
    pages = [client.get(f"/api/v1/openings?per_page=2&page={n}").get_json() for n in (1, 2, 3)]
    assert [[o["ref"] for o in p["items"]] for p in pages] == [["o-remote", "o-photo"], ["o-dog"], []]
    assert all((p["total"], p["pages"], p["per_page"]) == (3, 2, 2) for p in pages)
    assert len(client.get("/api/v1/openings?per_page=100").get_json()["items"]) == 3
    assert refs(client.get("/api/v1/openings?per_page=1&page=3")) == ["o-dog"]


@pytest.mark.parametrize("query, field", [
    ("page=0", "page"), ("page=-1", "page"), ("page=x", "page"), ("page=", "page"), ("page=1.5", "page"),
    ("per_page=0", "per_page"), ("per_page=101", "per_page"), ("per_page=ten", "per_page"), ("page=²", "page"),
    ("q=" + "a" * 201, "q"), ("municipality=Atlantis", "municipality"), ("municipality=Oulo", "municipality"),
    ("theme=nope", "theme"), ("kind=nope", "kind"), ("remote=maybe", "remote"), ("language=xx", "language"),
])
def test_bad_parameters_answer_400_naming_them(client, catalogue, query, field):
    error = assert_error(client.get(f"/api/v1/openings?{query}", headers={"Accept-Language": "fi"}), 400, field)
    assert error["code"] == "bad_parameter"


def test_filter_messages_are_english_even_for_finnish_readers(client, catalogue):
    error = assert_error(client.get("/api/v1/openings?municipality=Atlantis",
                                    headers={"Accept-Language": "fi"}), 400, "municipality")
    assert "is not a Finnish municipality" in error["message"]


def test_one_opening(client, catalogue):
    response = client.get("/api/v1/openings/o-photo")
    assert response.status_code == 200
    body = response.get_json()
    assert body["ref"] == "o-photo" and body["association"]["name"] == "Tornion Kulttuuriseura ry"
    assert body == next(o for o in client.get("/api/v1/openings").get_json()["items"] if o["ref"] == "o-photo")


@pytest.mark.parametrize("ref", ["o-draft", "o-closed", "o-nothing"])
def test_drafts_closed_and_unknown_openings_are_404_json(client, catalogue, ref):
    assert assert_error(client.get(f"/api/v1/openings/{ref}"), 404)["code"] == "not_found"


# ---------------------------------------------------------------- errors are JSON

@pytest.mark.parametrize("url", ["/api/v1/nothing", "/api/v1/openings/o-dog/more", "/api/v1", "/api/v1/"])
def test_unknown_api_paths_are_404_json(client, url):
    assert_error(client.get(url), 404)


def test_wrong_methods_are_405_json(client, catalogue):
    response = client.post("/api/v1/openings")
    assert assert_error(response, 405)["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
    assert_error(client.delete("/api/v1/openings/o-dog"), 405)


def test_pages_outside_the_api_keep_their_html_errors(client, catalogue):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert client.get("/openings/o-draft").mimetype == "text/html"


def test_server_errors_are_500_json(app, catalogue, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr("webapp.services.catalogue.open_openings", broken)
    error = assert_error(app.test_client().get("/api/v1/openings"), 500)
    assert error["code"] == "internal_error" and "boom" not in error["message"]


# ---------------------------------------------------------------- matches

def expected_matches(app, user_id: int, k: int, lang: str) -> list[dict[str, Any]]:
    with app.test_request_context():
        session = db.get_session()
        profile = session.exec(select(YouthProfile).where(YouthProfile.user_id == user_id)).one()
        found = get_matcher().match(youth_from_row(profile), k, lang=lang)
        return [{"ref": m.opening_id, "score": round(m.score, 6), "reasons": [r.to_dict() for r in m.reasons]}
                for m in found]


@pytest.mark.parametrize("k, lang", [(10, "fi"), (2, "en"), (1, "sv")])
def test_matches_are_the_engines(app, client, youth, k, lang):
    sign_in_as(client, youth)
    response = client.get(f"/api/v1/matches?k={k}&lang={lang}")
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["k"], body["lang"]) == (k, lang)
    got = body["items"]
    assert got, "the youth should match something"
    assert [{key: m[key] for key in ("ref", "score", "reasons")} for m in got] == expected_matches(app, youth, k, lang)
    titles = {"o-dog": "Koiranulkoiluttaja", "o-photo": "Valokuvaaja festivaaleille", "o-remote": "Somepäivittäjä"}
    assert all(m["title"] == titles[m["ref"]] and m["url"] == f"/openings/{m['ref']}" for m in got)
    assert {m["ref"] for m in got} <= ALL_OPEN
    assert all(set(r) == {"component", "contribution", "text"} for m in got for r in m["reasons"])


def test_matches_default_to_ten_in_finnish(app, client, youth):
    sign_in_as(client, youth)
    body = client.get("/api/v1/matches").get_json()
    assert (body["k"], body["lang"]) == (10, "fi")


def test_matches_need_a_signed_in_user(client, catalogue):
    response = client.get("/api/v1/matches")
    assert assert_error(response, 401)["code"] == "unauthorized"
    assert "Location" not in response.headers


@pytest.mark.parametrize("role", [Role.ASSOCIATION, Role.COORDINATOR, Role.ADMIN])
def test_matches_are_for_youths_only(app, client, catalogue, role):
    sign_in_as(client, add_user(app, f"{role.value}@example.fi", role))
    assert assert_error(client.get("/api/v1/matches"), 403)["code"] == "forbidden"


@pytest.mark.parametrize("query, field", [
    ("k=0", "k"), ("k=101", "k"), ("k=x", "k"), ("k=", "k"), ("k=-3", "k"), ("k=%C2%B2", "k"),
    ("lang=de", "lang"), ("lang=", "lang"), ("lang=FI", "lang"),
])
def test_bad_match_parameters_answer_400_naming_them(client, youth, query, field):
    sign_in_as(client, youth)
    assert assert_error(client.get(f"/api/v1/matches?{query}"), 400, field)["code"] == "bad_parameter"


def test_a_youth_with_an_unreadable_profile_gets_409_naming_the_field(app, client, catalogue):
    user = add_user(app, "bert@example.fi", Role.YOUTH, {"ref": "y-bert"})
    with app.app_context():  # written past the table, which refuses it now (as a row from before might hold it)
        session = db.get_session()
        table = YouthProfile.__table__
        session.connection().execute(table.update().where(table.c.ref == "y-bert").values(themes=["no-such-theme"]))
        session.commit()
    sign_in_as(client, user)
    assert assert_error(client.get("/api/v1/matches"), 409, "themes")["code"] == "profile_invalid"


def test_a_new_youth_with_an_empty_profile_gets_an_answer(app, client, catalogue):
    sign_in_as(client, add_user(app, "cecilia@example.fi", Role.YOUTH, {"ref": "y-cecilia"}))
    assert client.get("/api/v1/matches").status_code == 200


# ---------------------------------------------------------------- the OpenAPI document

def test_the_openapi_document_is_served_and_names_the_endpoints(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = response.get_json()
    assert doc["openapi"].startswith("3.1") and doc["servers"] == [{"url": "/api/v1"}]
    served = {(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule).removeprefix("/api/v1"), method.lower())
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert {(path, method) for path, operations in doc["paths"].items() for method in operations} == served
    for path in doc["paths"].values():
        for operation in path.values():
            for status, answer in operation["responses"].items():
                assert answer["content"]["application/json"]["schema"], status
                if status.startswith(("4", "5")) or status == "default":
                    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def _schema_of(doc: dict[str, Any], path: str, status: int) -> dict[str, Any]:
    responses = doc["paths"][path]["get"]["responses"]
    answer = responses.get(str(status)) or responses["default"]
    return answer["content"]["application/json"]["schema"]


def test_every_response_obeys_the_openapi_document(app, client, youth):
    doc = client.get("/api/v1/openapi.json").get_json()
    anonymous = app.test_client()
    sign_in_as(client, youth)
    calls = [
        ("/openings", "/api/v1/openings", client, 200),
        ("/openings", "/api/v1/openings?per_page=1&page=2&kind=volunteer", client, 200),
        ("/openings", "/api/v1/openings?page=9", client, 200),
        ("/openings", "/api/v1/openings?theme=nope", client, 400),
        ("/openings/{ref}", "/api/v1/openings/o-dog", client, 200),
        ("/openings/{ref}", "/api/v1/openings/o-remote", client, 200),
        ("/openings/{ref}", "/api/v1/openings/o-draft", client, 404),
        ("/matches", "/api/v1/matches", client, 200),
        ("/matches", "/api/v1/matches?k=2&lang=sv", client, 200),
        ("/matches", "/api/v1/matches?k=0", client, 400),
        ("/matches", "/api/v1/matches", anonymous, 401),
        ("/openapi.json", "/api/v1/openapi.json", client, 200),
    ]
    for path, url, who, status in calls:
        response = who.get(url)
        assert response.status_code == status, url
        assert str(status) in doc["paths"][path]["get"]["responses"], f"{url}: {status} undocumented"
        check(doc, _schema_of(doc, path, status), response.get_json(), url)
    check(doc, {"$ref": "#/components/schemas/Error"}, client.get("/api/v1/nothing").get_json())
    check(doc, {"$ref": "#/components/schemas/Error"}, client.post("/api/v1/matches").get_json())


def test_the_documented_enums_are_the_accepted_values(client, catalogue):
    doc = client.get("/api/v1/openapi.json").get_json()
    for parameter in doc["paths"]["/openings"]["get"]["parameters"]:
        for value in parameter["schema"].get("enum", ()):
            assert client.get(f"/api/v1/openings?{parameter['name']}={value}").status_code == 200, parameter["name"]


@pytest.mark.parametrize("url", ["/openings?page=%C2%B2", "/api/v1/openings?page=%C2%B2"])
def test_non_ascii_digits_are_a_bad_page_not_a_crash(client, catalogue, url):
    assert client.get(url).status_code == 400  # "²".isdigit() is True, but int("²") fails
