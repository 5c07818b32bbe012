"""A youth's messages and notifications are in the data export and go with the account."""
from __future__ import annotations

import json

from sqlmodel import select

from tests.support.clients import token
from tests.support.talk import notices_of, talk_world
from webapp import db
from webapp.models import Block, Message, MessageReport, Notice, NoticeSetting, User
from webapp.services import privacy


def _conversation(talk):
    member = talk.member()
    url = f"/association/openings/o-dog/applicants/{talk.interest_id}/messages"
    assert member.post(url, data={"csrf_token": token(member, url), "body": "Tervetuloa keskiviikkona"}).status_code \
        == 303
    mine = f"/youth/activities/{talk.interest_id}/messages"
    csrf = token(talk.anna, mine)
    assert talk.anna.post(mine, data={"csrf_token": csrf, "body": "Puhelinnumeroni on salainen-123"}).status_code \
        == 303
    with talk.app.app_context():
        theirs = db.get_session().exec(select(Message).where(Message.from_youth == False)).one()  # noqa: E712
    assert talk.anna.post(f"/youth/messages/{theirs.id}/report", data={"csrf_token": csrf}).status_code == 303
    assert talk.anna.post(f"/youth/activities/{talk.interest_id}/block", data={"csrf_token": csrf}).status_code == 303
    settings = token(talk.anna, "/account/notifications")
    assert talk.anna.post("/account/notifications", data={"csrf_token": settings, "email": "digest",
                                                          "language": "fi"}).status_code == 303


def test_the_export_holds_the_messages_blocks_and_notifications(app):
    talk = talk_world(app)
    _conversation(talk)
    with app.app_context():
        session = db.get_session()
        document = privacy.export(session, session.get(User, talk.anna_user_id))
    json.dumps(document)  # JSON-able
    assert [(m["from"], m["body"], m["opening"]) for m in document["messages"]] == [
        ("Oulun Eläinystävät ry", "Tervetuloa keskiviikkona", "o-dog"),
        ("you", "Puhelinnumeroni on salainen-123", "o-dog")]
    assert [b["association"] for b in document["blocked"]] == ["Oulun Eläinystävät ry"]
    assert [n["kind"] for n in document["notifications"]] == ["youth_message"]
    assert document["notification_setting"]["email"] == "digest"


def test_deleting_the_account_deletes_the_conversation_and_the_notices(app):
    talk = talk_world(app)
    _conversation(talk)
    with app.app_context():
        session = db.get_session()
        privacy.delete_account(session, session.get(User, talk.anna_user_id))
    with app.app_context():
        session = db.get_session()
        assert session.exec(select(Message)).all() == []
        assert session.exec(select(MessageReport)).all() == []
        assert session.exec(select(Block)).all() == []
        assert session.exec(select(Notice).where(Notice.user_id == talk.anna_user_id)).all() == []
        assert session.get(NoticeSetting, talk.anna_user_id) is None
    left = notices_of(app, talk.member_id)  # the association's own notices stay, with nothing personal in them
    assert [n.kind for n in left] == ["interest", "association_message"]
    assert all("salainen" not in json.dumps(n.params) and "anna" not in json.dumps(n.params).lower() for n in left)
    member_page = talk.member().get("/notifications").text
    assert "salainen" not in member_page
