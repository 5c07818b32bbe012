"""Messages between a youth and an association: who reads and writes which conversation (a stranger gets 404),
escaped, size- and rate-limited, reported and blocked by the youth, and each one a notice to the other side."""
from __future__ import annotations

import pytest
from sqlmodel import select

from tests.support.applicants import add_user
from tests.support.clients import english, token
from tests.support.signin import sign_in_as
from tests.support.talk import notices_of, talk_world
from webapp import db
from webapp.models import Block, Message, MessageReport
from webapp.services import messages
from webapp.states import Role


@pytest.fixture
def talk(app):
    return talk_world(app)


def youth_url(talk):
    return f"/youth/activities/{talk.interest_id}/messages"


def member_url(talk, ref="o-dog"):
    return f"/association/openings/{ref}/applicants/{talk.interest_id}/messages"


def send(client, url, body):
    return client.post(url, data={"csrf_token": token(client, url), "body": body})


def rows(app):
    with app.app_context():
        return list(db.get_session().exec(select(Message).order_by(Message.id)))


def test_the_member_writes_the_youth_reads_and_answers_each_told_by_a_notice(talk):
    member = talk.member()
    assert send(member, member_url(talk), "Hei! Sopiiko keskiviikko klo 17?").status_code == 303
    [notice] = [n for n in notices_of(talk.app, talk.anna_user_id)]
    assert notice.kind == "youth_message" and notice.link == youth_url(talk)
    assert "Notifications (1 unread)" in talk.anna.get("/youth/activities").text
    page = talk.anna.get(youth_url(talk)).text
    assert "Hei! Sopiiko keskiviikko klo 17?" in page and "Oulun Eläinystävät ry" in page
    assert "Notifications (1 unread)" in talk.anna.get("/youth/activities").text  # a GET changes nothing
    opened = talk.anna.post(f"/notifications/{notice.id}/read", data={"csrf_token": token(talk.anna, "/")})
    assert opened.status_code == 303 and opened.location == youth_url(talk)
    assert "Notifications (1 unread)" not in talk.anna.get("/youth/activities").text
    assert send(talk.anna, youth_url(talk), "Sopii hyvin!").status_code == 303
    member_notices = [n.kind for n in notices_of(talk.app, talk.member_id)]
    assert member_notices == ["interest", "association_message"]
    page = member.get(member_url(talk)).text
    assert "Sopii hyvin!" in page and "Hei! Sopiiko" in page
    assert [(m.from_youth, m.body) for m in rows(talk.app)] == [(False, "Hei! Sopiiko keskiviikko klo 17?"),
                                                                (True, "Sopii hyvin!")]


def test_the_applicants_and_activities_pages_link_the_conversation(talk):
    assert member_url(talk) in talk.member().get("/association/openings/o-dog/applicants").text
    assert youth_url(talk) in talk.anna.get("/youth/activities").text


def test_strangers_get_404_and_learn_nothing(talk, app):
    send(talk.member(), member_url(talk), "Salainen viesti 42")
    other_member = talk.member("other")
    assert other_member.get(member_url(talk)).status_code == 404
    assert other_member.get(member_url(talk, "o-photo")).status_code == 404  # another opening's address: 404 too
    assert other_member.post(member_url(talk), data={"csrf_token": token(other_member, "/notifications"),
                                                     "body": "x"}).status_code == 404
    assert talk.member().get(member_url(talk, "o-remote")).status_code == 404  # own association, wrong opening
    other_youth = sign_in_as(english(app.test_client()), add_user(app, "ville@example.fi", Role.YOUTH))
    assert other_youth.get(youth_url(talk)).status_code == 404
    assert "Salainen" not in other_youth.get(youth_url(talk)).text
    assert other_youth.get("/youth/activities/999999999999/messages").status_code == 404
    coordinator = sign_in_as(english(app.test_client()), add_user(app, "coord@example.fi", Role.COORDINATOR))
    assert coordinator.get(youth_url(talk)).status_code == 403  # another role's page, as everywhere
    assert coordinator.get(member_url(talk)).status_code == 403
    assert len(rows(app)) == 1


