"""The JSON API of conversations and notifications, on the same blueprint and rules as `api.views`.

A conversation is reached by its interest's id: a youth's own under /interests/{id}/messages, an
applicant of the member's association under /applicants/{id}/messages (anything else answers 404
`not_found`, as if it did not exist). Notifications are
the signed-in user's own, worded in `lang` (fi, sv or en; default fi).
"""
from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import force_locale
from flask_login import current_user
from werkzeug.wrappers import Response

from ..auth.access import role_required
from ..auth.sessions import own_profile
from ..db import get_session
from ..i18n import LANGUAGES
from ..models import Interest, Message, Notice
from ..services import messages, notices
from ..states import Role
from .views import ApiError, _body, _instant, _int_param, bp

EVERYONE = (Role.YOUTH, Role.ASSOCIATION, Role.COORDINATOR, Role.ADMIN)
_STATUS = {"empty": 400, "too_long": 400, "too_many": 429, "blocked": 409, "closed": 409}


def message_json(row: Message) -> dict[str, Any]:
    return {"id": row.id, "from": "youth" if row.from_youth else "association", "body": row.body,
            "created_at": _instant(row.created_at)}


def conversation_json(talk: messages.Conversation) -> dict[str, Any]:
    return {"interest": talk.interest.id, "opening": talk.opening.ref, "association": talk.association.name,
            "closed": talk.closed, "items": [message_json(m) for m in talk.messages]}


def _youths(interest_id: int) -> Interest:
    profile = own_profile()
    found = messages.youths_interest(get_session(), profile, interest_id) if profile is not None else None
    if found is None:
        raise ApiError(404, "not_found", "You have no activity with this id.")
    return found


def _members(interest_id: int) -> Interest:
    found = messages.members_interest(get_session(), current_user, interest_id)
    if found is None:  # another association's applicant looks exactly like no applicant
        raise ApiError(404, "not_found", "Your association has no applicant with this id.")
    return found


def _post(interest: Interest) -> Response:
    body = _body(("body",))
    session = get_session()
    talk = messages.conversation(session, interest)
    try:
        with force_locale("en"):
            row = messages.post(session, talk, current_user, body.get("body"))
    except messages.MessageRefused as e:
        raise ApiError(_STATUS.get(e.code, 409), e.code, e.message, e.field) from None
    response = jsonify(message_json(row))
    response.status_code = 201
    return response


@bp.get("/interests/<int:interest_id>/messages")
@role_required(Role.YOUTH)
def youth_conversation(interest_id: int) -> Response:
    """The signed-in youth's conversation about one of their own activities."""
    return jsonify(conversation_json(messages.conversation(get_session(), _youths(interest_id))))


@bp.post("/interests/<int:interest_id>/messages")
@role_required(Role.YOUTH)
def youth_message(interest_id: int) -> Response:
    return _post(_youths(interest_id))


@bp.get("/applicants/<int:interest_id>/messages")
@role_required(Role.ASSOCIATION)
def applicant_conversation(interest_id: int) -> Response:
    """The conversation with one applicant of the member's association."""
    return jsonify(conversation_json(messages.conversation(get_session(), _members(interest_id))))


@bp.post("/applicants/<int:interest_id>/messages")
@role_required(Role.ASSOCIATION)
def applicant_message(interest_id: int) -> Response:
    return _post(_members(interest_id))


def _lang() -> str:
    lang = request.args.get("lang", LANGUAGES[0])
    if lang not in LANGUAGES:
        raise ApiError(400, "bad_parameter", f"lang must be one of {', '.join(LANGUAGES)}; got {lang!r}.", "lang")
    return lang


def notice_json(row: Notice) -> dict[str, Any]:
    return {"id": row.id, "kind": row.kind, "params": row.params, "text": notices.text(row), "link": row.link,
            "created_at": _instant(row.created_at), "read_at": _instant(row.read_at)}


@bp.get("/notifications")
@role_required(*EVERYONE)
def notifications() -> Response:
    number = _int_param("page", 1, 1, 10**6)
    lang = _lang()
    found = notices.page(get_session(), current_user.id, number)
    with force_locale(lang):
        items = [notice_json(n) for n in found.notices]
    return jsonify({"items": items, "unread": found.unread, "page": found.number, "pages": found.pages,
                    "lang": lang})


@bp.post("/notifications/read")
@role_required(*EVERYONE)
def read_notifications() -> Response:
    """Marks the user's notifications read: those in `ids` (a comma-separated list), or all."""
    body = _body(("ids",))
    session = get_session()
    if "ids" not in body:
        return jsonify({"marked": notices.mark_read(session, current_user.id)})
    try:
        ids = [int(part) for part in body["ids"].split(",") if part.strip()]
    except ValueError:
        raise ApiError(400, "bad_input", "ids must be notification ids separated by commas, like \"3,5\".",
                       "ids") from None
    return jsonify({"marked": sum(notices.mark_read(session, current_user.id, notice_id=i) for i in ids
                                  if 0 < i < 2**31)})
