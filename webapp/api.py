"""The JSON API under /api/v1, read side: open openings and a youth's matches.

Same rules as the pages: only open openings are public (drafts, closed and unknown ones
answer 404); the directory's filters are `webapp.catalogue`'s; matches are for the
signed-in youth only (Flask-Login's session cookie). Every 4xx/5xx under /api/v1 is JSON,
`{"error": {"code", "message", "field"?}}`, in English; the OpenAPI document at
/api/v1/openapi.json describes it all (`webapp.openapi`).

CSRF: these endpoints are GET only, change nothing and need no token. State-changing
calls (expressing interest, ...) will need a CSRF token (X-CSRFToken, as Flask-WTF reads
it) or a same-origin rule before they are added.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, jsonify, request
from flask_babel import force_locale
from flask_login import current_user
from sqlmodel import col, select
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.wrappers import Response

from matching import texts
from matching.io import FieldError

from . import catalogue, login_manager
from .auth import role_required
from .convert import youth_from_row
from .db import get_session
from .engine import get_matcher
from .models import Opening, OpeningStatus, Role, YouthProfile
from .openapi import document

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
DEFAULT_K = 10
MAX_K = 100


class ApiError(Exception):
    """An error answered as JSON: HTTP `status`, a machine `code`, an English `message`, maybe a `field`."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def error_response(status: int, code: str, message: str, field: str | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        body["field"] = field
    response = jsonify({"error": body})
    response.status_code = status
    return response


# ---------------------------------------------------------------- parameters

def _int_param(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:
        raise ApiError(400, "bad_parameter", f"{name} must be a whole number from {low} to {high}; got {value!r}.",
                       name)
    return int(value)


def _filters() -> catalogue.Filters:
    try:
        with force_locale("en"):
            return catalogue.parse_filters(request.args)
    except catalogue.BadParameter as e:
        raise ApiError(400, "bad_parameter", e.message, e.field) from None


# ---------------------------------------------------------------- representations

def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def opening_json(row: Opening) -> dict[str, Any]:
    """The public fields of an opening: what its public page shows."""
    return {
        "ref": row.ref, "title": row.title, "description": row.description,
        "association": {"id": row.association_id, "name": row.association.name},
        "kind": row.kind, "themes": list(row.themes), "municipality": row.municipality, "remote": row.remote,
        "schedule": list(row.schedule), "start_date": _iso(row.start_date), "end_date": _iso(row.end_date),
        "capacity": row.capacity,
        "places_left": None if row.capacity is None else max(0, row.capacity - row.filled),
        "min_age": row.min_age, "max_age": row.max_age, "languages": list(row.languages),
        "requirements": list(row.requirements), "support": list(row.support), "benefits": list(row.benefits),
        "url": f"/openings/{row.ref}",
    }


# ---------------------------------------------------------------- endpoints

@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document())


@bp.get("/openings")
def openings() -> Response:
    filters = _filters()
    page = _int_param("page", 1, 1, 10**9)
    per_page = _int_param("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    statement, count = catalogue.open_openings(filters)
    session = get_session()
    total = session.exec(count).one()
    rows = session.exec(statement.offset((page - 1) * per_page).limit(per_page)).all()
    return jsonify({"items": [opening_json(r) for r in rows], "page": page, "per_page": per_page, "total": total,
                    "pages": max(1, -(-total // per_page))})


@bp.get("/openings/<ref>")
def opening(ref: str) -> Response:
    row = get_session().exec(select(Opening).where(Opening.ref == ref)).first()
    if row is None or row.status != OpeningStatus.OPEN:
        raise ApiError(404, "not_found", "There is no open opening with this ref.")
    return jsonify(opening_json(row))


@bp.get("/matches")
@role_required(Role.YOUTH)
def matches() -> Response:
    k = _int_param("k", DEFAULT_K, 1, MAX_K)
    lang = request.args.get("lang", "fi")
    if lang not in texts.LANGS:
        raise ApiError(400, "bad_parameter", f"lang must be one of {', '.join(texts.LANGS)}; got {lang!r}.", "lang")
    session = get_session()
    profile = session.exec(select(YouthProfile).where(YouthProfile.user_id == current_user.id)).first()
    if profile is None:
        raise ApiError(409, "no_profile", "This account has no youth profile yet.")
    try:
        youth = youth_from_row(profile)
    except FieldError as e:
        raise ApiError(409, "profile_invalid", f"The profile has a value we cannot read: {e.message}",
                       e.field) from None
    found = get_matcher().match(youth, k, lang=lang)
    titles = dict(session.exec(select(Opening.ref, Opening.title)
                               .where(col(Opening.ref).in_([m.opening_id for m in found]))).all())
    return jsonify({"items": [
        {"ref": m.opening_id, "title": titles.get(m.opening_id, ""), "url": f"/openings/{m.opening_id}",
         "score": round(m.score, 6), "reasons": [r.to_dict() for r in m.reasons]}
        for m in found], "k": k, "lang": lang})


# ---------------------------------------------------------------- errors: JSON, never HTML

@bp.errorhandler(ApiError)
def api_error(e: ApiError) -> Response:
    return error_response(e.status, e.code, e.message, e.field)


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 500: "internal_error"}
_MESSAGES = {401: "Sign in as a youth to use this endpoint.", 403: "Your role may not use this endpoint.",
             404: "There is nothing at this address of the API."}


@bp.errorhandler(HTTPException)
def http_error(e: HTTPException) -> Response:
    """Any HTTP error (abort(), 500 from an unhandled exception, ...) as the JSON error object."""
    status = e.code or 500
    code = _CODES.get(status) or e.name.lower().replace(" ", "_")
    if status >= 500:  # never the exception's text
        message = "Something went wrong on our side."
    else:
        message = _MESSAGES.get(status) or e.description or e.name
    response = error_response(status, code, message)
    if isinstance(e, MethodNotAllowed) and e.valid_methods:
        response.headers["Allow"] = ", ".join(e.valid_methods)
    return response


def _in_api() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # Unknown paths and wrong methods under /api/v1 match no view of the blueprint, so its own
    # handlers never see them: an app-wide handler answers those in JSON and leaves the rest as it was.
    previous = app.error_handler_spec.get(None, {}).get(None, {}).get(HTTPException)

    def routing_error(e: HTTPException) -> Any:
        if _in_api():
            return http_error(e)
        return previous(e) if previous is not None else e
    app.register_error_handler(HTTPException, routing_error)
    login_manager.blueprint_login_views["api"] = None  # type: ignore[assignment]  # role_required answers 401