def test_a_message_is_escaped_trimmed_and_limited(talk):
    member = talk.member()
    assert send(member, member_url(talk), '  <script>alert("x")</script>\n<b>hei</b>  ').status_code == 303
    page = talk.anna.get(youth_url(talk)).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert rows(talk.app)[0].body == '<script>alert("x")</script>\n<b>hei</b>'
    too_long = send(talk.anna, youth_url(talk), "a" * (messages.MAX_LENGTH + 1))
    assert too_long.status_code == 400 and "write at most 2000 characters" in too_long.text
    assert "a" * (messages.MAX_LENGTH + 1) in too_long.text  # what was typed is kept
    empty = send(talk.anna, youth_url(talk), "   ")
    assert empty.status_code == 400 and "Write a message first." in empty.text
    assert send(talk.anna, youth_url(talk), "a" * messages.MAX_LENGTH).status_code == 303
    assert talk.anna.post(youth_url(talk), data={"body": "no token"}).status_code == 400
    assert len(rows(talk.app)) == 2


def test_at_most_five_a_minute_from_one_sender(talk):
    for n in range(messages.PER_MINUTE):
        assert send(talk.anna, youth_url(talk), f"viesti {n}").status_code == 303
    refused = send(talk.anna, youth_url(talk), "kuudes")
    assert refused.status_code == 429 and "Wait a minute" in refused.text and "kuudes" in refused.text
    assert send(talk.member(), member_url(talk), "Jäsen saa silti vastata").status_code == 303  # per sender
    assert len(rows(talk.app)) == messages.PER_MINUTE + 1


def test_the_youth_reports_a_message_and_the_administrator_sees_it(talk, app):
    send(talk.member(), member_url(talk), "Epäasiallinen viesti")
    send(talk.anna, youth_url(talk), "Oma viesti")
    theirs, mine = rows(app)
    csrf = token(talk.anna, youth_url(talk))
    assert talk.anna.post(f"/youth/messages/{mine.id}/report", data={"csrf_token": csrf}).status_code == 404
    assert talk.anna.post(f"/youth/messages/{theirs.id}/report", data={"csrf_token": csrf}).status_code == 303
    assert talk.anna.post(f"/youth/messages/{theirs.id}/report", data={"csrf_token": csrf}).status_code == 303
    other_youth = sign_in_as(english(app.test_client()), add_user(app, "ville@example.fi", Role.YOUTH))
    assert other_youth.post(f"/youth/messages/{theirs.id}/report",
                            data={"csrf_token": token(other_youth, "/notifications")}).status_code == 404
    with app.app_context():
        assert [r.message_id for r in db.get_session().exec(select(MessageReport))] == [theirs.id]
    admin = sign_in_as(english(app.test_client()), add_user(app, "admin@example.fi", Role.ADMIN))
    page = admin.get("/admin/reports").text
    assert "Epäasiallinen viesti" in page and "Oulun Eläinystävät ry" in page and "jussi@elaimet.example" in page
    assert "Oma viesti" not in page
    assert f'href="/admin/accounts/{talk.member_id}"' in page  # the sender's account, to close if need be
    assert talk.member().get("/admin/reports").status_code == 403


def test_blocking_closes_the_conversation_for_the_association(talk, app):
    send(talk.member(), member_url(talk), "Ensimmäinen")
    csrf = token(talk.anna, youth_url(talk))
    assert talk.anna.post(f"/youth/activities/{talk.interest_id}/block", data={"csrf_token": csrf}).status_code == 303
    with app.app_context():
        assert len(db.get_session().exec(select(Block)).all()) == 1
    refused = send(talk.member(), member_url(talk), "Toinen")
    assert refused.status_code == 409 and "closed this conversation" in refused.text
    assert 'name="body"' not in talk.member().get(member_url(talk)).text
    assert [m.body for m in rows(app)] == ["Ensimmäinen"]
    assert "You blocked this association" in talk.anna.get(youth_url(talk)).text
    assert send(talk.anna, youth_url(talk), "Vielä").status_code == 409


def test_a_withdrawn_interest_closes_the_conversation(talk, app):
    anna = talk.anna
    assert anna.post("/youth/openings/o-dog/withdraw", data={"csrf_token": token(anna, "/")}).status_code == 303
    assert [n.kind for n in notices_of(app, talk.member_id)] == ["interest", "withdrew"]
    assert talk.member().get(member_url(talk)).status_code == 404
    assert send(anna, youth_url(talk), "Hei").status_code == 409
