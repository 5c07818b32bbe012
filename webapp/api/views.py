"""The JSON API under /api/v1: open openings, a youth's matches and interest, an association's applicants.

Same rules as the pages, from the same service modules: only open openings are public
(drafts, closed and unknown ones answer 404); the directory's filters are
`webapp.services.catalogue`'s; interest goes through `webapp.services.interest`, decisions on applicants
through `webapp.services.decisions`. Authentication is Flask-Login's session cookie of the
site. Every 4xx/5xx under /api/v1 is JSON, `{"error": {"code", "message", "field"?}}`, in
English; the OpenAPI document at /api/v1/openapi.json describes it all (`webapp.openapi`).

CSRF, one rule: every state-changing request (POST, DELETE) carries the header
`X-CSRFToken` with the token of its session, which GET /api/v1/csrf hands out. It is
Flask-WTF's own check (`CSRFProtect`, app-wide; nothing here is exempt), so it runs
before anything else, even before the sign-in check; a missing or wrong token answers
403 `csrf_failed` naming the header. Another site's page cannot read the token, so it
cannot make a signed-in browser act. GET requests change nothing and need no token.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint, Flask, jsonify, request
from flask_babel import force_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlmodel import col, select
from werkzeug.wrappers import Response

from matching import texts
from matching.io import FieldError

from ..services import decisions as applications, catalogue, interest as services
from ..errors import json_error
from ..extensions import login_manager
from ..auth.access import role_required
from ..auth.sessions import own_profile
from ..engine.convert import youth_from_row
from ..db import get_session
from .. import clock
from ..engine import matches as engine_matches
from ..models import Interest, Opening, YouthProfile
from ..states import OpeningStatus, Role
from .openapi import CSRF_HEADER, document

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


def _body(allowed: tuple[str, ...]) -> dict[str, str]:
    """The request's JSON object, whose fields are all in `allowed` and strings; an empty body is {}."""
    if not request.is_json:
        # (a form body was already read by the CSRF check, so look at the length and the form too)
        if request.content_length or request.form or request.files:
            raise ApiError(400, "bad_json", "Send the body as JSON, with Content-Type: application/json.")
        return {}
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise ApiError(400, "bad_json", "The body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ApiError(400, "bad_json", "The body must be a JSON object.")
    for key, value in data.items():
        if key not in allowed:
            expected = ", ".join(allowed) if allowed else "none"
            # (a field with an empty name is named by its place, the body, so `field` always names something)
            raise ApiError(400, "unknown_field", f"Unknown field {key!r}; this endpoint takes: {expected}.",
                           key or "body")
        if not isinstance(value, str):
            raise ApiError(400, "bad_type", f"{key} must be a string; got {type(value).__name__}.", key)
    return data


def _profile() -> YouthProfile:
    """The signed-in youth's profile (`auth.own_profile`); 409 for an account without one."""
    profile = own_profile()
    if profile is None:
        raise ApiError(409, "no_profile", "This account has no youth profile yet.")
    return profile


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


def _instant(value: dt.datetime | None) -> str | None:
    """A timestamp in UTC with its offset; SQLite hands back the stored UTC time without one."""
    if value is None:
        return None
    return clock.aware(value).astimezone(dt.timezone.utc).isoformat()


def interest_json(row: Interest, opening: Opening) -> dict[str, Any]:
    """A youth's own interest record."""
    return {"opening": opening.ref, "state": row.state.value, "message": row.message,
            "created_at": _instant(row.created_at), "updated_at": _instant(row.updated_at)}


def applicant_json(found: applications.Applicant, opening: Opening) -> dict[str, Any]:
    """What an association may see of one applicant: `shared` holds only the fields the youth shares."""
    row = found.interest
    return {"id": row.id, "opening": opening.ref, "name": found.name, "message": row.message,
            "state": row.state.value, "created_at": _instant(row.created_at),
            "updated_at": _instant(row.updated_at), "accepted_at": _instant(row.accepted_at),
            "finished_at": _instant(row.finished_at), "reference": row.reference, "shared": found.shared}


# ---------------------------------------------------------------- endpoints

@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(document())


@bp.get("/openings")
def openings() -> Response:
    filters = _filters()
    page = _int_param("page", 1, 1, 10**9)
    per_page = _int_param("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    session = get_session()
    if filters.q:  # the engine's reading of the words, best match first
        ids = catalogue.open_opening_ids(filters)
        total = len(ids)
        wanted = ids[(page - 1) * per_page:page * per_page]
        found = {o.id: o for o in session.exec(select(Opening).where(col(Opening.id).in_(wanted)))}
        rows = [found[i] for i in wanted if i in found]
    else:
        statement, count = catalogue.open_openings(filters)
        total = session.exec(count).one()
        rows = list(session.exec(statement.offset((page - 1) * per_page).limit(per_page)).all())
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
    profile = _profile()
    try:
        youth = youth_from_row(profile)
    except FieldError as e:
        raise ApiError(409, "profile_invalid", f"The profile has a value we cannot read: {e.message}",
                       e.field) from None
    found = engine_matches.matches(profile, k, lang, youth)  # the region's weights, as on the page
    return jsonify({"items": [
        {"ref": m.opening_id, "title": engine_matches.engine_opening(m.opening_id).title,  # the engine's: no query
         "url": f"/openings/{m.opening_id}", "score": round(m.score, 6), "reasons": [r.to_dict() for r in m.reasons]}
        for m in found], "k": k, "lang": lang})


@bp.get("/csrf")
def csrf_token() -> Response:
    """The token state-changing requests send in X-CSRFToken; it belongs to this session (cookie)."""
    return jsonify({"csrf_token": generate_csrf(), "header": CSRF_HEADER})


def _public_opening(ref: str, allow_closed: bool = False) -> Opening:
    row = get_session().exec(select(Opening).where(Opening.ref == ref)).first()
    allowed = (OpeningStatus.OPEN, OpeningStatus.CLOSED) if allow_closed else (OpeningStatus.OPEN,)
    if row is None or row.status not in allowed:
        raise ApiError(404, "not_found", "There is no open opening with this ref.")
    return row


@bp.post("/openings/<ref>/interest")
@role_required(Role.YOUTH)
def express_interest(ref: str) -> Response:
    note = _body(("message",)).get("message")
    opening = _public_opening(ref)
    try:
        with force_locale("en"):
            interest = services.express_interest(get_session(), _profile(), opening, message=note)
    except services.InterestRefused as e:
        if e.field is not None:  # what was typed, not the rules: bad input
            raise ApiError(400, "bad_input", e.message, e.field) from None
        raise ApiError(409, "interest_refused", e.message) from None
    return jsonify(interest_json(interest, opening))


@bp.delete("/openings/<ref>/interest")
@role_required(Role.YOUTH)
def withdraw(ref: str) -> Response:
    _body(())
    opening = _public_opening(ref, allow_closed=True)
    session = get_session()
    profile = _profile()
    if services.find_interest(session, profile, opening) is None:
        raise ApiError(404, "not_found", "You have not expressed interest in this opening.")
    try:
        with force_locale("en"):
            interest = services.withdraw(session, profile, opening)
    except services.InterestRefused as e:
        raise ApiError(409, "interest_refused", e.message) from None
    return jsonify(interest_json(interest, opening))


@bp.get("/openings/<ref>/applicants")
@role_required(Role.ASSOCIATION)
def applicants(ref: str) -> Response:
    session = get_session()
    opening = applications.own_opening(session, ref, current_user.association_id)
    if opening is None:
        raise ApiError(404, "not_found", "Your association has no opening with this ref.")
    found = applications.applicants(session, opening)
    return jsonify({"opening": {"ref": opening.ref, "title": opening.title, "status": opening.status.value,
                                "capacity": opening.capacity, "filled": opening.filled},
                    "items": [applicant_json(a, opening) for a in found]})


_REFUSED_STATUS = {"bad_reference": 400}


@bp.post("/applicants/<int:interest_id>/accept", defaults={"action": "accept"})
@bp.post("/applicants/<int:interest_id>/decline", defaults={"action": "decline"})
@bp.post("/applicants/<int:interest_id>/complete", defaults={"action": "complete"})
@bp.post("/applicants/<int:interest_id>/drop", defaults={"action": "drop"})
@role_required(Role.ASSOCIATION)
def decide(interest_id: int, action: str) -> Response:
    body = _body(("reference",) if action == "complete" else ())
    session = get_session()
    interest = applications.own_interest(session, interest_id, current_user.association_id)
    if interest is None:  # another association's applicant looks exactly like no applicant
        raise ApiError(404, "not_found", "Your association has no applicant with this id.")
    try:
        with force_locale("en"):
            if action == "complete":
                applications.complete(session, interest, body.get("reference", ""))
            else:
                applications.DECISIONS[action](session, interest)
    except applications.DecisionRefused as e:
        raise ApiError(_REFUSED_STATUS.get(e.code, 409), e.code, e.message, e.field) from None
    opening = session.exec(select(Opening).where(Opening.id == interest.opening_id)).one()
    return jsonify(applicant_json(applications.applicant(session, interest), opening))


# ---------------------------------------------------------------- errors: JSON, never HTML

@bp.errorhandler(CSRFError)
def csrf_error(e: CSRFError) -> Response:
    """Flask-WTF refused the request: 403 naming the header (the reason is Flask-WTF's, e.g. token missing)."""
    return json_error(403, "csrf_failed", f"Send the header {CSRF_HEADER} with the token from GET {PREFIX}/csrf "
                          f"({e.description})", CSRF_HEADER)


@bp.errorhandler(ApiError)
def api_error(e: ApiError) -> Response:
    return json_error(e.status, e.code, e.message, e.field)


def init_app(app: Flask) -> None:
    from . import talk  # noqa: F401  (adds the conversations and notifications to bp)
    app.register_blueprint(bp)
    login_manager.blueprint_login_views["api"] = None  # role_required answers 401
