"""The JSON API's write side: interest, applicants and decisions, the CSRF rule, and the OpenAPI document."""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlmodel import select

from webapp import db
from webapp.models import SHAREABLE_FIELDS, Interest, YouthProfile
from webapp.states import InterestState, Role

from tests.support.api import YOUTH_PROFILE, assert_error, check
from tests.support.applicants import SECRET_PROFILE, add_interest, add_user, interest_row, opening_row, outcomes
from tests.support.catalogue import add_catalogue
from tests.support.clients import csrf_header
from tests.support.signin import sign_in_as

INTERESTED, ACCEPTED, WITHDRAWN = InterestState.INTERESTED, InterestState.ACCEPTED, InterestState.WITHDRAWN
COMPLETED, DROPPED, DECLINED = InterestState.COMPLETED, InterestState.DROPPED, InterestState.DECLINED


@pytest.fixture
def world(app):
    ids = add_catalogue(app)
    return {
        **ids,
        "anna": add_user(app, "anna@example.fi", Role.YOUTH, name="Anna", profile=YOUTH_PROFILE),
        "kaisa": add_user(app, "kaisa.secret@example.fi", Role.YOUTH, name="Kaisa K",
                          profile={**SECRET_PROFILE, "shared_fields": ["languages"]}),
        "member": add_user(app, "jasen@elaimet.example", Role.ASSOCIATION, association_id=ids["animals"]),
        "other_member": add_user(app, "jasen@kulttuuri.example", Role.ASSOCIATION, association_id=ids["culture"]),
    }


class Caller:
    """A signed-in client that checks every answer against the OpenAPI document."""

    def __init__(self, app, user_id: int | None, token: bool = True) -> None:
        self.client = app.test_client()
        if user_id is not None:
            sign_in_as(self.client, user_id)
        self.headers = csrf_header(self.client) if token else {}
        self.doc = self.client.get("/api/v1/openapi.json").get_json()

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
             **kwargs: Any) -> Any:
        if body is not None:
            kwargs["json"] = body
        response = self.client.open("/api/v1" + path, method=method, headers={**self.headers, **(headers or {})},
                                    **kwargs)
        self.conforms(method, path, response)
        return response

    def conforms(self, method: str, path: str, response: Any) -> None:
        template = _template(path)
        responses = self.doc["paths"][template][method.lower()]["responses"]
        assert str(response.status_code) in responses, f"{method} {path}: {response.status_code} undocumented"
        schema = responses[str(response.status_code)]["content"]["application/json"]["schema"]
        check(self.doc, schema, response.get_json(), f"{method} {path}")


def _template(path: str) -> str:
    parts = path.strip("/").split("/")
    if parts[0] == "openings":
        return "/openings/{ref}/" + parts[2]
    if parts[0] == "applicants":
        return "/applicants/{interest_id}/" + parts[2]
    return path


# ---------------------------------------------------------------- the CSRF rule

