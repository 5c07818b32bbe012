"""The API reference page at /api/docs: the OpenAPI document of /api/v1, readable, served by the app, no CDN."""
from __future__ import annotations

import html as htmllib
import re

from webapp.api.openapi import document


def test_the_reference_lists_every_operation_with_its_parameters(client, catalogue):
    response = client.get("/api/docs", headers={"Accept-Language": "en"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = htmllib.unescape(response.text)
    for path, item in document()["paths"].items():
        for method in ("get", "post", "delete"):
            if method in item:
                assert f"{method.upper()} /api/v1{path}" in page
    assert "<code>municipality</code>" in page and "<code>per_page</code>" in page  # query parameters
    assert 'href="/api/v1/openapi.json"' in page
    assert not re.search(r'(src|href)="https?://', page)  # nothing from another site


def test_a_get_operation_can_be_tried_from_the_page(client, catalogue):
    page = client.get("/api/docs").text
    form = re.search(r'<form method="get" action="/api/v1/openings" class="api-try">(.*?)</form>', page, re.S)
    assert form and 'name="q"' in form.group(1)
    answer = client.get("/api/v1/openings", query_string={"q": "koira"})
    assert answer.status_code == 200 and answer.is_json


def test_the_page_is_in_the_readers_language_around_the_english_api(client, catalogue):
    page = client.get("/api/docs", headers={"Accept-Language": "fi"}).text
    assert "<h1>API-kuvaus: Polku API" in page and "Kokeile" in page


def test_every_page_links_to_the_reference_in_its_footer(client, catalogue):
    for url in ("/", "/openings", "/auth/signin"):
        page = client.get(url, headers={"Accept-Language": "fi"}).text
        assert '<a href="/api/docs">Kehittäjille: rajapinta (API)</a>' in page
