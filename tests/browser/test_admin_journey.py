"""The demo administrator invites a coordinator, who chooses a password with the one-time link and lands in the
coordinator's workspace; the administrator's pages pass axe at desktop and phone widths."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import check_page, new_page, shot, sign_in
from webapp.cli.commands import DEMO_DOMAIN, demo_password

ADMIN = f"admin@{DEMO_DOMAIN}"
PHONE = {"width": 375, "height": 800}


def test_the_administrator_invites_a_coordinator_who_chooses_a_password(browser, server):
    admin = new_page(browser, server, "en-GB")
    invited = new_page(browser, server, "fi-FI")
    try:
        sign_in(admin, ADMIN, demo_password(ADMIN))
        expect(admin.locator("h1")).to_have_text("Administration")
        check_page(admin, "admin-home")
        admin.get_by_role("link", name=re.compile("^Coordinators: ")).click()
        admin.get_by_label("Name").fill("Kaisa Kutsuttu")
        admin.get_by_label("E-mail address").fill("kaisa.kutsuttu@example.fi")
        admin.get_by_label("Region", exact=True).first.select_option("Lappi")
        admin.get_by_role("button", name="Invite").click()
        link = admin.locator("code.invitation-link").inner_text()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/auth/invitation/[\w-]{40,}", link), link
        check_page(admin, "admin-coordinators-invited")

        invited.goto(link)
        expect(invited.locator("main")).to_contain_text("kaisa.kutsuttu@example.fi")
        check_page(invited, "admin-invitation-fi")
        invited.get_by_label("Salasana", exact=True).fill("revontulet loistavat talvella")
        invited.get_by_label("Salasana uudelleen").fill("revontulet loistavat talvella")
        invited.get_by_role("button", name="Tallenna salasana").click()
        invited.wait_for_url(re.compile(r"/coordinator/$"))
        invited.goto(link)  # used up
        expect(invited.locator("main .error-message")).to_be_visible()

        admin.goto("/admin/")
        admin.get_by_role("link", name=re.compile("^Associations: ")).click()
        check_page(admin, "admin-associations")
        admin.goto("/admin/")
        admin.get_by_role("link", name=re.compile("^Accounts: ")).click()
        admin.get_by_label("E-mail address").fill("kaisa.kutsuttu@example.fi")
        admin.get_by_role("button", name="Find").click()
        expect(admin.locator("main")).to_contain_text("kaisa.kutsuttu@example.fi")
        check_page(admin, "admin-account")
    finally:
        admin.context.close()
        invited.context.close()


def test_the_administrators_pages_fit_a_phone(browser, server):
    admin = new_page(browser, server, "fi-FI", viewport=PHONE)
    try:
        sign_in(admin, ADMIN, demo_password(ADMIN), lang="fi")
        for path in ("/admin/", "/admin/coordinators", "/admin/associations", "/admin/accounts"):
            admin.goto(path)
            shot(admin, f"admin-phone{path.replace('/', '-')}")
            wide = admin.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '')).slice(0, 5)""")
            assert not wide, f"{path}: wider than the phone: {wide}"
            check_page(admin, f"admin-phone{path.replace('/', '-')}")
    finally:
        admin.context.close()
