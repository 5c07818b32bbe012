"""Error pages: translated HTML with base.html outside the API, JSON under /api/, no tracebacks."""
from __future__ import annotations

import re

import pytest
from flask import Blueprint, abort
from werkzeug.exceptions import NotFound

from tests.support.signin import add_account, sign_in
from webapp import errors
from webapp.states import Role


@pytest.fixture
def app(app):
    """The app with views that fail on purpose, registered in the tests only."""
    broken = Blueprint("broken", __name__)

    @broken.get("/broken/abort/<int:status>")
    def aborts(status: int):
        abort(status)

    @broken.get("/broken/described")
    def described():
        abort(404, description="Tätä ilmoitusta ei ole enää.")

    @broken.get("/broken/crash")
    def crash():
        raise RuntimeError("secret detail: password=hunter2")

    @broken.get("/api/v1/broken-crash")
    def api_crash():
        raise RuntimeError("secret detail in the API")

    app.register_blueprint(broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer a crash as production does, not re-raise it
    return app


@pytest.fixture
def client(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def h1(response) -> str:
    headings = re.findall(r"<h1>(.*?)</h1>", text(response))
    assert len(headings) == 1, headings
    return headings[0]


def assert_page(response, status: int, title: str) -> None:
    assert response.status_code == status
    assert response.mimetype == "text/html"
    body = text(response)
    assert '<html lang="en">' in body and 'class="skip-link"' in body  # base.html, with its navigation
    assert h1(response) == title
    assert f"<title>{title} – Polku</title>" in body
    assert "Werkzeug" not in body and "<!doctype html>" in body.lower()


@pytest.mark.parametrize(("status", "title"), [
    (400, "Something is wrong with the request"),
    (403, "No access"),
    (404, "Page not found"),
    (405, "This action is not possible here"),
    (413, "Too much data"),
    (429, "Too many requests"),
    (500, "Something went wrong"),
])
def test_each_error_has_its_page(client, status, title):
    assert_page(client.get(f"/broken/abort/{status}"), status, title)


def test_an_unknown_address_gets_the_translated_404_page(client):
    response = client.get("/no/such/page")
    assert_page(response, 404, "Page not found")
    assert "There is no page at this address" in text(response)
    assert 'href="/openings"' in text(response)


@pytest.mark.parametrize(("lang", "title"), [("fi", "Sivua ei löydy"), ("sv", "Sidan hittades inte")])
def test_the_page_speaks_the_readers_language(client, lang, title):
    response = client.get("/no/such/page", headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in text(response)
    assert h1(response) == title


def test_a_wrong_method_says_which_are_allowed(client):
    response = client.post("/healthz")
    assert_page(response, 405, "This action is not possible here")
    assert "GET" in response.headers["Allow"]


def test_a_description_given_to_abort_is_shown(client):
    response = client.get("/broken/described")
    assert_page(response, 404, "Page not found")
    assert "Tätä ilmoitusta ei ole enää." in text(response)


def test_a_crash_shows_no_traceback(client):
    response = client.get("/broken/crash")
    assert_page(response, 500, "Something went wrong")
    body = text(response)
    assert "secret detail" not in body and "hunter2" not in body and "Traceback" not in body
    assert "RuntimeError" not in body


def test_a_refused_role_gets_the_403_page(app, client):
    add_account(app, email="yhdistys@example.fi", role=Role.ASSOCIATION)
    assert sign_in(client, email="yhdistys@example.fi").status_code == 302
    assert_page(client.get("/youth/matches"), 403, "No access")


def test_a_too_large_upload_gets_the_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/auth/signin", data={"email": "a@example.fi", "password": "x" * 5000})
    assert_page(response, 413, "Too much data")


def test_an_expired_form_asks_to_reload(client):
    response = client.post("/auth/signin", data={"email": "a@example.fi", "password": "x", "csrf_token": "old"})
    assert_page(response, 400, "The form has expired")
    assert "reload the page" in text(response)


@pytest.mark.parametrize(("method", "url", "status"), [
    ("get", "/api/v1/nope", 404),
    ("post", "/api/v1/openings", 405),
    ("get", "/api/v1/broken-crash", 500),
])
def test_the_api_keeps_answering_json(client, method, url, status):
    response = getattr(client, method)(url)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    assert "secret detail" not in text(response) and "<html" not in text(response)


def test_the_page_handler_itself_answers_json_under_the_api(app):
    """Should an /api/ error ever reach this module's handler rather than webapp.api's, it is still JSON."""
    with app.test_request_context("/api/v1/anything"):
        response = errors.handle_http_error(NotFound())
    assert response.status_code == 404 and response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == "not_found"
    with app.test_request_context("/apiary"):
        assert errors.handle_http_error(NotFound()).mimetype == "text/html"


# ---------------------------------------------------------------- too big, too deep

@pytest.mark.parametrize("path", ["/healthz", "/api/v1/openings", "/openings", "/auth/signin"])
def test_five_thousand_nested_brackets_get_400_on_any_route(client, path):
    response = client.post(path, data="[" * 5000, content_type="application/json")
    assert response.status_code == 400
    nested = client.post(path, data="[" * 40 + "]" * 40, content_type="application/json")
    assert nested.status_code in (400, 405) and nested.status_code != 500


def test_the_api_names_the_nesting_in_its_json_error(client):
    response = client.get("/api/v1/openings", data="{\"a\":" * 3000 + "1" + "}" * 3000,
                          content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.get_json()["error"]["message"]


def test_a_twenty_megabyte_body_is_refused_without_being_read(client):
    body = b"x" * (20 * 1024 * 1024)
    response = client.post("/auth/signin", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert client.post("/api/v1/openings/o-1/interest", data=body,
                       content_type="application/json").status_code == 413


def test_a_body_within_the_limit_is_read(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024
