"""The outbox and its sender against a real SMTP server on loopback (aiosmtpd): what each mail carries,
the lease, retries while the server is down, held mail when no server is configured."""
from __future__ import annotations

from pathlib import Path

import datetime as dt
import threading

import pytest
from flask import Flask
from sqlmodel import Session, select

from tests.support.smtp import SmtpServer
from webapp import clock, db
from webapp.mail import sender
from webapp.mail.outbox import queue_mail
from webapp.models import OutboxMail
from webapp.states import MailState

REASON_FI = "Saat tämän viestin, koska pyysit uutta salasanaa."


@pytest.fixture
def app(app: Flask, tmp_path: Path) -> Flask:
    """Nothing runs at a commit: the test runs the sender's rounds itself (the queue is a file nobody reads)."""
    app.config.update(QUEUE_IMMEDIATE=False, POLKU_QUEUE_URL=f"sqlite:///{tmp_path / 'queue.sqlite'}")
    return app


def _queue(app: Flask, count: int = 1, **overrides: object) -> list[int]:
    with app.app_context():
        session = db.get_session()
        fields: dict[str, object] = {"to": "aino@example.fi", "language": "fi", "subject": "Hei Aino",
                                     "text": "Tervetuloa Polkuun.", "reason": REASON_FI, **overrides}
        rows = [queue_mail(session, **fields) for _ in range(count)]  # type: ignore[arg-type]
        session.commit()
        return [row.id for row in rows if row.id is not None]


def _rows(app: Flask) -> list[OutboxMail]:
    with Session(db.get_engine(app)) as session:
        return list(session.exec(select(OutboxMail).order_by(OutboxMail.id)))  # type: ignore[arg-type]


def _configure(app: Flask, server: SmtpServer, **extra: object) -> None:
    app.config.update(server.env, **extra)


def test_a_mail_reaches_the_smtp_server_with_its_headers_and_footer(app: Flask, smtp_server: SmtpServer) -> None:
    _configure(app, smtp_server)
    _queue(app, unsubscribe_url="https://polku.test/unsubscribe/abc", html="<p>Tervetuloa Polkuun.</p>")
    with app.app_context():
        done = sender.send_due(app)
    assert (done.sent, done.next_in) == (1, None)
    [mail] = smtp_server.messages
    [row] = _rows(app)
    assert mail["To"] == "aino@example.fi" and mail["Subject"] == "Hei Aino"
    assert mail["Message-ID"] == row.message_id and row.message_id.endswith("@polku.test>")
    assert mail["Content-Language"] == "fi"
    assert mail["List-Unsubscribe"] == "<https://polku.test/unsubscribe/abc>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Tervetuloa Polkuun." in text and REASON_FI in text
    assert "https://polku.test/unsubscribe/abc" in text
    assert "Polku" in text and "This e-mail was sent" not in text  # the footer's own words in Finnish
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert REASON_FI in html
    assert row.state == MailState.SENT and row.sent_at is not None and row.lease is None


def test_the_footer_speaks_the_mail_language(app: Flask, smtp_server: SmtpServer) -> None:
    _configure(app, smtp_server)
    _queue(app, language="en", subject="Hello", text="Welcome.", reason="You asked for it.")
    _queue(app, language="sv", subject="Hej", text="Välkommen.", reason="Du bad om det.")
    with app.app_context():
        sender.send_due(app)
    english, swedish = smtp_server.wait_for(2)
    assert "This e-mail was sent by Polku" in english.get_content()
    assert "This e-mail was sent by Polku" not in swedish.get_content() and "Polku" in swedish.get_content()
    assert english["List-Unsubscribe"] is None  # no unsubscribe link given: no header


@pytest.mark.parametrize("bad", [{"to": "not an address"}, {"language": "de"}, {"reason": " "},
                                 {"subject": "two\nlines"}, {"unsubscribe_url": "http://evil.test/u"}])
def test_a_mail_that_cannot_be_sent_is_refused_when_written(app: Flask, bad: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        _queue(app, **bad)
    assert _rows(app) == []


def test_the_mail_is_written_with_its_event_or_not_at_all(app: Flask) -> None:
    with app.app_context():
        session = db.get_session()
        queue_mail(session, to="aino@example.fi", language="fi", subject="Hei", text="x", reason=REASON_FI)
        session.rollback()
    assert _rows(app) == []


def test_without_an_smtp_server_mail_stays_in_the_outbox_held(app: Flask) -> None:
    _queue(app, 2)
    with app.app_context():
        done = sender.send_due(app)
    assert done.held == 2
    assert {row.state for row in _rows(app)} == {MailState.HELD}


def test_while_the_server_is_down_mail_waits_longer_each_time_then_goes(app: Flask, smtp_server: SmtpServer) -> None:
    _configure(app, smtp_server, MAIL_RETRY_SECONDS=10.0)
    smtp_server.stop()
    _queue(app)
    start = clock.now()
    with app.app_context():
        first = sender.send_due(app, now=lambda: start)
        [row] = _rows(app)
        assert (first.retried, row.tries, row.state) == (1, 1, MailState.QUEUED)
        assert clock.aware(row.next_try_at) == start + dt.timedelta(seconds=10)
        assert first.next_in == pytest.approx(10.0)
        assert sender.send_due(app, now=lambda: start + dt.timedelta(seconds=5)).retried == 0  # not due yet
        later = start + dt.timedelta(seconds=11)
        sender.send_due(app, now=lambda: later)
        [row] = _rows(app)
        assert row.tries == 2 and clock.aware(row.next_try_at) == later + dt.timedelta(seconds=20)  # twice as long
        smtp_server.start()  # the server is back
        done = sender.send_due(app, now=lambda: later + dt.timedelta(seconds=21))
    assert done.sent == 1
    [mail] = smtp_server.messages
    assert mail["Message-ID"] == _rows(app)[0].message_id


def test_an_address_the_server_refuses_fails_for_good(app: Flask, smtp_server: SmtpServer) -> None:
    _configure(app, smtp_server)
    smtp_server.refused.add("nobody@example.fi")
    _queue(app, to="nobody@example.fi")
    _queue(app, to="aino@example.fi")
    with app.app_context():
        done = sender.send_due(app)
    assert (done.sent, done.failed) == (1, 1)
    refused, sent = _rows(app)
    assert refused.state == MailState.FAILED and "550" in refused.last_error
    assert sent.state == MailState.SENT


def test_two_senders_at_once_send_each_mail_once(app: Flask, smtp_server: SmtpServer) -> None:
    """The lease: senders racing over the same due rows never take the same row."""
    _configure(app, smtp_server, MAIL_BATCH=5)
    _queue(app, 40)
    results: list[int] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            with app.app_context():
                results.append(sender.send_due(app).sent)
        except BaseException as e:  # noqa: BLE001  (reported below)
            errors.append(e)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = [m["Message-ID"] for m in smtp_server.messages]
    assert sum(results) == 40 and len(ids) == 40 and len(set(ids)) == 40
    assert {row.state for row in _rows(app)} == {MailState.SENT}
