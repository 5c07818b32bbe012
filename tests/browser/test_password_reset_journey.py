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
from tests.support.smtp import SmtpServer
from tests.support.worker import WorkerProcess
from webapp.cli.commands import DEMO_DOMAIN

YOUTH = f"y-2@{DEMO_DOMAIN}"
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

        [mail] = smtp.wait_for(1, timeout=60)
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
