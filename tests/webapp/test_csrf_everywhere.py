"""Every state-changing route refuses a request without its session's CSRF token, and changes nothing.

The routes come from `app.url_map` (every rule with POST, PUT, PATCH or DELETE), so a new one is
covered as it appears. Each is called by a signed-in user of its role (a visitor for sign-in,
sign-up and registration) with valid data but no token, then with another session's token:
a page answers 400 with the "form has expired" page, the API 403 `csrf_failed` (webapp.api's
rule), and no row changes. The same request with the session's own token then gets past the
check (and, for the routes in `CHANGES`, saves), so the valid data is truly valid. The API
checks the token before the sign-in (a visitor without it gets 403 too), and no GET route
changes a row, since GET needs no token.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from tests.support.clients import csrf_header
from tests.support.routes import ANY_SIGNED_IN, PUBLIC, WRITES, methods, role_of, rules, urls
from tests.support.signin import PASSWORD, signed_in_as
from tests.support.worlds import World, build, snapshot
from webapp.states import Role

CSRF_PAGE = "The form has expired or was sent from somewhere else"
# Background jobs are not started by the control requests (a thread outliving the test's database).
STARTS_A_JOB = {"coordinator.allocate_cohort", "coordinator.learn"}
# Valid data per endpoint (routes not listed send only the token, like their forms).
Data = Callable[[World], dict[str, Any]]
DATA: dict[str, Data] = {
    "auth.sign_in": lambda w: {"email": w.a.youth_email, "password": PASSWORD},
    "auth.sign_up": lambda w: {"email": "uusi.nuori@example.fi", "age": "17", "password": PASSWORD,
                               "confirm": PASSWORD, "consent": "y"},
    "association.register_association": lambda w: {
        "name": "Uusi Yhdistys ry", "municipality": "Oulu", "contact": "info@uusi.example", "description": "Uusi.",
        "business_id": "1572860-0", "person_name": "Uusi Jäsen", "email": "uusi.jasen@example.fi",
        "password": PASSWORD, "confirm": PASSWORD},
    "youth.profile": lambda w: {"interests": "Koirat ja ulkoilu", "themes": ["animals"], "municipality": "oulu",
                                "max_travel_km": "20", "remote_ok": "no", "availability": "ke 16-20",
                                "languages": ["fi"], "kinds": ["volunteer"], "age": "17", "name": "Aada"},
    "youth.step": lambda w: {"interests": "Koirat ja ulkoilu", "themes": ["animals"], "name": "Aada"},
    "youth.interest": lambda w: {"message": "Hei!"},
    "api.express_interest": lambda w: {"message": "Hei!"},
    "youth.delete_account": lambda w: {"password": PASSWORD, "understood": "y"},
    "youth.next_step": lambda w: {"step": "work"},
    "coordinator.youth_next_step": lambda w: {"step": "education"},
    "youth.self_assessment": lambda w: {"daily_routine": "4", "work_skills": "3"},
    "association.page": lambda w: {"name": "Yhdistys A ry", "municipality": "Oulu", "contact": "info-a@example.fi",
                                   "description": "Uusi kuvaus."},
    "association.new_opening": lambda w: {"title": "Uusi tehtävä", "description": "Kuvaus.", "kind": "volunteer",
                                          "themes": ["animals"], "municipality": "Oulu", "languages": ["fi"],
                                          "capacity": "2"},
    "association.edit_opening": lambda w: {"title": "Muutettu luonnos", "description": "Kuvaus.", "kind": "volunteer",
                                           "themes": ["animals"], "municipality": "Oulu", "languages": ["fi"]},
    "association.preview": lambda w: {"title": "Esikatselu", "description": "Kuvaus.", "municipality": "Oulu"},
    "association.decide": lambda w: {"reference": "Hyvää työtä."},
    "coordinator.referrals": lambda w: {"email": w.b.youth_email, "note": "Tule mukaan."},
    "coordinator.cohorts": lambda w: {"name": "Syksyn ryhmä"},
    "coordinator.choose_for_cohort": lambda w: {"youths": [str(w.a.youth_id)], "openings": [str(w.a.second_id)]},
    "coordinator.move_in_cohort": lambda w: {"opening": str(w.a.second_id)},
    "coordinator.weights": lambda w: {"name": "Uudet painot"},
}
# The control request with the token must save something (its data being valid).
CHANGES = {"auth.sign_up", "association.register_association", "youth.profile", "youth.interest",
           "youth.withdraw_interest", "api.express_interest", "api.withdraw", "youth.delete_account",
           "youth.next_step", "coordinator.youth_next_step", "youth.self_assessment", "association.page",
           "association.new_opening", "association.edit_opening", "coordinator.referrals", "coordinator.cohorts",
           "coordinator.weights", "youth.end_referral"}
# Parameters that differ from the access matrix's: the client's own objects, in a state the action fits.
OWN: dict[str, Callable[[World], dict[str, object]]] = {
    "api.express_interest": lambda w: {"ref": w.b.open_ref},
    "api.withdraw": lambda w: {"ref": w.b.open_ref},  # in LAST: after the interest above
    "youth.interest": lambda w: {"ref": w.b.second_ref},  # .../interest before .../withdraw
    "youth.withdraw_interest": lambda w: {"ref": w.b.second_ref},
}
# Last in the control pass: they sign the client out or end what later routes read.
LAST = ("api.withdraw", "youth.end_referral", "coordinator.end_referral", "auth.sign_out", "youth.delete_account",
        "admin.set_active")  # deactivates youth A (and reactivates it)


def client_for(app: Flask, world: World, role: Role | None, endpoint: str):
    if endpoint in PUBLIC:
        return signed_in_as(app, None)
    user = {Role.YOUTH: world.a.youth_user_id, Role.ASSOCIATION: world.a.member_id,
            Role.COORDINATOR: world.a.coordinator_id, Role.ADMIN: world.admin_id, None: world.a.youth_user_id}[role]
    return signed_in_as(app, user)


# The only routes without the token, each with why (and a test of its own).
NO_TOKEN = {
    # RFC 8058: a mail program posts "List-Unsubscribe=One-Click" with no page and no cookie; the signed token in
    # the URL is the key, and it only turns e-mail off (tests/webapp/test_notice_mail.py)
    "notices.unsubscribe",
}


def write_routes(app: Flask, world: World) -> list[tuple[str, str, str, Role | None]]:
    """(endpoint, method, url, role) of every state-changing route, each `any(...)` value apart."""
    found = []
    for rule in rules(app):
        if rule.endpoint in NO_TOKEN:
            continue
        role = role_of(rule)
        for method in methods(rule):
            if method not in WRITES:
                continue
            fixed = OWN.get(rule.endpoint, lambda w: {})(world)
            for url in urls(rule, world.a, **fixed):
                found.append((rule.endpoint, method, url, role))
    found.sort(key=lambda r: LAST.index(r[0]) if r[0] in LAST else -1)
    return found


def send(client, method: str, url: str, data: dict[str, Any], headers: dict[str, str]):
    if url.startswith("/api/"):
        return client.open(url, method=method, json=data, headers=headers)
    return client.open(url, method=method, data=data, headers=headers)


def is_csrf_refusal(response, url: str) -> bool:
    if url.startswith("/api/"):
        body = response.get_json(silent=True) or {}
        return response.status_code == 403 and body.get("error", {}).get("code") == "csrf_failed"
    return response.status_code == 400 and CSRF_PAGE in response.get_data(as_text=True)


@pytest.fixture
def world(app) -> World:
    return build(app)


def test_every_state_changing_route_refuses_a_request_without_the_token(app, world):
    assert app.config.get("WTF_CSRF_ENABLED", True) is True  # the default, as in production
    routes = write_routes(app, world)
    assert len(routes) > 40
    stranger = signed_in_as(app, world.b.youth_user_id)
    foreign = csrf_header(stranger)["X-CSRFToken"]  # a valid token, of another session
    problems: list[str] = []
    for endpoint, method, url, role in routes:
        client = client_for(app, world, role, endpoint)
        data = DATA.get(endpoint, lambda w: {})(world)
        for label, form_token, headers in (("no token", None, {}),
                                           ("another session's token", foreign, {"X-CSRFToken": foreign})):
            before = snapshot(app)
            sent = {**data, "csrf_token": form_token} if form_token and not url.startswith("/api/") else data
            response = send(client, method, url, sent, headers)
            where = f"{method} {url} with {label}"
            if not is_csrf_refusal(response, url):
                problems.append(f"{where}: not refused for CSRF ({response.status_code})")
            if snapshot(app) != before:
                problems.append(f"{where}: rows changed")
        if role is not None or endpoint in ANY_SIGNED_IN:  # still signed in: sign-out needs its token too
            home = {Role.ASSOCIATION: "/association/openings", Role.COORDINATOR: "/coordinator/",
                    Role.ADMIN: "/admin/"}.get(
                role, "/account/data")  # type: ignore[arg-type]
            assert client.get(home).status_code == 200, endpoint
    assert not problems, "\n".join(problems)


def test_the_same_requests_with_the_token_get_past_the_check(app, world):
    """The control: the data above is valid, so the refusals came from the missing token alone."""
    problems: list[str] = []
    saved = set()
    for endpoint, method, url, role in write_routes(app, world):
        if endpoint in STARTS_A_JOB:
            continue
        client = client_for(app, world, role, endpoint)
        data = DATA.get(endpoint, lambda w: {})(world)
        before = snapshot(app)
        response = send(client, method, url, data, csrf_header(client))
        if is_csrf_refusal(response, url) or response.status_code >= 500:
            problems.append(f"{method} {url}: {response.status_code} with the session's token")
        if snapshot(app) != before:
            saved.add(endpoint)
    assert not problems, "\n".join(problems)
    assert CHANGES <= saved, f"these saved nothing with valid data and the token: {sorted(CHANGES - saved)}"


def test_no_get_route_changes_anything(app, world):
    """GET needs no token, so no GET may change a row: every GET route, by its own role, with the
    client's own objects (and visitors on the public ones)."""
    problems = []
    checked = 0
    for rule in rules(app):
        if "GET" not in rule.methods:  # type: ignore[operator]
            continue
        role = role_of(rule)
        client = client_for(app, world, role, rule.endpoint)
        for url in urls(rule, world.a):
            before = snapshot(app)
            response = client.get(url)
            response.close()
            checked += 1
            if snapshot(app) != before:
                problems.append(f"GET {url} changed rows")
    assert checked > 40
    assert not problems, "\n".join(problems)


def test_the_api_checks_the_token_before_the_sign_in(app, world):
    """webapp.api.views's rule: without the token a visitor gets 403 csrf_failed, not 401, on every API write."""
    visitor = signed_in_as(app, None)
    api_routes = [(m, url) for _e, m, url, _r in write_routes(app, world) if url.startswith("/api/")]
    assert len(api_routes) >= 6
    before = snapshot(app)
    for method, url in api_routes:
        response = send(visitor, method, url, {}, {})
        assert is_csrf_refusal(response, url), (method, url, response.status_code)
        assert "X-CSRFToken" in response.get_json()["error"]["message"]
    assert snapshot(app) == before