def test_the_csrf_token_is_served_and_documented(app, world):
    caller = Caller(app, world["anna"], token=False)
    response = caller.client.get("/api/v1/csrf")
    assert response.status_code == 200
    body = response.get_json()
    assert body["header"] == "X-CSRFToken" and len(body["csrf_token"]) > 20
    check(caller.doc, caller.doc["paths"]["/csrf"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
          body)
    assert "X-CSRFToken" in caller.doc["info"]["description"]


@pytest.mark.parametrize("method, path", [
    ("POST", "/openings/o-dog/interest"), ("DELETE", "/openings/o-dog/interest"),
    ("POST", "/applicants/1/accept"), ("POST", "/applicants/1/decline"), ("POST", "/applicants/1/complete"),
    ("POST", "/applicants/1/drop"),
])
@pytest.mark.parametrize("headers", [{}, {"X-CSRFToken": "forged"}, {"X-CSRFToken": ""}])
def test_state_changes_without_a_valid_token_are_403_naming_the_header(app, world, method, path, headers):
    add_interest(app, world["kaisa"], "o-dog")
    user = world["anna"] if path.startswith("/openings") else world["member"]
    caller = Caller(app, user, token=False)
    response = caller.call(method, path, headers=headers)
    error = assert_error(response, 403, "X-CSRFToken")
    assert error["code"] == "csrf_failed" and "/api/v1/csrf" in error["message"]
    assert interest_row(app, 1).state == INTERESTED and outcomes(app) == []
    with app.app_context():
        assert len(db.get_session().exec(select(Interest)).all()) == 1


def test_no_state_changing_endpoint_escapes_the_rule(app, world):
    """Every POST/DELETE route of the API, present and future, refuses a request without the token."""
    caller = Caller(app, world["member"], token=False)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        for method in rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            url = rule.build({"ref": "o-dog", "interest_id": 1, **(rule.defaults or {})}, append_unknown=False)[1]
            response = caller.client.open(url, method=method)
            assert assert_error(response, 403, "X-CSRFToken")["code"] == "csrf_failed", url
            checked += 1
    assert checked == 9  # interest, withdraw, four decisions, two conversations, notifications read


def test_another_sessions_token_is_refused(app, world):
    add_interest(app, world["kaisa"], "o-dog")
    thief = Caller(app, world["other_member"])
    caller = Caller(app, world["member"], token=False)
    response = caller.call("POST", "/applicants/1/accept", headers=thief.headers)
    assert assert_error(response, 403, "X-CSRFToken")["code"] == "csrf_failed"
    assert interest_row(app, 1).state == INTERESTED


def test_a_same_origin_header_is_no_substitute_for_the_token(app, world):
    caller = Caller(app, world["anna"], token=False)
    response = caller.call("POST", "/openings/o-dog/interest", headers={"Origin": "http://localhost",
                                                                        "Referer": "http://localhost/"})
    assert_error(response, 403, "X-CSRFToken")


def test_the_token_check_comes_before_the_sign_in_check(app, world):
    anonymous = Caller(app, None, token=False)
    assert assert_error(anonymous.call("POST", "/openings/o-dog/interest"), 403, "X-CSRFToken")
    anonymous = Caller(app, None)  # a visitor's own session has a token too
    assert assert_error(anonymous.call("POST", "/openings/o-dog/interest"), 401)["code"] == "unauthorized"
    assert assert_error(anonymous.call("POST", "/applicants/1/accept"), 401)["code"] == "unauthorized"


# ---------------------------------------------------------------- interest

def test_a_youth_expresses_interest_with_a_note(app, world):
    caller = Caller(app, world["anna"])
    response = caller.call("POST", "/openings/o-dog/interest", {"message": "  Rakastan koiria!  "})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["opening"], body["state"], body["message"]) == ("o-dog", "interested", "Rakastan koiria!")
    # again while interested: the record as it was (services.express_interest's rule)
    again = caller.call("POST", "/openings/o-dog/interest", {"message": "Voin myös viikonloppuisin."})
    assert (again.status_code, again.get_json()["message"]) == (200, "Rakastan koiria!")
    with app.app_context():
        rows = db.get_session().exec(select(Interest)).all()
    assert [(r.state, r.message) for r in rows] == [(INTERESTED, "Rakastan koiria!")]
    assert [k for _, _, k in outcomes(app)] == ["interested"]


def test_withdraw_and_express_again(app, world):
    caller = Caller(app, world["anna"])
    caller.call("POST", "/openings/o-dog/interest")
    response = caller.call("DELETE", "/openings/o-dog/interest")
    assert response.status_code == 200 and response.get_json()["state"] == "withdrawn"
    assert caller.call("DELETE", "/openings/o-dog/interest").get_json()["state"] == "withdrawn"
    again = caller.call("POST", "/openings/o-dog/interest", {"message": "Sittenkin!"}).get_json()
    assert (again["state"], again["message"]) == ("interested", "Sittenkin!")


def test_withdrawing_what_was_never_expressed_is_404(app, world):
    assert_error(Caller(app, world["anna"]).call("DELETE", "/openings/o-dog/interest"), 404)


def test_withdrawing_after_the_association_decided_is_409(app, world):
    interest = add_interest(app, world["anna"], "o-dog", state=ACCEPTED)
    error = assert_error(Caller(app, world["anna"]).call("DELETE", "/openings/o-dog/interest"), 409)
    assert error["code"] == "interest_refused" and "accepted" in error["message"]
    assert interest_row(app, interest).state == ACCEPTED


def test_an_ineligible_youth_is_refused_in_english(app, world):
    caller = Caller(app, world["anna"])
    response = caller.call("POST", "/openings/o-photo/interest", headers={"Accept-Language": "fi"})
    error = assert_error(response, 409)
    assert error["code"] == "interest_refused" and error["message"].startswith("This opening does not suit you")
    assert outcomes(app) == []


@pytest.mark.parametrize("ref", ["o-draft", "o-closed", "o-nothing"])
def test_interest_only_in_open_openings(app, world, ref):
    assert_error(Caller(app, world["anna"]).call("POST", f"/openings/{ref}/interest"), 404)


