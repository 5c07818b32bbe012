"""A forgotten password chosen anew with a link sent by e-mail, through a real SMTP server on loopback:
the mail (recipient, language, the link), the same answer for addresses without an account, the link
used once and expiring, the password rules, every session ended, and the limit on asking."""
from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from tests.support.apps import with_whoami
from tests.support.clients import english, field_errors, token
from tests.support.signin import PASSWORD, add_account, sign_in, signed_in
from tests.support.smtp import SmtpServer
from webapp import db
from webapp.models import Attempt, Invitation, OutboxMail

NEW_PASSWORD = "lumiukko-polkupyörä-sininen"
LINK = re.compile(r"http://localhost/auth/password/reset/([A-Za-z0-9_-]+)")


@pytest.fixture
def app(app: Flask, smtp_server: SmtpServer) -> Flask:
    """Mail goes to the loopback SMTP server; the queue runs each task at once (the worker itself is tested in
    test_worker)."""
    app.config.update(smtp_server.env, QUEUE_IMMEDIATE=True)
    add_account(app, "aino@example.fi")
    return with_whoami(app)


def _ask(app: Flask, email: str, lang: str = "en") -> tuple[int, str]:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    response = client.post("/auth/password/forgot", data={"email": email, "csrf_token": token(client)})
    return response.status_code, response.get_data(as_text=True)


def _link(mail: EmailMessage) -> str:
    found = LINK.search(mail.get_body(("plain",)).get_content())  # type: ignore[union-attr]
    assert found is not None, mail.get_content()
    return found.group(0).removeprefix("http://localhost")


def _choose(client: FlaskClient, path: str, password: str = NEW_PASSWORD) -> object:
    return client.post(path, data={"password": password, "confirm": password, "csrf_token": token(client, path)})


def test_the_sign_in_page_offers_it(client: FlaskClient) -> None:
    page = client.get("/auth/signin", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/auth/password/forgot"' in page and "Forgot your password?" in page


def test_a_forgotten_password_is_chosen_anew_with_the_mailed_link(app: Flask, smtp_server: SmtpServer) -> None:
    elsewhere = signed_in(app, "aino@example.fi")  # another device, signed in before
    assert elsewhere.get("/whoami").get_data(as_text=True) == "aino@example.fi"
    status, page = _ask(app, "aino@example.fi", lang="sv")
    assert status == 200 and "aino@example.fi" in page
    [mail] = smtp_server.wait_for(1)
    assert mail["To"] == "aino@example.fi" and mail["Content-Language"] == "sv"
    assert mail["Subject"] == "Välj ett nytt lösenord till Polku"
    assert "bad om ett nytt lösenord" in mail.get_content() and mail["List-Unsubscribe"] is None
    path = _link(mail)
    browser = app.test_client()
    assert browser.get(path).status_code == 200
    response = _choose(browser, path)
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/signin")  # type: ignore[attr-defined]
    assert elsewhere.get("/whoami").get_data(as_text=True) == "anonymous"  # every session ended
    assert sign_in(app.test_client(), "aino@example.fi", PASSWORD).status_code == 400  # the old one is gone
    fresh = app.test_client()
    assert sign_in(fresh, "aino@example.fi", NEW_PASSWORD).status_code == 302
    assert fresh.get("/whoami").get_data(as_text=True) == "aino@example.fi"
    assert browser.get(path).status_code == 404  # used once
    with Session(db.get_engine(app)) as session:  # only the hash of the link is stored
        stored = session.exec(select(Invitation)).one()
        assert stored.purpose == "reset" and path.rsplit("/", 1)[1] not in stored.token_hash


def test_an_address_without_an_account_gets_the_same_answer_and_no_mail(app: Flask, smtp_server: SmtpServer) -> None:
    known = _ask(app, "aino@example.fi")
    unknown = _ask(app, "eino@example.fi")
    assert known[0] == unknown[0] == 200
    assert known[1].replace("aino@", "X@") == unknown[1].replace("eino@", "X@")  # word for word
    smtp_server.wait_for(1)
    assert [m["To"] for m in smtp_server.messages] == ["aino@example.fi"]
    with Session(db.get_engine(app)) as session:
        assert [m.to for m in session.exec(select(OutboxMail))] == ["aino@example.fi"]


def test_the_link_expires_after_an_hour_and_a_newer_one_replaces_it(app: Flask, smtp_server: SmtpServer) -> None:
    _ask(app, "aino@example.fi")
    _ask(app, "aino@example.fi")
    first, second = smtp_server.wait_for(2)
    client = english(app.test_client())
    assert client.get(_link(first)).status_code == 404  # replaced by the newer link
    assert client.get(_link(second)).status_code == 200
    with Session(db.get_engine(app)) as session:
        for link in session.exec(select(Invitation)):
            link.expires_at = link.expires_at - dt.timedelta(hours=1)
            session.add(link)
        session.commit()
    assert client.get(_link(second)).status_code == 404
    assert "older than an hour" in client.get(_link(second)).get_data(as_text=True)


def test_the_new_password_follows_the_password_rules(app: Flask, smtp_server: SmtpServer) -> None:
    _ask(app, "aino@example.fi")
    path = _link(smtp_server.wait_for(1)[0])
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = _choose(client, path, "salasana")
    assert response.status_code == 400 and field_errors(response, "password")  # too short
    response = _choose(client, path, "aino@example.fi-x")
    assert response.status_code == 400 and "too easy to guess" in field_errors(response, "password")
    assert client.get(path).status_code == 200  # a refused password does not use the link up


def test_a_bad_address_is_named(app: Flask) -> None:
    status, page = _ask(app, "not an address")
    assert status == 400 and "Enter an e-mail address like name@example.fi." in page


def test_asking_is_limited_per_address_without_telling_which_exist(app: Flask, smtp_server: SmtpServer) -> None:
    app.config["RESET_ACCOUNT_MAX"] = 3  # read when the app was made: the default is 3 an hour
    for email in ("aino@example.fi", "eino@example.fi"):
        assert [_ask(app, email)[0] for _ in range(4)] == [200, 200, 200, 429]
    smtp_server.wait_for(3)
    assert len(smtp_server.messages) == 3  # an inbox is not flooded
    with Session(db.get_engine(app)) as session:
        assert session.exec(select(Attempt)).all()  # counted in the database, so every worker process agrees
