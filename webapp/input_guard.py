"""Refuse input that no column can hold (a NUL character, an id past INTEGER), and input too big or
too deep to read safely.

PostgreSQL's text types cannot store NUL (psycopg raises DataError: a 500 in any view that
saves or even looks up the value), SQLite would keep it silently, and nobody types one. So
a request with NUL in its path, query, form or JSON body is answered 400 before any view
runs, naming the field: the API's JSON error under /api/v1, the error page elsewhere.
Likewise an `<int:...>` in a URL stops at PostgreSQL's INTEGER: a larger id names nothing,
so the URL matches no route (404) instead of overflowing the driver in the view. One check
for every route, present and future, rather than one in each view.

Size and depth: a body over `MAX_CONTENT_LENGTH` (default `MAX_BODY`, 1 MiB: no page takes
files) is refused with 413 before it is read, and a JSON body nested deeper than
`MAX_JSON_DEPTH` with 400 (`GuardedRequest`): Python's JSON reader recurses per level, so
5,000 nested brackets would otherwise end in a RecursionError, a 500 on any route.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, Request, abort, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map
from werkzeug.wrappers import Response

from .errors import in_api, json_error

NUL = "\x00"
MAX_ID = 2**31 - 1  # PostgreSQL INTEGER, the type of every id column
MAX_BODY = 1024 * 1024  # bytes of a request body (config MAX_CONTENT_LENGTH)
MAX_JSON_DEPTH = 32  # nested arrays and objects in a JSON body; the API's deepest is 2


def json_depth(value: Any) -> int:
    """How deeply arrays and objects nest in a decoded JSON value (a scalar is 0); no recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is not None:
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in children)
    return deepest


class GuardedRequest(Request):
    """Flask's request whose JSON body is refused (400) when nested too deeply, however it is asked for."""

    def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        try:
            value = super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            raise BadRequest(f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels).") from None
        if json_depth(value) > MAX_JSON_DEPTH:
            raise BadRequest(f"The JSON body is nested too deeply (at most {MAX_JSON_DEPTH} levels).")
        return value


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
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None: no limit
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.request_class = GuardedRequest
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)