@pytest.mark.parametrize("data, content_type, field, code", [
    ("{not json", "application/json", None, "bad_json"),
    ("[1, 2]", "application/json", None, "bad_json"),
    ('"text"', "application/json", None, "bad_json"),
    ('{"message": 5}', "application/json", "message", "bad_type"),
    ('{"message": null}', "application/json", "message", "bad_type"),
    ('{"note": "hi"}', "application/json", "note", "unknown_field"),
    (json.dumps({"message": "x" * 1001}), "application/json", "message", "bad_input"),
    ("message=hi", "application/x-www-form-urlencoded", None, "bad_json"),
    (b"\xff\xfe", "application/json", None, "bad_json"),
])
def test_bad_bodies_are_400_naming_the_field(app, world, data, content_type, field, code):
    caller = Caller(app, world["anna"])
    response = caller.call("POST", "/openings/o-dog/interest", data=data, content_type=content_type)
    assert assert_error(response, 400, field)["code"] == code
    assert outcomes(app) == []


@pytest.mark.parametrize("who", ["member", "other_member"])
def test_interest_is_for_youths_only(app, world, who):
    assert_error(Caller(app, world[who]).call("POST", "/openings/o-dog/interest"), 403)


# ---------------------------------------------------------------- applicants

def test_the_applicants_list_shows_only_what_is_shared(app, world):
    add_interest(app, world["kaisa"], "o-dog", message="Pidän koirista")
    add_interest(app, world["anna"], "o-dog", state=WITHDRAWN)  # took it back: not listed
    response = Caller(app, world["member"]).call("GET", "/openings/o-dog/applicants")
    assert response.status_code == 200
    body = response.get_json()
    assert body["opening"] == {"ref": "o-dog", "title": "Koiranulkoiluttaja", "status": "open", "capacity": 3,
                               "filled": 1}
    [kaisa] = body["items"]
    assert (kaisa["name"], kaisa["message"], kaisa["state"]) == ("Kaisa K", "Pidän koirista", "interested")
    assert kaisa["shared"] == {"languages": ["fi", "et"]}
    text = response.get_data(as_text=True)
    for secret in ("kaisa.secret@example.fi", "Kuusamo", "Salaisuus", '"age"', "hygiene_passport", "la 10-14",
                   "anna@example.fi", "Anna"):
        assert secret not in text, secret


def test_everything_shared_is_there(app, world):
    with app.app_context():
        session = db.get_session()
        profile = session.exec(select(YouthProfile).where(YouthProfile.user_id == world["kaisa"])).one()
        profile.shared_fields = list(SHAREABLE_FIELDS)
        session.commit()
    add_interest(app, world["kaisa"], "o-dog")
    shared = Caller(app, world["member"]).call("GET", "/openings/o-dog/applicants").get_json()["items"][0]["shared"]
    assert shared == {**SECRET_PROFILE, "email": "kaisa.secret@example.fi"}
    doc = Caller(app, None, token=False).doc
    assert set(doc["components"]["schemas"]["SharedProfile"]["properties"]) == set(SHAREABLE_FIELDS)


@pytest.mark.parametrize("who, status", [("other_member", 404), ("anna", 403), (None, 401)])
def test_only_the_associations_members_see_its_applicants(app, world, who, status):
    add_interest(app, world["kaisa"], "o-dog")
    caller = Caller(app, world[who] if who else None)
    assert_error(caller.call("GET", "/openings/o-dog/applicants"), status)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_get_403(app, world, role):
    caller = Caller(app, add_user(app, f"{role.value}@example.fi", role))
    assert_error(caller.call("GET", "/openings/o-dog/applicants"), 403)
    assert_error(caller.call("POST", "/applicants/1/accept"), 403)


@pytest.mark.parametrize("ref", ["o-nothing", "o-photo"])
def test_unknown_or_foreign_openings_are_404(app, world, ref):
    assert_error(Caller(app, world["member"]).call("GET", f"/openings/{ref}/applicants"), 404)


# ---------------------------------------------------------------- decisions

def test_accept_complete_and_the_reference(app, world):
    interest = add_interest(app, world["kaisa"], "o-dog")
    caller = Caller(app, world["member"])
    body = caller.call("POST", f"/applicants/{interest}/accept").get_json()
    assert (body["id"], body["state"], body["finished_at"]) == (interest, "accepted", None)
    assert body["accepted_at"] is not None and body["shared"] == {"languages": ["fi", "et"]}
    assert opening_row(app, "o-dog").filled == 2
    body = caller.call("POST", f"/applicants/{interest}/complete", {"reference": "Reipas ja oma-aloitteinen."})
    assert (body.status_code, body.get_json()["state"]) == (200, "completed")
    assert body.get_json()["reference"] == "Reipas ja oma-aloitteinen." and body.get_json()["finished_at"]
    assert opening_row(app, "o-dog").filled == 2
    assert [k for _, _, k in outcomes(app)] == ["accepted", "completed"]


