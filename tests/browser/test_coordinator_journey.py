"""The demo coordinator (region Lappi, from the seed) refers a youth who agrees, tunes the ranking
weights with a preview — without JavaScript and with its live preview — places a cohort and
reads the dashboard.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import check_page, new_page, shot, sign_in, sign_up
from webapp.cli.commands import DEMO_DOMAIN, demo_password

COORDINATOR = f"coordinator@{DEMO_DOMAIN}"
YOUTH = "lassi.lappi@example.fi"


def refer_a_youth_who_agrees(coordinator, youth) -> None:
    """A new youth (in Finnish) lives in Rovaniemi; the coordinator refers them and they agree."""
    youth.goto("/auth/signup")
    sign_up(youth, YOUTH, "lassi-salasana-2026")
    youth.get_by_role("link", name=re.compile("^2\\. ")).click()
    youth.get_by_label("Kotikunta").fill("Rovaniemi")
    youth.get_by_role("button", name="Seuraava").click()
    youth.get_by_role("link", name=re.compile("^5\\. ")).click()
    youth.get_by_label("Nimesi").fill("Lassi Lappi")
    youth.get_by_label("Ikä", exact=True).fill("19")
    youth.get_by_role("button", name="Tallenna ja katso omat osumat").click()

    coordinator.get_by_role("link", name=re.compile("^Referrals")).click()
    check_page(coordinator, "coordinator-referrals")
    coordinator.get_by_label("The youth's e-mail address").fill(YOUTH)
    coordinator.get_by_label("Why you refer the youth (the youth sees this)").fill("Tavattiin Ohjaamossa.")
    coordinator.get_by_role("button", name="Send the request").click()
    expect(coordinator.get_by_role("row", name=re.compile(YOUTH))).to_be_visible()

    youth.reload()
    youth.get_by_role("link", name=re.compile("^Ohjaukset|odottaa")).click()
    check_page(youth, "coordinator-youth-referrals-fi")
    youth.get_by_role("button", name="Suostun").click()
    expect(youth.locator("li.activity").first).to_contain_text("voimassa")

    coordinator.reload()
    coordinator.get_by_role("link", name="Lassi Lappi").click()  # the profile is open to the coordinator now
    expect(coordinator.locator("main")).to_contain_text("Rovaniemi")
    check_page(coordinator, "coordinator-referred-youth")


def tune_weights_without_javascript(browser, server) -> str:
    """Create a profile, move a slider and press Preview in a browser with JavaScript off; the profile's URL."""
    page = new_page(browser, server, "en-GB", java_script_enabled=False)
    try:
        sign_in(page, COORDINATOR, demo_password(COORDINATOR))
        page.get_by_role("link", name="Coordinator", exact=True).click()
        page.get_by_role("link", name=re.compile("^Weight profiles")).click()
        shot(page, "coordinator-weights")
        page.get_by_label("Name of the profile").fill("Talvi 2026")
        page.get_by_role("button", name="Create profile").click()
        expect(page.locator("h1")).to_have_text("Weight profile Talvi 2026")
        page.get_by_label("Distance", exact=True).fill("0.9")
        page.get_by_label("Themes", exact=True).fill("0.1")
        page.get_by_role("button", name="Preview", exact=True).click()
        preview = page.locator("#preview")
        expect(preview.get_by_role("heading", name="Young person 1", exact=True)).to_be_visible()
        expect(page.get_by_label("Distance", exact=True)).to_have_value("0.9")  # the sliders keep their place
        shot(page, "coordinator-weights-preview-nojs")  # axe needs JavaScript: it checks this page below
        return page.url
    finally:
        page.context.close()


