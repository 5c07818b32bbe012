"""A demo association posts an opening; a youth (in Swedish) shows interest; the association accepts,
completes with a reference, and the youth prints a work certificate.

Two browser contexts side by side: the association's (English) and the youth's (Swedish),
so the youth's page set — sign-up, profile step, opening, "My activities", certificate —
is checked by axe in Swedish.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import check_page, new_page, sign_in, sign_up
from webapp.cli.commands import DEMO_DOMAIN, demo_password

ASSOCIATION = f"oulun-elainsuojeluyhdistys-ry@{DEMO_DOMAIN}"
TITLE = "Löytökissojen hoitaja"
NOTE = "Jag har haft katter i hela mitt liv."
REFERENCE = "Hoiti kissoja huolellisesti ja oli aina ajoissa."


def post_opening(page) -> None:
    page.get_by_role("link", name="New opening", exact=True).click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("Ruokit ja hoidat löytökissoja hoitokodissa viikonloppuisin.")
    page.get_by_label("Kind of activity").select_option("volunteer")
    page.get_by_label("Municipality").fill("Oulu")
    page.get_by_label("Times").fill("la 10-14")
    page.get_by_label("Number of places").fill("2")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview")).to_contain_text(TITLE)
    check_page(page, "applicants-opening-preview")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("The opening is published.")
    check_page(page, "applicants-opening-published")
    page.get_by_role("link", name="Our openings", exact=True).click()
    expect(page.get_by_role("row", name=re.compile(TITLE))).to_contain_text("open")
    check_page(page, "applicants-our-openings")


def test_an_association_accepts_a_youth_who_gets_a_certificate(browser, server):
    association = new_page(browser, server, "en-GB")
    youth = new_page(browser, server, "sv-SE")
    try:
        sign_in(association, ASSOCIATION, demo_password(ASSOCIATION))
        check_page(association, "applicants-association-home")
        post_opening(association)

        # The youth signs up in Swedish, gives a name, finds the opening and shows interest with a note.
        youth.goto("/auth/signup")
        check_page(youth, "applicants-youth-signup-sv")
        sign_up(youth, "saga.ung@example.fi", "saga-losenord-2026", lang="sv")
        expect(youth.locator("h1")).to_be_visible()
        check_page(youth, "applicants-youth-step-1-sv")
        youth.get_by_role("link", name=re.compile("^5\\. ")).click()
        youth.get_by_label("Ditt namn").fill("Saga Ung")
        check_page(youth, "applicants-youth-step-5-sv")
        youth.get_by_role("button", name="Spara och se mina träffar").click()
        check_page(youth, "applicants-youth-matches-sv")
        youth.goto("/openings?q=" + TITLE.split()[0])
        youth.get_by_role("link", name=TITLE).click()
        panel = youth.get_by_role("region", name="Passar det här dig?")
        panel.get_by_label("Ett meddelande till föreningen (frivilligt)").fill(NOTE)
        check_page(youth, "applicants-youth-opening-sv")
        panel.get_by_role("button", name=f"Jag är intresserad av ”{TITLE}”").click()
        youth.get_by_role("link", name="Mina uppdrag").click()
        mine = youth.locator("li.activity", has_text=TITLE)
        expect(mine).to_contain_text("intresserad")

        # The association sees her name and note on the applicants' page and accepts her.
        association.get_by_role("link", name=re.compile(f"^Applicants.*{TITLE}")).click()
        expect(association.locator("h1")).to_have_text(f"Applicants: {TITLE}")
        applicant = association.locator("li", has=association.get_by_role("heading", name="Saga Ung"))
        expect(applicant).to_contain_text(NOTE)
        check_page(association, "applicants-interested")
        applicant.get_by_role("button", name=re.compile("^Accept")).click()
        expect(association.get_by_role("heading", name=re.compile("^Accepted"))).to_be_visible()
        check_page(association, "applicants-accepted")

        youth.reload()
        expect(mine).to_contain_text("antagen")
        check_page(youth, "applicants-youth-accepted-sv")

        # Completed with a reference; the youth opens the printable certificate.
        applicant = association.locator("li", has=association.get_by_role("heading", name="Saga Ung"))
        applicant.get_by_label("Reference for the work certificate (optional)").fill(REFERENCE)
        applicant.get_by_role("button", name=re.compile("^Mark completed")).click()
        expect(association.get_by_role("heading", name=re.compile("^Completed"))).to_be_visible()
        check_page(association, "applicants-completed")

        youth.reload()
        expect(mine).to_contain_text("slutförd")
        youth.get_by_role("link", name=f"Arbetsintyg för ”{TITLE}”").click()
        certificate = youth.locator("article.certificate")
        expect(certificate).to_contain_text("Saga Ung")
        expect(certificate).to_contain_text(TITLE)
        expect(certificate.locator("blockquote")).to_have_text(REFERENCE)
        check_page(youth, "applicants-youth-certificate-sv")
        youth.emulate_media(media="print")
        expect(youth.locator(".site-header")).to_be_hidden()  # the print leaves the menus out
        expect(certificate).to_be_visible()
    finally:
        association.context.close()
        youth.context.close()
