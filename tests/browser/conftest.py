"""Page tests in a real browser: Debian's Chromium driven by Playwright, against the production server.

One server per test session: a fresh SQLite database, migrated and seeded with the demo
data (`flask --app webapp db upgrade` and `seed`, as `make run` does), served by
waitress on a free loopback port. Chromium is the system's (`/usr/bin/chromium`, from
`apt-get install chromium`); Playwright's own browser is never downloaded. The reflow and
certificate-print tests use a second server of their own (`busy_server`), whose demo data has a
busy season on top (`tests.support.busy_world`), so the journeys' server stays as seeded. axe-core
comes from the npm registry (`npm ci`, see package.json) and is evaluated in each page.

Screenshots of each journey's key pages go to `build/test-artifacts/` (or
`$POLKU_ARTIFACTS`), so a run leaves pictures of what was tested.
"""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.browser import AXE, CHROMIUM, ROOT, new_page

SECRET = secrets.token_urlsafe(48)  # a new key per run: the server refuses weak ones


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "webapp", *args], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@contextmanager
def serving(folder: Path, *prepare: str, extra: dict[str, str] | None = None) -> Iterator[tuple[str, dict[str, str]]]:
    """A seeded production server (waitress) on a fresh SQLite database in `folder`: its base URL and
    environment. Each of `prepare` (a module, run as `python -m` after the seed) adds data first; `extra`
    adds to the environment (say, an SMTP server). Its task queue is a file in `folder`, and its worker
    process (`python -m webapp.worker`) runs beside it, as `make run` starts them."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'polku.sqlite'}", "FLASK_SECRET_KEY": SECRET,
           "FLASK_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
           "POLKU_QUEUE_URL": f"sqlite:///{folder / 'queue.sqlite'}", **(extra or {})}
    _flask(env, "db", "upgrade")
    _flask(env, "seed")
    for module in prepare:
        result = subprocess.run([sys.executable, "-m", module], env=env, cwd=ROOT, capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        env[f"PREPARED_{module}"] = result.stdout
    port = _free_port()
    with (folder / "server.log").open("w") as log:
        process = subprocess.Popen([sys.executable, "-m", "waitress", "--host", "127.0.0.1", f"--port={port}",
                                    "--call", "webapp:create_app"], env=env, cwd=ROOT, stdout=log, stderr=log)
    with (folder / "worker.log").open("w") as log:
        worker = subprocess.Popen([sys.executable, "-m", "webapp.worker"], env=env, cwd=ROOT, stdout=log, stderr=log)
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
            worker.kill()
            pytest.fail("the server did not start:\n" + (folder / "server.log").read_text())
        time.sleep(0.1)
    try:
        yield base, env
    finally:
        process.terminate()
        worker.terminate()
        process.wait(timeout=10)
        worker.wait(timeout=10)


def _check_tools() -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (make test does)")
    if not AXE.exists():
        pytest.fail(f"no axe-core at {AXE}: run `npm ci` in the repository (make test does)")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a seeded production server (waitress) on a fresh SQLite database."""
    _check_tools()
    with serving(tmp_path_factory.mktemp("server")) as (base, _env):
        yield base


BUSY = "tests.support.busy_world"


@pytest.fixture(scope="session")
def busy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, object]]]:
    """A server of its own whose demo data has a busy season on top (`tests.support.busy_world`): its base
    URL and the ids and refs that module printed. Tests may change nothing there but what they own."""
    _check_tools()
    with serving(tmp_path_factory.mktemp("busy"), BUSY) as (base, env):
        yield base, json.loads(env[f"PREPARED_{BUSY}"])


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield chromium
        chromium.close()


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