def test_a_coordinator_refers_tunes_places_a_cohort_and_reads_the_dashboard(browser, server):
    coordinator = new_page(browser, server, "en-GB")
    youth = new_page(browser, server, "fi-FI")
    try:
        sign_in(coordinator, COORDINATOR, demo_password(COORDINATOR))
        coordinator.get_by_role("link", name="Coordinator", exact=True).click()
        expect(coordinator.locator(".lead")).to_have_text("Your region: Lappi")
        check_page(coordinator, "coordinator-home")
        refer_a_youth_who_agrees(coordinator, youth)

        # Weights: the Preview button without JavaScript, then the live preview with it; saved.
        profile = tune_weights_without_javascript(browser, server)
        coordinator.get_by_role("link", name="Coordinator", exact=True).click()
        coordinator.get_by_role("link", name=re.compile("^Weight profiles")).click()
        check_page(coordinator, "coordinator-weights")
        coordinator.goto(profile)
        preview = coordinator.locator("#preview")
        expect(preview.get_by_role("heading", name="Young person 1", exact=True)).to_be_hidden()
        coordinator.get_by_role("button", name="Preview", exact=True).click()  # the same page as without JavaScript
        expect(preview.get_by_role("heading", name="Young person 1", exact=True)).to_be_visible()
        check_page(coordinator, "coordinator-weights-preview")
        coordinator.goto(profile)
        interest = coordinator.get_by_label("Interests", exact=True)
        before = interest.input_value()
        interest.focus()
        coordinator.keyboard.press("ArrowLeft")
        expect(coordinator.locator("#interest-value")).not_to_have_text(before)
        expect(preview.get_by_role("heading", name="Young person 1", exact=True)).to_be_visible()
        check_page(coordinator, "coordinator-weights-live-preview")
        coordinator.get_by_label("What changed and why (optional)").fill("Matka painaa talvella enemmän.")
        coordinator.get_by_role("button", name="Save as a new version").click()
        expect(coordinator.locator(".lead")).to_contain_text("Version 2")
        check_page(coordinator, "coordinator-weights-saved")

        # A cohort: the youths and openings chosen, the placement run in the background, reviewed, sent.
        coordinator.get_by_role("link", name="Coordinator", exact=True).click()
        coordinator.get_by_role("link", name=re.compile("^Cohorts")).click()
        check_page(coordinator, "coordinator-cohorts")
        coordinator.get_by_label("Name of the cohort").fill("Joulukuu")
        coordinator.get_by_role("button", name="Create the cohort").click()
        expect(coordinator.locator("h1")).to_have_text("Choose youths and openings: Joulukuu")
        youths = coordinator.get_by_role("group", name="Youths")
        youths.get_by_role("checkbox", name=re.compile("^Lassi Lappi")).check()
        for box in youths.get_by_role("checkbox").all()[:3]:
            box.check()
        openings = coordinator.get_by_role("group", name="Openings")
        for box in openings.get_by_role("checkbox").all()[:4]:
            box.check()
        chosen = youths.locator("input:checked").count()
        check_page(coordinator, "coordinator-cohort-choose")
        coordinator.get_by_role("button", name="Save the choice").click()
        expect(coordinator.locator("h1")).to_have_text("Joulukuu")
        expect(coordinator.locator("p.meta")).to_contain_text(f"{chosen} youths · 4 openings")
        coordinator.get_by_role("button", name="Run the allocation").click()
        expect(coordinator.get_by_role("heading", name="Proposal")).to_be_visible(timeout=60_000)
        expect(coordinator.get_by_role("heading", name="Who goes where")).to_be_visible()
        check_page(coordinator, "coordinator-cohort-proposal")
        coordinator.get_by_role("button", name="Send the proposals").click()
        expect(coordinator.locator("p.meta")).to_contain_text("sent")
        check_page(coordinator, "coordinator-cohort-sent")
        youth.goto("/me/referrals")  # a placed youth answers the suggestion here; nothing reached an association
        check_page(youth, "youth-suggestions-fi")

        # The dashboard: three charts, each with its table of numbers.
        coordinator.get_by_role("link", name="Coordinator", exact=True).click()
        coordinator.get_by_role("link", name=re.compile("^Dashboard")).click()
        expect(coordinator.locator("#summary")).to_be_visible()
        charts = coordinator.locator("figure.chart img")
        expect(charts).to_have_count(3)
        coordinator.wait_for_load_state("load")  # the images too
        for chart in charts.all():
            assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), chart.get_attribute("src")
        expect(coordinator.locator("table.figures-table")).to_have_count(3)
        check_page(coordinator, "coordinator-dashboard")
    finally:
        coordinator.context.close()
        youth.context.close()
