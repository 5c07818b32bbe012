"""The work certificate on paper: one A4 page in every language, even with the longest name and reference.

Chromium prints the page to PDF as its Print command would (print media, A4); the pages of the PDF
are counted. Screenshots of the certificate on screen and as printed go to build/test-artifacts/.
"""
from __future__ import annotations

import re

import pytest

from tests.support.browser import new_page, shot, sign_in
from webapp.cli.commands import DEMO_DOMAIN, demo_password

YOUTH = f"y-1@{DEMO_DOMAIN}"


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_certificate_prints_on_one_a4_page(browser, busy_server, lang):
    base, ids = busy_server
    page = new_page(browser, base, "fi-FI")
    try:
        sign_in(page, YOUTH, demo_password(YOUTH), lang="fi")
        url = f"/youth/activities/{ids['completed_interest_id']}/certificate"
        page.goto(f"/language?lang={lang}&next={url}")
        assert page.url.endswith(url)
        assert len(page.locator(".reference").inner_text()) > 1900  # the longest reference an association writes
        shot(page, f"certificate-{lang}-screen")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.emulate_media(media="print")
        shot(page, f"certificate-{lang}-print")
        assert not page.locator(".site-header").is_visible() and not page.locator(".no-print").first.is_visible()
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        assert pdf_pages(pdf) == 1, f"the certificate in {lang} prints on {pdf_pages(pdf)} pages"
    finally:
        page.context.close()
