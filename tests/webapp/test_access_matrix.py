"""Every route against every client: each role may reach only its own pages and objects.

The routes come from `app.url_map`, so a new route is covered as soon as it exists. Whose each
route is, and which objects fill its parameters, come from the tables in `tests.support.routes`
(`PUBLIC`, `PREFIX_ROLES`, `API_ROLES`, `OBJECTS`); a route the tables do not know fails the
test with a message naming it.

The clients: a visitor, an administrator, youth A and B, a member of association A and of B,
coordinator X (region R1) and Y (R2), a coordinator without a region and an association account
tied to no association (see `tests.support.worlds`). Each client asks for the other side's
objects (youth B for youth A's certificate, association B's member for association A's draft,
coordinator Y for region R1's cohort, ...; those without a side for both sides'): the answer
must be a refusal (anonymous: sign-in redirect, or 401 under /api/; another role: 403; the same
role: 403 or 404), must show none of the other side's private texts, and a refused POST, PUT,
PATCH or DELETE must change no row. Requests carry a valid CSRF token, so the refusal comes
from the access rule and not from the CSRF check. The same routes with the client's own
objects answer 200, so the refusals are not vacuous; ID guessing tries every existing id of
the other side's tables (and one past the last) in each integer parameter.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.support.clients import csrf_header
from tests.support.routes import ANY_SIGNED_IN, PUBLIC, REDIRECTS, WRITES, methods, object_params, role_of, rules, urls
from tests.support.signin import signed_in_as
from tests.support.worlds import Side, World, build, snapshot
from webapp import db
from webapp.models import Cohort, Interest, Referral, WeightProfile, YouthProfile
from webapp.states import Role


@dataclass
class Who:
    name: str
    user_id: int | None
    role: Role | None
    side: Side | None  # the client's own side; None for visitors and administrators


def clients(world: World) -> list[Who]:
    a, b = world.a, world.b
    return [Who("anonymous", None, None, None), Who("admin", world.admin_id, Role.ADMIN, None),
            Who("youth A", a.youth_user_id, Role.YOUTH, a), Who("youth B", b.youth_user_id, Role.YOUTH, b),
            Who("member A", a.member_id, Role.ASSOCIATION, a), Who("member B", b.member_id, Role.ASSOCIATION, b),
            Who("coordinator X", a.coordinator_id, Role.COORDINATOR, a),
            Who("coordinator Y", b.coordinator_id, Role.COORDINATOR, b),
            Who("coordinator without region", world.regionless_id, Role.COORDINATOR, None),
            Who("member without association", world.unattached_id, Role.ASSOCIATION, None)]


def call(client: FlaskClient, method: str, url: str, headers: dict[str, str]) -> object:
    try:
        return _call(client, method, url, headers)
    except Exception as e:  # TESTING re-raises: report it with the rest, as the 500 it would be
        return _Crash(f"{type(e).__name__}: {e}")


class _Crash:
    """An exception in a view, seen as the 500 a visitor would get."""

    status_code = 500
    headers: dict[str, str] = {}

    def __init__(self, text: str) -> None:
        self.text = text

    def get_data(self, as_text: bool = True) -> str:
        return ""

    def __repr__(self) -> str:
        return self.text


def _call(client: FlaskClient, method: str, url: str, headers: dict[str, str]) -> object:
    if method == "GET":
        response = client.get(url)
    elif url.startswith("/api/"):
        response = client.open(url, method=method, json={}, headers=headers)
    else:
        response = client.open(url, method=method, data={}, headers=headers)
    response.get_data()  # kept by the response, which then lets go of its file (static files)
    response.close()
    return response


def leaks(response, forbidden: list[str]) -> list[str]:
    text = (response.get_data(as_text=True) + " " + response.headers.get("Location", "")).lower()
    return [m for m in forbidden if m in text]


def forbidden_for(who: Who, world: World) -> list[str]:
    """The private texts `who` may not see: the other side's, and youth C's (outside everyone's scope)."""
    if who.role == Role.ADMIN:  # keeps the coordinator accounts (names, addresses), sees nobody's data
        staff = {m.lower() for side in (world.a, world.b) for k, m in side.markers.items()
                 if k in ("coordinator_name", "coordinator_email")}
        return [m for m in world.private if m not in staff]
    if who.side is None:
        return world.private
    # Both coordinators referred C by e-mail address, and see it in their own list of requests.
    outsider = world.c.private + ([] if who.role == Role.COORDINATOR else [world.c.email])
    return world.other(who.side).private + outsider


def refusal_problem(who: Who, rule: Rule, role: Role | None, response) -> str | None:
    """Why `response` is not the refusal `who` should get, or None if it is one."""
    status = response.status_code
    if who.role is None:
        if rule.rule.startswith("/api/"):
            return None if status == 401 else f"expected 401, got {status}"
        if status == 302 and "/auth/signin" in response.headers.get("Location", ""):
            return None
        return f"expected a redirect to sign in, got {status} {response.headers.get('Location', '')}"
    if who.role != role:
        return None if status == 403 else f"expected 403 for another role, got {status}"
    return None if status in (403, 404) else f"expected 403 or 404 for another's object, got {status}"


@pytest.fixture
def world(app) -> World:
    return build(app)


def test_every_client_is_refused_the_other_sides_pages_and_objects(app, world):
    problems: list[str] = []
    checked = 0
    for who in clients(world):
        client = signed_in_as(app, who.user_id)
        headers = csrf_header(client)
        forbidden = forbidden_for(who, world)
        victims = [world.a, world.b] if who.side is None else [world.other(who.side)]
        for rule in rules(app):
            role = role_of(rule)
            for method in methods(rule):
                if rule.endpoint in ANY_SIGNED_IN and method != "GET":
                    continue  # signing out is everyone's own business; tested in test_auth
                if rule.endpoint in PUBLIC and method in WRITES and who.role is not None:
                    continue  # sign in / sign up / register while signed in: test_auth and test_association
                signed_in_route = rule.endpoint in ANY_SIGNED_IN and who.role is not None
                own_role_no_object = signed_in_route or (
                    role is not None and who.role == role and not object_params(rule))
                if who.role == Role.ADMIN and role == Role.ADMIN and object_params(rule):
                    continue  # an administrator's pages are about everyone's accounts: tests/webapp/test_admin.py
                if own_role_no_object and method in WRITES:
                    continue  # changes only the client's own data: test_csrf_everywhere covers it
                for victim in victims:
                    for url in urls(rule, victim):
                        before = snapshot(app) if method in WRITES else None
                        response = call(client, method, url, headers)
                        checked += 1
                        where = f"{who.name} {method} {url}"
                        if response.status_code >= 500:
                            problems.append(f"{where}: {response.status_code} {response!r}")
                        found = leaks(response, forbidden)
                        if found:
                            problems.append(f"{where}: shows {found}")
                        if rule.endpoint in PUBLIC:
                            continue
                        if own_role_no_object:
                            expected = (200, 302) if rule.endpoint in REDIRECTS else (200,)
                            if who.side is None and not signed_in_route:
                                expected = (*expected, 403)  # no region or association yet: pages may refuse
                            if response.status_code not in expected:
                                problems.append(f"{where}: own page answered {response.status_code}")
                            continue
                        problem = refusal_problem(who, rule, role, response)
                        if problem:
                            problems.append(f"{where}: {problem}")
                        if before is not None and snapshot(app) != before:
                            problems.append(f"{where}: a refused request changed rows")
    assert checked > 500
    assert not problems, "\n".join(problems)


def test_own_objects_answer_200(app, world):
    """The same routes with the client's own objects work, so the refusals above are not vacuous."""
    problems: list[str] = []
    checked = 0
    for who in clients(world):
        if who.side is None:
            continue
        client = signed_in_as(app, who.user_id)
        forbidden = forbidden_for(who, world)
        for rule in rules(app):
            if "GET" not in rule.methods or role_of(rule) != who.role or not object_params(rule):  # type: ignore[operator]
                continue
            for url in urls(rule, who.side):
                response = call(client, "GET", url, {})
                checked += 1
                if response.status_code != 200:
                    problems.append(f"{who.name} GET {url}: {response.status_code}")
                found = leaks(response, forbidden)
                if found:
                    problems.append(f"{who.name} GET {url}: shows {found}")
    assert checked >= 12
    assert not problems, "\n".join(problems)


def test_public_routes_show_only_public_data(app, world):
    """Visitors see open openings and associations, never a draft, a youth or a member."""
    client = signed_in_as(app, None)
    problems = []
    for rule in rules(app):
        if rule.endpoint not in PUBLIC or "GET" not in rule.methods:  # type: ignore[operator]
            continue
        for side in (world.a, world.b):
            for ref in (side.open_ref, side.draft_ref):
                for url in urls(rule, side, ref=ref):
                    response = call(client, "GET", url, {})
                    found = leaks(response, world.private)
                    if found or response.status_code >= 500:
                        problems.append(f"GET {url}: {response.status_code} shows {found}")
    assert not problems, "\n".join(problems)
    for side in (world.a, world.b):
        assert client.get(f"/openings/{side.open_ref}").status_code == 200
        assert client.get(f"/api/v1/openings/{side.open_ref}").status_code == 200
        assert client.get(f"/openings/{side.draft_ref}").status_code == 404
        assert client.get(f"/api/v1/openings/{side.draft_ref}").status_code == 404
        page = client.get(f"/associations/{side.association_id}")
        assert page.status_code == 200 and f"Eläinhoitaja {side.key.upper()}" in page.get_data(as_text=True)


def test_no_coordinator_sees_a_youth_who_has_not_agreed_or_has_ended(app, world):
    """Youth C: X asked (pending), Y's referral ended. Neither coordinator sees C's pages or texts."""
    c = world.c
    for who in clients(world):
        if who.role != Role.COORDINATOR:
            continue
        client = signed_in_as(app, who.user_id)
        forbidden = forbidden_for(who, world)
        for url in (f"/coordinator/referrals/youths/{c.youth_id}", f"/coordinator/outcomes/{c.youth_ref}",
                    f"/coordinator/outcomes/{c.youth_ref}/self-assessment.svg"):
            response = client.get(url)
            assert response.status_code == 404, (who.name, url)
            assert not leaks(response, forbidden + c.private), (who.name, url)
        pages = ["/coordinator/referrals/", "/coordinator/outcomes", "/coordinator/cohorts/", "/coordinator/",
                 "/coordinator/dashboard"]
        if who.side is not None:
            pages.append(f"/coordinator/cohorts/{who.side.cohort_id}/choose")
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (who.name, url)
            assert not leaks(response, c.private), (who.name, url)
        headers = csrf_header(client)
        before = snapshot(app)
        response = client.post(f"/coordinator/outcomes/{c.youth_ref}/next-step", data={"step": "work"},
                               headers=headers)
        assert response.status_code == 404 and snapshot(app) == before
    for coordinator in (world.a.coordinator_id, world.b.coordinator_id):  # their own requests, as they typed them
        assert world.c.email in signed_in_as(app, coordinator).get("/coordinator/referrals/").get_data(as_text=True)


# ---------------------------------------------------------------- ID guessing

# For each integer parameter: the table whose ids it takes, and which of them are the client's own.
Own = Callable[[sa.Connection, Who], set[int]]


def _own_interests(connection: sa.Connection, who: Who) -> set[int]:
    side = who.side
    assert side is not None
    if who.role == Role.YOUTH:
        return set(connection.execute(sa.select(Interest.id).where(Interest.youth_id == side.youth_id)).scalars())
    return {side.completed_interest_id, side.open_interest_id}


def _region_rows(model: type) -> Own:
    return lambda connection, who: set(connection.execute(
        sa.select(model.id).where(model.region == who.side.region)).scalars())  # type: ignore[union-attr]


GUESSED: dict[str, tuple[type, Own]] = {
    "interest_id": (Interest, _own_interests),
    "cohort_id": (Cohort, _region_rows(Cohort)),
    "profile_id": (WeightProfile, _region_rows(WeightProfile)),
    "referral_id": (Referral, lambda c, who: set(c.execute(sa.select(Referral.id).where(
        (Referral.coordinator_id == who.user_id) if who.role == Role.COORDINATOR
        else (Referral.youth_id == who.side.youth_id))).scalars())),  # type: ignore[union-attr]
    "youth_id": (YouthProfile, lambda c, who: {who.side.youth_id}),  # type: ignore[union-attr]
}


def test_guessed_ids_of_others_objects_are_refused(app, world):
    """Every id of the other side's rows (and one that does not exist yet) in each integer parameter of
    the client's own routes, the other parameters naming the client's own objects: 403 or 404, no
    other side's text, no row changed."""
    problems: list[str] = []
    checked = 0
    for who in clients(world):
        if who.side is None:
            continue
        client = signed_in_as(app, who.user_id)
        headers = csrf_header(client)
        forbidden = forbidden_for(who, world)
        for rule in rules(app):
            if role_of(rule) != who.role:
                continue
            for arg in object_params(rule):
                if arg not in GUESSED:
                    continue
                model, own = GUESSED[arg]
                with app.app_context():
                    connection = db.get_session().connection()
                    every = set(connection.execute(sa.select(model.id)).scalars())  # type: ignore[attr-defined]
                    guesses = sorted(every - own(connection, who)) + [max(every) + 1]
                for guess in guesses:
                    for method in methods(rule):
                        for url in urls(rule, who.side, **{arg: guess}):
                            before = snapshot(app) if method in WRITES else None
                            response = call(client, method, url, headers)
                            checked += 1
                            where = f"{who.name} {method} {url}"
                            if response.status_code not in (403, 404):
                                problems.append(f"{where}: expected 403 or 404, got {response.status_code}")
                            found = leaks(response, forbidden)
                            if found:
                                problems.append(f"{where}: shows {found}")
                            if before is not None and snapshot(app) != before:
                                problems.append(f"{where}: a refused request changed rows")
    assert checked > 50
    assert not problems, "\n".join(problems)
