"""An anonymous visitor finds an opening, reads it in three languages; axe checks every page."""
from __future__ import annotations

import pytest

from tests.support.browser import check_page


def test_a_visitor_searches_the_directory_and_opens_an_opening(page):
    page.goto("/")
    check_page(page, "public-home-fi")
    page.goto("/openings")
    page.get_by_label("Hakusanat").fill("koira")
    page.get_by_role("button", name="Näytä tehtävät").click()
    check_page(page, "public-search-fi")
    first = page.locator("main h2 a, main h3 a").first
    title = first.inner_text()
    first.click()
    assert page.locator("h1").inner_text() == title
    check_page(page, "public-opening-fi")


@pytest.mark.parametrize("lang, word", [("sv", "Svenska"), ("en", "English")])
def test_the_language_switch_keeps_the_page(page, lang, word):
    page.goto("/associations")
    page.get_by_role("link", name=word).click()
    assert page.locator("html").get_attribute("lang") == lang
    assert page.url.endswith("/associations")
    check_page(page, f"public-associations-{lang}")


@pytest.mark.parametrize("path", ["/auth/signin", "/auth/signup"])
def test_public_forms_and_lists_pass_axe(page, path):
    page.goto(path)
    check_page(page, "public" + path.replace("/", "-"))
