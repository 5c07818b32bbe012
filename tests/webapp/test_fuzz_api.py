"""Property-based fuzzing of the JSON API: schemathesis generates requests from the app's own OpenAPI document.

Every operation runs with inputs that fit the document (positive) and inputs that do not
(negative), as three callers: anonymous, a signed-in youth with a profile and an association
member, both sending their session's X-CSRFToken. What must hold for every answer: no 5xx;
a status the operation documents, JSON of the documented schema (schemathesis' conformance
checks); a 4xx error object with a code and a message, naming the field when the input was
at fault; and a refused write leaves every row as it was. Path parameters are drawn half from
the refs and ids that exist, so that the writes reach the services and the state moves.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from tests.support.api import YOUTH_PROFILE
from tests.support.applicants import SECRET_PROFILE, add_interest, add_user
from tests.support.catalogue import add_catalogue
from tests.support.clients import csrf_header
from tests.support.signin import sign_in_as
from tests.support.worlds import snapshot
from webapp.states import Role


EXAMPLES = 10  # per operation, caller and generation mode: about 3 x (12 + 10) x 10 = 660 requests a database
CALLERS = ("anonymous", "youth", "member")
INPUT_CODES = {"bad_parameter", "bad_input", "unknown_field", "bad_type", "bad_reference", "csrf_failed"}
# What the document's `default` answer covers, on any operation: no view matched, or NUL in the input
DEFAULT = {404: "not_found", 405: "method_not_allowed", 400: "bad_input"}
CHECKS = [openapi_checks.status_code_conformance, openapi_checks.content_type_conformance,
          openapi_checks.response_schema_conformance, openapi_checks.negative_data_rejection]
WRITES = {"POST", "DELETE"}
FUZZ_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                         suppress_health_check=list(HealthCheck))


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    ids = add_catalogue(app)
    anna = add_user(app, "anna@example.fi", Role.YOUTH, name="Anna", profile=YOUTH_PROFILE)
    kaisa = add_user(app, "kaisa@example.fi", Role.YOUTH, name="Kaisa", profile=SECRET_PROFILE)
    interests = [add_interest(app, kaisa, "o-dog"), add_interest(app, kaisa, "o-remote"),
                 add_interest(app, anna, "o-photo")]
    return {"anna": anna, "member": add_user(app, "jasen@elaimet.example", Role.ASSOCIATION,
                                             association_id=ids["animals"]),
            "interests": interests}


def _client(app: Flask, user_id: int | None) -> tuple[Any, dict[str, str]]:
    client = app.test_client()
    if user_id is not None:
        sign_in_as(client, user_id)
    return client, csrf_header(client)


def _strategies(operation: Any, mode: GenerationMode, interests: list[int], cookie: str) -> st.SearchStrategy[Any]:
    """Generated cases, half of them aimed at the catalogue's refs and the applicants' ids.

    The session cookie (the document's security scheme) is the caller's own, never generated.
    """
    def cases(**path: Any) -> st.SearchStrategy[Any]:
        return operation.as_strategy(generation_mode=mode, cookies={"session": cookie}, path_parameters=path or None)

    names = {p.name for p in operation.path_parameters}
    if "ref" in names:
        known = st.sampled_from(["o-dog", "o-photo", "o-remote", "o-draft", "o-closed"])
        return st.one_of(cases(), known.flatmap(lambda ref: cases(ref=ref)))
    if "interest_id" in names:
        return st.one_of(cases(), st.sampled_from(interests).flatmap(lambda i: cases(interest_id=i)))
    return cases()


def _documented(operation: Any) -> set[int]:
    return {int(code) for code in operation.definition.raw["responses"] if code.isdigit()}


def _assert_answer(case: Any, response: Any, documented: set[int]) -> None:
    """What schemathesis does not check: the codes beyond `default`, and the error objects' contents."""
    status = response.status_code
    label = f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r}"
    assert status < 500, label
    error = response.json().get("error") if status >= 400 else None
    assert status in documented or DEFAULT.get(status) == (error or {}).get("code"), f"{label}: {status}"
    if error is None:
        return
    assert isinstance(error["code"], str) and error["code"], label
    assert isinstance(error["message"], str) and error["message"].strip(), label
    if error["code"] in INPUT_CODES:
        assert isinstance(error.get("field"), str) and error["field"], f"{label}: {error}"


