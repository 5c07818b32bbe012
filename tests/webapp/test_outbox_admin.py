"""The administrator's outbox pages: the list, one mail as sent, held mail when no SMTP server is configured.
(Who may open them: `test_access_matrix`, which finds every route.)"""
from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.support.signin import signed_in_as
from webapp import db
from webapp.mail import sender
from webapp.mail.outbox import queue_mail
from webapp.models import User
from webapp.states import Role


@pytest.fixture
def app(app: Flask, tmp_path: Path) -> Flask:
    """Nothing runs at a commit: the test runs the sender's rounds itself (the queue is a file nobody reads)."""
    app.config.update(QUEUE_IMMEDIATE=False, POLKU_QUEUE_URL=f"sqlite:///{tmp_path / 'queue.sqlite'}")
    return app


def _admin(app: Flask) -> int:
    with app.app_context():
        session = db.get_session()
        admin = User(email="paakayttaja@example.fi", role=Role.ADMIN, password_hash="!")
        session.add(admin)
        session.commit()
        assert admin.id is not None
        return admin.id


def test_without_smtp_an_administrator_reads_the_held_mail(app: Flask) -> None:
    admin_id = _admin(app)
    with app.app_context():
        session = db.get_session()
        mail = queue_mail(session, to="aino@example.fi", language="fi", subject="Uusi salasana",
                          text="Avaa linkki: https://polku.test/reset/abc <b>", reason="Pyysit uutta salasanaa.",
                          unsubscribe_url="https://polku.test/u/1")
        session.commit()
        mail_id = mail.id
        assert sender.send_due(app).held == 1
    client = signed_in_as(app, admin_id)
    listing = client.get("/admin/mail/?state=held")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "a…@example.fi" in page and "aino@" not in page  # the list does not show whole addresses
    assert "Uusi salasana" in page and f"/admin/mail/{mail_id}" in page
    assert "Uusi salasana" not in client.get("/admin/mail/?state=sent").get_data(as_text=True)
    one = client.get(f"/admin/mail/{mail_id}")
    assert one.status_code == 200
    text = one.get_data(as_text=True)
    assert "https://polku.test/reset/abc &lt;b&gt;" in text  # escaped, never markup
    assert "aino@example.fi" in text and "Pyysit uutta salasanaa." in text
    assert "List-Unsubscribe" in text and "&lt;https://polku.test/u/1&gt;" in text
    assert client.get("/admin/mail/999999").status_code == 404
