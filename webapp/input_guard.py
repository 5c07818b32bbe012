"""Refuse input that no column can hold: a NUL character (U+0000), an id past INTEGER.

PostgreSQL's text types cannot store NUL (psycopg raises DataError: a 500 in any view that
saves or even looks up the value), SQLite would keep it silently, and nobody types one. So
a request with NUL in its path, query, form or JSON body is answered 400 before any view
runs, naming the field: the API's JSON error under /api/v1, the error page elsewhere.
Likewise an `<int:...>` in a URL stops at PostgreSQL's INTEGER: a larger id names nothing,
so the URL matches no route (404) instead of overflowing the driver in the view. One check
for every route, present and future, rather than one in each view.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from .errors import in_api, json_error

NUL = "\x00"
MAX_ID = 2**31 - 1  # PostgreSQL INTEGER, the type of every id column


class IdConverter(IntegerConverter):
    """Werkzeug's `int`, bounded to what an id column holds unless the rule says otherwise."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def _in_json(value: Any, where: str) -> str | None:
    """The first place in a decoded JSON document whose key or text holds NUL."""
    if isinstance(value, str):
        return (where or "body") if NUL in value else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and NUL in key:
            return where or "body"
        found = _in_json(item, str(key) if not where else f"{where}.{key}")
        if found is not None:
            return found
    return None


def nul_field() -> str | None:
    """Which input of this request holds NUL: "path", a query or form field's name, a JSON field; or None."""
    if NUL in request.path:
        return "path"
    for source in (request.args, request.form):
        for key, value in source.items(multi=True):
            if NUL in key or NUL in value:
                return key.replace(NUL, "") or "?"
    if request.is_json:
        return _in_json(request.get_json(silent=True), "")
    return None


def refuse_nul() -> Response | None:
    field = nul_field()
    if field is None:
        return None
    if in_api():  # the API's own error object, even for a path that matches no view
        return json_error(400, "bad_input", f"{field} contains a NUL character (U+0000), which cannot be "
                              "stored; remove it.", field)
    if field == "path":
        abort(400, description=_("The address contains a NUL character. Remove it and try again."))
    abort(400, description=_("The field “%(field)s” contains a NUL character, which cannot be stored. "
                             "Remove it and try again.", field=field))


def init_app(app: Flask) -> None:
    """Call before any blueprint is registered: rules take their converters when they are added."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)
