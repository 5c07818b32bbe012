"""Behind reverse proxies: whose address is the client's (`POLKU_PROXIES`).

The sign-in, sign-up and registration limits count attempts per client address
(`request.remote_addr`). Behind a reverse proxy that address is the proxy's, so every visitor
would share one budget. `POLKU_PROXIES` (environment or config; default 0) is the number of
proxies in front of Polku that add `X-Forwarded-For`, `X-Forwarded-Proto` and
`X-Forwarded-Host`: with n > 0 the app trusts the last n values of those headers (Werkzeug's
`ProxyFix`), so each visitor has their own address again. Only the values the trusted proxies
added are read: what a client puts in front of them itself is ignored. Set it to exactly the
number of proxies: one too many lets a client choose its address (and so its own budget), one
too few leaves everyone with the proxy's. Without proxies keep it 0, or clients could forge
the headers.
"""
from __future__ import annotations

import re

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

SETTING = "POLKU_PROXIES"


class ProxySettingError(RuntimeError):
    """`POLKU_PROXIES` is not a whole number of 0 or more; the app will not start."""


def count(value: object) -> int:
    """The number of proxies `value` (a setting's value: an int or its text) names; `ProxySettingError` if none."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]+\s*", value):
        return int(value)
    raise ProxySettingError(
        f"Polku will not start: {SETTING} must be a whole number of 0 or more (how many reverse proxies in front "
        f"of Polku add X-Forwarded-For; 0 = none), not {value!r}.")


def init_app(app: Flask) -> None:
    """Trusts the forwarded headers of `POLKU_PROXIES` proxies (none by default); refuses a bad setting."""
    proxies = count(app.config.get(SETTING, 0))
    app.config[SETTING] = proxies
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]  # Flask's documented way to add WSGI middleware
