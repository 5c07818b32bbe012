"""Reflow (WCAG 2.1, 1.4.10): pages read without sideways scrolling, on a phone and on a desktop.

axe cannot see this, so the browser measures it: nothing may stick out past the right
edge. Every HTML page of every role (the app's url_map, so a new page cannot be left out)
is opened at 375 px (a phone) and 1280 px (a desktop) on a server with a busy season's data
(`tests.support.busy_world`: long titles, many openings, applicants in every state, cohort
proposals, a dashboard with figures); a table that must stay a table scrolls inside its own
wrapper, never the page. At 320 px (the criterion's own width) the pages without tables are
checked too. axe-core checks each page at both widths as well. Screenshots of every page at both
widths go to build/test-artifacts/reflow-*.
"""
from __future__ import annotations

import pytest

from tests.support.browser import axe_violations, new_page, shot, sign_in
from webapp import create_app
from webapp.cli.commands import DEMO_DOMAIN, demo_password
from webapp.youth.forms import STEPS

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
    (None, ["/", "/openings", "/openings/o-5", "/associations", "/auth/signup", "/auth/signin",
           "/auth/password/forgot"]),
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


# ---------------------------------------------------------------- every page of every role, 375 px and 1280 px

WIDTHS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
ACCOUNTS = {"visitor": None, "youth": f"y-1@{DEMO_DOMAIN}",
            "association": f"oulun-elainsuojeluyhdistys-ry@{DEMO_DOMAIN}",
            "coordinator": f"coordinator@{DEMO_DOMAIN}", "admin": f"admin@{DEMO_DOMAIN}"}
# Each HTML page (GET endpoint): who opens it, and its addresses (formatted with busy_world's ids).
PAGES: dict[str, tuple[str, list[str]]] = {
    "public.index": ("visitor", ["/"]),
    "public.openings": ("visitor", ["/openings", "/openings?q=koira"]),
    "public.opening": ("visitor", ["/openings/{open_ref}"]),
    "public.associations": ("visitor", ["/associations"]),
    "public.association": ("visitor", ["/associations/{association_id}"]),
    "auth.sign_in": ("visitor", ["/auth/signin"]),
    "auth.sign_up": ("visitor", ["/auth/signup"]),
    "association.register_association": ("visitor", ["/association/register"]),
    "auth.accept_invitation": ("visitor", ["/auth/invitation/an-invitation-nobody-was-given-0123456789"]),
    "auth.forgot_password": ("visitor", ["/auth/password/forgot"]),
    "auth.reset_password": ("visitor", ["/auth/password/reset/a-reset-link-nobody-was-given-0123456789"]),
    "youth.account_deleted": ("visitor", ["/account/deleted"]),
    "youth.step": ("youth", [f"/youth/start/{n}" for n in range(1, len(STEPS) + 1)]),
    "youth.matches": ("youth", ["/youth/matches"]),
    "youth.activities": ("youth", ["/youth/activities"]),
    "youth.certificate": ("youth", ["/youth/activities/{completed_interest_id}/certificate"]),
    "youth.profile": ("youth", ["/youth/profile"]),
    "youth.my_data": ("youth", ["/account/data"]),
    "youth.next_step": ("youth", ["/me/next-step"]),
    "youth.self_assessment": ("youth", ["/me/self-assessment"]),
    "youth.referrals": ("youth", ["/me/referrals"]),
    "notices.unsubscribe_page": ("youth", ["/notifications/unsubscribe/{unsubscribe_token}"]),
    "youth.conversation": ("youth", ["/youth/activities/{talk_interest_id}/messages"]),
    "association.conversation": ("association",
                                 ["/association/openings/{talk_ref}/applicants/{talk_interest_id}/messages"]),
    "notices.index": ("youth", ["/notifications", "/notifications?page=2"]),
    "notices.settings": ("association", ["/account/notifications"]),
    "admin.reports": ("admin", ["/admin/reports"]),
    "auth.change_password": ("youth", ["/auth/password"]),
    "auth.sign_out": ("youth", ["/auth/signout"]),
    "association.home": ("association", ["/association/"]),
    "association.openings": ("association", ["/association/openings"]),
    "association.new_opening": ("association", ["/association/openings/new"]),
    "association.edit_opening": ("association", ["/association/openings/{open_ref}/edit"]),
    "association.applicants": ("association", ["/association/openings/{open_ref}/applicants"]),
    "association.page": ("association", ["/association/page"]),
    "coordinator.home": ("coordinator", ["/coordinator/"]),
    "coordinator.associations": ("coordinator", ["/coordinator/associations"]),
    "coordinator.cohorts": ("coordinator", ["/coordinator/cohorts/"]),
    "coordinator.cohort": ("coordinator", ["/coordinator/cohorts/{cohort_id}",
                                           "/coordinator/cohorts/{cohort_id}?show=left"]),
    "coordinator.cohort_youth": ("coordinator", ["/coordinator/cohorts/{cohort_id}/youths/{youth_id}"]),
    "coordinator.choose_for_cohort": ("coordinator", ["/coordinator/cohorts/{cohort_id}/choose"]),
    "coordinator.dashboard": ("coordinator", ["/coordinator/dashboard"]),
    "coordinator.outcomes": ("coordinator", ["/coordinator/outcomes"]),
    "coordinator.youth_outcomes": ("coordinator", ["/coordinator/outcomes/{youth_ref}"]),
    "coordinator.referrals": ("coordinator", ["/coordinator/referrals/"]),
    "coordinator.referred_youth": ("coordinator", ["/coordinator/referrals/youths/{youth_id}"]),
    "coordinator.weights": ("coordinator", ["/coordinator/weights"]),
    "coordinator.profile": ("coordinator", ["/coordinator/weights/{profile_id}"]),
    "coordinator.proposal": ("coordinator", ["/coordinator/weights/{profile_id}/learn/{job_ref}"]),
    "admin.home": ("admin", ["/admin/"]),
    "admin.accounts_page": ("admin", ["/admin/accounts"]),
    "admin.account": ("admin", ["/admin/accounts/{user_id}"]),
    "admin.associations": ("admin", ["/admin/associations"]),
    "admin.coordinators": ("admin", ["/admin/coordinators"]),
    "admin.outbox": ("admin", ["/admin/mail/"]),
    "admin.outbox_mail": ("admin", ["/admin/mail/{mail_id}"]),
}
NOT_PAGES = {"static", "ops.healthz", "i18n.set_language"}  # and the API, the CSV, JSON and SVG downloads


