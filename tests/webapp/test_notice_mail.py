"""Notifications by e-mail: at once in the event's transaction, in the user's language, with a reason and a
one-click unsubscribe (RFC 8058) that works without signing in; the daily digest gathers the rest."""
from __future__ import annotations

import datetime as dt

from sqlmodel import select

from tests.support.signin import add_account
from webapp import db
from webapp.models import EmailChoice, OutboxMail, User
from webapp.services import notice_mail, notices, privacy

ACCEPTED = {"association": "Oulun Eläinystävät ry", "opening": "Koiranulkoiluttaja", "interest_id": 7}


def _user(session, email="anna@example.fi") -> User:
    return session.exec(select(User).where(User.email == email)).one()


def _mails(session) -> list[OutboxMail]:
    return list(session.exec(select(OutboxMail).order_by(OutboxMail.id)))


def test_a_notice_goes_out_at_once_in_the_users_language_with_a_way_out(app):
    add_account(app)
    with app.app_context():
        session = db.get_session()
        user = _user(session)
        notices.choose(session, user, EmailChoice.NOW, "sv")
        notices.notify(session, user.id, "accepted", **ACCEPTED)
        session.rollback()  # the event did not happen: neither did its mail
        assert _mails(session) == []
        notices.notify(session, user.id, "accepted", **ACCEPTED)
        session.commit()
        [mail] = _mails(session)
        assert (mail.to, mail.language) == ("anna@example.fi", "sv")
        assert "Koiranulkoiluttaja" in mail.subject and "/youth/activities/7/messages" in mail.text
        assert "aviseringar" in mail.reason  # why it was sent, in Swedish
        assert mail.unsubscribe_url and "/notifications/unsubscribe/" in mail.unsubscribe_url


def test_no_mail_for_none_and_digest_waits_for_the_morning(app):
    add_account(app)
    add_account(app, "bea@example.fi")
    with app.app_context():
        session = db.get_session()
        anna, bea = _user(session), _user(session, "bea@example.fi")
        notices.choose(session, anna, EmailChoice.NONE, "fi")
        notices.choose(session, bea, EmailChoice.DIGEST, "fi")
        for user in (anna, bea):
            notices.notify(session, user.id, "accepted", **ACCEPTED)
            notices.notify(session, user.id, "dropped", **ACCEPTED)
        session.commit()
        assert _mails(session) == []
        assert notice_mail.send_digests(session) == 1
        [digest] = _mails(session)
        assert digest.to == "bea@example.fi" and "2 uutta ilmoitusta" in digest.subject
        assert digest.text.count("Koiranulkoiluttaja") == 2
        later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=1)
        assert notice_mail.send_digests(session, later) == 0  # nothing new since: no mail


def test_one_click_unsubscribe_needs_no_sign_in_and_a_forged_token_does_nothing(app):
    add_account(app)
    with app.app_context():
        session = db.get_session()
        user = _user(session)
        token = notice_mail.unsubscribe_token(user)
        user_id = user.id
    client = app.test_client()  # no cookies, no CSRF token: a mail program's POST
    page = client.get(f"/notifications/unsubscribe/{token}")
    assert page.status_code == 200 and "Lopeta sähköpostit" in page.text  # Finnish, the default
    one_click = {"List-Unsubscribe": "One-Click"}
    assert client.post(f"/notifications/unsubscribe/{token}x", data=one_click).status_code == 404
    with app.app_context():
        assert notices.setting(db.get_session(), db.get_session().get(User, user_id)).email == EmailChoice.NOW
    done = client.post(f"/notifications/unsubscribe/{token}", data=one_click)
    assert done.status_code == 200
    with app.app_context():
        assert notices.setting(db.get_session(), db.get_session().get(User, user_id)).email == EmailChoice.NONE


def test_a_deleted_youths_mails_leave_the_outbox_with_the_account(app):
    add_account(app)
    add_account(app, "bea@example.fi")
    with app.app_context():
        session = db.get_session()
        anna, bea = _user(session), _user(session, "bea@example.fi")
        for user in (anna, bea):
            notices.notify(session, user.id, "accepted", **ACCEPTED)
        session.commit()
        assert {m.to for m in _mails(session)} == {"anna@example.fi", "bea@example.fi"}
        privacy.delete_account(session, anna)
        assert {m.to for m in _mails(session)} == {"bea@example.fi"}