def test_decline_and_drop(app, world):
    first = add_interest(app, world["kaisa"], "o-dog")
    second = add_interest(app, world["anna"], "o-dog", state=ACCEPTED)
    caller = Caller(app, world["member"])
    assert caller.call("POST", f"/applicants/{first}/decline").get_json()["state"] == "declined"
    assert caller.call("POST", f"/applicants/{second}/drop").get_json()["state"] == "dropped"
    assert opening_row(app, "o-dog").filled == 0
    assert interest_row(app, second).finished_at is not None


def test_full_is_409(app, world):
    interest = add_interest(app, world["kaisa"], "o-dog")
    with app.app_context():
        from webapp.models import Opening
        session = db.get_session()
        session.exec(select(Opening).where(Opening.ref == "o-dog")).one().filled = 3
        session.commit()
    error = assert_error(Caller(app, world["member"]).call("POST", f"/applicants/{interest}/accept"), 409)
    assert error["code"] == "full"
    assert interest_row(app, interest).state == INTERESTED and opening_row(app, "o-dog").filled == 3


@pytest.mark.parametrize("state, action, code", [
    (ACCEPTED, "accept", "already_decided"), (DECLINED, "decline", "already_decided"),
    (INTERESTED, "complete", "not_accepted"), (COMPLETED, "drop", "already_decided"),
])
def test_decisions_only_from_their_state(app, world, state, action, code):
    interest = add_interest(app, world["kaisa"], "o-dog", state=state)
    assert assert_error(Caller(app, world["member"]).call("POST", f"/applicants/{interest}/{action}"),
                        409)["code"] == code
    assert interest_row(app, interest).state == state


@pytest.mark.parametrize("action, body, field, code", [
    ("complete", {"reference": "x" * 2001}, "reference", "bad_reference"),
    ("complete", {"reference": 3}, "reference", "bad_type"),
    ("accept", {"reference": "x"}, "reference", "unknown_field"),
    ("drop", {"why": "x"}, "why", "unknown_field"),
])
def test_bad_decision_bodies_are_400(app, world, action, body, field, code):
    interest = add_interest(app, world["kaisa"], "o-dog", state=ACCEPTED)
    response = Caller(app, world["member"]).call("POST", f"/applicants/{interest}/{action}", body)
    assert assert_error(response, 400, field)["code"] == code
    assert interest_row(app, interest).state == ACCEPTED and outcomes(app) == []


def test_guessing_ids_reaches_no_other_associations_applicants(app, world):
    ids = [add_interest(app, world["kaisa"], "o-dog"), add_interest(app, world["anna"], "o-dog")]
    thief = Caller(app, world["other_member"])
    for interest_id in range(0, max(ids) + 3):
        for action in ("accept", "decline", "complete", "drop"):
            error = assert_error(thief.call("POST", f"/applicants/{interest_id}/{action}"), 404)
            assert error["code"] == "not_found"
    assert all(interest_row(app, i).state == INTERESTED for i in ids) and outcomes(app) == []


@pytest.mark.parametrize("interest_id", ["99999999999999999999", "2147483648", "-1", "abc"])
def test_impossible_ids_are_404(app, world, interest_id):
    caller = Caller(app, world["member"])
    assert_error(caller.client.post(f"/api/v1/applicants/{interest_id}/accept", headers=caller.headers), 404)


def test_a_withdrawn_applicant_is_404(app, world):
    interest = add_interest(app, world["kaisa"], "o-dog", state=WITHDRAWN)
    assert_error(Caller(app, world["member"]).call("POST", f"/applicants/{interest}/accept"), 404)


def test_youths_cannot_decide(app, world):
    interest = add_interest(app, world["anna"], "o-dog")
    assert_error(Caller(app, world["anna"]).call("POST", f"/applicants/{interest}/accept"), 403)
    assert interest_row(app, interest).state == INTERESTED


def test_completing_before_the_start_is_409_not_started(app, world):
    interest = add_interest(app, world["kaisa"], "o-dog", state=ACCEPTED)
    with app.app_context():
        from webapp.models import Opening
        session = db.get_session()
        session.exec(select(Opening).where(Opening.ref == "o-dog")).one().start_date = (
            dt.date.today() + dt.timedelta(days=30))
        session.commit()
    error = assert_error(Caller(app, world["member"]).call("POST", f"/applicants/{interest}/complete"), 409)
    assert error["code"] == "not_started" and "starts on" in error["message"]
    assert interest_row(app, interest).state == ACCEPTED and interest_row(app, interest).finished_at is None
