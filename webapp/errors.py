"""Error pages for the whole site: translated HTML with `base.html`, never Werkzeug's English page.

Every HTTP error outside the API (a bad URL, a wrong method, a refused role, an expired
form, an upload too large, too many sign-ins, a crash) answers with one short page in the
reader's language. Paths under /api/ get the API's JSON error object instead (`json_error`,
the one writer of it: the API's own handlers and the input guard use it too). A 500 rolls
the request's session back and shows no exception text (Flask logs the exception).
"""
from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Response

from . import db

log = logging.getLogger(__name__)

API_PREFIX = "/api/"

# (title, explanation) per status; other statuses get the generic pair.
PAGES: dict[int, tuple[Any, Any]] = {
    400: (_l("Something is wrong with the request"),
          _l("The page could not handle what was sent. Check the address or the form and try again.")),
    403: (_l("No access"), _l("You do not have permission to see this page.")),
    404: (_l("Page not found"), _l("There is no page at this address. It may have been moved or removed.")),
    405: (_l("This action is not possible here"), _l("This page does not accept this kind of request.")),
    413: (_l("Too much data"), _l("What you sent is too large. Send a smaller file or a shorter text.")),
    429: (_l("Too many requests"), _l("You have tried too many times in a short while. Wait a moment and try "
                                      "again.")),
    500: (_l("Something went wrong"), _l("Something went wrong on our side. Please try again later. If it keeps "
                                         "happening, contact the coordinator.")),
}
GENERIC = (_l("Something went wrong"), _l("The page could not be shown."))
CSRF_PAGE = (_l("The form has expired"),
             _l("The form has expired or was sent from somewhere else. Please reload the page and try again."))


# The API's error codes and messages (English: the API speaks to programs) for HTTP errors.
API_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
             405: "method_not_allowed", 500: "internal_error"}
API_MESSAGES = {401: "Sign in to use this endpoint.", 403: "Your role may not use this endpoint.",
                404: "There is nothing at this address of the API."}


def in_api() -> bool:
    """Whether this request is the API's (answered in JSON, whatever went wrong)."""
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def json_error(status: int, code: str, message: str, field: str | None = None) -> Response:
    """The API's error object: `{"error": {"code": ..., "message": ..., "field": ...}}` with `status`."""
    body: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _json_for(e: HTTPException) -> Response:
    status = e.code or 500
    code = API_CODES.get(status) or e.name.lower().replace(" ", "_")
    if status >= 500:  # never the exception's text
        message = "Something went wrong on our side."
    else:
        message = API_MESSAGES.get(status) or e.description or e.name
    response = json_error(status, code, message)
    if isinstance(e, MethodNotAllowed) and e.valid_methods:
        response.headers["Allow"] = ", ".join(e.valid_methods)
    return response


def _texts(e: HTTPException) -> tuple[Any, Any]:
    """The page's title and text; a description given to abort() replaces the default text."""
    if isinstance(e, CSRFError):
        return CSRF_PAGE
    status = e.code or 500
    title, text = PAGES.get(status, GENERIC)
    default = type(e).description
    if status < 500 and e.description and e.description != default:
        text = e.description
    return title, text


def _page(e: HTTPException) -> Response:
    status = e.code or 500
    title, text = _texts(e)
    try:
        body = render_template("errors/error.html", status=status, title=title, text=text)
    except Exception:  # the page itself failed (say, the database is down): plain text, still no traceback
        log.exception("error page %d could not be rendered", status)
        body = f"{status} {e.name}"
    response = Response(body, status, mimetype="text/html")
    for name, value in e.get_headers():  # Allow (405), Retry-After (429), ...
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def handle_http_error(e: HTTPException) -> Response:
    """Any HTTP error: JSON under /api/, the translated page elsewhere."""
    status = e.code or 500
    if status >= 500:  # Flask has logged the exception already
        session = g.get("db_session")
        if session is not None:
            db.rollback_quietly(session)
    return _json_for(e) if in_api() else _page(e)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