def html_pages() -> set[str]:
    """The endpoints of every page a person opens: GET routes that answer with HTML."""
    rules = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"}).url_map.iter_rules()
    return {r.endpoint for r in rules if "GET" in (r.methods or ()) and r.endpoint not in NOT_PAGES
            and not r.rule.startswith("/api/") and not r.rule.endswith((".csv", ".json", ".svg"))}


def test_every_page_is_in_the_reflow_list():
    assert html_pages() - PAGES.keys() == set(), "add these pages to PAGES"
    assert PAGES.keys() - html_pages() == set(), "these pages are gone: take them out of PAGES"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ACCOUNTS)
def test_no_page_scrolls_sideways_and_axe_finds_nothing(browser, busy_server, role, width):
    """Each page at the width: no sideways scroll, and no WCAG 2.1 A/AA violation axe-core finds (the stacked
    tables and scrolling wrappers are what a phone sees, so axe reads them there too)."""
    base, ids = busy_server
    page = new_page(browser, base, "fi-FI", viewport=WIDTHS[width])
    problems = []
    try:
        if ACCOUNTS[role]:
            sign_in(page, ACCOUNTS[role], demo_password(ACCOUNTS[role]), lang="fi")
        for endpoint, (who, paths) in PAGES.items():
            if who != role:
                continue
            for number, path in enumerate(paths):
                url = path.format(**ids)
                page.goto(url, timeout=60_000)
                found = page.evaluate(SIDEWAYS)
                shot(page, f"reflow-{role}-{width}-{endpoint}" + (f"-{number + 1}" if len(paths) > 1 else ""))
                if found["extra"] > 0:
                    problems.append(f"{url} ({endpoint}) is {found['extra']} px too wide: {found['out']}")
                problems += [f"{url} ({endpoint}) axe: {violation}" for violation in axe_violations(page)]
    finally:
        page.context.close()
    assert not problems, f"at {WIDTHS[width]['width']} px:\n" + "\n".join(problems)


# The document's width past the window (what scrolls the page sideways), and the first elements sticking out
# (a table wrapper that scrolls inside itself clips its table, so what is in it never counts).
SIDEWAYS = """() => {
    const width = window.innerWidth;
    const clipped = e => { for (let p = e.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') return true; }
        return false; };
    const out = [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > width + 1 && !clipped(e))
        .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                         + (e.className ? '.' + e.className : '') + ' ' + (e.innerText || '').slice(0, 40));
    return {extra: document.documentElement.scrollWidth - width, out};
}"""
