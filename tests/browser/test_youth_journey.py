"""A young person signs up, fills the five-step profile, finds a match and shows interest — in Finnish.

The same journey is then walked with the keyboard alone: the skip link works, every
focused control shows a visible focus indicator, and every step can be completed
without a pointer.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import check_page, sign_up

NOTE = "Hei! Olen ulkoiluttanut naapurin koiria kaksi vuotta."


def test_a_youth_signs_up_builds_a_profile_and_expresses_interest(page):
    page.goto("/")
    page.get_by_role("link", name="Rekisteröidy").click()
    check_page(page, "youth-signup-fi")
    sign_up(page, "aino.nuori@example.fi", "aino-salasana-2026")

    # 1. Interests: what she writes ticks themes that fit, which she confirms.
    expect(page.locator("h1")).to_have_text("Kiinnostuksen kohteesi")
    check_page(page, "youth-step-1-fi")
    page.get_by_label("Mistä olet kiinnostunut? Omin sanoin").fill("Rakastan koiria ja eläimiä, ulkoilen paljon.")
    page.get_by_role("button", name="Seuraava").click()
    expect(page.locator("#suggested-themes")).to_contain_text("eläimet")
    expect(page.get_by_role("checkbox", name="eläimet")).to_be_checked()
    check_page(page, "youth-step-1-suggested-fi")
    page.get_by_role("button", name="Seuraava").click()

    # 2. Place and travel.
    expect(page.locator("h1")).to_have_text("Paikka ja matkat")
    page.get_by_label("Kotikunta").fill("Oulu")
    page.get_by_label("Kuinka kauas voit matkustaa (km)?").fill("20")
    check_page(page, "youth-step-2-fi")
    page.get_by_role("button", name="Seuraava").click()

    # 3. The week: words it cannot read first (kept, named in Finnish with examples), then ones it reads.
    expect(page.locator("h1")).to_have_text("Viikkosi")
    times = page.get_by_label("Milloin sinulla on aikaa viikolla?")
    times.fill("joskus kun huvittaa")
    page.get_by_role("button", name="Seuraava").click()
    expect(times).to_have_value("joskus kun huvittaa")
    expect(page.locator("#availability-note")).to_contain_text("Emme voineet lukea")
    check_page(page, "youth-step-3-error-fi")
    times.fill("ma-pe 16-20\nviikonloput")
    page.get_by_role("button", name="Seuraava").click()

    # 4. Languages, kinds of activity, qualifications.
    expect(page.locator("h1")).to_have_text("Kielet, toiminta ja tuki")
    page.get_by_role("group", name="Kielet, joita puhut").get_by_role("checkbox", name="suomi").check()
    kinds = page.get_by_role("group", name="Millaista toimintaa toivot")
    kinds.get_by_role("checkbox").first.check()
    page.get_by_role("group", name="Pätevyydet ja kortit, jotka sinulla on").get_by_role(
        "checkbox", name="hygieniapassi").check()
    check_page(page, "youth-step-4-fi")
    page.get_by_role("button", name="Seuraava").click()

    # 5. Name, what associations may see, age.
    expect(page.locator("h1")).to_have_text("Mitä yhdistykset saavat nähdä")
    page.get_by_label("Nimesi").fill("Aino Nuori")
    sharing = page.get_by_role("group", name="Mitä yhdistykset saavat nähdä")
    sharing.get_by_role("checkbox", name="Ikäsi").check()
    sharing.get_by_role("checkbox", name="Kotikunta").check()
    page.get_by_label("Ikä", exact=True).fill("17")
    check_page(page, "youth-step-5-fi")
    page.get_by_role("button", name="Tallenna ja katso omat osumat").click()

    # My matches, each with its reasons.
    expect(page.locator("h1")).to_have_text("Sinulle sopivat tehtävät")
    matches = page.locator("li.match")
    expect(matches.first).to_be_visible()
    expect(matches.first.locator("ul.reasons li").first).to_be_visible()
    check_page(page, "youth-matches-fi")

    # An opening, "Is this for you?", interest with a note.
    link = matches.first.locator("h2 a")
    title = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_have_text(title)
    panel = page.get_by_role("region", name="Sopiiko tämä sinulle?")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Miksi tämä sopii sinulle")).to_be_visible()
    check_page(page, "youth-opening-why-fi")
    panel.get_by_label("Viesti yhdistykselle (vapaaehtoinen)").fill(NOTE)
    panel.get_by_role("button", name=re.compile("^Olen kiinnostunut")).click()
    expect(page.get_by_role("status")).to_be_visible()
    check_page(page, "youth-opening-interested-fi")

    # My activities shows it, waiting for the association.
    page.get_by_role("link", name="Omat tehtävät").click()
    activity = page.locator("li.activity", has_text=title)
    expect(activity).to_contain_text("Tila:")
    check_page(page, "youth-activities-fi")

    # The profile kept every step's answers.
    page.get_by_role("link", name="Profiili").click()
    expect(page.get_by_role("textbox", name="Kotikunta")).to_have_value("Oulu")
    expect(page.get_by_role("checkbox", name="hygieniapassi")).to_be_checked()
    expect(page.get_by_label("Ikä", exact=True)).to_have_value("17")
    check_page(page, "youth-profile-fi")


# ---------------------------------------------------------------- the same journey, keyboard only

FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const name = (el.labels && el.labels.length ? el.labels[0].innerText : '') || el.getAttribute('aria-label')
                 || (el.tagName === 'INPUT' ? el.value : el.innerText) || '';
    const box = el.getBoundingClientRect();
    return {tag: el.tagName.toLowerCase(), name: name.trim().replace(/\\s+/g, ' '), id: el.id,
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
            shadow: style.boxShadow !== 'none', visible: box.width > 0 && box.height > 0
              && box.right > 0 && box.bottom > 0};
}"""


