"""A youth expresses interest; the association replies in a message; the youth sees the notification in
Finnish, reads the message and replies; the association sees the reply. No e-mail address or phone number
changes hands. Two browser contexts: the association's (English) and the youth's (Finnish)."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import check_page, new_page, sign_in, sign_up
from webapp.cli.commands import DEMO_DOMAIN, demo_password

ASSOCIATION = f"oulun-elainsuojeluyhdistys-ry@{DEMO_DOMAIN}"
TITLE = "Kanien ruokkija"
QUESTION = "Hei! Sopiiko aloittaa lauantaina kello 10? Ota mukaan lämpimät vaatteet."
ANSWER = "Sopii hyvin, tulen lauantaina."


def post_opening(page) -> None:
    page.get_by_role("link", name="New opening", exact=True).click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Description").fill("Ruokit kaneja hoitokodissa lauantaisin.")
    page.get_by_label("Kind of activity").select_option("volunteer")
    page.get_by_label("Municipality").fill("Oulu")
    page.get_by_label("Times").fill("la 10-14")
    page.get_by_label("Number of places").fill("2")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("The opening is published.")


def test_the_association_writes_the_youth_is_told_and_answers(browser, server):
    association = new_page(browser, server, "en-GB")
    youth = new_page(browser, server, "fi-FI")
    try:
        sign_in(association, ASSOCIATION, demo_password(ASSOCIATION))
        post_opening(association)

        youth.goto("/auth/signup")
        sign_up(youth, "kaisla.nuori@example.fi", "kaisla-salasana-2026", lang="fi")
        youth.goto("/openings?q=Kanien")
        youth.get_by_role("link", name=TITLE).click()
        youth.get_by_role("button", name=f"Olen kiinnostunut: ”{TITLE}”").click()

        # The member is told of the interest (in words, with the count) and writes to the applicant.
        association.goto("/association/openings")
        nav = association.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name=re.compile(r"^Notifications \(\d+ unread\)$"))).to_be_visible()
        nav.get_by_role("link", name=re.compile("^Notifications")).click()
        association.get_by_role("button", name=f"Someone is interested in “{TITLE}”.").first.click()
        expect(association.locator("h1")).to_have_text(f"Applicants: {TITLE}")
        association.get_by_role("link", name=re.compile("^Write a message")).first.click()
        association.get_by_label("Your message").fill(QUESTION)
        check_page(association, "talk-association-conversation")
        association.get_by_role("button", name="Send message").click()
        expect(association.get_by_role("status")).to_have_text("Your message is sent.")
        expect(association.locator(".message").first).to_contain_text(QUESTION)

        # The youth sees "1 lukematta" in the navigation, opens the notice and answers.
        youth.goto("/youth/activities")
        link = youth.get_by_role("navigation", name="Päävalikko").get_by_role(
            "link", name="Ilmoitukset (1 lukematta)")
        expect(link).to_be_visible()
        link.click()
        check_page(youth, "talk-youth-notifications-fi")
        youth.get_by_role("button", name=f"Uusi viesti yhdistykseltä Oulun Eläinsuojeluyhdistys ry tehtävästä "
                                       f"”{TITLE}”.").click()
        expect(youth.locator(".message").first).to_contain_text(QUESTION)
        expect(youth.get_by_role("link", name="Ilmoitukset", exact=True)).to_be_visible()  # read now
        youth.get_by_label("Viestisi").fill(ANSWER)
        check_page(youth, "talk-youth-conversation-fi")
        youth.get_by_role("button", name="Lähetä viesti").click()
        expect(youth.get_by_role("status")).to_have_text("Viestisi on lähetetty.")

        # The member gets the reply, told by a notice too.
        association.goto("/notifications")
        association.get_by_role("button", name=f"New message from an applicant to “{TITLE}”.").first.click()
        expect(association.locator(".message").last).to_contain_text(ANSWER)
        check_page(association, "talk-association-reply")
    finally:
        association.context.close()
        youth.context.close()
