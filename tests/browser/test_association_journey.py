"""An association registers, posts an opening with a preview and publishes it (for adults: nobody has verified
the new association yet); the public finds it."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser import check_page

PASSWORD = "seura-salasana-2026"


def test_an_association_registers_posts_previews_and_publishes(english_page):
    page = english_page
    page.goto("/")
    page.get_by_role("link", name="For associations").click()
    check_page(page, "association-register")
    page.get_by_label("Name of the association").fill("Kemin Kiekkoilijat ry")
    page.get_by_label("Municipality").fill("Kemi")
    page.get_by_label("Contact details").fill("kiekko@example.fi")
    page.get_by_label("Your name").fill("Sanna Seura")
    page.get_by_label("E-mail address").fill("sanna@kiekko.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Register the association").click()

    page.get_by_role("link", name="New opening", exact=True).click()
    page.get_by_label("Title").fill("Kaukalon kunnostaja")
    page.get_by_label("Description").fill("Autat jäädyttämään ja harjaamaan kaukaloa talvi-iltoina.")
    page.get_by_label("Kind of activity").select_option("volunteer")
    page.get_by_label("Municipality").fill("Kemi")
    page.get_by_label("Times").fill("ti ja to 17-20")
    page.get_by_label("Number of places").fill("3")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    preview.wait_for()
    assert "Kaukalon kunnostaja" in preview.inner_text()
    check_page(page, "association-opening-preview")

    page.get_by_role("button", name="Publish").click()  # a new association is not verified yet: adults only
    expect(page.locator("main")).to_contain_text("not verified yet")
    check_page(page, "association-opening-unverified")
    page.get_by_label("Youngest age").fill("18")
    page.get_by_role("button", name="Publish").click()
    check_page(page, "association-openings")
    assert "Kaukalon kunnostaja" in page.locator("main").inner_text()

    public = page.context.browser.new_context(base_url=page.url.split("/association")[0], locale="en-GB").new_page()
    public.goto("/openings?q=kaukalo")
    assert "Kaukalon kunnostaja" in public.locator("main").inner_text()
    public.context.close()