def _run(app: Flask, caller: str, user_id: int | None, interests: list[int], counts: Counter[str]) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    client, token = _client(app, user_id)
    cookie = client.get_cookie("session").value
    for result in schema.get_all_operations():
        operation = result.ok()
        documented = _documented(operation)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @FUZZ_SETTINGS
            @given(case=_strategies(operation, mode, interests, cookie))
            def fuzz(case: Any) -> None:
                write = case.method.upper() in WRITES
                before = snapshot(app) if write else None
                response = case.call(session=client, headers=token if write else None)
                case.validate_response(response, checks=CHECKS)
                _assert_answer(case, response, documented)
                if write and response.status_code >= 400:
                    assert snapshot(app) == before, f"{case.method} {case.formatted_path}: a refused write saved"
                counts[f"{caller} {response.status_code}"] += 1
            try:
                fuzz()
            except Unsatisfiable:
                # no input breaks the document: a lone path string (GET /openings/{ref}) or no input at all
                assert mode is GenerationMode.NEGATIVE, operation.label
                counts["negative runs with no invalid input"] -= 1


@pytest.mark.slow
def test_generated_requests_get_documented_answers_and_refusals_change_nothing(app, world, capsys):
    counts: Counter[str] = Counter()
    users = {"anonymous": None, "youth": world["anna"], "member": world["member"]}
    for caller in CALLERS:
        _run(app, caller, users[caller], world["interests"], counts)
    total = sum(v for v in counts.values() if v > 0)
    with capsys.disabled():
        print(f"\nAPI fuzz ({app.config['DATABASE_URL'].split(':')[0]}): {total} cases; "
              + ", ".join(f"{k}: {abs(v)}" for k, v in sorted(counts.items())))
    # each caller got past the sign-in check and was refused by it, so the fuzzing reached both sides
    assert total >= len(CALLERS) * 10 * 2 * EXAMPLES // 2
    for caller in ("youth", "member"):
        assert counts[f"{caller} 200"] > 0 and counts[f"{caller} 403"] > 0
    assert counts["anonymous 401"] > 0 and counts["anonymous 200"] > 0
    assert any(k.endswith(" 400") for k in counts)


# ---------------------------------------------------------------- what the fuzzing found, kept as examples

NUL_REQUESTS = [  # a NUL in each kind of input: a 500 on PostgreSQL before webapp.input_guard
    ("youth", "POST", "/openings/o-dog/interest", {"json": {"message": "hei\x00"}}, "message"),
    ("member", "POST", "/applicants/{interest}/complete", {"json": {"reference": "\x00"}}, "reference"),
    ("anonymous", "GET", "/openings", {"query_string": {"q": "koira\x00"}}, "q"),
    ("anonymous", "GET", "/openings", {"query_string": {"municipality": "Oulu\x00"}}, "municipality"),
    ("anonymous", "GET", "/openings/o-dog%00", {}, "path"),
    ("member", "GET", "/openings/o%00dog/applicants", {}, "path"),
]


@pytest.mark.parametrize("caller, method, path, request_args, field", NUL_REQUESTS)
def test_a_nul_character_is_400_naming_the_field_and_saves_nothing(app, world, caller, method, path, request_args,
                                                                   field):
    users = {"anonymous": None, "youth": world["anna"], "member": world["member"]}
    client, token = _client(app, users[caller])
    if path.startswith("/applicants/"):  # an accepted applicant, so that complete would otherwise succeed
        client.post(f"/api/v1/applicants/{world['interests'][0]}/accept", headers=token)
        path = path.format(interest=world["interests"][0])
    before = snapshot(app)
    response = client.open("/api/v1" + path, method=method, headers=token, **request_args)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "bad_input" and error["field"] == field and "NUL" in error["message"]
    assert snapshot(app) == before


@pytest.mark.parametrize("interest_id", [2**31, 10**12, 2**63])
def test_ids_past_integer_are_404_not_an_overflow(app, world, interest_id):
    client, token = _client(app, world["member"])
    response = client.post(f"/api/v1/applicants/{interest_id}/accept", headers=token)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
