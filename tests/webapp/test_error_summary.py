"""Every form's errors are summed up at its top, each linked to its field (issue 17, point 9; GOV.UK / Suomi.fi)."""
from __future__ import annotations

import html as htmllib
import re

from tests.support.clients import token
from tests.support.youths import post_step

SUMMARY = re.compile(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', re.S)


def summary_links(text: str) -> list[tuple[str, str]]:
    found = SUMMARY.search(text)
    assert found, "no error summary"
    links = re.findall(r"<a href=\"#([^\"]+)\">(.*?)</a>", found.group(1))
    return [(target, htmllib.unescape(label)) for target, label in links]


def test_sign_up_errors_are_summed_up_and_linked_to_their_fields(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fi"
    response = client.post("/auth/signup", data={"email": "ei-osoite", "age": "17", "password": "lyhyt",
                                                 "confirm": "toinen", "csrf_token": token(client, "/auth/signup")})
    assert response.status_code == 400
    text = response.text
    links = summary_links(text)
    targets = [target for target, _label in links]
    assert {"email", "password"} <= set(targets)
    assert all(f'id="{target}"' in text for target in targets)  # each link lands on its field
    assert text.index('class="error-summary"') < text.index('id="email"')  # at the top, before the fields
    assert "Korjaa nämä:" in text


def test_a_profile_step_sums_up_its_errors_too(anna):
    response = post_step(anna, 2, municipality="Oulo", max_travel_km="-3")
    assert response.status_code == 400
    assert [t for t, _ in summary_links(response.text)] == ["municipality", "max_travel_km"]
