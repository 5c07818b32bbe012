"""Test clients as a browser uses them: asking for English, and the CSRF token each form and API call carries."""
from __future__ import annotations

import re
from typing import Any

# The token Flask-WTF puts in every form (the form's own field, or the hidden input of the sign-out
# button in the navigation): any of them is the session's.
CSRF_TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def english(client: Any) -> Any:
    """`client`, asking for English from now on (so the messages are the source strings); returns it."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def csrf_token_in(html: str) -> str:
    """The CSRF token of a page's HTML."""
    found = CSRF_TOKEN.search(html)
    if found is None:
        raise LookupError("no CSRF token in the page")
    return found.group(1)


def token(client: Any, url: str = "/auth/signin") -> str:
    """The CSRF token of the client's session, read from the page at `url`."""
    return csrf_token_in(client.get(url).get_data(as_text=True))


def csrf_header(client: Any) -> dict[str, str]:
    """The X-CSRFToken header for the client's session (Flask-WTF takes it on pages and the API alike)."""
    return {"X-CSRFToken": client.get("/api/v1/csrf").get_json()["csrf_token"]}


def field_errors(response: Any, field: str) -> str:
    """The errors a form shows under `field` (its `<ul class="errors">`), or "" if none."""
    match = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', response.get_data(as_text=True), re.S)
    return match.group(1) if match else ""
