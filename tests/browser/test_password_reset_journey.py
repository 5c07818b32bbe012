"""A youth who forgot the password asks for a link on the sign-in page, gets it by e-mail (a real SMTP
server on loopback, sent by the real worker process), chooses a new password with it and signs in."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _check_tools, serving
from tests.support.browser import check_page, new_page, sign_in
from tests.support.smtp import SmtpServer, wait_until
from tests.support.worker import WorkerProcess
from webapp.cli.commands import DEMO_DOMAIN, demo_password

YOUTH = f"y-2@{DEMO_DOMAIN}"
ADMIN = f"admin@{DEMO_DOMAIN}"
OTHER = f"y-3@{DEMO_DOMAIN}"
NEW_PASSWORD = "sininen-polkupyörä-lumiukko"


@pytest.fixture(scope="module")
def mailing_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, SmtpServer]]:
    """A seeded server whose mail goes through its worker to an SMTP server on loopback."""
    _check_tools()
    folder = tmp_path_factory.mktemp("mailing")
    smtp = SmtpServer().start()
    try:
        with serving(folder, extra=smtp.env) as (base, env):
            worker = WorkerProcess(env["DATABASE_URL"], env["POLKU_QUEUE_URL"], Path(folder) / "worker.log",
                                   **smtp.env).start()
            try:
                yield base, smtp
            finally:
                worker.kill()
    finally:
        smtp.stop()


def test_a_youth_resets_a_forgotten_password_from_the_mail(browser, mailing_server) -> None:
    base, smtp = mailing_server
    page = new_page(browser, base, "fi-FI")
    try:
        page.goto("/auth/signin")
        page.get_by_role("link", name="Unohditko salasanasi?").click()
        check_page(page, "password-forgot-fi")
        page.get_by_label("Sähköpostiosoite").fill(YOUTH)
        page.get_by_role("button", name="Lähetä linkki").click()
        expect(page.locator("h1")).to_have_text("Katso sähköpostisi")
        check_page(page, "password-forgot-sent-fi")

        wait_until(lambda: bool(smtp.to(YOUTH)), 60, "the mail to reach the server")
        [mail] = smtp.to(YOUTH)
        assert mail["To"] == YOUTH and mail["Subject"] == "Valitse uusi salasana Polkuun"
        found = re.search(r"http://127\.0\.0\.1:\d+/auth/password/reset/[\w-]+", mail.get_content())
        assert found is not None, mail.get_content()

        page.goto(found.group(0))
        check_page(page, "password-reset-fi")
        page.get_by_label("Salasana", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("Salasana uudelleen").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Tallenna salasana").click()
        page.wait_for_url(re.compile(r"/auth/signin$"))
        expect(page.locator(".flash")).to_contain_text("Uusi salasanasi on tallennettu")
        check_page(page, "password-reset-done-fi")

        sign_in(page, YOUTH, NEW_PASSWORD, lang="fi")
        page.wait_for_url(re.compile(r"/youth/"))
        page.goto(found.group(0))  # the link worked once
        expect(page.locator("main .error-message")).to_be_visible()
    finally:
        page.context.close()


def test_the_administrator_reads_the_outbox_on_a_phone(browser, mailing_server) -> None:
    """A reset mail in the outbox, sent, as an administrator reads it."""
    base, smtp = mailing_server
    visitor = new_page(browser, base, "fi-FI")
    visitor.goto("/auth/password/forgot")
    visitor.get_by_label("Sähköpostiosoite").fill(OTHER)
    visitor.get_by_role("button", name="Lähetä linkki").click()
    expect(visitor.locator("h1")).to_have_text("Katso sähköpostisi")
    visitor.context.close()
    wait_until(lambda: bool(smtp.to(OTHER)), 60, "the mail to reach the server")
    admin = new_page(browser, base, "fi-FI", viewport={"width": 375, "height": 800})
    try:
        sign_in(admin, ADMIN, demo_password(ADMIN), lang="fi")
        admin.goto("/admin/")
        admin.get_by_role("link", name=re.compile("^Lähtevät sähköpostit")).click()
        expect(admin.locator("main table")).to_contain_text("Valitse uusi salasana Polkuun")
        expect(admin.locator("main table")).to_contain_text("y…@demo.polku.fi")
        check_page(admin, "admin-phone-outbox")
        admin.locator("main table a").first.click()
        expect(admin.locator("main pre")).to_contain_text("/auth/password/reset/")
        wide = admin.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')).slice(0, 5)""")
        assert not wide, f"wider than the phone: {wide}"
        check_page(admin, "admin-phone-outbox-mail")
    finally:
        admin.context.close()
