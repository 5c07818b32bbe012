"""The headers every response carries, and the session cookie's flags."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

import webapp
from webapp.security import CSP


@pytest.mark.parametrize("path", ["/", "/openings", "/auth/signin", "/api/v1/openings", "/healthz", "/nope"])
def test_every_response_has_the_protective_headers(client, path):
    headers = client.get(path).headers
    assert headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "'unsafe-inline'" not in CSP.split("script-src")[1].split(";")[0]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_pages_are_not_stored_by_caches(client):
    assert client.get("/openings").headers["Cache-Control"] == "no-store"


def test_the_session_cookie_is_http_only_and_same_site(client):
    client.get("/language?lang=sv&next=/")  # puts something in the session
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert not cookie.secure  # plain http on 127.0.0.1 (make run); FLASK_SESSION_COOKIE_SECURE=true behind https


def test_behind_https_the_cookie_is_secure(app):
    app.config["SESSION_COOKIE_SECURE"] = True
    client = app.test_client()
    client.get("/language?lang=sv&next=/")
    assert client.get_cookie("session").secure


def test_no_template_has_inline_script_or_style_attributes():
    """Every template folder: the app's own and each blueprint's (webapp/**/templates/**/*.html)."""
    root = Path(webapp.__file__).parent
    templates = sorted(root.glob("**/templates/**/*.html"))
    assert len(templates) > 40, [str(p.relative_to(root)) for p in templates]  # the blueprints' folders too
    assert {p.relative_to(root).parts[0] for p in templates} >= {"templates", "auth", "youth", "association",
                                                                  "coordinator", "admin", "public"}
    offenders = [str(p.relative_to(root)) for p in templates
                 if re.search(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=\"|\son[a-z]+=\"", p.read_text(encoding="utf-8"))]
    assert not offenders, f"inline script, style attribute or event handler (blocked by the CSP): {offenders}"
