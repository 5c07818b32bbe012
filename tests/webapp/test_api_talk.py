"""The JSON API of conversations and notifications: the same rules as the pages, each answer as documented."""
from __future__ import annotations

import pytest

from tests.support.api import assert_error, check
from tests.support.applicants import add_user
from tests.support.clients import english
from tests.support.signin import sign_in_as
from webapp.states import Role
from tests.support.clients import csrf_header
from tests.support.talk import notices_of, talk_world
from webapp.services import messages


@pytest.fixture
def talk(app):
    return talk_world(app)


def _doc(client):
    return client.get("/api/v1/openapi.json").get_json()


def _schema(doc, path, method, status):
    return doc["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]


def test_both_sides_write_and_read_and_each_answer_is_documented(talk):
    member, anna = talk.member(), talk.anna
    doc = _doc(member)
    url = f"/api/v1/interests/{talk.interest_id}/messages"
    member_url = f"/api/v1/applicants/{talk.interest_id}/messages"
    sent = member.post(member_url, json={"body": "Hei, milloin pääset?"}, headers=csrf_header(member))
    assert sent.status_code == 201
    check(doc, _schema(doc, "/applicants/{interest_id}/messages", "post", 201), sent.get_json())
    assert sent.get_json()["from"] == "association"
    reply = anna.post(url, json={"body": "Keskiviikkona"}, headers=csrf_header(anna))
    assert reply.status_code == 201 and reply.get_json()["from"] == "youth"
    for who, path in ((member, "/applicants/{interest_id}/messages"), (anna, "/interests/{interest_id}/messages")):
        got = who.get("/api/v1" + path.format(interest_id=talk.interest_id))
        assert got.status_code == 200
        check(doc, _schema(doc, path, "get", 200), got.get_json())
        assert [(m["from"], m["body"]) for m in got.get_json()["items"]] == [
            ("association", "Hei, milloin pääset?"), ("youth", "Keskiviikkona")]
    assert [n.kind for n in notices_of(talk.app, talk.anna_user_id)] == ["youth_message"]

    listed = anna.get("/api/v1/notifications?lang=sv")
    assert listed.status_code == 200
    check(doc, _schema(doc, "/notifications", "get", 200), listed.get_json())
    body = listed.get_json()
    assert body["unread"] == 1 and body["items"][0]["kind"] == "youth_message"
    assert body["items"][0]["text"] == "Nytt meddelande från Oulun Eläinystävät ry om ”Koiranulkoiluttaja”."
    assert_error(anna.get("/api/v1/notifications?lang=de"), 400, "lang")
    marked = anna.post("/api/v1/notifications/read", json={"ids": str(body["items"][0]["id"])},
                       headers=csrf_header(anna))
    assert marked.status_code == 200 and marked.get_json() == {"marked": 1}
    assert anna.get("/api/v1/notifications").get_json()["unread"] == 0
    assert_error(anna.post("/api/v1/notifications/read", json={"ids": "x"}, headers=csrf_header(anna)), 400, "ids")


def test_strangers_get_404_and_bad_messages_their_codes(talk, app):
    url = f"/api/v1/interests/{talk.interest_id}/messages"
    member_url = f"/api/v1/applicants/{talk.interest_id}/messages"
    other = talk.member("other")
    assert_error(other.get(member_url), 404)
    assert_error(other.post(member_url, json={"body": "x"}, headers=csrf_header(other)), 404)
    assert_error(other.get(url), 403)  # a youth's address: another role's
    stranger = sign_in_as(english(app.test_client()), add_user(app, "ville@example.fi", Role.YOUTH))
    assert_error(stranger.get(url), 404)
    assert_error(stranger.post(url, json={"body": "x"}, headers=csrf_header(stranger)), 404)
    assert_error(app.test_client().get(url), 401)
    anna = talk.anna
    assert_error(anna.post(url, json={"body": "x"}), 403, "X-CSRFToken")  # no CSRF token
    assert assert_error(anna.post(url, json={"body": "  "}, headers=csrf_header(anna)), 400,
                        "body")["code"] == "empty"
    assert assert_error(anna.post(url, json={"body": "a" * (messages.MAX_LENGTH + 1)}, headers=csrf_header(anna)),
                        400, "body")["code"] == "too_long"
    assert_error(anna.post(url, json={"text": "x"}, headers=csrf_header(anna)), 400, "text")
    for n in range(messages.PER_MINUTE):
        assert anna.post(url, json={"body": f"{n}"}, headers=csrf_header(anna)).status_code == 201
    assert assert_error(anna.post(url, json={"body": "liikaa"}, headers=csrf_header(anna)),
                        429)["code"] == "too_many"
    assert len(anna.get(url).get_json()["items"]) == messages.PER_MINUTE
