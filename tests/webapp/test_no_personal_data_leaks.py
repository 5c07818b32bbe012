"""No personal data in URLs or logs.

A URL ends up in server logs, browser history and (on the same site) Referer headers, so no
page may put an e-mail address, a name or a youth's own words in a link, a form's action or a
redirect. A bounded crawl of every role's pages checks each href, action, src and Location.
Then a whole journey (sign-up, failed sign-ins, profile, interest, acceptance, referral,
account deletion) runs with every logger at DEBUG, and no log record may hold an address or
any of the journey's texts, nor may the session cookie (signed, not encrypted). The session
cookie's flags: tests/webapp/test_security_headers.py.
"""
from __future__ import annotations

import json
import logging
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from sqlmodel import select

from tests.support.clients import csrf_header
from tests.support.signin import PASSWORD, signed_in_as
from tests.support.worlds import World, build
from webapp import db
from webapp.models import Interest, Referral

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
MAX_PAGES = 80  # per role
SKIP = ("/static/", "/auth/signout")  # files; a page whose only button signs out
LOGGERS = ("", "webapp", "werkzeug", "waitress", "flask", "alembic")
# SQLAlchemy's statement log (INFO, what SQLALCHEMY_ECHO shows) must hide the values; its DEBUG level
# prints result rows by design, a debugging tool no deployment turns on.
SQL_LOGGERS = ("sqlalchemy", "sqlalchemy.engine")


