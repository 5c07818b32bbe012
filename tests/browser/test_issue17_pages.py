"""The pages issue 17 changed, walked as their users would, fi/sv/en at 375 px and 1280 px: axe finds
nothing, nothing scrolls sideways, and the screenshots go to build/test-artifacts/issue17-*."""
from __future__ import annotations

import pytest

from tests.support.browser import check_page, new_page, sign_in
from webapp.cli.commands import DEMO_DOMAIN, demo_password

WIDTHS = {"phone": {"width": 375, "height": 800}, "desktop": {"width": 1280, "height": 900}}
LOCALES = {"fi": "fi-FI", "sv": "sv-SE", "en": "en-GB"}
WIDE = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
YOUTH = f"y-1@{DEMO_DOMAIN}"
MEMBER = f"oulun-elainsuojeluyhdistys-ry@{DEMO_DOMAIN}"


def _look(page, name: str) -> None:
    assert page.evaluate(WIDE) <= 0, f"{name} scrolls sideways"
    check_page(page, name)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", LOCALES)
def test_a_visitor_youth_and_member_walk_the_changed_pages(browser, server, lang, width):
    tag = f"issue17-{lang}-{width}"
    page = new_page(browser, server, LOCALES[lang], viewport=WIDTHS[width])
    try:
        page.goto("/openings/o-5")
        assert page.locator("section.way-on a.button-link").count() == 1
        _look(page, f"{tag}-visitor-opening")
        page.goto("/api/docs")
        _look(page, f"{tag}-api-docs")
        sign_in(page, YOUTH, demo_password(YOUTH), lang=lang)
        page.goto("/youth/start/3")
        page.locator("textarea").fill("iltasin ja viikonloppusin\nblaa")
        page.locator("main form button[type=submit]").click()
        assert page.locator(".notes").count() == 1
        _look(page, f"{tag}-youth-week-partly")
        page.goto("/youth/start/2")
        page.locator("#max_travel_km").fill("abc")
        page.locator("main form button[type=submit]").click()
        assert page.locator(".error-summary a[href='#max_travel_km']").count() == 1
        _look(page, f"{tag}-youth-error-summary")
        page.goto("/youth/matches")
        _look(page, f"{tag}-youth-matches")
    finally:
        page.context.close()
    page = new_page(browser, server, LOCALES[lang], viewport=WIDTHS[width])
    try:
        sign_in(page, MEMBER, demo_password(MEMBER), lang=lang)
        page.goto("/association/openings/o-5/applicants")
        _look(page, f"{tag}-member-applicants")
        decline = page.locator("button.decline").first
        if decline.count():
            decline.click()
            _look(page, f"{tag}-member-confirm-decline")
    finally:
        page.context.close()
