"""Pages in Debian's Chromium (driven by Playwright) against the test server: a fresh context, screenshots,
the axe-core check of WCAG 2.1 A and AA, and the sign-up and sign-in forms filled as a person would."""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("POLKU_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("POLKU_ARTIFACTS", ROOT / "build" / "test-artifacts"))
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def new_page(browser, server: str, locale: str = "fi-FI", **options):
    """A page in a fresh browser context (no cookies) whose browser asks for `locale`; `options` for the
    context, such as `java_script_enabled=False` or another `viewport`."""
    context = browser.new_context(**{"base_url": server, "locale": locale, "viewport": {"width": 1280, "height": 900},
                                     **options})
    context.set_default_timeout(15_000)
    return context.new_page()


def shot(page, name: str) -> Path:
    """A full-page screenshot saved as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / (re.sub(r"[^\w.-]+", "-", name) + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA violations on the current page, one line each."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return r.violations.map(v => v.id + ': ' + v.help + ' -> ' +
            v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""", WCAG_TAGS)
    return list(result)


def check_page(page, name: str) -> None:
    """Screenshot, then assert axe finds no WCAG 2.1 A/AA violation.

    axe runs as a script in the page, so the context needs JavaScript on: in a context with
    `java_script_enabled=False` it never answers. Check such pages with `shot` and run axe on
    the same page in a context with JavaScript."""
    shot(page, name)
    violations = axe_violations(page) + structure_problems(page)
    assert not violations, f"{page.url}:\n" + "\n".join(violations)


def structure_problems(page) -> list[str]:
    """What the project's guide asks beyond axe's WCAG rules: a page title, one h1, headings in order."""
    levels = page.evaluate("() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]"
                           ".filter(h => h.getClientRects().length).map(h => Number(h.tagName[1]))")
    problems = []
    if not re.fullmatch(r".+ – Polku", page.title()):
        problems.append(f"page title {page.title()!r} does not name the page")
    if levels.count(1) != 1 or levels[:1] != [1]:
        problems.append(f"the page should have one h1, first; its headings: {levels}")
    problems += [f"heading h{b} after h{a} skips a level" for a, b in zip(levels, levels[1:]) if b > a + 1]
    return problems


def have_tools() -> bool:
    return CHROMIUM.exists() and AXE.exists() and shutil.which("node") is not None


WORDS = {
    "fi": {"email": "Sähköpostiosoite", "age": "Ikäsi", "password": "Salasana", "again": "Salasana uudelleen",
           "create": "Luo tili", "sign_in": "Kirjaudu sisään"},
    "sv": {"email": "E-postadress", "age": "Din ålder", "password": "Lösenord", "again": "Lösenordet igen",
           "create": "Skapa konto", "sign_in": "Logga in"},
    "en": {"email": "E-mail address", "age": "Your age", "password": "Password", "again": "Password again",
           "create": "Create account", "sign_in": "Sign in"},
}


def sign_up(page, email: str, password: str, lang: str = "fi", age: int = 17) -> None:
    """Fill and send the sign-up form on the current page, agreeing to the data use."""
    words = WORDS[lang]
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["age"]).fill(str(age))
    page.get_by_label(words["password"], exact=True).fill(password)
    page.get_by_label(words["again"]).fill(password)
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name=words["create"]).click()


def sign_in(page, email: str, password: str, lang: str = "en") -> None:
    """Sign in through the sign-in page; the app then shows the role's home page."""
    words = WORDS[lang]
    page.goto("/auth/signin")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"], exact=True).fill(password)
    page.locator("main").get_by_role("button", name=words["sign_in"]).click()
    page.wait_for_url(lambda url: "/auth/signin" not in url)