class Links(HTMLParser):
    """Every URL a page points to (links, form actions, sources), and the personal fields of GET forms."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []  # (tag.attribute, url)
        self.get_form_fields: list[str] = []  # e-mail, password and free-text fields a GET form would put in its URL
        self._in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name in ("href", "action", "src", "formaction") and value:
                self.found.append((f"{tag}.{name}", value))
        if tag == "form":
            self._in_get_form = (values.get("method") or "get").lower() == "get"
        elif self._in_get_form and (tag == "textarea" or (tag == "input" and values.get("type") in (
                "email", "password"))):
            self.get_form_fields.append(f"{tag} {values.get('name')}")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_get_form = False


def urls_of(response) -> tuple[list[tuple[str, str]], list[str]]:
    """The URLs a response points to, and the personal fields of its GET forms."""
    found = []
    if "Location" in response.headers:
        found.append(("Location", response.headers["Location"]))
    if response.mimetype != "text/html":
        return found, []
    parser = Links()
    parser.feed(response.get_data(as_text=True))
    return found + parser.found, parser.get_form_fields


def url_problems(url: str, markers: list[str]) -> list[str]:
    """What personal data `url` carries ("mailto:" links are the association's public contact, not a request)."""
    text = unquote(unquote(url)).lower()
    found = [m for m in markers if m in text]
    if not text.startswith("mailto:") and EMAIL.search(text):
        found.append("an e-mail address")
    return found


def crawl(client, starts: list[str], markers: list[str]) -> tuple[int, list[str]]:
    """Follows the site's links from `starts` (GET only, at most MAX_PAGES); the problems found."""
    queue, seen, problems = deque(starts), set(starts), []
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        try:
            response = client.get(url)
        except Exception as e:  # TESTING re-raises what would be a 500
            problems.append(f"GET {url}: {type(e).__name__}: {e}")
            continue
        response.close()
        pages += 1
        if response.status_code >= 500:
            problems.append(f"GET {url}: {response.status_code}")
        targets, fields = urls_of(response)
        problems.extend(f"{url}: a GET form would put its field {f} in the URL" for f in fields)
        for where, target in targets:
            for problem in url_problems(target, markers):
                problems.append(f"{url}: {where} {target!r} carries {problem}")
            parts = urlsplit(urljoin("http://localhost" + url, target))
            if parts.netloc != "localhost" or parts.scheme not in ("http", "https"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if where.endswith(".action") or path.startswith(SKIP) or path in seen:
                continue
            seen.add(path)
            queue.append(path)
    return pages, problems


@pytest.fixture
def world(app) -> World:
    return build(app)


def test_no_page_puts_personal_data_in_a_url(app, world):
    a, b = world.a, world.b
    markers = world.private
    starts = {
        "anonymous": (None, ["/", "/openings", "/associations", "/auth/signin", "/auth/signup"]),
        "youth": (a.youth_user_id, ["/youth/matches", "/youth/activities", "/youth/profile", "/account/data",
                                    "/me/referrals", "/me/next-step", "/me/self-assessment",
                                    f"/youth/activities/{a.completed_interest_id}/certificate"]),
        "member": (b.member_id, ["/association/openings", "/association/page",
                                 f"/association/openings/{b.second_ref}/applicants",
                                 f"/association/openings/{b.open_ref}/applicants"]),
        "coordinator": (a.coordinator_id, ["/coordinator/", "/coordinator/referrals/", "/coordinator/outcomes",
                                           "/coordinator/cohorts/", "/coordinator/weights",
                                           f"/coordinator/referrals/youths/{a.youth_id}",
                                           f"/coordinator/outcomes/{a.youth_ref}"]),
        "admin": (world.admin_id, ["/"]),
    }
    problems, crawled = [], {}
    for role, (user_id, pages) in starts.items():
        count, found = crawl(signed_in_as(app, user_id), pages, markers)
        crawled[role] = count
        problems.extend(f"{role}: {p}" for p in found)
    assert not problems, "\n".join(problems)
    assert all(count >= len(starts[role][1]) for role, count in crawled.items()), crawled
    assert crawled["youth"] > 15 and crawled["coordinator"] > 10, crawled


def test_a_whole_journey_logs_no_personal_data(app, world, caplog):
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name or None)
    for name in SQL_LOGGERS:
        caplog.set_level(logging.INFO, logger=name)
    email = "polku.mrkf.nuori@example.fi"
    texts = ["mrkf-nimi", "mrkf-vapaateksti kirjonta", "mrkf-viesti", "mrkf-lähete", email, "ei.ole.mrkf@example.fi"]

    cookie_leaks: list[str] = []
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]

    def check_cookie(client, step: str) -> None:
        """The session cookie is signed, not encrypted: whoever holds it can read it."""
        cookie = client.get_cookie("session")
        text = json.dumps(serializer.loads(cookie.value) if cookie else {}, ensure_ascii=False).lower()
        found = [t for t in texts + world.private if t.lower() in text] + (["an address"] if EMAIL.search(text) else [])
        if found:
            cookie_leaks.append(f"session cookie after {step}: {found}")

    youth = signed_in_as(app, None)
    response = youth.post("/auth/signup", headers=csrf_header(youth), data={
        "email": email, "age": "19", "password": PASSWORD, "confirm": PASSWORD, "consent": "y"})
    assert response.status_code == 302
    visitor = signed_in_as(app, None)
    for address, password in ((email, "väärä-salasana-1"), (email, "väärä-salasana-2"),
                              ("ei.ole.mrkf@example.fi", PASSWORD)):
        assert visitor.post("/auth/signin", headers=csrf_header(visitor),
                            data={"email": address, "password": password}).status_code == 400
        check_cookie(visitor, "a failed sign-in")
    response = youth.post("/youth/profile", headers=csrf_header(youth), data={
        "name": "Nuori mrkf-nimi", "interests": "mrkf-vapaateksti kirjonta", "themes": ["animals"],
        "municipality": "Oulu", "languages": ["fi"], "kinds": ["volunteer"], "age": "17",
        "shared_fields": ["email", "interests"]})
    assert response.status_code == 303, response.get_data(as_text=True)
    check_cookie(youth, "the profile")
    response = youth.post(f"/youth/openings/{world.a.second_ref}/interest", headers=csrf_header(youth),
                          data={"message": "mrkf-viesti yhdistykselle"})
    assert response.status_code == 303
    with app.app_context():
        session = db.get_session()
        interest_id = session.exec(select(Interest.id).where(Interest.message == "mrkf-viesti yhdistykselle")).one()
    member = signed_in_as(app, world.a.member_id)
    assert member.get(f"/association/openings/{world.a.second_ref}/applicants").status_code == 200
    response = member.post(f"/association/openings/{world.a.second_ref}/applicants/{interest_id}/accept",
                           headers=csrf_header(member))
    assert response.status_code in (302, 303)
    check_cookie(youth, "the interest")
    check_cookie(member, "the acceptance")
    coordinator = signed_in_as(app, world.a.coordinator_id)
    response = coordinator.post("/coordinator/referrals/", headers=csrf_header(coordinator),
                                data={"email": email, "note": "mrkf-lähete tueksi"})
    assert response.status_code == 303, response.get_data(as_text=True)
    with app.app_context():
        referral_id = db.get_session().exec(select(Referral.id).where(Referral.note == "mrkf-lähete tueksi")).one()
    check_cookie(coordinator, "the referral")
    assert youth.post(f"/me/referrals/{referral_id}/agree", headers=csrf_header(youth)).status_code == 303
    check_cookie(youth, "the agreement")
    assert coordinator.get("/coordinator/outcomes").status_code == 200
    response = youth.post("/account/delete", headers=csrf_header(youth),
                          data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 303
    check_cookie(youth, "the deletion")

    assert not cookie_leaks, "\n".join(cookie_leaks)
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records), "the SQL log was not captured"
    assert any("deleted at its owner's request" in r.getMessage() for r in caplog.records)
    leaks = []
    for record in caplog.records:
        text = (record.getMessage() + " " + (record.exc_text or "")).lower()
        found = [t for t in texts + world.private if t.lower() in text]
        if EMAIL.search(text):
            found.append("an e-mail address")
        if found:
            leaks.append(f"{record.name} {record.levelname}: {found}: {text[:300]}")
    assert not leaks, "\n".join(leaks)


def test_a_database_error_does_not_carry_the_values(app, world):
    """A failed statement's message (logged with a 500's traceback) hides its parameters."""
    import sqlalchemy as sa

    from webapp.models import User

    with app.app_context():
        session = db.get_session()
        table = User.__table__  # type: ignore[attr-defined]
        with pytest.raises(sa.exc.IntegrityError) as failed:
            session.connection().execute(sa.insert(table).values(
                email=world.a.youth_email, password_hash="x", role="youth", name="Kaksoiskappale mrka-kaksi",
                active=True, created_at=sa.func.now()))
        session.rollback()
    text = str(failed.value).lower()
    # PostgreSQL's own DETAIL names the duplicate key's value (the address): the server writes it, not the
    # app, so the views catch IntegrityError where a key holds personal data (sign-up's e-mail address).
    assert "mrka-kaksi" not in text and "sql parameters hidden" in text, text