class Keyboard:
    """Moves through a page with Tab and Shift+Tab only, checking each stop's focus indicator."""

    def __init__(self, page):
        self.page = page
        self.stops = 0

    def focused(self) -> dict | None:
        return self.page.evaluate(FOCUSED)

    def tab_to(self, name: str | re.Pattern, *, back: bool = False, limit: int = 60) -> dict:
        """Press Tab (or Shift+Tab) until the focused element's name matches; each stop must show its focus."""
        for _ in range(limit):
            self.page.keyboard.press("Shift+Tab" if back else "Tab")
            now = self.focused()
            if now is None:
                continue
            self.stops += 1
            assert now["visible"], f"focus went to an element off the screen: {now}"
            if now["tag"] != "main":
                assert now["outline"] or now["shadow"], f"no visible focus indicator on {now}"
            if (name.search(now["name"]) if isinstance(name, re.Pattern) else now["name"] == name):
                return now
        raise AssertionError(f"{name!r} not reached with the keyboard on {self.page.url}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def test_the_youth_journey_works_with_the_keyboard_alone(page):
    keys = Keyboard(page)
    page.goto("/auth/signup")

    # The first Tab stop is the skip link; it shows and moves focus to the main content.
    skip = keys.tab_to("Siirry pääsisältöön", limit=1)
    assert skip["tag"] == "a"
    expect(page.get_by_role("link", name="Siirry pääsisältöön")).to_be_in_viewport()
    keys.press("Enter")
    assert page.url.endswith("#main")
    assert keys.focused()["tag"] == "main"
    assert keys.tab_to("Sähköpostiosoite", limit=1)["tag"] == "input"  # straight into the form, past the menu

    keys.type("eero.nappis@example.fi")
    keys.tab_to("Ikäsi")
    keys.type("19")
    keys.tab_to("Salasana")
    keys.type("eero-salasana-2026")
    keys.tab_to("Salasana uudelleen")
    keys.type("eero-salasana-2026")
    keys.tab_to(re.compile("^Hyväksyn"))
    keys.press("Space")
    keys.tab_to("Luo tili")
    keys.press("Enter")

    # Step 1: interests, then the suggested themes are confirmed.
    expect(page.locator("h1")).to_have_text("Kiinnostuksen kohteesi")
    keys.tab_to("Mistä olet kiinnostunut? Omin sanoin")
    keys.type("Tykkään valokuvata ja kuvata videoita tapahtumissa.")
    keys.tab_to("Seuraava")
    keys.press("Enter")
    expect(page.locator("#suggested-themes")).to_be_visible()
    keys.tab_to("Seuraava")
    keys.press("Enter")

    # Step 2: place; Shift+Tab back from the button to the municipality.
    expect(page.locator("h1")).to_have_text("Paikka ja matkat")
    keys.tab_to("Seuraava")
    keys.tab_to("Kotikunta", back=True)
    keys.type("Oulu")
    keys.tab_to("Seuraava")
    keys.press("Enter")

    # Step 3: the week.
    expect(page.locator("h1")).to_have_text("Viikkosi")
    keys.tab_to("Milloin sinulla on aikaa viikolla?")
    keys.type("viikonloput")
    keys.tab_to("Seuraava")
    keys.press("Enter")

    # Step 4: a language, ticked with Space.
    expect(page.locator("h1")).to_have_text("Kielet, toiminta ja tuki")
    keys.tab_to("suomi")
    keys.press("Space")
    expect(page.get_by_role("group", name="Kielet, joita puhut").get_by_role("checkbox", name="suomi")).to_be_checked()
    keys.tab_to("Seuraava")
    keys.press("Enter")

    # Step 5: name and age, then to the matches.
    expect(page.locator("h1")).to_have_text("Mitä yhdistykset saavat nähdä")
    keys.tab_to("Nimesi")
    keys.type("Eero Näppis")
    keys.tab_to("Ikä")
    keys.type("18")
    keys.tab_to("Tallenna ja katso omat osumat")
    keys.press("Enter")

    # My matches: the first match's link, Enter opens it.
    expect(page.locator("h1")).to_have_text("Sinulle sopivat tehtävät")
    title = page.locator("li.match h2 a").first.inner_text()
    keys.tab_to(title)
    keys.press("Enter")
    expect(page.locator("h1")).to_have_text(title)

    # "Is this for you?": a note, then the interest button.
    keys.tab_to(re.compile("^Olen kiinnostunut"))
    keys.tab_to("Viesti yhdistykselle (vapaaehtoinen)", back=True)
    keys.type("Minulla on oma kamera.")
    keys.tab_to(re.compile("^Olen kiinnostunut"))
    keys.press("Enter")
    expect(page.get_by_role("status")).to_be_visible()

    # My activities, from the menu.
    keys.tab_to("Omat tehtävät")
    keys.press("Enter")
    expect(page.locator("h1")).to_have_text("Omat tehtävät")
    expect(page.locator("li.activity", has_text=title)).to_be_visible()
    assert keys.stops > 20
