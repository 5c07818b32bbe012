"""Reflow (WCAG 2.1, 1.4.10): at 320 CSS pixels wide, pages read without sideways scrolling.

axe cannot see this, so the browser measures it: nothing may stick out past the right
edge. Data tables are the criterion's own exception (their rows need both directions), so
the pages here are those without tables.
"""
from __future__ import annotations

import pytest

from tests.support.browser import new_page, shot, sign_in
from webapp.cli.commands import DEMO_DOMAIN, demo_password

NARROW = {"width": 320, "height": 640}
# The page's width past the window, and the first few elements that stick out.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 1)
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + ' ' + e.innerText.slice(0, 40));
    return {extra: document.documentElement.scrollWidth - width, out};
}"""


def assert_reflows(page, path: str, name: str) -> None:
    page.goto(path)
    found = page.evaluate(OVERFLOW)
    if found["extra"] > 0:
        shot(page, name)
    assert found["extra"] <= 0, f"{path} scrolls sideways by {found['extra']} px at 320 px: {found['out']}"


@pytest.mark.parametrize("who, paths", [
    (None, ["/", "/openings", "/openings/o-5", "/associations", "/auth/signup", "/auth/signin"]),
    (f"y-1@{DEMO_DOMAIN}", ["/youth/start/1", "/youth/start/2", "/youth/start/4", "/youth/start/5",
                            "/youth/matches", "/youth/activities", "/youth/profile", "/openings/o-5"]),
    (f"oulun-elainsuojeluyhdistys-ry@{DEMO_DOMAIN}", ["/association/openings/new", "/association/openings/o-5/edit",
                                                       "/association/openings/o-5/applicants", "/association/page"]),
    (f"coordinator@{DEMO_DOMAIN}", ["/coordinator/", "/coordinator/cohorts/", "/coordinator/outcomes"]),
], ids=["visitor", "youth", "association", "coordinator"])
def test_pages_reflow_at_320_pixels(browser, server, who, paths):
    page = new_page(browser, server, "fi-FI", viewport=NARROW)
    try:
        if who:
            sign_in(page, who, demo_password(who), lang="fi")
        for path in paths:
            assert_reflows(page, path, "reflow" + path)
    finally:
        page.context.close()
