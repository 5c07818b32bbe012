"""The real worker process sending the outbox to a real SMTP server on loopback: mail written by the web
side arrives; a worker killed mid-send and started again sends no mail twice; mail written while the
server is down arrives once it is back."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from tests.support.smtp import SmtpServer, wait_until
from tests.support.worker import WorkerProcess
from webapp import db
from webapp.mail.outbox import queue_mail
from webapp.models import OutboxMail
from webapp.states import MailState

pytestmark = pytest.mark.slow


@pytest.fixture
def queue_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'queue.sqlite'}"


@pytest.fixture
def web(app: Flask, queue_url: str, smtp_server: SmtpServer) -> Flask:
    """The web side: its mail goes to the worker's queue."""
    app.config.update(smtp_server.env, POLKU_QUEUE_URL=queue_url, QUEUE_IMMEDIATE=False)
    return app


@pytest.fixture
def worker(database_url: str, queue_url: str, smtp_server: SmtpServer, tmp_path: Path,
           web: Flask) -> Iterator[WorkerProcess]:
    process = WorkerProcess(database_url, queue_url, tmp_path / "worker.log", FLASK_MAIL_LEASE_SECONDS="2",
                            FLASK_MAIL_RETRY_SECONDS="0.5", FLASK_MAIL_BATCH="1", **smtp_server.env)
    yield process
    process.kill()


def _queue(app: Flask, addresses: list[str]) -> None:
    """Each address a mail, each in its own event's transaction."""
    with app.app_context():
        session = db.get_session()
        for address in addresses:
            queue_mail(session, to=address, language="fi", subject="Hei", text="Viesti.",
                       reason="Saat tämän viestin testissä.")
            session.commit()


def _states(app: Flask) -> Counter[MailState]:
    with Session(db.get_engine(app)) as session:
        return Counter(session.exec(select(OutboxMail.state)))


def test_the_worker_sends_what_the_web_side_wrote(web: Flask, worker: WorkerProcess, smtp_server: SmtpServer) -> None:
    worker.start()
    _queue(web, ["aino@example.fi", "eino@example.fi"])
    mails = smtp_server.wait_for(2, timeout=120)
    assert sorted(m["To"] for m in mails) == ["aino@example.fi", "eino@example.fi"]
    wait_until(lambda: _states(web) == Counter({MailState.SENT: 2}), 120, "both marked sent")
    assert worker.stop() == 0  # Ctrl-C: a clean stop


def test_a_worker_killed_while_sending_and_started_again_sends_each_mail_once(
        web: Flask, worker: WorkerProcess, smtp_server: SmtpServer) -> None:
    """One task at a time (`workers = 1`), so when the held mail is on the wire no other mail is: the kill
    lands between mails, never in the window after the server's "accepted" and before the commit (see
    `webapp.mail.sender`: a mail there can go twice, with the same Message-ID)."""
    worker.workers = 1
    addresses = [f"nuori{i}@example.fi" for i in range(6)]
    smtp_server.hold("nuori3@example.fi")  # this mail is on the wire when the worker dies
    _queue(web, addresses)
    worker.start()
    assert smtp_server.holding.wait(120), "the held mail never reached the server"
    worker.kill()
    smtp_server.release()  # the dead worker's connection gets its 451: that mail was never delivered
    delivered_before = len(smtp_server.messages)
    assert delivered_before == 3  # one at a time, in order: the three before the held one
    worker.start()
    mails = smtp_server.wait_for(6, timeout=120)
    wait_until(lambda: _states(web) == Counter({MailState.SENT: 6}), 120, "all marked sent")
    ids = Counter(m["Message-ID"] for m in mails)
    assert len(ids) == 6 and set(ids.values()) == {1}  # every mail, none twice
    assert sorted(m["To"] for m in mails) == sorted(addresses)


def test_mail_written_while_the_smtp_server_is_down_arrives_when_it_is_back(
        web: Flask, worker: WorkerProcess, smtp_server: SmtpServer) -> None:
    smtp_server.stop()
    worker.start()
    _queue(web, ["aino@example.fi"])

    def tried() -> bool:
        with Session(db.get_engine(web)) as session:
            return any(row.tries >= 2 for row in session.exec(select(OutboxMail)))

    wait_until(tried, 120, "the worker to try twice")  # a bound for a loaded machine, not a timing claim
    assert smtp_server.messages == []
    smtp_server.start()
    [mail] = smtp_server.wait_for(1, timeout=120)
    assert mail["To"] == "aino@example.fi"
    wait_until(lambda: _states(web) == Counter({MailState.SENT: 1}), 120, "marked sent")
