"""Page tests in a real browser: Debian's Chromium driven by Playwright, against the production server.

One server per test session: a fresh SQLite database, migrated and seeded with the demo
data (`flask --app webapp db upgrade` and `seed`, as `make run` does), served by
waitress on a free loopback port. Chromium is the system's (`/usr/bin/chromium`, from
`apt-get install chromium`); Playwright's own browser is never downloaded. axe-core
comes from the npm registry (`npm ci`, see package.json) and is evaluated in each page.

Screenshots of each journey's key pages go to `build/test-artifacts/` (or
`$POLKU_ARTIFACTS`), so a run leaves pictures of what was tested.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("POLKU_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("POLKU_ARTIFACTS", ROOT / "build" / "test-artifacts"))
SECRET = secrets.token_urlsafe(48)  # a new key per run: the server refuses weak ones
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a seeded production server (waitress) on a fresh SQLite database."""
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (make test does)")
    if not AXE.exists():
        pytest.fail(f"no axe-core at {AXE}: run `npm ci` in the repository (make test does)")
    folder = tmp_path_factory.mktemp("server")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'polku.sqlite'}", "FLASK_SECRET_KEY": SECRET,
           "FLASK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    _flask(env, "db", "upgrade")
    _flask(env, "seed")
    port = _free_port()
    with (folder / "server.log").open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "waitress", "--host", "127.0.0.1", f"--port={port}",
                                    "--call", "webapp:create_app"], env=env, cwd=ROOT, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the server did not start:\n" + (folder / "server.log").read_text())
        time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


def new_page(browser, server: str, locale: str = "fi-FI", **options):
    """A page in a fresh browser context (no cookies) whose browser asks for `locale`; `options` for the
    context, such as `java_script_enabled=False` or another `viewport`."""
    context = browser.new_context(**{"base_url": server, "locale": locale, "viewport": {"width": 1280, "height": 900},
                                     **options})
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def page(browser, server: str) -> Iterator[object]:
    """A page of a Finnish browser, on the test server."""
    page = new_page(browser, server)
    yield page
    page.context.close()


@pytest.fixture
def english_page(browser, server: str) -> Iterator[object]:
    """A page of an English browser: journeys read more plainly with English labels."""
    page = new_page(browser, server, "en-GB")
    yield page
    page.context.close()


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

