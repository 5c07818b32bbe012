"""HTTP headers that make the browser an ally (CSP, no sniffing, no framing, cookie flags), and the
one check of where a `next` parameter may send a browser (`safe_next`).

The Content-Security-Policy allows scripts, styles, images and fonts from this site only:
no inline script, so an injected `<script>` would not run even if escaping failed
somewhere. Charts are SVG made by matplotlib, whose elements carry `style` attributes;
those are presentational, so `style-src` also allows inline styles ('unsafe-inline' for
styles only; scripts stay strict).

Cookies: the session cookie is HttpOnly and SameSite=Lax always; Secure when the app is
told it is behind HTTPS (`SESSION_COOKIE_SECURE=True`, e.g. `FLASK_SESSION_COOKIE_SECURE=true`),
because `make run` serves plain http on 127.0.0.1 and a Secure cookie would never come back.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from werkzeug.wrappers import Response

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html" or response.mimetype == "application/json":
        response.headers.setdefault("Cache-Control", "no-store")  # pages may hold personal data
    return response


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site ("/youth/matches?k=5"), otherwise None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target):  # browsers drop tabs and newlines: "/\t/evil"
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def init_app(app: Flask) -> None:
    for name, value in (("SESSION_COOKIE_HTTPONLY", True), ("SESSION_COOKIE_SAMESITE", "Lax"),
                        ("REMEMBER_COOKIE_HTTPONLY", True), ("REMEMBER_COOKIE_SAMESITE", "Lax")):
        if app.config.get(name) is None:  # Flask's own default for SameSite is None: not set
            app.config[name] = value
    app.after_request(_add_headers)
